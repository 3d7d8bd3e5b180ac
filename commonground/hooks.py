"""How this room plugs into the shared mechanisms (the stepper).

Step 3's common-ground checks: a conversation has votes, every partner type
present has voted, and an analysis has found the statements that bridge the
groups. Two queries, whatever the number of votes.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partner, Partnership, PartnerType, Step
from partnerships.stepper import Check, progress, register_room


def common_ground_checks(partnership: Partnership) -> list[Check]:
    from commonground.models import Analysis, Conversation, Participant

    found = Conversation.objects.filter(partnership=partnership).aggregate(
        votes=Sum("vote_count"),
        analysed=Count("pk", filter=Exists(Analysis.objects.filter(conversation=OuterRef("pk")))),
    )
    votes, analysed = found["votes"] or 0, bool(found["analysed"])
    # Each partner type present, with whether anyone of it has voted.
    types = (
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .exclude(partner_type=PartnerType.FACILITATOR)
        .values("partner_type")
        .annotate(
            voted=Exists(
                Participant.objects.filter(
                    partnership=partnership, partner_type=OuterRef("partner_type")
                )
            )
        )
        .order_by()
        .distinct()
    )
    present = {row["partner_type"]: row["voted"] for row in types}
    missing = sorted(str(PartnerType(t).label) for t, voted in present.items() if not voted)
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
