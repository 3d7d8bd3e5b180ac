"""Forms of the decisions room. Forms parse; ``decisions.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from charter.rules import DecisionKind, DecisionRule
from decisions import effects_charter
from decisions.charter_link import DecisionType
from decisions.models import BallotChoice, DecisionStatus
from decisions.tally import choices_for
from partnerships.forms import ServiceErrorMixin
from partnerships.languages import TEXTAREA, TextsForm, initial_texts_of
from partnerships.models import Partnership, PartnerType

PARTNER_TYPES = [(c, label) for c, label in PartnerType.choices if c != PartnerType.FACILITATOR]


class ProposalForm(ServiceErrorMixin, TextsForm):
    """A proposal: its type, title and text, and what the type needs to act
    on passing (the partner to admit, the spending, the charter draft)."""

    kind = forms.ChoiceField(label=gettext_lazy("Decision type"))
    goal = forms.ChoiceField(
        label=gettext_lazy("Collective goal it is about (if any)"), required=False
    )
    partner_name = forms.CharField(
        label=gettext_lazy("Partner to admit: name"), required=False, max_length=200
    )
    partner_type = forms.ChoiceField(
        label=gettext_lazy("Partner to admit: type"),
        choices=[("", "—"), *PARTNER_TYPES],
        required=False,
    )
    partner_description = forms.CharField(
        label=gettext_lazy("Partner to admit: who they are"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(
        self, *args: Any, partnership: Partnership, types: list[DecisionType], **kwargs: Any
    ) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields) if n != "kind"}
        self.add_texts("title", gettext_lazy("Title"), required=True)
        self.add_texts("body", gettext_lazy("The proposal"), required=False, area=True)
        self.fields.update(tail)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(t.code, t.label) for t in types]
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)
        from goals.models import CollectiveGoal, GoalStatus

        goal.choices = [("", "—")] + [
            (str(g.public_id), g.label)
            for g in CollectiveGoal.objects.filter(partnership=partnership)
            .exclude(status=GoalStatus.DROPPED)
            .order_by("-created_at")[:100]
        ]
        self.fields.update(effects_charter.proposal_fields(partnership))
        self.kinds = {t.code for t in types}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        link_to: list[tuple[str, Any]] = []
        if data.get("goal"):
            link_to.append(("goal", data["goal"]))
        payload: dict[str, Any] = {}
        kind = data["kind"]
        if kind == DecisionKind.PARTNER_ADMISSION:
            payload = {
                "name": data.get("partner_name", ""),
                "partner_type": data.get("partner_type", ""),
                "description": data.get("partner_description", ""),
            }
        extra_links, extra_payload = effects_charter.proposal_values(kind, data)
        return {
            "kind": kind,
            "title": self.texts("title"),
            "body": self.texts("body"),
            "link_to": link_to + extra_links,
            "payload": {**payload, **extra_payload},
        }


class VoteForm(ServiceErrorMixin, forms.Form):
    choice = forms.ChoiceField(
        label=pgettext_lazy("ballot", "Your vote"),
        choices=BallotChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the options on the ballot.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required for an objection)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, rule: DecisionRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = {c.value for c in choices_for(rule)}
        choice = self.fields["choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(c, label) for c, label in BallotChoice.choices if c in offered]


RESULTS = [
    (DecisionStatus.PASSED.value, DecisionStatus.PASSED.label),
    (DecisionStatus.NOT_PASSED.value, DecisionStatus.NOT_PASSED.label),
]


class OutcomeForm(ServiceErrorMixin, TextsForm):
    """The outcome statement; for a facilitator-led type, the result too."""

    result = forms.ChoiceField(
        label=gettext_lazy("Result"), choices=RESULTS, widget=forms.RadioSelect, required=False
    )

    def __init__(
        self, *args: Any, partnership: Partnership, records_result: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        result = self.fields.pop("result")
        self.add_texts("outcome", gettext_lazy("Outcome statement"), required=True, area=True)
        if records_result:
            result.required = True
            self.fields["result"] = result

    @staticmethod
    def initial_for(decision: Any) -> dict[str, Any]:
        return initial_texts_of(decision, ["outcome"], decision.partnership)

    def values(self) -> dict[str, Any]:
        return {"outcome": self.texts("outcome"), "result": self.cleaned_data.get("result", "")}
