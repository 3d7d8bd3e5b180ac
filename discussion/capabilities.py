"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from discussion.models import Comment, CommentEdit
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Members who take part comment and reply; the service lets only authors
    # edit (u) their own. Observers read. Facilitators moderate: hiding is d.
    # A thread asks besides that the viewer may read the record discussed.
    grant(
        "comment",
        {FAC: "vcud", REP: "vcu", PAR: "vcu", OBS: "v"},
        models_=[Comment, CommentEdit],
        label=_("Comment"),
    )
