"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from charter.models import (
    ApprovalLimit,
    BudgetPot,
    CharterPosition,
    CharterRole,
    CharterVersion,
    PlanRow,
    SpendingApproval,
)
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Every member reads the charter that governs them. Facilitators adapt a
    # starter, edit the draft (u), drop it (d) and put it to adoption (p).
    grant(
        "charter",
        {FAC: "vcudp", REP: "v", PAR: "v", OBS: "v"},
        models_=[CharterVersion, CharterRole, BudgetPot, ApprovalLimit, PlanRow],
        label=_("Charter"),
    )
    # A partner's position on the first charter: its representatives (the
    # service checks which partner they speak for) and facilitators, on
    # behalf of a partner with no representative, under a mandate.
    grant(
        "charter_position",
        {FAC: "vc", REP: "vc", PAR: "v", OBS: "v"},
        models_=[CharterPosition],
        label=_("Position on the charter"),
    )
    # Approving spending: the service checks the charter's approval limits
    # (a role the member holds, or their partner's type). A participant may
    # hold a role (a community treasurer); an observer only watches.
    grant(
        "spending",
        {FAC: "vc", REP: "vc", PAR: "vc", OBS: "v"},
        models_=[SpendingApproval],
        label=_("Spending approval"),
    )
