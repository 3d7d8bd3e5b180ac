from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.forms import DateInput, ServiceErrorMixin
from partnerships.models import Partner, Partnership, PartnerType
from stakeholders.models import Actor, ActorKind, Engagement, RelationType, Segment, Stance

SCORES = [(i, str(i)) for i in range(1, 6)]


class ActorForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of actor"), choices=ActorKind.choices)
    partner_type = forms.ChoiceField(
        label=_("Partner type"), required=False, choices=[("", "—"), *PartnerType.choices]
    )
    partner = forms.ModelChoiceField(
        label=_("Joined as partner"),
        required=False,
        queryset=Partner.objects.none(),
        to_field_name="public_id",
    )
    segments = forms.ModelMultipleChoiceField(
        label=_("Segments"),
        required=False,
        queryset=Segment.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The population groups it belongs to or represents."),
    )
    locality_name = forms.CharField(label=_("Locality"), max_length=200, required=False)
    area_code = forms.CharField(label=_("Administrative area code"), max_length=20, required=False)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_notes = forms.CharField(
        label=_("Contact notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    CONTACT_FIELDS = ("contact_email", "contact_phone", "contact_notes")

    def __init__(
        self, *args: Any, partnership: Partnership, with_contacts: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        self.fields["segments"].queryset = Segment.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        self.fields["segments"].label_from_instance = lambda s: s.label  # type: ignore[attr-defined]
        if not with_contacts:
            for name in self.CONTACT_FIELDS:
                del self.fields[name]

    @classmethod
    def initial_for(cls, actor: Actor) -> dict[str, Any]:
        return {
            "name": actor.name,
            "kind": actor.kind,
            "partner_type": actor.partner_type,
            "partner": actor.partner.public_id if actor.partner else None,
            "segments": [s.code for s in actor.segments.all()],
            "locality_name": actor.locality_name,
            "area_code": actor.area_code,
            "tags": ", ".join(actor.tags),
            "description": actor.description,
            "contact_email": actor.contact_email,
            "contact_phone": actor.contact_phone,
            "contact_notes": actor.contact_notes,
        }


class AssessmentForm(ServiceErrorMixin, forms.Form):
    assessed_by = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Partner.objects.none(), to_field_name="public_id"
    )
    assessed_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    influence = forms.TypedChoiceField(label=_("Influence"), choices=SCORES, coerce=int)
    influence_note = forms.CharField(label=_("Why this influence"), required=False, max_length=500)
    interest = forms.TypedChoiceField(label=_("Interest"), choices=SCORES, coerce=int)
    interest_note = forms.CharField(label=_("Why this interest"), required=False, max_length=500)
    capacity = forms.TypedChoiceField(label=_("Capacity and resources"), choices=SCORES, coerce=int)
    capacity_note = forms.CharField(label=_("Why this capacity"), required=False, max_length=500)
    stance = forms.ChoiceField(
        label=_("Stance toward the partnership"), choices=Stance.choices, initial=Stance.UNKNOWN
    )
    engagement = forms.ChoiceField(label=_("Engagement level"), choices=Engagement.choices)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_by"].queryset = partners  # type: ignore[attr-defined]


class RelationForm(ServiceErrorMixin, forms.Form):
    relation_type = forms.ChoiceField(label=_("Relation"), choices=RelationType.choices)
    target = forms.ModelChoiceField(
        label=_("With"), queryset=Actor.objects.none(), to_field_name="public_id"
    )
    directed = forms.BooleanField(label=_("One-way (directed)"), required=False, initial=True)
    strength = forms.TypedChoiceField(label=_("Strength"), choices=SCORES, coerce=int, initial=3)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, targets: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]
        self.fields["target"].label_from_instance = label  # type: ignore[attr-defined]


class RiskForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is this actor at risk if identified?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SegmentForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind of actor"), required=False, choices=[("", _("All")), *ActorKind.choices]
    )
    partner_type = forms.ChoiceField(
        label=_("Partner type"), required=False, choices=[("", _("All")), *PartnerType.choices]
    )
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    engagement = forms.ChoiceField(
        label=_("Engagement level"), required=False, choices=[("", _("All")), *Engagement.choices]
    )

    def __init__(self, *args: Any, segments: list[Segment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", _("All")), *[(s.code, s.label) for s in segments]]  # type: ignore[attr-defined]
