"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commonground.models import Analysis, Conversation, Participant, Statement
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    grant(
        "conversation",
        {FAC: "vcud", REP: "v", PAR: "v", OBS: "v"},
        models_=[Conversation],
        label=_("Statement conversation"),
    )
    # Writing a statement is open to everyone who may vote; moderating it
    # (changing its status) is the facilitator's.
    grant(
        "statement",
        {FAC: "vcud", REP: "vc", PAR: "vc", OBS: "v"},
        models_=[Statement],
        label=_("Statement"),
    )
    # Voting: every member but observers. Nobody views single votes.
    grant(
        "vote",
        {FAC: "c", REP: "c", PAR: "c"},
        models_=[Participant],
        label=pgettext_lazy("kind of record", "Vote"),
    )
    grant(
        "opinion_groups",
        {FAC: "v", REP: "v", PAR: "v", OBS: "v"},
        models_=[Analysis],
        label=_("Opinion groups and common ground"),
    )
