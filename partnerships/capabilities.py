"""The rows of the permission table for the records this room owns.

docs/permissions.md renders the whole table (``hsbp permissions_table``).
"""

from partnerships.models import (
    AuditEntry,
    Invitation,
    Member,
    Partner,
    Partnership,
    Role,
    StepCompletion,
)
from partnerships.permissions import grant

F, R, P, O = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    grant("partnership", {F: "vup", R: "v", P: "v", O: "v"}, models_=[Partnership])
    grant("partner", {F: "vcud", R: "v", P: "v", O: "v"}, models_=[Partner])
    # Participants do not get the list of members: some take part at personal risk.
    grant("member", {F: "vcud", R: "v", O: "v"}, models_=[Member])
    grant("invitation", {F: "vcd"}, models_=[Invitation])
    grant("step", {F: "vu", R: "v", P: "v", O: "v"}, models_=[StepCompletion])
    grant("record", {F: "v", R: "v", P: "v", O: "v"}, models_=[AuditEntry])
    # Everyone sees, and may end, their own membership.
    grant("own_membership", {F: "vd", R: "vd", P: "vd", O: "vd"})
