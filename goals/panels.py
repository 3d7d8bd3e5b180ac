"""What later rooms show on a goal's page, without goals importing them.

A room registers a panel from its ``AppConfig.ready()``: a function given the
goal and the page's context (``Ctx``) that returns HTML (rendered from the
room's own template, escaped there) or "" to show nothing. The actions room
shows the goal's progress and the actions that serve it this way. A panel
costs a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

Panel = Callable[[Any, Any], SafeString | str]
_PANELS: list[Panel] = []


def register_panel(fn: Panel) -> Panel:
    if fn not in _PANELS:
        _PANELS.append(fn)
    return fn


def panels(goal: Any, ctx: Any) -> list[SafeString | str]:
    return [html for fn in _PANELS if (html := fn(goal, ctx))]
