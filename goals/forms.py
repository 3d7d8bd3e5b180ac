"""Forms of the goals room. Forms parse; ``goals.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from baseline.models import Dimension, Threat
from commonground.analysis import bridging_statements
from commonground.models import Statement, StatementStatus
from goals.models import Position, SdgTarget
from goals.sdg_choices import target_choices
from goals.widgets import SdgTargetPicker
from partnerships.forms import ServiceErrorMixin
from partnerships.languages import TEXTAREA, TextsForm, initial_texts_of
from partnerships.models import Partner, Partnership, PartnerType

TEXTS = (
    ("title", gettext_lazy("Title"), False),
    ("description", gettext_lazy("Description"), True),
    ("outcomes", gettext_lazy("Outcomes sought (one per line)"), True),
    ("indicator_placeholders", gettext_lazy("Indicators to agree later (one per line)"), True),
)


class GoalForm(ServiceErrorMixin, TextsForm):
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
        widget=SdgTargetPicker,
    )
    note = forms.CharField(
        label=gettext_lazy("What changed (for the history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, partnership: Partnership, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {
            n: self.fields.pop(n)
            for n in ("dimensions", "threats", "statements", "sdg_targets", "note")
        }
        for prefix, label, area in TEXTS:
            self.add_texts(prefix, label, required=prefix == "title", area=area)
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
        # Only statements that truly bridge the opinion groups (and those already chosen).
        offered = bridging_statements(partnership.pk) + [
            s.pk for s in self.initial.get("statements", [])
        ]
        statements.queryset = (
            Statement.objects.filter(
                partnership=partnership, status=StatementStatus.ACCEPTED, pk__in=offered
            )
            .select_related("conversation")
            .order_by("conversation", "number")
        )
        statements.label_from_instance = lambda s: f"#{s.number} {s.label}"  # type: ignore[assignment,method-assign]
        targets = self.fields["sdg_targets"]
        assert isinstance(targets, forms.TypedMultipleChoiceField)
        targets.choices = target_choices()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        found: dict[str, Any] = self.texts_of(prefix for prefix, _label, _area in TEXTS)
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
        prefixes = [prefix for prefix, _label, _area in TEXTS]
        return {**initial, **initial_texts_of(goal, prefixes, goal.partnership)}


class EndorsementForm(ServiceErrorMixin, forms.Form):
    """A partner's position. A representative records their own partner's
    (the partner travels as a hidden field); a facilitator picks a partner
    that has no representative and states the mandate (``on_behalf``)."""

    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner on whose behalf you record it"),
        queryset=Partner.objects.none(),
        to_field_name="public_id",
        error_messages={"required": gettext_lazy("Choose the partner whose position this is.")},
    )
    position = forms.ChoiceField(
        label=pgettext_lazy("stance on a goal", "Position"),
        choices=Position.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required for reservations or an objection)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    mandate = forms.CharField(
        label=gettext_lazy("Mandate"),
        help_text=gettext_lazy(
            "Required: what the partner agreed to, and where (for example: "
            "agreed aloud at the meeting of 3 May)."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, partners: Any, on_behalf: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners.exclude(partner_type=PartnerType.FACILITATOR)
        partner.empty_label = None
        if not on_behalf:
            # A representative speaks for one partner: the page names it.
            partner.widget = forms.HiddenInput()
            del self.fields["mandate"]


class DropForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it dropped?"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": gettext_lazy("Say why the goal is dropped.")},
    )
