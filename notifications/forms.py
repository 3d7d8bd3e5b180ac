"""Forms of the notifications room. Forms parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.announcements import TITLE_MAX
from notifications.kinds import Frequency, all_kinds
from notifications.models import Audience, Scope
from partnerships.languages import TextsForm
from partnerships.models import PartnerType, Role

PREFIX = "kind_"


class PreferencesForm(forms.Form):
    """One choice per kind of notification. A posted kind that does not exist
    is refused with a message, rather than silently ignored."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in all_kinds():
            self.fields[PREFIX + kind.code] = forms.ChoiceField(
                label=str(kind.label),
                choices=Frequency.choices,
                initial=current.get(kind.code, kind.default),
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unknown = sorted(
            key[len(PREFIX) :]
            for key in self.data
            if key.startswith(PREFIX) and key not in self.fields
        )
        if unknown:
            raise ValidationError(
                _("There is no kind of notification called “%(kind)s”.") % {"kind": unknown[0]}
            )
        return data

    def choices(self) -> dict[str, str]:
        return {
            name[len(PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(PREFIX)
        }


class AnnouncementForm(TextsForm):
    scope = forms.ChoiceField(
        label=gettext_lazy("Where"), choices=Scope.choices, widget=forms.RadioSelect
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("To whom (members)"),
        choices=Audience.choices,
        initial=Audience.ALL,
        widget=forms.RadioSelect,
    )
    partner_type = forms.ChoiceField(
        label=gettext_lazy("Partner type"),
        choices=[("", "—"), *PartnerType.choices],
        required=False,
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[("", "—"), *Role.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts("title", gettext_lazy("Title"), max_length=TITLE_MAX)
        self.add_texts("body", gettext_lazy("Text"), area=True)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scope": data["scope"],
            "audience": data["audience"],
            "partner_type": data["partner_type"],
            "role": data["role"],
            "title": self.texts("title"),
            "body": self.texts("body"),
        }
