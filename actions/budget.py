"""An action's budget: planned and spent per partner and per budget line, in
minor units with a currency (``charter.money``).

Spending needs approval within the charter's budget rules: recording it
calls ``charter.parts.approve_spending`` (the pot of the charter in force, the
approver's limit, or a budget decision that passed) and keeps the approval.
Refused: a negative or zero amount, another currency than the line's or the
pot's, more than the pot has left or the approver may approve. Spending
beyond the line's plan, once approved, is an overrun: shown, never hidden.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actions.checks import member_of, owned
from actions.models import Action, BudgetLine, Spending
from charter.models import BudgetPot
from charter.money import clean_currency, clean_minor, format_money
from charter.parts import approve_spending
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts
from partnerships.models import Partner

NOTE_MAX = 2000


@transaction.atomic
def plan_line(
    *,
    by: Any,
    action: Action,
    partner: Partner,
    name: Mapping[str, str],
    currency: str,
    planned_minor: int,
    code: str = "",
) -> BudgetLine:
    """What ``partner`` plans to put into one line of ``action``'s budget."""
    if not owned(partner, Partner, action.partnership) or partner.left_on is not None:
        raise ServiceError(_("Unknown partner."), field="partner")
    names = clean_texts(name)
    code = slugify(code or next(iter(names.values()), ""))[:40]
    if not code:
        raise ServiceError(_("Name the budget line."), field="name")
    currency = clean_currency(currency)
    planned_minor = clean_minor(planned_minor, field="planned", allow_zero=True)
    if BudgetLine.objects.filter(
        action=action, partner=partner, code=code, currency=currency
    ).exists():
        raise ServiceError(_("This partner already has this budget line."), field="name")
    line = BudgetLine(
        partnership_id=action.partnership_id,
        action=action,
        partner=partner,
        code=code,
        name=names,
        currency=currency,
        planned_minor=planned_minor,
    )
    save_audited(line, actor=by)
    return line


@transaction.atomic
def record_spending(
    *,
    by: Any,
    line: BudgetLine,
    pot: BudgetPot,
    amount_minor: int,
    currency: str,
    spent_on: datetime.date | None = None,
    note: str = "",
    decision_reference: str = "",
) -> Spending:
    """Spend from ``line``, approved from the charter's ``pot`` under its rules."""
    line = BudgetLine.objects.select_for_update().select_related("action").get(pk=line.pk)
    amount_minor = clean_minor(amount_minor, field="amount")
    currency = clean_currency(currency)
    if currency != line.currency:
        raise ServiceError(
            _("This budget line is in %(currency)s: record the spending in %(currency)s.")
            % {"currency": line.currency},
            field="currency",
        )
    if not owned(pot, BudgetPot, line.action.partnership):
        raise ServiceError(_("Unknown pot."), field="pot")
    if pot.currency != currency:
        raise ServiceError(
            _("The pot “%(pot)s” is in %(currency)s: it cannot pay in another currency.")
            % {"pot": pot.label, "currency": pot.currency},
            field="pot",
        )
    spent_on = spent_on or timezone.localdate()
    if spent_on > timezone.localdate():
        raise ServiceError(_("Spending is recorded once it happened."), field="spent_on")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(_("The note is too long."), field="note")
    purpose = f"{line.action.label} · {line.label}"[:500]
    approval = approve_spending(
        by=by,
        pot=pot,
        amount_minor=amount_minor,
        purpose=purpose,
        decision_reference=decision_reference,
    )
    spending = Spending(
        partnership_id=line.partnership_id,
        line=line,
        amount_minor=amount_minor,
        currency=currency,
        approval=approval,
        spent_on=spent_on,
        note=note,
        recorded_by=member_of(by, line.action.partnership),
    )
    save_audited(spending, actor=by)
    line.spent_minor += amount_minor
    line.save(update_fields=["spent_minor"])
    return spending


@dataclass
class Total:
    currency: str
    planned: int
    spent: int

    @property
    def overrun(self) -> int:
        return max(self.spent - self.planned, 0)

    @property
    def planned_text(self) -> str:
        return format_money(self.planned, self.currency)

    @property
    def spent_text(self) -> str:
        return format_money(self.spent, self.currency)

    @property
    def overrun_text(self) -> str:
        return format_money(self.overrun, self.currency)


def totals(lines: list[BudgetLine]) -> list[Total]:
    """Planned and spent per currency (never added across currencies)."""
    by_currency: dict[str, Total] = {}
    for line in lines:
        total = by_currency.setdefault(line.currency, Total(line.currency, 0, 0))
        total.planned += line.planned_minor
        total.spent += line.spent_minor
    return sorted(by_currency.values(), key=lambda t: t.currency)
