"""/api/v1 routes of the baseline: dimensions, localities, threats and their
ratings, the stress matrix and the mutual risks — through the same services
and permission table as the pages. Ratings name groups, never people."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from api.auth import caller
from api.baseline_schemas import (
    DimensionOut,
    LocalityFilters,
    LocalityPage,
    MutualRiskOut,
    RatingIn,
    RatingOut,
    StressOut,
    ThreatFilters,
    ThreatIn,
    ThreatOut,
    ThreatPage,
    ThreatPatch,
)
from api.ops import needs, scoped
from api.schemas import Problem, Slug
from baseline import analysis, services
from baseline.models import Dimension, Locality, Threat, ThreatRating
from partnerships.models import Partner
from partnerships.paging import page_of
from partnerships.permissions import Action, Ctx, get_owned_or_404
from partnerships.services import ServiceError
from stakeholders.models import Segment

router = Router(tags=["baseline"])


def _page(total: int, page: int, page_size: int, results: list[Any]) -> dict[str, Any]:
    return {"count": total, "page": page, "page_size": page_size, "results": results}


def _threats(ctx: Ctx) -> QuerySet[Threat]:
    return Threat.objects.filter(partnership=ctx.partnership).prefetch_related(
        "dimensions", "localities", "segments"
    )


def _threat_out(threat: Threat) -> dict[str, Any]:
    return {
        "id": threat.public_id,
        "title": threat.title,
        "description": threat.description,
        "nature": threat.nature,
        "dimensions": [d.code for d in threat.dimensions.all()],
        "localities": [loc.code for loc in threat.localities.all()],
        "segments": [s.code for s in threat.segments.all()],
        "partner_types": threat.partner_types,
        "root_causes": threat.root_causes,
        "trend": threat.trend,
        "severity": threat.severity,
        "likelihood": threat.likelihood,
        "rating_count": threat.rating_count,
    }


def _rating_out(rating: ThreatRating, *, current: bool) -> dict[str, Any]:
    return {
        "id": rating.public_id,
        "partner_type": rating.partner_type,
        "segment": rating.segment.code if rating.segment else None,
        "group": rating.group_label,
        "severity": rating.severity,
        "likelihood": rating.likelihood,
        "source": rating.source,
        "rated_by": rating.rated_by.public_id if rating.rated_by else None,
        "rated_on": rating.rated_on,
        "note": rating.note,
        "current": current,
    }


# --- What a body names, found in this partnership only -------------------------------


def _by_code(ctx: Ctx, model: Any, codes: Iterable[str], field: str) -> list[Any]:
    wanted = {c.strip() for c in codes if c and c.strip()}
    found = list(model.objects.filter(partnership=ctx.partnership, code__in=wanted))
    missing = sorted(wanted - {item.code for item in found})
    if missing:
        raise ServiceError(
            _("Not part of this partnership: %(codes)s") % {"codes": ", ".join(missing[:10])},
            field=field,
        )
    return found


def _threat_fields(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key == "dimensions":
            fields[key] = _by_code(ctx, Dimension, value or [], key)
        elif key == "localities":
            fields[key] = _by_code(ctx, Locality, value or [], key)
        elif key == "segments":
            fields[key] = _by_code(ctx, Segment, value or [], key)
        elif key == "partner_types":
            fields[key] = value or []
        else:
            fields[key] = value if value is not None else ""
    return fields


# --- Set-up ----------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/dimensions",
    response=list[DimensionOut],
    openapi_extra=needs("baseline_setup", Action.VIEW),
)
def list_dimensions(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    ctx = scoped(request, slug, "baseline_setup", Action.VIEW)
    return [
        {"code": d.code, "label": d.label, "description": d.description, "position": d.position}
        for d in services.dimensions_of(ctx.partnership)
    ]


@router.get(
    "/partnerships/{slug}/localities",
    response=LocalityPage,
    openapi_extra=needs("baseline_setup", Action.VIEW),
)
def list_localities(
    request: HttpRequest, slug: Slug, filters: Query[LocalityFilters]
) -> dict[str, Any]:
    """Localities without their boundaries (those are large), a page at a time."""
    ctx = scoped(request, slug, "baseline_setup", Action.VIEW)
    found = services.localities_of(ctx.partnership).defer("boundary").order_by("code")
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        found = found.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if filters.kind:
        found = found.filter(kind=filters.kind)
    total, results = page_of(found, page=filters.page, page_size=filters.page_size)
    return _page(total, filters.page, filters.page_size, results)


# --- Threats ---------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/threats",
    response=ThreatPage,
    openapi_extra=needs("threat", Action.VIEW),
)
def list_threats(request: HttpRequest, slug: Slug, filters: Query[ThreatFilters]) -> dict[str, Any]:
    ctx = scoped(request, slug, "threat", Action.VIEW)
    found = _threats(ctx)
    if filters.dimension:
        found = found.filter(dimensions__code=filters.dimension)
    if filters.locality:
        found = found.filter(localities__code=filters.locality)
    if filters.segment:
        found = found.filter(segments__code=filters.segment)
    if filters.partner_type:
        found = found.filter(partner_types__icontains=f'"{filters.partner_type}"')
    if filters.nature:
        found = found.filter(nature=filters.nature)
    if filters.q and filters.q.strip():
        found = found.filter(title__icontains=filters.q.strip())
    found = found.distinct().order_by("title", "pk")
    total, rows = page_of(found, page=filters.page, page_size=filters.page_size)
    return _page(total, filters.page, filters.page_size, [_threat_out(t) for t in rows])


@router.post(
    "/partnerships/{slug}/threats",
    response={201: ThreatOut, 400: Problem},
    openapi_extra=needs("threat", Action.CREATE),
)
def create_threat(request: HttpRequest, slug: Slug, payload: ThreatIn) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "threat", Action.CREATE)
    fields = _threat_fields(ctx, payload.dict())
    threat = services.create_threat(by=caller(request), partnership=ctx.partnership, **fields)
    return Status(201, _threat_out(get_owned_or_404(_threats(ctx), ctx.partnership, pk=threat.pk)))


@router.get(
    "/partnerships/{slug}/threats/{threat_id}",
    response=ThreatOut,
    openapi_extra=needs("threat", Action.VIEW),
)
def get_threat(request: HttpRequest, slug: Slug, threat_id: uuid.UUID) -> dict[str, Any]:
    ctx = scoped(request, slug, "threat", Action.VIEW)
    return _threat_out(get_owned_or_404(_threats(ctx), ctx.partnership, public_id=threat_id))


@router.patch(
    "/partnerships/{slug}/threats/{threat_id}",
    response={200: ThreatOut, 400: Problem},
    openapi_extra=needs("threat", Action.CHANGE),
)
def update_threat(
    request: HttpRequest, slug: Slug, threat_id: uuid.UUID, payload: ThreatPatch
) -> dict[str, Any]:
    ctx = scoped(request, slug, "threat", Action.CHANGE)
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    fields = _threat_fields(ctx, payload.changes())
    services.update_threat(by=caller(request), threat=threat, **fields)
    return _threat_out(get_owned_or_404(_threats(ctx), ctx.partnership, pk=threat.pk))


# --- Ratings ---------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/threats/{threat_id}/ratings",
    response=list[RatingOut],
    openapi_extra=needs("threat_rating", Action.VIEW),
)
def list_ratings(request: HttpRequest, slug: Slug, threat_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every rating, newest first; ``current`` marks each group's latest."""
    ctx = scoped(request, slug, "threat_rating", Action.VIEW)
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    seen: set[str] = set()
    out = []
    for rating in threat.ratings.select_related("segment", "rated_by").order_by(
        "-rated_on", "-created_at", "-id"
    ):
        out.append(_rating_out(rating, current=rating.group_key not in seen))
        seen.add(rating.group_key)
    return out


@router.post(
    "/partnerships/{slug}/threats/{threat_id}/ratings",
    response={201: RatingOut, 400: Problem},
    openapi_extra=needs("threat_rating", Action.CREATE),
)
def create_rating(
    request: HttpRequest, slug: Slug, threat_id: uuid.UUID, payload: RatingIn
) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "threat_rating", Action.CREATE)
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    data = payload.dict()
    segment = _by_code(ctx, Segment, [data["segment"]], "segment")[0] if data["segment"] else None
    rated_by = None
    if data["rated_by"]:
        rated_by = Partner.objects.filter(
            partnership=ctx.partnership, public_id=data["rated_by"]
        ).first()
        if rated_by is None:
            raise ServiceError(_("That partner is not part of this partnership."), field="rated_by")
    rating = services.rate_threat(
        by=caller(request),
        threat=threat,
        member=ctx.member,
        severity=data["severity"],
        likelihood=data["likelihood"],
        partner_type=data["partner_type"],
        segment=segment,
        source=data["source"],
        rated_by=rated_by,
        rated_on=data["rated_on"],
        note=data["note"],
    )
    return Status(201, _rating_out(rating, current=True))


# --- Analysis --------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/stress",
    response=StressOut,
    openapi_extra=needs("threat", Action.VIEW),
)
def get_stress(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Group × dimension: mean severity × likelihood of the threats on it, as
    the group rates them now (see ``baseline.analysis``)."""
    ctx = scoped(request, slug, "threat", Action.VIEW)
    return analysis.stress_matrix(ctx.partnership).as_dict()


@router.get(
    "/partnerships/{slug}/mutual-risks",
    response=list[MutualRiskOut],
    openapi_extra=needs("threat", Action.VIEW),
)
def get_mutual_risks(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """Threats rated high by two or more partner types, ranked."""
    ctx = scoped(request, slug, "threat", Action.VIEW)
    return [risk.as_dict() for risk in analysis.mutual_risks(ctx.partnership)]
