"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from actions.models import (
    Action,
    BudgetLine,
    Commitment,
    GoalProgress,
    Milestone,
    Spending,
    Strategy,
)
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Every member reads the strategies and the checklist. Facilitators and
    # partners' representatives write them (partners lead strategies and own
    # actions); only facilitators delete, and the service refuses to delete
    # what others depend on.
    grant(
        "strategy",
        {FAC: "vcud", REP: "vcu", PAR: "v", OBS: "v"},
        models_=[Strategy],
        label=_("Strategy"),
    )
    grant(
        "action",
        {FAC: "vcud", REP: "vcu", PAR: "v", OBS: "v"},
        models_=[Action, Milestone, GoalProgress],
        label=_("Action"),
    )
    # An action's budget lines and the spending on them: spending is approved
    # under the charter's rules (the charter's "spending" row and limits).
    grant(
        "action_budget",
        {FAC: "vcud", REP: "vcu", PAR: "v", OBS: "v"},
        models_=[BudgetLine, Spending],
        label=_("Budget of an action"),
    )
    # A partner commits through its representatives (a facilitator on its
    # behalf, under a mandate); reporting and confirming are changes (u), and
    # the service checks whose commitment it is and the confirmer's type.
    grant(
        "commitment",
        {FAC: "vcu", REP: "vcu", PAR: "v", OBS: "v"},
        models_=[Commitment],
        label=_("Commitment"),
    )
