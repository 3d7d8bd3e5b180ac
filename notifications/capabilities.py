"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from notifications.models import Announcement, Notification
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Everyone reads and marks their own notifications (the services only
    # ever touch the signed-in person's own rows); preferences are theirs too.
    grant(
        "notification",
        {FAC: "vu", REP: "vu", PAR: "vu", OBS: "vu"},
        models_=[Notification],
        label=_("Notification"),
    )
    # Facilitators speak for the partnership: they post and withdraw
    # announcements. Every member may read the list, which shows each one
    # only the internal announcements of an audience they belong to.
    grant(
        "announcement",
        {FAC: "vcud", REP: "v", PAR: "v", OBS: "v"},
        models_=[Announcement],
        label=_("Announcement"),
    )
