"""How this room plugs into the shared mechanisms (the stepper).

Step 3's common-ground checks: a conversation has votes, every partner type
present has voted, and an analysis has found the statements that bridge the
groups. Two queries, whatever the number of votes.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partner, Partnership, PartnerType, Step
from partnerships.stepper import Check, progress, register_room


def common_ground_checks(partnership: Partnership) -> list[Check]:
    from commonground.models import Analysis, Conversation, Participant

    votes = (
        Conversation.objects.filter(partnership=partnership).aggregate(n=Sum("vote_count"))["n"]
        or 0
    )
    present = set(
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .exclude(partner_type=PartnerType.FACILITATOR)
        .values_list("partner_type", flat=True)
    )
    voted = set(
        Participant.objects.filter(partnership=partnership)
        .exclude(partner_type="")
        .values_list("partner_type", flat=True)
        .distinct()
    )
    missing = sorted(str(PartnerType(t).label) for t in present - voted)
    analysed = Analysis.objects.filter(partnership=partnership).exists()
    return [
        Check(
            _("A statement conversation has votes"),
            votes > 0,
            _("%(n)s votes") % {"n": votes},
        ),
        Check(
            _("Every partner type has voted"),
            bool(present) and not missing,
            _("Not heard yet: %(types)s") % {"types": ", ".join(missing)} if missing else "",
        ),
        Check(_("Opinion groups and bridging statements found"), analysed, ""),
    ]


def register() -> None:
    progress(Step.COLLECTIVE_GOALS)(common_ground_checks)
    register_room(Step.COLLECTIVE_GOALS, "commonground:list", _("Common ground"))
