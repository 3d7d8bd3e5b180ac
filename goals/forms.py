"""Forms of the goals room. Forms parse; ``goals.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from baseline.models import Dimension, Threat
from commonground.models import Statement, StatementStatus
from goals.models import Position, SdgTarget
from goals.sdg_choices import target_choices
from partnerships.forms import ServiceErrorMixin
from partnerships.languages import (
    TEXTAREA,
    initial_texts,
    text_fields,
    texts_from,
    working_languages,
)
from partnerships.models import Partner, Partnership, PartnerType

TEXTS = (
    ("title", gettext_lazy("Title"), False),
    ("description", gettext_lazy("Description"), True),
    ("outcomes", gettext_lazy("Outcomes sought (one per line)"), True),
    ("indicator_placeholders", gettext_lazy("Indicators to agree later (one per line)"), True),
)


class GoalForm(ServiceErrorMixin, forms.Form):
    dimensions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Dimensions"),
        queryset=Dimension.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threats = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Threats it addresses"),
        queryset=Threat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statements = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Consensus statements behind it"),
        queryset=Statement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = forms.TypedMultipleChoiceField(
        label=gettext_lazy("SDG targets it serves"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    note = forms.CharField(
        label=gettext_lazy("What changed (for the history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, partnership: Partnership, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tail = {
            n: self.fields.pop(n)
            for n in ("dimensions", "threats", "statements", "sdg_targets", "note")
        }
        self.languages = working_languages(partnership)
        for prefix, label, area in TEXTS:
            text_fields(
                self, prefix, label, languages=self.languages, required=prefix == "title", area=area
            )
        self.fields.update(tail)
        if not editing:
            del self.fields["note"]
        self._query(partnership)

    def _query(self, partnership: Partnership) -> None:
        dimensions = self.fields["dimensions"]
        threats = self.fields["threats"]
        statements = self.fields["statements"]
        assert isinstance(dimensions, forms.ModelMultipleChoiceField)
        assert isinstance(threats, forms.ModelMultipleChoiceField)
        assert isinstance(statements, forms.ModelMultipleChoiceField)
        dimensions.queryset = Dimension.objects.filter(partnership=partnership)
        threats.queryset = Threat.objects.filter(partnership=partnership).order_by("title")
        statements.queryset = (
            Statement.objects.filter(partnership=partnership, status=StatementStatus.ACCEPTED)
            .select_related("conversation")
            .order_by("conversation", "number")
        )
        statements.label_from_instance = lambda s: f"#{s.number} {s.label}"  # type: ignore[assignment,method-assign]
        targets = self.fields["sdg_targets"]
        assert isinstance(targets, forms.TypedMultipleChoiceField)
        targets.choices = target_choices()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        found: dict[str, Any] = {
            prefix: texts_from(data, prefix, self.languages) for prefix, _label, _area in TEXTS
        }
        found["dimensions"] = list(data["dimensions"])
        found["threats"] = list(data["threats"])
        found["statements"] = list(data["statements"])
        found["sdg_targets"] = list(SdgTarget.objects.filter(pk__in=data["sdg_targets"]))
        return found

    @staticmethod
    def initial_for(goal: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "dimensions": list(goal.dimensions.all()),
            "threats": list(goal.threats.all()),
            "statements": list(goal.statements.all()),
            "sdg_targets": [t.pk for t in goal.sdg_targets.all()],
        }
        languages = working_languages(goal.partnership)
        for prefix, _label, _area in TEXTS:
            initial.update(initial_texts(prefix, getattr(goal, prefix), languages))
        return initial


class EndorsementForm(ServiceErrorMixin, forms.Form):
    partner = forms.ModelChoiceField(label=gettext_lazy("For"), queryset=Partner.objects.none())
    position = forms.ChoiceField(
        label=gettext_lazy("Position"), choices=Position.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required for reservations or an objection)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners.exclude(partner_type=PartnerType.FACILITATOR)
        partner.empty_label = None


class DropForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it dropped?"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": gettext_lazy("Say why the goal is dropped.")},
    )
