"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from decisions.models import Ballot, Decision, DecisionLink, Participation
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Everyone reads the decision log. Proposing (c) and steering one's own
    # proposal to the vote (u) are open to the roles a charter may name; the
    # service then applies the rule of the decision type (who may propose,
    # the proposer or a facilitator opens the vote). Recording an outcome
    # (p) is a facilitator's.
    grant(
        "decision",
        {FAC: "vcup", REP: "vcu", PAR: "vcu", OBS: "v"},
        models_=[Decision, DecisionLink],
        label=_("Decision"),
    )
    # Casting a ballot: the roles with a vote; the rule of the decision
    # decides which of them vote on it (partners through their representatives).
    grant(
        "ballot",
        {FAC: "c", REP: "c", PAR: "c"},
        models_=[Ballot, Participation],
        label=_("Ballot"),
    )
