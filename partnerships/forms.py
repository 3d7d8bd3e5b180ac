"""Forms parse input; services decide. Errors from services are put back on
the form field they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    AuditAction,
    Partner,
    Partnership,
    PartnershipStatus,
    PartnerType,
    Role,
)
from partnerships.services import ServiceError


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
    def add_service_error(self, error: ServiceError) -> None:
        field = error.field if error.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, error.message)  # type: ignore[attr-defined]


class LanguagesField(forms.CharField):
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [code.strip() for code in text.split(",") if code.strip()]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value


class PartnershipForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        initial="CO",
        help_text=_("Two-letter ISO 3166 code, e.g. CO."),
    )
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
    languages = LanguagesField(
        label=_("Working languages"),
        initial="es",
        help_text=_("Language codes separated by commas, e.g. es, en."),
    )


class PartnershipSettingsForm(PartnershipForm):
    status = forms.ChoiceField(label=_("Status"), choices=PartnershipStatus.choices)

    @classmethod
    def for_partnership(cls, partnership: Partnership, data: Any = None) -> PartnershipSettingsForm:
        initial = {f: getattr(partnership, f) for f in Partnership.EDITABLE_FIELDS}
        return cls(data=data, initial=initial)


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


class InvitationForm(RoleFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.ChoiceField(
        label=_("Represents"), required=False, help_text=_("Needed for a partner representative.")
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_partner_field(partnership)


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


class RecordFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *list(AuditAction.choices)]
    )
    who = forms.CharField(label=_("Who"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *kinds]  # type: ignore[attr-defined]
