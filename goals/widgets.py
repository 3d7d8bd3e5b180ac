"""The SDG target picker of the goal form.

About 169 long targets in one multi-select was a 17-screen list that phones
render badly and that needs Ctrl-click to choose two. Instead: one
``<details>`` per SDG goal (its number and short name as the summary, with how
many of its targets are chosen), its targets as checkboxes inside a fieldset.
It works without JavaScript; a goal with a chosen target starts open, so what
is chosen is never hidden. The choices are ``goals.sdg_choices.target_choices``
(grouped by goal, one query).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


class SdgTargetPicker(forms.CheckboxSelectMultiple):
    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        groups = []
        for label, options, _index in self.optgroups(name, self.format_value(value), attrs):
            chosen = sum(1 for option in options if option["selected"])
            groups.append(
                {
                    "label": label,
                    "chosen": chosen,
                    "options": [(o["value"], o["label"], o["selected"]) for o in options],
                }
            )
        html = render_to_string("goals/_sdg_picker.html", {"name": name, "groups": groups})
        return mark_safe(html)  # noqa: S308 -- rendered by a template that escapes every value
