"""The decisions that act on the charter: an amendment (a draft version
brought into force) and a budget decision (a spending approval above the
approvers' limits). Apart from ``decisions.effects`` so that the charter's
records, fields and services are met in one module.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charter import money, parts
from charter import services as charter
from charter.models import BudgetPot, CharterStatus, CharterVersion, SpendingApproval
from charter.rules import DecisionKind
from decisions import links
from decisions.links import Target
from decisions.models import Decision
from partnerships.errors import ServiceError
from partnerships.languages import TEXTAREA, in_language
from partnerships.models import Partnership

OPEN = (CharterStatus.DRAFT, CharterStatus.UNDER_ADOPTION)


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _versions(partnership: Partnership, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Target]:
    return {
        v.public_id: Target(
            "charter_version",
            v.public_id,
            _("Charter, version %(n)s") % {"n": v.number},
            _url("charter:version", partnership.slug, v.public_id),
        )
        for v in CharterVersion.objects.filter(partnership=partnership, public_id__in=ids)
    }


def _approvals(partnership: Partnership, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Target]:
    return {
        a.public_id: Target(
            "spending_approval",
            a.public_id,
            f"{money.format_money(a.amount_minor, a.currency)} · {a.purpose[:120]}",
            _url("charter:spending", partnership.slug),
        )
        for a in SpendingApproval.objects.filter(partnership=partnership, public_id__in=ids)
    }


def register_links() -> None:
    links.register("charter_version", gettext_lazy("Charter version"), _versions)
    links.register("spending_approval", gettext_lazy("Spending approval"), _approvals)


# --- Amendments ------------------------------------------------------------------------


def check_amendment(partnership: Partnership, targets: list[Target]) -> None:
    versions = [t for t in targets if t.kind == "charter_version"]
    if len(versions) != 1:
        raise ServiceError(
            _("An amendment names the draft of the charter it would bring into force."),
            field="charter_version",
        )
    version = CharterVersion.objects.get(partnership=partnership, public_id=versions[0].public_id)
    if version.status not in OPEN:
        raise ServiceError(
            _("Only a draft of the charter can be proposed as an amendment."),
            field="charter_version",
        )


def bring_into_force(decision: Decision, by: Any) -> list[Target]:
    link = decision.links.filter(kind="charter_version").first()
    if link is None:
        raise ServiceError(_("The amendment names no draft of the charter."), field="links")
    version = CharterVersion.objects.get(partnership=decision.partnership, public_id=link.target)
    charter.bring_into_force(by=by, version=version, decision_reference=decision.reference)
    return []  # the version is linked already


# --- Spending --------------------------------------------------------------------------


def _pot(partnership: Partnership, raw: Any) -> BudgetPot:
    version = charter.in_force(partnership)
    try:
        pot_id = uuid.UUID(str(raw))
    except ValueError:
        pot_id = None
    pot: BudgetPot | None = (
        BudgetPot.objects.filter(version=version, public_id=pot_id).first()
        if version is not None and pot_id is not None
        else None
    )
    if pot is None:
        raise ServiceError(_("Choose a budget pot of the charter in force."), field="pot")
    return pot


def check_spending(partnership: Partnership, payload: dict[str, Any]) -> dict[str, Any]:
    pot = _pot(partnership, payload.get("pot"))
    raw = str(payload.get("amount") or "").strip().replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ServiceError(_("Write the amount as a number."), field="amount") from None
    amount_minor = money.to_minor(amount, pot.currency, field="amount")
    if amount_minor <= 0:
        raise ServiceError(_("The amount is more than zero."), field="amount")
    purpose = str(payload.get("purpose") or "").strip()
    if not purpose:
        raise ServiceError(_("Say what the money is for."), field="purpose")
    return {"pot": str(pot.public_id), "amount_minor": amount_minor, "purpose": purpose[:2000]}


def approve_spending(decision: Decision, by: Any) -> list[Target]:
    data = decision.payload
    pot = _pot(decision.partnership, data.get("pot"))
    approval = parts.approve_spending(
        by=by,
        pot=pot,
        amount_minor=int(data["amount_minor"]),
        purpose=data["purpose"],
        decision_reference=decision.reference,
    )
    return [
        Target(
            "spending_approval",
            approval.public_id,
            f"{money.format_money(approval.amount_minor, approval.currency)} · {data['purpose'][:120]}",
        )
    ]


# --- The proposal form's fields for these types ---------------------------------------


def proposal_fields(partnership: Partnership) -> dict[str, forms.Field]:
    version = charter.in_force(partnership)
    drafts = CharterVersion.objects.filter(partnership=partnership, status__in=OPEN)
    pots = BudgetPot.objects.filter(version=version) if version is not None else []
    return {
        "charter_version": forms.ChoiceField(
            label=gettext_lazy("Amendment: the draft of the charter it brings into force"),
            choices=[("", "—")]
            + [(str(v.public_id), _("Version %(n)s") % {"n": v.number}) for v in drafts],
            required=False,
        ),
        "pot": forms.ChoiceField(
            label=gettext_lazy("Spending: from which budget pot"),
            choices=[("", "—")] + [(str(p.public_id), in_language(p.name)) for p in pots],
            required=False,
        ),
        "amount": forms.CharField(
            label=gettext_lazy("Spending: amount"), required=False, max_length=30
        ),
        "purpose": forms.CharField(
            label=gettext_lazy("Spending: what for"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs=TEXTAREA),
        ),
    }


def proposal_values(
    kind: str, data: dict[str, Any]
) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    if kind == DecisionKind.CHARTER_AMENDMENT and data.get("charter_version"):
        return [("charter_version", data["charter_version"])], {}
    if kind == DecisionKind.BUDGET:
        return [], {k: data.get(k, "") for k in ("pot", "amount", "purpose")}
    return [], {}
