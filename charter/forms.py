"""Forms of the charter room. Forms parse; ``charter.services`` and
``charter.parts`` decide (the rules' bounds too: a quorum of 0 reaches the
service, which says why it is refused, on the quorum's field)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from charter.models import (
    Audience,
    BudgetPot,
    CharterVersion,
    CommitmentFate,
    Frequency,
    PlanRow,
    Published,
    RoleKind,
)
from charter.money import EXPONENTS, to_minor
from charter.rules import ROLES, DecisionRule, Method, Voters
from charter.services import types_of
from charter.starters import starter_choices
from partnerships.errors import ServiceError
from partnerships.forms import ServiceErrorMixin
from partnerships.languages import (
    TEXTAREA,
    TextsForm,
    initial_texts,
    language_name,
    working_languages,
)
from partnerships.models import Member, Partner, PartnerType, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StarterForm(ServiceErrorMixin, forms.Form):
    starter = forms.ChoiceField(
        label=gettext_lazy("Starter charter"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the starter charters.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["starter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = starter_choices()


class CharterTextsForm(ServiceErrorMixin, TextsForm):
    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, languages=version.partnership, **kwargs)
        self.add_texts("title", gettext_lazy("Title"))
        self.add_texts("preamble", gettext_lazy("Purpose"), required=False, area=True)
        if not self.is_bound:
            codes = self.languages
            self.initial.update(initial_texts("title", version.title, codes))
            self.initial.update(initial_texts("preamble", version.preamble, codes))


PROPOSER_LABELS = {value: label for value, label in Role.choices}


class RuleForm(ServiceErrorMixin, forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Method.choices)
    voters = forms.ChoiceField(label=gettext_lazy("Who votes"), choices=Voters.choices)
    proposers = forms.MultipleChoiceField(
        label=gettext_lazy("Who may propose"),
        choices=[(r, PROPOSER_LABELS[r]) for r in ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # No bounds here: the rule says what is wrong, on its field.
    quorum_percent = forms.IntegerField(
        label=gettext_lazy("Quorum (percent of those who may vote)")
    )
    threshold_percent = forms.IntegerField(
        label=gettext_lazy("Threshold (more than this percent in favour)")
    )
    deadline_days = forms.IntegerField(label=gettext_lazy("Days the vote stays open"))
    secret = forms.BooleanField(label=gettext_lazy("Secret ballot"), required=False)
    public_by_voter = forms.BooleanField(
        label=gettext_lazy("After the close, show how each voter voted"), required=False
    )

    @staticmethod
    def initial_for(rule: DecisionRule) -> dict[str, Any]:
        data = rule.as_data()
        data.pop("extra", None)
        return data

    def rule(self) -> DecisionRule:
        data = self.cleaned_data
        return DecisionRule(
            method=data["method"],
            voters=data["voters"],
            proposers=tuple(data["proposers"]),
            quorum_percent=data["quorum_percent"],
            threshold_percent=data["threshold_percent"],
            deadline_days=data["deadline_days"],
            secret=data["secret"],
            public_by_voter=data["public_by_voter"],
        )


class DecisionTypeForm(ServiceErrorMixin, TextsForm):
    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, languages=version.partnership, **kwargs)
        self.add_texts("label", gettext_lazy("Name of the decision type"))


class EntryForm(ServiceErrorMixin, TextsForm):
    admission_kind = forms.ChoiceField(
        label=gettext_lazy("A new partner is admitted"), required=False
    )
    commitments_fate = forms.ChoiceField(
        label=gettext_lazy("A leaving partner's open commitments are"),
        choices=CommitmentFate.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, languages=version.partnership, **kwargs)
        fate = self.fields.pop("commitments_fate")
        self.add_texts(
            "handover",
            gettext_lazy("What a leaving partner hands over (one item per line)"),
            required=False,
            area=True,
        )
        self.fields["commitments_fate"] = fate
        kind = self.fields["admission_kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", gettext_lazy("Registered directly by a facilitator"))] + [
            (t.code, pgettext_lazy("admitted by", "By a decision: %(type)s") % {"type": t.label})
            for t in types_of(version)
        ]
        if not self.is_bound:
            self.initial.update(
                {
                    "admission_kind": version.admission_kind,
                    "commitments_fate": version.commitments_fate,
                    **initial_texts("handover", version.handover, self.languages),
                }
            )


class RoleForm(ServiceErrorMixin, TextsForm):
    kind = forms.ChoiceField(label=gettext_lazy("Role"), choices=RoleKind.choices)
    holder_member = forms.ModelChoiceField(
        label=gettext_lazy("Held by a member"),
        queryset=Member.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    holder_partner = forms.ModelChoiceField(
        label=gettext_lazy("or held by a partner"),
        queryset=Partner.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    term_start = forms.DateField(label=gettext_lazy("Term starts"), required=False, widget=DATE)
    term_end = forms.DateField(label=gettext_lazy("Term ends"), required=False, widget=DATE)

    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, languages=version.partnership, **kwargs)
        tail = {
            n: self.fields.pop(n)
            for n in ("holder_member", "holder_partner", "term_start", "term_end")
        }
        self.add_texts("name", gettext_lazy("Name of another role"), required=False)
        self.fields.update(tail)
        members = self.fields["holder_member"]
        partners = self.fields["holder_partner"]
        assert isinstance(members, forms.ModelChoiceField)
        assert isinstance(partners, forms.ModelChoiceField)
        members.queryset = Member.objects.filter(partnership=version.partnership).select_related(
            "user"
        )
        members.label_from_instance = lambda m: m.name_for(None)  # type: ignore[assignment,method-assign]
        partners.queryset = Partner.objects.filter(
            partnership=version.partnership, left_on__isnull=True
        ).order_by("name")

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name": self.texts("name"),
            "holder_member": data["holder_member"],
            "holder_partner": data["holder_partner"],
            "term_start": data["term_start"],
            "term_end": data["term_end"],
        }


def amount_field(label: Any, required: bool = True) -> forms.DecimalField:
    """An amount of money (the actions room's forms use it too)."""
    # A number input: the browser reads and sends "1500000.50" whatever the
    # page's language (a localised "1.500.000,50" would be dropped).
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=19,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


def minor_of(form: forms.Form, field: str, amount: Decimal | None, currency: str) -> int | None:
    if amount is None or currency not in EXPONENTS:
        return None
    try:
        return to_minor(amount, currency, field=field)
    except ServiceError as error:
        form.add_error(field, error.message)
        return None


class PotForm(ServiceErrorMixin, TextsForm):
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=[(c, c) for c in sorted(EXPONENTS)]
    )
    amount = amount_field(gettext_lazy("Amount"))

    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, languages=version.partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in ("currency", "amount")}
        self.add_texts("name", gettext_lazy("Name of the pot"))
        self.fields.update(tail)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["amount_minor"] = minor_of(
            self, "amount", data.get("amount"), data.get("currency", "")
        )
        return data

    def values(self) -> dict[str, Any]:
        return {
            "name": self.texts("name"),
            "currency": self.cleaned_data["currency"],
            "amount_minor": self.cleaned_data["amount_minor"],
        }


class LimitForm(ServiceErrorMixin, forms.Form):
    pot = forms.ModelChoiceField(
        label=gettext_lazy("Pot"), queryset=BudgetPot.objects.none(), to_field_name="public_id"
    )
    approver = forms.ChoiceField(label=gettext_lazy("Who may approve"))
    limit = amount_field(gettext_lazy("Up to"))

    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pot = self.fields["pot"]
        assert isinstance(pot, forms.ModelChoiceField)
        pot.queryset = BudgetPot.objects.filter(version=version)
        approver = self.fields["approver"]
        assert isinstance(approver, forms.ChoiceField)
        approver.choices = [(f"role:{v}", label) for v, label in RoleKind.choices] + [
            (f"type:{v}", pgettext_lazy("approver", "Representatives: %(type)s") % {"type": label})
            for v, label in PartnerType.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pot = data.get("pot")
        data["limit_minor"] = minor_of(
            self, "limit", data.get("limit"), pot.currency if pot is not None else ""
        )
        return data

    def values(self) -> dict[str, Any]:
        kind, _sep, value = self.cleaned_data["approver"].partition(":")
        return {
            "pot": self.cleaned_data["pot"],
            "role_kind": value if kind == "role" else "",
            "partner_type": value if kind == "type" else "",
            "limit_minor": self.cleaned_data["limit_minor"],
        }


class PlanForm(ServiceErrorMixin, forms.Form):
    what = forms.ChoiceField(label=gettext_lazy("What is published"), choices=Published.choices)
    audience = forms.ChoiceField(label=gettext_lazy("To whom"), choices=Audience.choices)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("In which languages"), widget=forms.CheckboxSelectMultiple
    )
    frequency = forms.ChoiceField(label=gettext_lazy("How often"), choices=Frequency.choices)

    def __init__(self, *args: Any, version: CharterVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = self.fields["languages"]
        assert isinstance(languages, forms.MultipleChoiceField)
        codes = working_languages(version.partnership)
        languages.choices = [(c, language_name(c)) for c in codes]
        self.initial.setdefault("languages", codes)
        # Offer first a line the plan does not have yet.
        taken = set(PlanRow.objects.filter(version=version).values_list("what", "audience"))
        free = [(w, a) for w in Published.values for a in Audience.values if (w, a) not in taken]
        if free:
            self.initial.setdefault("what", free[0][0])
            self.initial.setdefault("audience", free[0][1])


class DropForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it dropped?"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": gettext_lazy("Say why the charter is dropped.")},
    )


class SpendingForm(ServiceErrorMixin, forms.Form):
    pot = forms.ModelChoiceField(
        label=gettext_lazy("Pot"), queryset=BudgetPot.objects.none(), to_field_name="public_id"
    )
    amount = amount_field(gettext_lazy("Amount"))
    purpose = forms.CharField(
        label=gettext_lazy("What it is for"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args: Any, version: CharterVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pot = self.fields["pot"]
        assert isinstance(pot, forms.ModelChoiceField)
        pot.queryset = (
            BudgetPot.objects.filter(version=version) if version else BudgetPot.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pot = data.get("pot")
        data["amount_minor"] = minor_of(
            self, "amount", data.get("amount"), pot.currency if pot is not None else ""
        )
        return data
