"""Who votes on a decision, and as whom a member casts a ballot.

The rule's ``voters`` names the voters:

- ``partners``: every current partner (facilitating organisations aside, as
  for goals: the facilitator convenes, the partners decide), one ballot each,
  cast by one of its representatives; another representative's later ballot
  replaces it;
- ``partner_types``: every partner type present, one ballot each, cast by a
  representative of any partner of that type;
- ``members``: every member with a vote (facilitators, partner
  representatives, participants; observers watch). A member who represents a
  partner is counted under its type, others under "no partner".

A voter is named by a key ("partner:<id>", "type:<code>", "member:<id>"): the
participations and the tally speak of keys, never of people.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from charter.rules import Voters
from decisions.tally import NO_PARTNER
from partnerships.errors import ServiceError
from partnerships.models import Member, Partner, Partnership, PartnerType, Role

VOTING_ROLES = (Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT)


@dataclass(frozen=True)
class Voter:
    key: str
    partner_type: str
    partner: Partner | None = None


def electorate(partnership: Partnership, voters: str) -> dict[str, str]:
    """Voter key -> partner type, for everyone who may vote now. One query."""
    if voters == Voters.MEMBERS:
        rows = (
            Member.objects.filter(partnership=partnership, role__in=VOTING_ROLES)
            .exclude(partner__left_on__isnull=False)
            .values_list("public_id", "partner__partner_type")
        )
        return {f"member:{pid}": kind or NO_PARTNER for pid, kind in rows}
    partners = (
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .exclude(partner_type=PartnerType.FACILITATOR)
        .values_list("public_id", "partner_type")
    )
    if voters == Voters.PARTNER_TYPES:
        return {f"type:{kind}": kind for _pid, kind in partners}
    return {f"partner:{pid}": kind for pid, kind in partners}


def voter_for(member: Member | None, voters: str) -> Voter:
    """As whom ``member`` votes under ``voters``, or a refusal saying why not."""
    if member is None:
        raise ServiceError(_("Only members of the partnership vote."), field="choice")
    if member.role not in VOTING_ROLES:
        raise ServiceError(_("Observers follow decisions; they do not vote."), field="choice")
    partner = member.partner
    if partner is not None and partner.left_on is not None:
        raise ServiceError(
            _("%(partner)s has left the partnership: it no longer votes.")
            % {"partner": partner.name},
            field="choice",
        )
    if voters == Voters.MEMBERS:
        kind = partner.partner_type if partner is not None else NO_PARTNER
        return Voter(f"member:{member.public_id}", kind, partner)
    if member.role != Role.PARTNER_REPRESENTATIVE or partner is None:
        raise ServiceError(
            _("Under this decision's rule, partners vote through their representatives."),
            field="choice",
        )
    if partner.partner_type == PartnerType.FACILITATOR:
        raise ServiceError(
            _("The facilitating organisation convenes the vote; it does not vote."),
            field="choice",
        )
    if voters == Voters.PARTNER_TYPES:
        return Voter(f"type:{partner.partner_type}", partner.partner_type, partner)
    return Voter(f"partner:{partner.public_id}", partner.partner_type, partner)


def secret_key(decision_public_id: object, voter: str) -> str:
    """The key of a secret ballot: an HMAC of the decision and the voter under
    the server's secret. The server finds a voter's ballot to replace it; a
    reader of the database cannot tell whose it is."""
    message = f"decisions.ballot|{decision_public_id}|{voter}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def member_keys(member: Member) -> list[str]:
    """Every key a member might vote under (for "have you voted?" on their journey)."""
    keys = [f"member:{member.public_id}"]
    if member.partner is not None and member.role == Role.PARTNER_REPRESENTATIVE:
        keys += [f"partner:{member.partner.public_id}", f"type:{member.partner.partner_type}"]
    return keys


def people_of(partnership: Partnership, voters: str, keys: set[str]) -> list[Member]:
    """The members who speak for the voters ``keys`` (a partner's or a type's
    representatives, or the members themselves), for notifications. One query."""
    members = Member.objects.filter(partnership=partnership, role__in=VOTING_ROLES).select_related(
        "user", "partner"
    )
    found = []
    for member in members:
        if member.partner is not None and member.partner.left_on is not None:
            continue
        try:
            key = voter_for(member, voters).key
        except ServiceError:
            continue
        if key in keys:
            found.append(member)
    return found
