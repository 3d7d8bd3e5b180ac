"""Forms parse input; services decide. Errors from services are put back on
the form field they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.errors import ServiceError
from partnerships.form_view import put_back
from partnerships.models import (
    AuditAction,
    Partner,
    Partnership,
    PartnershipStatus,
    PartnerType,
    Role,
)


class DateInput(forms.DateInput):
    """A date picker whose value the browser can read in every language.

    ``<input type="date">`` only understands ISO dates (2026-12-07); Django
    would otherwise render the active locale's format (07/12/2026 in Spanish),
    which the browser shows as empty, and the form then fails on resubmit.
    Every date field of the platform uses this widget."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ServiceErrorMixin:
    """For the pages that put a refusal back by hand (``form_view`` does it
    for the others)."""

    def add_service_error(self, error: ServiceError) -> None:
        put_back(self, error)  # type: ignore[arg-type]


def country_choices() -> list[tuple[str, str]]:
    """Every country, named and ordered in the reader's language."""
    from django_countries import countries

    return [(str(code), str(name)) for code, name in countries]


def language_choices(current: list[str] | None = None) -> list[tuple[str, str]]:
    """The languages a partnership may work in, named in the reader's language
    (and in their own): the platform's (the rooms write content in these),
    and any the partnership already uses."""
    from django.conf import settings
    from django.utils.translation import get_language_info

    codes = list(dict.fromkeys([*(code for code, _n in settings.LANGUAGES), *(current or [])]))
    choices = []
    for code in codes:
        try:
            info = get_language_info(code)
        except KeyError:
            choices.append((code, code))
            continue
        name, local = str(info["name_translated"]), str(info["name_local"])
        label = name if name.lower() == local.lower() else f"{name} ({local})"
        choices.append((code, label))
    return sorted(choices, key=lambda choice: choice[1].lower())


class LanguagesMixin:
    """The working languages as a choice nobody can get wrong: the first
    language (required content is written in it, and everything falls back to
    it) and the others, ticked. ``cleaned_data["languages"]`` is the list the
    partnership keeps, first language first."""

    def setup_languages(self, current: list[str] | None = None) -> None:
        choices = language_choices(current)
        fields = self.fields  # type: ignore[attr-defined]
        fields["first_language"].choices = choices
        fields["other_languages"].choices = choices

    def clean_languages(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        first = cleaned.pop("first_language", None)
        others = cleaned.pop("other_languages", None) or []
        if first:
            cleaned["languages"] = [first, *(code for code in others if code != first)]
        return cleaned


class PartnershipForm(LanguagesMixin, ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="CO")
    locality_name = forms.CharField(
        label=_("Locality"), max_length=200, help_text=_("The municipality or district.")
    )
    area_code = forms.CharField(
        label=_("Administrative area code"),
        max_length=20,
        required=False,
        help_text=_("The official code of the municipality or district, e.g. a DIVIPOLA code."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    first_language = forms.ChoiceField(
        label=_("Main working language"),
        initial="es",
        help_text=_(
            "Texts are written in this language first; where a text is missing in "
            "another language, people read it in this one."
        ),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other working languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Texts may also be written in these; they are optional."),
    )

    def __init__(self, *args: Any, languages: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_languages(languages)

    def clean(self) -> dict[str, Any]:
        return self.clean_languages(super().clean() or {})


class PartnershipSettingsForm(PartnershipForm):
    status = forms.ChoiceField(label=_("Status"), choices=PartnershipStatus.choices)

    @classmethod
    def for_partnership(cls, partnership: Partnership, data: Any = None) -> PartnershipSettingsForm:
        initial: dict[str, Any] = {
            f: getattr(partnership, f) for f in Partnership.EDITABLE_FIELDS if f != "languages"
        }
        languages = list(partnership.languages or [])
        initial["first_language"] = languages[0] if languages else "es"
        initial["other_languages"] = languages[1:]
        return cls(data=data, initial=initial, languages=languages)


class PartnerForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    partner_type = forms.ChoiceField(label=_("Partner type"), choices=PartnerType.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    joined_on = forms.DateField(
        label=_("Joined on"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    entry_reason = forms.CharField(
        label=_("Why it joined"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PartnerLeavingForm(ServiceErrorMixin, forms.Form):
    left_on = forms.DateField(
        label=_("Left on"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    reason = forms.CharField(label=_("Why it left"), widget=forms.Textarea(attrs={"rows": 2}))


def _partner_choices(partnership: Partnership) -> list[tuple[str, str]]:
    partners = Partner.objects.filter(partnership=partnership, left_on__isnull=True)
    return [("", "—")] + [(str(p.public_id), p.name) for p in partners]


class RoleFieldsMixin(ServiceErrorMixin):
    """A role, and the partner represented when the role needs one."""

    partnership: Partnership

    def setup_partner_field(self, partnership: Partnership) -> None:
        self.partnership = partnership
        self.fields["partner"].choices = _partner_choices(partnership)  # type: ignore[attr-defined]

    def clean_partner(self) -> Partner | None:
        value = self.cleaned_data.get("partner")  # type: ignore[attr-defined]
        if not value:
            return None
        partner: Partner | None = Partner.objects.filter(
            partnership=self.partnership, public_id=value
        ).first()
        if partner is None:
            raise forms.ValidationError(_("That partner is not part of this partnership."))
        return partner


def interface_language_choices() -> list[tuple[str, str]]:
    """The languages the interface speaks, each named in itself."""
    from django.conf import settings
    from django.utils.translation import get_language_info

    return [
        (code, str(get_language_info(code)["name_local"]).capitalize())
        for code, _name in settings.LANGUAGES
    ]


class InvitationForm(RoleFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.ChoiceField(
        label=_("Represents"), required=False, help_text=_("Needed for a partner representative.")
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=interface_language_choices,
        help_text=_("The email and the page its link opens speak this language."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_partner_field(partnership)
        from partnerships.services import invitation_language

        self.fields["language"].initial = invitation_language(partnership)


class RoleForm(RoleFieldsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.ChoiceField(label=_("Represents"), required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_partner_field(partnership)


class StepCompletionForm(ServiceErrorMixin, forms.Form):
    completed_on = forms.DateField(
        label=_("Completed on"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Why it is complete all the same"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: agreed at the meeting of 3 May, where the partners reviewed it."),
    )

    def __init__(self, *args: Any, needs_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class RecordFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        # "All" agrees with the field's noun in Spanish (la acción: "Todas").
        choices=[("", pgettext_lazy("every action", "All")), *list(AuditAction.choices)],
    )
    who = forms.CharField(label=_("Who"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *kinds]  # type: ignore[attr-defined]
