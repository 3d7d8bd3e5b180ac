"""How this room plugs into the shared mechanisms (the stepper).

Step 3's common-ground checks, read from published snapshots only (a check
that flipped on one vote would say that someone just voted, and of which
partner type): a conversation has published votes, every partner type
present has published votes, and the latest analysis of a conversation found
opinion groups and statements that bridge them — not "too few votes to form
groups", not one group. Two queries, whatever the number of votes.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnerships.models import Partner, Partnership, PartnerType, Step
from partnerships.stepper import Check, progress, register_room


def common_ground_checks(partnership: Partnership) -> list[Check]:
    from commonground.models import Analysis, AnalysisState, Conversation, Vote

    newest = Analysis.objects.filter(conversation=OuterRef("pk")).order_by("-version")
    found = (
        Conversation.objects.filter(partnership=partnership)
        .annotate(
            state=Subquery(newest.values("state")[:1]),
            bridges=Subquery(newest.values("bridging_count")[:1]),
        )
        .aggregate(
            votes=Sum("published_votes"),
            analysed=Count("pk", filter=Q(state__isnull=False)),
            grouped=Count("pk", filter=Q(state=AnalysisState.GROUPS)),
            bridged=Count("pk", filter=Q(state=AnalysisState.GROUPS, bridges__gt=0)),
        )
    )
    votes = found["votes"] or 0
    # Each partner type present, with whether anyone of it has a published vote.
    types = (
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .exclude(partner_type=PartnerType.FACILITATOR)
        .values("partner_type")
        .annotate(
            voted=Exists(
                Vote.objects.filter(
                    conversation__partnership=partnership,
                    partner_type=OuterRef("partner_type"),
                    published_choice__isnull=False,
                )
            )
        )
        .order_by()
        .distinct()
    )
    present = {row["partner_type"]: row["voted"] for row in types}
    missing = sorted(str(PartnerType(t).label) for t, voted in present.items() if not voted)
    if found["bridged"]:
        groups_detail = ""
    elif found["grouped"]:
        groups_detail = str(_("Opinion groups found, but no statement bridges them yet."))
    elif found["analysed"]:
        groups_detail = str(_("Too few votes to form groups yet."))
    else:
        groups_detail = ""
    return [
        Check(
            _("A statement conversation has votes"),
            votes > 0,
            ngettext("%(n)s published vote", "%(n)s published votes", votes) % {"n": votes},
        ),
        Check(
            _("Every partner type has voted"),
            bool(present) and not missing,
            _("Not heard yet: %(types)s") % {"types": ", ".join(missing)} if missing else "",
        ),
        Check(
            _("Opinion groups and bridging statements found"),
            bool(found["bridged"]),
            groups_detail,
        ),
    ]


def register() -> None:
    progress(Step.COLLECTIVE_GOALS)(common_ground_checks)
    register_room(Step.COLLECTIVE_GOALS, "commonground:list", _("Common ground"))
