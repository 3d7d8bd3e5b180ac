"""Forms of the actions room. Forms parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from actions.models import Action, ActionKind, ActionStatus, CommitmentKind, Strategy, StrategyKind
from baseline.models import Condition, ConditionKind, Contribution, Dimension, Locality, Threat
from charter.forms import amount_field, minor_of
from charter.models import BudgetPot, CharterStatus
from charter.money import EXPONENTS
from goals.models import CollectiveGoal
from partnerships.forms import DateInput, ServiceErrorMixin
from partnerships.languages import TEXTAREA, TextsForm
from partnerships.models import Partner, Partnership, PartnerType
from stakeholders.models import Segment

CHECKS = forms.CheckboxSelectMultiple


def _many(label: Any) -> forms.ModelMultipleChoiceField[Any]:
    return forms.ModelMultipleChoiceField(
        label=label, queryset=Partner.objects.none(), required=False, widget=CHECKS
    )


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput)


def _partners(partnership: Partnership) -> Any:
    return Partner.objects.filter(partnership=partnership, left_on__isnull=True)


class StrategyForm(ServiceErrorMixin, TextsForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of strategy"), choices=StrategyKind.choices)
    threats = _many(gettext_lazy("Threats it answers"))
    segments = _many(gettext_lazy("Groups it serves"))
    partner_types = forms.MultipleChoiceField(
        label=gettext_lazy("Partner types it serves"),
        choices=[c for c in PartnerType.choices if c[0] != PartnerType.FACILITATOR],
        required=False,
        widget=CHECKS,
    )
    conditions = _many(gettext_lazy("Needs and vulnerabilities it answers"))
    goals = _many(gettext_lazy("Collective goals"))
    lead_partners = _many(gettext_lazy("Partners that lead it"))
    dimensions = _many(gettext_lazy("Human security dimensions it serves"))

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields)}
        self.add_texts("title", gettext_lazy("Title"))
        self.add_texts("description", gettext_lazy("Description"), required=False, area=True)
        self.fields.update(tail)
        querysets = {
            "threats": Threat.objects.filter(partnership=partnership),
            "segments": Segment.objects.filter(partnership=partnership),
            "conditions": Condition.objects.filter(partnership=partnership).exclude(
                kind=ConditionKind.CAPACITY
            ),
            "goals": CollectiveGoal.objects.filter(partnership=partnership),
            "lead_partners": _partners(partnership),
            "dimensions": Dimension.objects.filter(partnership=partnership),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset


class ActionForm(ServiceErrorMixin, TextsForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of action"), choices=ActionKind.choices)
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Partner.objects.none())
    contributors = _many(gettext_lazy("Contributing partners"))
    starts_on = _date(gettext_lazy("Starts on"))
    due_on = _date(gettext_lazy("Due on"))
    weight = forms.IntegerField(
        label=gettext_lazy("Weight (percent of the action it is part of)"),
        required=False,
        min_value=1,
        max_value=100,
    )
    goals = _many(gettext_lazy("Collective goals it serves"))
    strategies = _many(gettext_lazy("Strategies"))
    threats = _many(gettext_lazy("Threats"))
    localities = _many(gettext_lazy("Localities"))

    def __init__(
        self, *args: Any, partnership: Partnership, sub_action: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields)}
        self.add_texts("title", gettext_lazy("Title"))
        self.add_texts("description", gettext_lazy("Description"), required=False, area=True)
        self.fields.update(tail)
        if not sub_action:
            del self.fields["weight"]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = _partners(partnership)
        querysets = {
            "contributors": _partners(partnership),
            "goals": CollectiveGoal.objects.filter(partnership=partnership),
            "strategies": Strategy.objects.filter(partnership=partnership),
            "threats": Threat.objects.filter(partnership=partnership),
            "localities": Locality.objects.filter(partnership=partnership),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset


class StatusForm(ServiceErrorMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason (for stalled or dropped)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class MilestoneForm(ServiceErrorMixin, TextsForm):
    due_on = _date(gettext_lazy("Due on"))

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        due = self.fields.pop("due_on")
        self.add_texts("title", gettext_lazy("Milestone"))
        self.fields["due_on"] = due


class ReachedForm(forms.Form):
    reached_on = _date(gettext_lazy("Reached on"))


class CommitmentForm(ServiceErrorMixin, TextsForm):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none())
    kind = forms.ChoiceField(
        label=gettext_lazy("What is committed"), choices=CommitmentKind.choices
    )
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency (money)"),
        choices=[("", "—"), *[(c, c) for c in sorted(EXPONENTS)]],
        required=False,
    )
    amount = amount_field(gettext_lazy("Amount (money)"), required=False)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"), required=False, max_digits=14, decimal_places=2
    )
    unit = forms.CharField(label=gettext_lazy("Unit (staff days, hectares…)"), required=False)
    due_on = _date(gettext_lazy("To be delivered by"), required=True)
    contribution = forms.ModelChoiceField(
        label=gettext_lazy("From the capacity register"),
        queryset=Contribution.objects.none(),
        required=False,
    )
    mandate = forms.CharField(
        label=gettext_lazy("Mandate (when recorded on the partner's behalf)"),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, partnership: Partnership, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields)}
        self.add_texts("description", gettext_lazy("Description"), required=False, area=True)
        self.fields.update(tail)
        partner = self.fields["partner"]
        contribution = self.fields["contribution"]
        assert isinstance(partner, forms.ModelChoiceField)
        assert isinstance(contribution, forms.ModelChoiceField)
        partner.queryset = partners
        only = list(partners[:2])
        if len(only) == 1:
            # A representative commits their own partner: chosen already.
            partner.initial = only[0].pk
        contribution.queryset = Contribution.objects.filter(
            partnership=partnership, partner__in=partners
        ).select_related("partner")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["amount_minor"] = minor_of(
            self, "amount", data.get("amount"), data.get("currency") or ""
        )
        return data


class ReportForm(ServiceErrorMixin, forms.Form):
    report = forms.CharField(
        label=gettext_lazy("What was delivered"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Evidence (a link)"), required=False, assume_scheme="https"
    )
    amount = amount_field(gettext_lazy("Amount delivered (money)"), required=False)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity delivered"), required=False, max_digits=14, decimal_places=2
    )
    mandate = forms.CharField(
        label=gettext_lazy("Mandate (when recorded on the partner's behalf)"),
        required=False,
        max_length=2000,
    )


class BudgetLineForm(ServiceErrorMixin, TextsForm):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none())
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(c, c) for c in sorted(EXPONENTS)]
    )
    planned = amount_field(gettext_lazy("Planned"))

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields)}
        self.add_texts("name", gettext_lazy("Budget line"))
        self.fields.update(tail)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = _partners(partnership)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["planned_minor"] = minor_of(
            self, "planned", data.get("planned"), data.get("currency") or ""
        )
        return data


class SpendingForm(ServiceErrorMixin, forms.Form):
    line = forms.ModelChoiceField(
        label=gettext_lazy("Budget line"), queryset=Action.objects.none(), to_field_name="public_id"
    )
    pot = forms.ModelChoiceField(
        label=gettext_lazy("Pot of the charter"),
        queryset=BudgetPot.objects.none(),
        to_field_name="public_id",
    )
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(c, c) for c in sorted(EXPONENTS)]
    )
    amount = amount_field(gettext_lazy("Amount"))
    spent_on = _date(gettext_lazy("Spent on"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)
    decision_reference = forms.CharField(
        label=gettext_lazy("Budget decision (above your approval limit)"),
        required=False,
        max_length=100,
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        line = self.fields["line"]
        pot = self.fields["pot"]
        assert isinstance(line, forms.ModelChoiceField)
        assert isinstance(pot, forms.ModelChoiceField)
        line.queryset = action.budget_lines.select_related("partner")
        line.label_from_instance = lambda obj: f"{obj.partner.name} · {obj.label} ({obj.currency})"  # type: ignore[method-assign]
        pot.queryset = BudgetPot.objects.filter(
            partnership_id=action.partnership_id, version__status=CharterStatus.IN_FORCE
        )
        first = action.budget_lines.values_list("currency", flat=True).first()
        if first:
            self.fields["currency"].initial = first

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["amount_minor"] = minor_of(
            self, "amount", data.get("amount"), data.get("currency") or ""
        )
        return data


class ChecklistFilter(forms.Form):
    goal = forms.ModelChoiceField(
        label=gettext_lazy("Goal"),
        queryset=CollectiveGoal.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    strategy = forms.ModelChoiceField(
        label=gettext_lazy("Strategy"),
        queryset=Strategy.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    locality = forms.ModelChoiceField(
        label=gettext_lazy("Locality"),
        queryset=Locality.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=[("", "—"), *ActionStatus.choices], required=False
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets = {
            "goal": CollectiveGoal.objects.filter(partnership=partnership),
            "partner": Partner.objects.filter(partnership=partnership),
            "strategy": Strategy.objects.filter(partnership=partnership),
            "locality": Locality.objects.filter(partnership=partnership),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
