"""/api/v1 routes of the stakeholder map: actors, assessments, relations and
inclusion, through the same services and permission table as the pages.

Every actor in an answer goes through ``stakeholders.display``: someone
without clearance sees a flagged actor under its pseudonym, with its
identifying details blank, and never a sign that a flag exists. Contacts
appear only with the "contact" capability, ``at_risk`` only for those who may
see flags (the keys are absent otherwise, not null).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from api.auth import caller
from api.ops import needs, scoped
from api.schemas import Problem, Slug
from api.stakeholders_schemas import (
    ActorFilters,
    ActorIn,
    ActorOut,
    ActorPage,
    ActorPatch,
    AssessmentIn,
    AssessmentOut,
    InclusionOut,
    RelationFilters,
    RelationIn,
    RelationOut,
    RelationPage,
)
from partnerships.models import Member, Partner
from partnerships.paging import page_of
from partnerships.permissions import (
    Action,
    Ctx,
    can,
    get_owned_or_404,
    require,
)
from partnerships.protection import has_clearance
from partnerships.services import ServiceError
from stakeholders import display, inclusion, services
from stakeholders.inclusion import Row
from stakeholders.models import Actor, Assessment, Relation, Segment

router = Router(tags=["stakeholder map"])

CONTACT_FIELDS = ("contact_email", "contact_phone", "contact_notes")
TEXT_FIELDS = (
    "name",
    "kind",
    "partner_type",
    "area_code",
    "locality_name",
    "description",
    *CONTACT_FIELDS,
)


# --- Reading ---------------------------------------------------------------------


def _actors(ctx: Ctx) -> QuerySet[Actor]:
    return (
        Actor.objects.filter(partnership=ctx.partnership)
        .select_related("partner")
        .prefetch_related("segments")
    )


def _actor_out(actor: Actor, viewer: Member) -> dict[str, Any]:
    return {
        **display.actor_public_fields(actor, viewer),
        "disagreement": actor.disagreement,
        "assessment_count": actor.assessment_count,
    }


def _ref(actor: Actor, viewer: Member) -> dict[str, Any]:
    return {"id": actor.public_id, "name": display.actor_name(actor, viewer)}


def _relation_out(relation: Relation, viewer: Member) -> dict[str, Any]:
    hidden = display.is_hidden(relation.source, viewer) or display.is_hidden(
        relation.target, viewer
    )
    return {
        "id": relation.public_id,
        "source": _ref(relation.source, viewer),
        "target": _ref(relation.target, viewer),
        "relation_type": relation.relation_type,
        "directed": relation.directed,
        "strength": relation.strength,
        # A free-text note about a protected actor could identify them.
        "note": "" if hidden else relation.note,
    }


def _assessment_out(assessment: Assessment, viewer: Member, *, current: bool) -> dict[str, Any]:
    hidden = display.is_hidden(assessment.actor, viewer)
    notes = ("influence_note", "interest_note", "capacity_note")
    return {
        "id": assessment.public_id,
        "actor": _ref(assessment.actor, viewer),
        "assessed_by": {
            "id": assessment.assessed_by.public_id,
            "name": assessment.assessed_by.name,
        },
        "assessed_on": assessment.assessed_on,
        "influence": assessment.influence,
        "interest": assessment.interest,
        "capacity": assessment.capacity,
        "stance": assessment.stance,
        "engagement": assessment.engagement,
        **{n: "" if hidden else getattr(assessment, n) for n in notes},
        "current": current,
    }


def _row_out(row: Row) -> dict[str, Any]:
    return {
        "code": row.code,
        "label": row.label,
        "actors": row.actors,
        "engaged": row.engaged,
        "partners": row.partners,
        "members": row.members,
        "primary": row.primary,
        "status": row.status,
        "status_label": row.status_label,
        "next_steps": [str(step) for step in row.next_steps],
    }


def _page(total: int, page: int, page_size: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": total, "page": page, "page_size": page_size, "results": results}


# --- Writing: what the body names, found on this map only --------------------------


def _actor_in(ctx: Ctx, public_id: uuid.UUID, field: str) -> Actor:
    actor: Actor | None = Actor.objects.filter(
        partnership=ctx.partnership, public_id=public_id
    ).first()
    if actor is None:
        # The same answer for another partnership's actor and for no actor at all.
        raise ServiceError(_("That actor is not on this map."), field=field)
    return actor


def _partner_in(ctx: Ctx, public_id: uuid.UUID, field: str, *, current: bool = False) -> Partner:
    partners = Partner.objects.filter(partnership=ctx.partnership, public_id=public_id)
    if current:
        partners = partners.filter(left_on__isnull=True)
    partner: Partner | None = partners.first()
    if partner is None:
        raise ServiceError(_("That partner is not part of this partnership."), field=field)
    return partner


def _segments_in(ctx: Ctx, codes: Iterable[str]) -> list[Segment]:
    wanted = {c.strip() for c in codes if c.strip()}
    found = list(Segment.objects.filter(partnership=ctx.partnership, code__in=wanted))
    if len(found) != len(wanted):
        raise ServiceError(_("That segment is not part of this partnership."), field="segments")
    return found


def _actor_fields(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    """The service's keyword arguments from a body (``null`` empties a field)."""
    if any(data.get(f) for f in CONTACT_FIELDS) and not can(ctx.member, "contact", Action.VIEW):
        raise PermissionDenied
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key in TEXT_FIELDS:
            fields[key] = value or ""
        elif key == "partner":
            fields[key] = _partner_in(ctx, value, "partner") if value else None
        elif key == "segments":
            fields[key] = _segments_in(ctx, value or [])
        elif key == "tags":
            fields[key] = value or []
    if fields.get("contact_email"):
        try:
            validate_email(fields["contact_email"])
        except ValidationError as error:
            raise ServiceError(str(error.messages[0]), field="contact_email") from None
    return fields


def _writable(ctx: Ctx, actor: Actor) -> None:
    """Changing a protected actor needs clearance, as on the pages."""
    if display.is_hidden(actor, ctx.member):
        require(ctx.member, "protected_person", Action.VIEW)


# --- Actors ----------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/actors",
    response=ActorPage,
    exclude_unset=True,
    openapi_extra=needs("actor", Action.VIEW),
)
def list_actors(request: HttpRequest, slug: Slug, filters: Query[ActorFilters]) -> dict[str, Any]:
    """The register, a page at a time, filtered like the register page."""
    ctx = scoped(request, slug, "actor", Action.VIEW)
    cleared = has_clearance(ctx.member)
    actors = _actors(ctx)
    for field in ("kind", "partner_type", "engagement"):
        value = getattr(filters, field)
        if value:
            actors = actors.filter(**{field: value})
    if filters.segment:
        actors = actors.filter(segments__code=filters.segment)
    if filters.q and filters.q.strip():
        match = Q(name__icontains=filters.q.strip())
        # A protected actor's real name must not be findable by those who see its pseudonym.
        actors = actors.filter(match if cleared else match & Q(at_risk=False))
    # Sorting hidden actors by their real name would hint at it: they go last.
    order = ("name", "pk") if cleared else ("at_risk", "name", "pk")
    actors = actors.order_by(*order)
    total, rows = page_of(actors, page=filters.page, page_size=filters.page_size)
    results = [_actor_out(a, ctx.member) for a in rows]
    return _page(total, filters.page, filters.page_size, results)


@router.post(
    "/partnerships/{slug}/actors",
    response={201: ActorOut, 400: Problem},
    exclude_unset=True,
    openapi_extra=needs("actor", Action.CREATE),
)
def create_actor(request: HttpRequest, slug: Slug, payload: ActorIn) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "actor", Action.CREATE)
    fields = _actor_fields(ctx, payload.dict())
    actor = services.create_actor(by=caller(request), partnership=ctx.partnership, **fields)
    return Status(201, _actor_out(actor, ctx.member))


@router.get(
    "/partnerships/{slug}/actors/{actor_id}",
    response=ActorOut,
    exclude_unset=True,
    openapi_extra=needs("actor", Action.VIEW),
)
def get_actor(request: HttpRequest, slug: Slug, actor_id: uuid.UUID) -> dict[str, Any]:
    ctx = scoped(request, slug, "actor", Action.VIEW)
    return _actor_out(
        get_owned_or_404(_actors(ctx), ctx.partnership, public_id=actor_id), ctx.member
    )


@router.patch(
    "/partnerships/{slug}/actors/{actor_id}",
    response={200: ActorOut, 400: Problem},
    exclude_unset=True,
    openapi_extra=needs("actor", Action.CHANGE),
)
def update_actor(
    request: HttpRequest, slug: Slug, actor_id: uuid.UUID, payload: ActorPatch
) -> dict[str, Any]:
    ctx = scoped(request, slug, "actor", Action.CHANGE)
    actor = get_owned_or_404(_actors(ctx), ctx.partnership, public_id=actor_id)
    _writable(ctx, actor)
    fields = _actor_fields(ctx, payload.changes())
    actor = services.update_actor(by=caller(request), actor=actor, **fields)
    return _actor_out(get_owned_or_404(_actors(ctx), ctx.partnership, pk=actor.pk), ctx.member)


@router.delete(
    "/partnerships/{slug}/actors/{actor_id}",
    response={204: None, 400: Problem},
    openapi_extra=needs("actor", Action.DELETE),
)
def delete_actor(request: HttpRequest, slug: Slug, actor_id: uuid.UUID) -> Status[None]:
    ctx = scoped(request, slug, "actor", Action.DELETE)
    actor = get_owned_or_404(Actor, ctx.partnership, public_id=actor_id)
    _writable(ctx, actor)
    services.delete_actor(by=caller(request), actor=actor)
    return Status(204, None)


# --- Assessments -------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/actors/{actor_id}/assessments",
    response=list[AssessmentOut],
    openapi_extra=needs("assessment", Action.VIEW),
)
def list_assessments(request: HttpRequest, slug: Slug, actor_id: uuid.UUID) -> list[dict[str, Any]]:
    """The actor's history, newest first; ``current`` marks each partner's latest view."""
    ctx = scoped(request, slug, "assessment", Action.VIEW)
    actor = get_owned_or_404(Actor, ctx.partnership, public_id=actor_id)
    history = actor.assessments.select_related("assessed_by").order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    seen: set[int] = set()
    out = []
    for assessment in history:
        assessment.actor = actor
        out.append(
            _assessment_out(assessment, ctx.member, current=assessment.assessed_by_id not in seen)
        )
        seen.add(assessment.assessed_by_id)
    return out


@router.post(
    "/partnerships/{slug}/actors/{actor_id}/assessments",
    response={201: AssessmentOut, 400: Problem},
    openapi_extra=needs("assessment", Action.CREATE),
)
def create_assessment(
    request: HttpRequest, slug: Slug, actor_id: uuid.UUID, payload: AssessmentIn
) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "assessment", Action.CREATE)
    actor = get_owned_or_404(Actor, ctx.partnership, public_id=actor_id)
    data = payload.dict()
    data["assessed_by"] = _partner_in(ctx, payload.assessed_by, "assessed_by", current=True)
    assessment = services.assess(by=caller(request), actor=actor, **data)
    return Status(201, _assessment_out(assessment, ctx.member, current=True))


# --- Relations ---------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/relations",
    response=RelationPage,
    openapi_extra=needs("relation", Action.VIEW),
)
def list_relations(
    request: HttpRequest, slug: Slug, filters: Query[RelationFilters]
) -> dict[str, Any]:
    ctx = scoped(request, slug, "relation", Action.VIEW)
    relations = Relation.objects.filter(partnership=ctx.partnership).select_related(
        "source", "target"
    )
    if filters.actor:
        relations = relations.filter(
            Q(source__public_id=filters.actor) | Q(target__public_id=filters.actor)
        )
    if filters.relation_type:
        relations = relations.filter(relation_type=filters.relation_type)
    relations = relations.order_by("pk")
    total, rows = page_of(relations, page=filters.page, page_size=filters.page_size)
    results = [_relation_out(r, ctx.member) for r in rows]
    return _page(total, filters.page, filters.page_size, results)


@router.post(
    "/partnerships/{slug}/relations",
    response={201: RelationOut, 400: Problem},
    openapi_extra=needs("relation", Action.CREATE),
)
def create_relation(
    request: HttpRequest, slug: Slug, payload: RelationIn
) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "relation", Action.CREATE)
    relation = services.relate(
        by=caller(request),
        partnership=ctx.partnership,
        source=_actor_in(ctx, payload.source, "source"),
        target=_actor_in(ctx, payload.target, "target"),
        relation_type=payload.relation_type,
        directed=payload.directed,
        strength=payload.strength,
        note=payload.note,
    )
    return Status(201, _relation_out(relation, ctx.member))


@router.delete(
    "/partnerships/{slug}/relations/{relation_id}",
    response={204: None, 400: Problem},
    openapi_extra=needs("relation", Action.DELETE),
)
def delete_relation(request: HttpRequest, slug: Slug, relation_id: uuid.UUID) -> Status[None]:
    ctx = scoped(request, slug, "relation", Action.DELETE)
    relation = get_owned_or_404(
        Relation.objects.select_related("source", "target"), ctx.partnership, public_id=relation_id
    )
    services.delete_relation(by=caller(request), relation=relation)
    return Status(204, None)


# --- Inclusion ---------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/inclusion",
    response=InclusionOut,
    openapi_extra=needs("actor", Action.VIEW),
)
def get_inclusion(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """How each segment and partner type is represented: counts and a status, never
    names. Without clearance, counts go through small-number suppression (``null``:
    hidden), as on the inclusion page."""
    ctx = scoped(request, slug, "actor", Action.VIEW)
    segments = inclusion.for_viewer(inclusion.by_segment(ctx.partnership), ctx.member)
    types = inclusion.for_viewer(inclusion.by_partner_type(ctx.partnership), ctx.member)
    return {
        "segments": [_row_out(r) for r in segments],
        "partner_types": [_row_out(r) for r in types],
    }
