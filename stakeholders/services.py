"""What people do to the stakeholder map. ``by`` is the person acting (the
word "actor" belongs to the map here). Every write is audited and atomic."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.models import Member, Partner, Partnership, PartnerType, Role
from partnerships.protection import has_clearance
from partnerships.services import only_fields
from stakeholders.models import (
    DEFAULT_SEGMENTS,
    Actor,
    ActorKind,
    Assessment,
    Engagement,
    Relation,
    RelationType,
    RiskFlag,
    Segment,
    Stance,
)

# What people may write about an actor is what the audit trail tracks: one list.
ACTOR_FIELDS = Actor.audit_fields


def ensure_default_segments(*, partnership: Partnership, by: Any = None) -> None:
    """Give a partnership the default segments it lacks (idempotent)."""
    existing = set(Segment.objects.filter(partnership=partnership).values_list("code", flat=True))
    for code, _label in DEFAULT_SEGMENTS:
        if code not in existing:
            save_audited(Segment(partnership=partnership, code=code), actor=by)


@transaction.atomic
def add_segment(*, by: Any, partnership: Partnership, name: str, description: str = "") -> Segment:
    """A partnership's own segment, beside the defaults."""
    code = slugify(name)[:40]
    if not code:
        raise ServiceError(_("Give the segment a name."), field="name")
    if Segment.objects.filter(partnership=partnership, code=code).exists():
        raise ServiceError(_("There is already a segment with this name."), field="name")
    segment = Segment(
        partnership=partnership, code=code, name=name.strip(), description=description.strip()
    )
    save_audited(segment, actor=by)
    return segment


def segments_of(partnership: Partnership) -> QuerySet[Segment]:
    return Segment.objects.filter(partnership=partnership)


def _clean_actor_fields(partnership: Partnership, fields: dict[str, Any]) -> dict[str, Any]:
    only_fields(fields, (*ACTOR_FIELDS, "segments"))
    for key, value in list(fields.items()):
        if isinstance(value, str):
            fields[key] = value.strip()
    if "name" in fields and not fields["name"]:
        raise ServiceError(_("An actor needs a name."), field="name")
    if "kind" in fields and fields["kind"] not in ActorKind.values:
        raise ServiceError(_("Unknown kind of actor."), field="kind")
    if fields.get("partner_type") and fields["partner_type"] not in PartnerType.values:
        raise ServiceError(_("Unknown partner type."), field="partner_type")
    partner = fields.get("partner")
    if partner is not None and partner.partnership_id != partnership.pk:
        raise ServiceError(_("That partner is not part of this partnership."), field="partner")
    if partner is not None and not fields.get("partner_type"):
        fields["partner_type"] = partner.partner_type
    if "tags" in fields:
        tags = fields["tags"]
        if isinstance(tags, str):
            tags = tags.split(",")
        fields["tags"] = sorted({t.strip() for t in tags if t and t.strip()})
    segments = fields.get("segments")
    if segments is not None:
        segments = list(segments)
        if any(s.partnership_id != partnership.pk for s in segments):
            raise ServiceError(_("That segment is not part of this partnership."), field="segments")
        fields["segments"] = segments
    return fields


def _duplicate(
    partnership: Partnership, by: Any, name: str, kind: str, exclude: int | None = None
) -> bool:
    """Is an actor of this name and kind already on the map, among those the
    caller knows by name? A hidden actor does not count for the uncleared:
    "already on the map" for a name they cannot see would tell them that
    someone of that name is on the map and flagged."""
    qs = Actor.objects.filter(partnership=partnership, name__iexact=name, kind=kind)
    if not has_clearance(Member.objects.filter(partnership=partnership, user=by).first()):
        qs = qs.filter(at_risk=False)
    return qs.exclude(pk=exclude).exists() if exclude else qs.exists()


@transaction.atomic
def create_actor(*, by: Any, partnership: Partnership, **fields: Any) -> Actor:
    fields = _clean_actor_fields(partnership, {"kind": ActorKind.ORGANISATION, **fields})
    if not fields.get("name"):
        raise ServiceError(_("An actor needs a name."), field="name")
    if _duplicate(partnership, by, fields["name"], fields["kind"]):
        raise ServiceError(_("This actor is already on the map."), field="name")
    segments = fields.pop("segments", None)
    actor = Actor(partnership=partnership, **fields)
    save_audited(actor, actor=by)
    if segments:
        actor.segments.set(segments)
    return actor


@transaction.atomic
def update_actor(*, by: Any, actor: Actor, **fields: Any) -> Actor:
    fields = _clean_actor_fields(actor.partnership, fields)
    name, kind = fields.get("name", actor.name), fields.get("kind", actor.kind)
    if _duplicate(actor.partnership, by, name, kind, exclude=actor.pk):
        raise ServiceError(_("This actor is already on the map."), field="name")
    segments = fields.pop("segments", None)
    for key, value in fields.items():
        setattr(actor, key, value)
    save_audited(actor, actor=by, update_fields=list(fields) or None)
    if segments is not None:
        actor.segments.set(segments)
    return actor


@transaction.atomic
def delete_actor(*, by: Any, actor: Actor) -> None:
    delete_audited(actor, actor=by)


# --- Assessments ------------------------------------------------------------------


def _score(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Give a score from 1 to 5."), field=field) from None
    if not 1 <= number <= 5:
        raise ServiceError(_("Give a score from 1 to 5."), field=field)
    return number


@transaction.atomic
def assess(
    *,
    by: Any,
    actor: Actor,
    assessed_by: Partner,
    influence: Any,
    interest: Any,
    capacity: Any,
    stance: str = Stance.UNKNOWN,
    engagement: str = Engagement.NONE,
    assessed_on: datetime.date | None = None,
    influence_note: str = "",
    interest_note: str = "",
    capacity_note: str = "",
) -> Assessment:
    """Record one partner's view of an actor. A partner representative speaks
    for their own partner; a facilitator may record any partner's view (say,
    from a facilitated session)."""
    if assessed_by.partnership_id != actor.partnership_id:
        raise ServiceError(_("That partner is not part of this partnership."), field="assessed_by")
    member = Member.objects.filter(partnership_id=actor.partnership_id, user=by).first()
    if (
        member is not None
        and member.role == Role.PARTNER_REPRESENTATIVE
        and member.partner_id != assessed_by.pk
    ):
        raise ServiceError(
            _("You can assess only on behalf of the partner you represent."), field="assessed_by"
        )
    if stance not in Stance.values:
        raise ServiceError(_("Unknown stance."), field="stance")
    if engagement not in Engagement.values:
        raise ServiceError(_("Unknown engagement level."), field="engagement")
    when = assessed_on or timezone.localdate()
    if when > timezone.localdate():
        raise ServiceError(_("An assessment cannot be dated in the future."), field="assessed_on")
    assessment = Assessment(
        partnership_id=actor.partnership_id,
        actor=actor,
        assessed_by=assessed_by,
        author=by,
        assessed_on=when,
        influence=_score(influence, "influence"),
        interest=_score(interest, "interest"),
        capacity=_score(capacity, "capacity"),
        influence_note=influence_note.strip(),
        interest_note=interest_note.strip(),
        capacity_note=capacity_note.strip(),
        stance=stance,
        engagement=engagement,
    )
    save_audited(assessment, actor=by)
    refresh_summary(actor)
    return assessment


def current_assessments(actor: Actor) -> list[Assessment]:
    """The latest assessment of each partner that assessed the actor."""
    latest: dict[int, Assessment] = {}
    for a in actor.assessments.select_related("assessed_by").order_by(
        "-assessed_on", "-created_at", "-pk"
    ):
        latest.setdefault(a.assessed_by_id, a)
    return list(latest.values())


def refresh_summary(actor: Actor) -> None:
    """Keep the actor's derived scores in step with its current assessments."""
    current = current_assessments(actor)
    if current:
        n = len(current)
        actor.influence = sum(a.influence for a in current) / n
        actor.interest = sum(a.interest for a in current) / n
        actor.capacity = sum(a.capacity for a in current) / n
        newest = max(current, key=lambda a: (a.assessed_on, a.created_at, a.pk))
        actor.engagement = newest.engagement
        actor.disagreement = float(
            max(
                max(a.influence for a in current) - min(a.influence for a in current),
                max(a.interest for a in current) - min(a.interest for a in current),
            )
        )
    else:
        actor.influence = actor.interest = actor.capacity = None
        actor.engagement, actor.disagreement = Engagement.NONE, 0.0
    actor.assessment_count = actor.assessments.count()
    actor.grid_cell = Actor.cell_of(actor.influence, actor.interest)
    fields = ["influence", "interest", "capacity", "engagement", "disagreement", "assessment_count"]
    actor.save(update_fields=[*fields, "grid_cell"])


@transaction.atomic
def delete_assessment(*, by: Any, assessment: Assessment) -> None:
    actor = assessment.actor
    delete_audited(assessment, actor=by)
    refresh_summary(actor)


# --- Relations --------------------------------------------------------------------


@transaction.atomic
def relate(
    *,
    by: Any,
    partnership: Partnership,
    source: Actor,
    target: Actor,
    relation_type: str,
    directed: bool = True,
    strength: Any = 3,
    note: str = "",
) -> Relation:
    if source.partnership_id != partnership.pk or target.partnership_id != partnership.pk:
        raise ServiceError(_("Both actors must be on this partnership's map."), field="target")
    if source.pk == target.pk:
        raise ServiceError(_("An actor cannot be related to itself."), field="target")
    if relation_type not in RelationType.values:
        raise ServiceError(_("Unknown kind of relation."), field="relation_type")
    if Relation.objects.filter(source=source, target=target, relation_type=relation_type).exists():
        raise ServiceError(_("This relation is already on the map."), field="relation_type")
    relation = Relation(
        partnership=partnership,
        source=source,
        target=target,
        relation_type=relation_type,
        directed=directed,
        strength=_score(strength, "strength"),
        note=note.strip(),
    )
    save_audited(relation, actor=by)
    return relation


@transaction.atomic
def delete_relation(*, by: Any, relation: Relation) -> None:
    delete_audited(relation, actor=by)


# --- Participation risk --------------------------------------------------------------


@transaction.atomic
def flag_at_risk(*, by: Any, actor: Actor, reason: str) -> RiskFlag:
    if not reason.strip():
        raise ServiceError(_("Say why this actor is at risk if identified."), field="reason")
    if actor.at_risk:
        raise ServiceError(_("This actor is already flagged."))
    flag = RiskFlag(
        partnership_id=actor.partnership_id, actor=actor, reason=reason.strip(), flagged_by=by
    )
    save_audited(flag, actor=by)
    actor.at_risk = True
    actor.save(update_fields=["at_risk"])
    return flag


@transaction.atomic
def clear_risk_flag(*, by: Any, actor: Actor) -> None:
    flag = RiskFlag.objects.filter(actor=actor, cleared_at__isnull=True).first()
    if flag is None:
        raise ServiceError(_("This actor is not flagged."))
    flag.cleared_at, flag.cleared_by = timezone.now(), by
    save_audited(flag, actor=by, update_fields=["cleared_at", "cleared_by"])
    actor.at_risk = False
    actor.save(update_fields=["at_risk"])


def protected_ids(ids: Iterable[str]) -> set[str]:
    """For ``partnerships.protection``: which of these actors are flagged now."""
    return {
        str(pk)
        for pk in Actor.objects.filter(public_id__in=list(ids), at_risk=True).values_list(
            "public_id", flat=True
        )
    }
