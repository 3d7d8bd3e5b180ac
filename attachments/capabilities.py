"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from attachments.models import Attachment
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Evidence belongs to the record it documents: every page and service asks
    # besides ``can(view)`` on the record's kind to read an attachment, and
    # ``can(change)`` on it to add one, remove one or record consent. This row
    # is the ceiling: participants and observers read; facilitators and
    # partners' representatives (on records they may change) add, record
    # consent (u) and remove.
    grant(
        "attachment",
        {FAC: "vcud", REP: "vcud", PAR: "v", OBS: "v"},
        models_=[Attachment],
        label=_("Attachment"),
    )
