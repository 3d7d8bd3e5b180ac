"""An action's budget: spending approved under the charter's budget rules;
negative, another currency and over what the charter approves are refused
with nothing written; an overrun of the plan is shown, not hidden."""

from __future__ import annotations

import pytest

from actions import budget
from actions.models import BudgetLine, Spending
from charter import parts
from charter.models import BudgetPot, SpendingApproval
from partnerships.errors import ServiceError
from tests.actions_helpers import action
from tests.conftest import World
from tests.matrix_charter import _in_force


def setup(world: World) -> tuple[BudgetLine, BudgetPot]:
    _in_force(world.own, world.facilitator)  # a pot of 100.000,00 COP; company limit 10.000,00
    pot = BudgetPot.objects.get(partnership=world.own, version__status="in_force")
    line = budget.plan_line(
        by=world.facilitator,
        action=action(world),
        partner=world.company,
        name={"es": "Materiales"},
        currency="COP",
        planned_minor=500_000,
    )
    return line, pot


def refused(field: str, **kwargs: object) -> str:
    counts = Spending.objects.count(), SpendingApproval.objects.count()
    with pytest.raises(ServiceError) as error:
        budget.record_spending(**kwargs)  # type: ignore[arg-type]
    assert (Spending.objects.count(), SpendingApproval.objects.count()) == counts
    assert error.value.field == field
    return error.value.message


def test_it_refuses_negative_other_currency_and_over_approved(world: World) -> None:
    line, pot = setup(world)
    by = world.company_rep
    refused("amount", by=by, line=line, pot=pot, amount_minor=-100, currency="COP")
    message = refused("currency", by=by, line=line, pot=pot, amount_minor=100, currency="USD")
    assert "COP" in message
    message = refused("amount", by=by, line=line, pot=pot, amount_minor=1_000_001, currency="COP")
    assert "approval limit" in message
    refused("amount", by=by, line=line, pot=pot, amount_minor=20_000_000, currency="COP")
    line.refresh_from_db()
    assert line.spent_minor == 0


def test_it_records_approved_spending_and_shows_an_overrun(world: World) -> None:
    line, pot = setup(world)
    spending = budget.record_spending(
        by=world.company_rep, line=line, pot=pot, amount_minor=700_000, currency="COP"
    )
    assert spending.approval.basis.startswith("type:") or spending.approval.basis
    line.refresh_from_db()
    assert (line.spent_minor, line.overrun_minor) == (700_000, 200_000)
    totals = budget.totals([line])
    assert totals[0].overrun == 200_000
    assert parts.spent(pot) == 700_000
