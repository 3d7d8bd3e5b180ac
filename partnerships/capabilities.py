"""The rows of the permission table for the records this room owns.

docs/permissions.md renders the whole table (``hsbp permissions_table``).
"""

from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    AuditEntry,
    ExportJob,
    Invitation,
    Member,
    Partner,
    Partnership,
    Role,
    StepCompletion,
)
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    grant(
        "partnership",
        {FAC: "vup", REP: "v", PAR: "v", OBS: "v"},
        models_=[Partnership],
        label=_("Partnership"),
    )
    grant(
        "partner",
        {FAC: "vcud", REP: "v", PAR: "v", OBS: "v"},
        models_=[Partner],
        label=_("Partner"),
    )
    # Participants do not get the list of members: some take part at personal risk.
    grant("member", {FAC: "vcud", REP: "v", OBS: "v"}, models_=[Member], label=_("Member"))
    grant("invitation", {FAC: "vcd"}, models_=[Invitation], label=_("Invitation"))
    grant(
        "step", {FAC: "vu", REP: "v", PAR: "v", OBS: "v"}, models_=[StepCompletion], label=_("Step")
    )
    grant(
        "record", {FAC: "v", REP: "v", PAR: "v", OBS: "v"}, models_=[AuditEntry], label=_("Record")
    )
    # Everyone sees, and downloads, the exports they asked for (each download
    # checks the export's own permission again: partnerships.exports).
    grant(
        "own_export",
        {FAC: "v", REP: "v", PAR: "v", OBS: "v"},
        models_=[ExportJob],
        label=_("My exports"),
    )
    # Everyone sees, and may end, their own membership.
    grant("own_membership", {FAC: "vd", REP: "vd", PAR: "vd", OBS: "vd"}, label=_("My membership"))
