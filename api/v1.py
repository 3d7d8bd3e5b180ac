"""``/api/v1``: the same services and the same permission layer as the pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from api import errors
from api.auth import PerUserThrottle, TokenAuth, caller
from api.ops import needs, scoped
from api.parser import BoundedJsonParser
from api.schemas import (
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberPatch,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PartnershipOut,
    Problem,
    Slug,
)
from partnerships import services
from partnerships.models import Invitation, Member, Partner, Partnership
from partnerships.permissions import (
    Action,
    Ctx,
    get_owned_or_404,
)
from partnerships.services import ServiceError

api = errors.DocumentedErrorsApi(
    title="HSBP Platform API",
    version="1",
    description="Partnerships, partners and members. Authenticate with a personal API token: "
    "`Authorization: Bearer hsbp_…`.",
    urls_namespace="api-v1",
    docs_url=None,
    auth=TokenAuth(),
    throttle=[PerUserThrottle()],
    parser=BoundedJsonParser(),
)
errors.install(api)


# Later rooms' routes, under the same authentication, throttle and permission layer.
from api.baseline_api import router as baseline_router  # noqa: E402
from api.commonground_api import router as commonground_router  # noqa: E402
from api.consultations_api import router as consultations_router  # noqa: E402
from api.consultations_results_api import router as consultations_results_router  # noqa: E402
from api.goals_api import router as goals_router  # noqa: E402
from api.stakeholders_api import router as stakeholders_router  # noqa: E402

api.add_router("/", stakeholders_router)
api.add_router("/", baseline_router)
api.add_router("/", consultations_router)
api.add_router("/", consultations_results_router)
api.add_router("/", commonground_router)
api.add_router("/", goals_router)


def _partnership_out(partnership: Partnership, member: Member) -> dict[str, Any]:
    fields = ("slug", *Partnership.audit_fields)
    return {**{f: getattr(partnership, f) for f in fields}, "my_role": member.role}


def _partner_out(p: Partner) -> dict[str, Any]:
    fields = (
        "name",
        "partner_type",
        "description",
        "joined_on",
        "entry_reason",
        "left_on",
        "leaver_reason",
    )
    return {"id": p.public_id, **{f: getattr(p, f) for f in fields}}


def _member_out(m: Member, viewer: Member) -> dict[str, Any]:
    return {
        "id": m.public_id,
        "name": m.name_for(viewer),
        "role": m.role,
        "partner": m.partner.public_id if m.partner else None,
    }


def _partner_in(ctx: Ctx, partner_id: uuid.UUID | None) -> Partner | None:
    if partner_id is None:
        return None
    partner: Partner | None = Partner.objects.filter(
        partnership=ctx.partnership, public_id=partner_id
    ).first()
    if partner is None:
        raise ServiceError(_("That partner is not part of this partnership."), field="partner")
    return partner


@api.get("/partnerships", response=list[PartnershipOut], tags=["partnerships"])
def list_partnerships(request: HttpRequest) -> list[dict[str, Any]]:
    members = Member.objects.filter(user=caller(request)).select_related("partnership")
    return [_partnership_out(m.partnership, m) for m in members]


@api.get(
    "/partnerships/{slug}",
    response=PartnershipOut,
    openapi_extra=needs("partnership", Action.VIEW),
    tags=["partnerships"],
)
def get_partnership(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    ctx = scoped(request, slug, "partnership", Action.VIEW)
    return _partnership_out(ctx.partnership, ctx.member)


@api.get(
    "/partnerships/{slug}/partners",
    response=list[PartnerOut],
    openapi_extra=needs("partner", Action.VIEW),
    tags=["partners"],
)
def list_partners(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    ctx = scoped(request, slug, "partner", Action.VIEW)
    return [_partner_out(p) for p in Partner.objects.for_partnership(ctx.partnership)]


@api.post(
    "/partnerships/{slug}/partners",
    response={201: PartnerOut, 400: Problem},
    openapi_extra=needs("partner", Action.CREATE),
    tags=["partners"],
)
def create_partner(request: HttpRequest, slug: Slug, payload: PartnerIn) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "partner", Action.CREATE)
    partner = services.add_partner(
        actor=caller(request),
        partnership=ctx.partnership,
        **payload.dict(),
    )
    return Status(201, _partner_out(partner))


@api.get(
    "/partnerships/{slug}/partners/{partner_id}",
    response=PartnerOut,
    openapi_extra=needs("partner", Action.VIEW),
    tags=["partners"],
)
def get_partner(request: HttpRequest, slug: Slug, partner_id: uuid.UUID) -> dict[str, Any]:
    ctx = scoped(request, slug, "partner", Action.VIEW)
    return _partner_out(get_owned_or_404(Partner, ctx.partnership, public_id=partner_id))


@api.patch(
    "/partnerships/{slug}/partners/{partner_id}",
    response={200: PartnerOut, 400: Problem},
    openapi_extra=needs("partner", Action.CHANGE),
    tags=["partners"],
)
def update_partner(
    request: HttpRequest, slug: Slug, partner_id: uuid.UUID, payload: PartnerPatch
) -> dict[str, Any]:
    ctx = scoped(request, slug, "partner", Action.CHANGE)
    partner = get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)
    partner = services.update_partner(actor=caller(request), partner=partner, **payload.changes())
    return _partner_out(partner)


@api.delete(
    "/partnerships/{slug}/partners/{partner_id}",
    response={204: None, 400: Problem, 409: Problem},
    openapi_extra=needs("partner", Action.DELETE),
    tags=["partners"],
)
def delete_partner(request: HttpRequest, slug: Slug, partner_id: uuid.UUID) -> Status[None]:
    ctx = scoped(request, slug, "partner", Action.DELETE)
    partner = get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)
    services.delete_partner(actor=caller(request), partner=partner)
    return Status(204, None)


@api.get(
    "/partnerships/{slug}/members",
    response=list[MemberOut],
    openapi_extra=needs("member", Action.VIEW),
    tags=["members"],
)
def list_members(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    ctx = scoped(request, slug, "member", Action.VIEW)
    members = Member.objects.for_partnership(ctx.partnership).select_related("user", "partner")
    return [_member_out(m, ctx.member) for m in members]


@api.patch(
    "/partnerships/{slug}/members/{member_id}",
    response={200: MemberOut, 400: Problem},
    openapi_extra=needs("member", Action.CHANGE),
    tags=["members"],
)
def change_member(
    request: HttpRequest, slug: Slug, member_id: uuid.UUID, payload: MemberPatch
) -> dict[str, Any]:
    ctx = scoped(request, slug, "member", Action.CHANGE)
    member = get_owned_or_404(Member, ctx.partnership, public_id=member_id)
    member = services.change_role(
        actor=caller(request),
        member=member,
        role=payload.role,
        partner=_partner_in(ctx, payload.partner),
    )
    return _member_out(member, ctx.member)


@api.delete(
    "/partnerships/{slug}/members/{member_id}",
    response={204: None, 400: Problem},
    openapi_extra=needs("member", Action.DELETE),
    tags=["members"],
)
def remove_member(request: HttpRequest, slug: Slug, member_id: uuid.UUID) -> Status[None]:
    ctx = scoped(request, slug, "member", Action.DELETE)
    member = get_owned_or_404(Member, ctx.partnership, public_id=member_id)
    services.remove_member(actor=caller(request), member=member)
    return Status(204, None)


@api.post(
    "/partnerships/{slug}/invitations",
    response={201: InvitationOut, 400: Problem},
    openapi_extra=needs("invitation", Action.CREATE),
    tags=["members"],
)
def invite(request: HttpRequest, slug: Slug, payload: InvitationIn) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "invitation", Action.CREATE)
    invitation: Invitation = services.invite(
        actor=caller(request),
        partnership=ctx.partnership,
        email=payload.email,
        role=payload.role,
        partner=_partner_in(ctx, payload.partner),
    )
    return Status(
        201,
        {
            "id": invitation.public_id,
            "role": invitation.role,
            "partner": invitation.partner.public_id if invitation.partner else None,
            "expires_at": invitation.expires_at,
            "state": invitation.state,
        },
    )
