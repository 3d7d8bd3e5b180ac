"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from goals.models import CollectiveGoal, Endorsement, GoalVersion
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Facilitators and partners draft goals together; only facilitators drop
    # one (d) or put it to endorsement (p).
    grant(
        "goal",
        {FAC: "vcudp", REP: "vcu", PAR: "v", OBS: "v"},
        models_=[CollectiveGoal, GoalVersion],
        label=_("Collective goal"),
    )
    # Recording a partner's position: its representatives (the service checks
    # which partner they speak for) and facilitators (for a meeting's record).
    grant(
        "endorsement",
        {FAC: "vc", REP: "vc", PAR: "v", OBS: "v"},
        models_=[Endorsement],
        label=_("Endorsement"),
    )
