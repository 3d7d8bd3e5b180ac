"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarToken,
    InclusionService,
    Invitee,
    Meeting,
)
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Every member reads the meetings, their agendas, minutes and action
    # items. Facilitators convene them (c), run them (u: agenda, invitations,
    # inclusion services, minutes, decisions and action items), delete a
    # planned one (d) and put a held one's summary on the portal (p).
    grant(
        "meeting",
        {FAC: "vcudp", REP: "v", PAR: "v", OBS: "v"},
        models_=[Meeting, AgendaItem, Invitee, InclusionService, ActionItem],
        label=_("Meeting"),
    )
    # Named attendance and the exact counts: facilitators take the register.
    # Everyone else reads the counts through suppression, never a name.
    grant(
        "attendance",
        {FAC: "vcud"},
        models_=[Attendance],
        label=_("Attendance"),
    )
    # A member's own calendar links (secret addresses of the iCalendar feeds).
    grant(
        "calendar",
        {FAC: "vc", REP: "vc", PAR: "vc", OBS: "vc"},
        models_=[CalendarToken],
        label=_("Calendar link"),
    )
