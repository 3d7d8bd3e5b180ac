"""Announcements: the facilitators speak to the members (all of them, one
partner type's representatives, or the members with one role) or to the
public portal, in the partnership's working languages (the first one is
enough). An internal one tells its audience through ``notify()`` (kind
"announcement"); an external one is declared for publication
(``hooks.register``) and the portal shows it. Before either is posted, the
charter's communication plan is asked (``hooks.plan_refusal``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.hooks import plan_refusal
from notifications.models import Announcement, Audience, Scope
from notifications.services import notify
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import MAX_TEXT, clean_texts, first_language, in_language, require_first
from partnerships.models import Member, Partnership, PartnerType, Role
from partnerships.publication import public_records
from partnerships.text import CONTROL

TITLE_MAX = 200


def _check_text(texts: Mapping[str, str], prefix: str, limit: int) -> None:
    for code, text in texts.items():
        if len(text) > limit:
            raise ServiceError(
                _("Keep this text within %(n)s characters.") % {"n": limit},
                field=f"{prefix}_{code}",
            )
        if CONTROL.search(text):
            raise ServiceError(
                _("This text holds characters that cannot be shown; type it again."),
                field=f"{prefix}_{code}",
            )


def audience_of(announcement: Announcement) -> QuerySet[Member]:
    """The members an internal announcement speaks to."""
    members = Member.objects.filter(partnership=announcement.partnership)
    if announcement.audience == Audience.PARTNER_TYPE:
        return members.filter(partner__partner_type=announcement.partner_type)
    if announcement.audience == Audience.ROLE:
        return members.filter(role=announcement.role)
    return members


def visible_to(member: Member) -> QuerySet[Announcement]:
    """The announcements a member may read: the public ones, and the internal
    ones of an audience they belong to. Facilitators, who post them, read all."""
    rows = Announcement.objects.filter(partnership=member.partnership)
    if member.role == Role.FACILITATOR:
        return rows
    mine = Q(audience=Audience.ALL) | Q(audience=Audience.ROLE, role=member.role)
    if member.partner is not None:
        mine |= Q(audience=Audience.PARTNER_TYPE, partner_type=member.partner.partner_type)
    return rows.filter(Q(scope=Scope.PUBLIC) | (Q(scope=Scope.MEMBERS) & mine))


@transaction.atomic
def post_announcement(
    *,
    by: User,
    partnership: Partnership,
    scope: str,
    title: Mapping[str, str],
    body: Mapping[str, str],
    audience: str = Audience.ALL,
    partner_type: str = "",
    role: str = "",
) -> Announcement:
    if scope not in Scope.values:
        raise ServiceError(_("Choose where the announcement goes."), field="scope")
    if scope == Scope.PUBLIC:
        audience, partner_type, role = Audience.ALL, "", ""
    if audience not in Audience.values:
        raise ServiceError(_("Choose to whom the announcement goes."), field="audience")
    if audience == Audience.PARTNER_TYPE:
        if partner_type not in PartnerType.values:
            raise ServiceError(_("Choose the partner type it speaks to."), field="partner_type")
        role = ""
    elif audience == Audience.ROLE:
        if role not in Role.values:
            raise ServiceError(_("Choose the role it speaks to."), field="role")
        partner_type = ""
    else:
        partner_type, role = "", ""
    titles, bodies = clean_texts(title), clean_texts(body)
    require_first(titles, partnership, prefix="title")
    require_first(bodies, partnership, prefix="body")
    _check_text(titles, "title", TITLE_MAX)
    _check_text(bodies, "body", MAX_TEXT)
    refusal = plan_refusal(partnership, scope, sorted(set(titles) | set(bodies)))
    if refusal:
        raise ServiceError(refusal)
    announcement = Announcement(
        partnership=partnership,
        scope=scope,
        audience=audience,
        partner_type=partner_type,
        role=role,
        title=titles,
        body=bodies,
        posted_by=Member.objects.filter(partnership=partnership, user=by).first(),
    )
    save_audited(announcement, actor=by)
    if scope == Scope.MEMBERS:
        notify(
            partnership=partnership,
            kind="announcement",
            recipients=User.objects.filter(pk__in=audience_of(announcement).values("user_id")).only(
                "pk"
            ),
            # Stored in the first working language: a notification keeps plain
            # params, and the first language is the one every text has.
            params={"title": titles[first_language(partnership)]},
            url=reverse(
                "notifications:announcement",
                kwargs={"slug": partnership.slug, "announcement_id": announcement.public_id},
            ),
            actor=by,
        )
    return announcement


def withdraw_announcement(*, by: User, announcement: Announcement) -> Announcement:
    if announcement.withdrawn_at is not None:
        raise ServiceError(_("This announcement was withdrawn already."))
    announcement.withdrawn_at = timezone.now()
    save_audited(announcement, actor=by, update_fields=["withdrawn_at"])
    return announcement


def portal_announcements(partnership_id: int) -> dict[str, Any]:
    """The external announcements for the portal (newest ten), through
    publication only; who posted them is not public."""
    rows = sorted(
        public_records(Announcement, partnership_id), key=lambda r: r["posted_at"], reverse=True
    )[:10]
    return {
        "announcements": [
            {
                "title": in_language(r["title"]),
                "body": in_language(r["body"]),
                "posted_at": r["posted_at"],
            }
            for r in rows
        ]
    }
