"""The preliminary step's checks, derived from partners, members and invitations."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Invitation, Member, Partner, Partnership, PartnerType, Role, Step
from partnerships.stepper import Check, progress

# The four primary partner types the Framework brings to the table.
PRIMARY_TYPES = (
    PartnerType.COMPANY,
    PartnerType.COMMUNITY,
    PartnerType.GOVERNMENT,
    PartnerType.CIVIL_SOCIETY,
)


def partner_counts(partnership: Partnership) -> dict[str, int]:
    rows = (
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .values("partner_type")
        .annotate(n=Count("id"))
    )
    return {row["partner_type"]: row["n"] for row in rows}


def missing_partner_types(partnership: Partnership) -> list[PartnerType]:
    counts = partner_counts(partnership)
    return [t for t in PRIMARY_TYPES if not counts.get(t)]


def preliminary(partnership: Partnership) -> list[Check]:
    missing = missing_partner_types(partnership)
    members = Member.objects.filter(partnership=partnership).aggregate(
        facilitators=Count("id", filter=Q(role=Role.FACILITATOR)),
        representatives=Count("id", filter=Q(role=Role.PARTNER_REPRESENTATIVE)),
    )
    # Only an invitation to represent a partner counts (not one to observe).
    invited = (
        Invitation.objects.pending()
        .filter(partnership=partnership, role=Role.PARTNER_REPRESENTATIVE)
        .count()
    )
    return [
        Check(_("The partnership is described"), bool(partnership.description)),
        Check(
            _("Partners of every type have joined"),
            not missing,
            _("Missing: %(types)s") % {"types": ", ".join(str(t.label) for t in missing)}
            if missing
            else "",
        ),
        Check(_("A facilitator convenes the partnership"), members["facilitators"] > 0),
        Check(
            _("Partner representatives are invited"),
            members["representatives"] > 0 or invited > 0,
        ),
    ]


def register() -> None:
    progress(Step.PRELIMINARY)(preliminary)
