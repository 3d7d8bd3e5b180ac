"""Schemas of the stakeholder map's API (``api/stakeholders_api.py``).

Actors leave through ``stakeholders.display.actor_public_fields``; the optional
keys of ``ActorOut`` (contacts, ``at_risk``) are absent, not null, for a
caller who may not see them: the operations dump with ``exclude_unset``.
"""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field

from api.schemas import INT_MAX, Int, Patch, Text, unset

MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(default=1, ge=1, le=INT_MAX)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class ActorFilters(PageQuery):
    kind: Text | None = None
    segment: Text | None = Field(default=None, description="A segment's code.")
    partner_type: Text | None = None
    engagement: Text | None = None
    q: Text | None = Field(default=None, max_length=200, description="Part of the name.")


class RelationFilters(PageQuery):
    actor: uuid.UUID | None = Field(default=None, description="Only this actor's relations.")
    relation_type: Text | None = None


class ActorIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    kind: Text = "organisation"
    partner_type: Text = ""
    partner: uuid.UUID | None = Field(default=None, description="The partner this actor is.")
    area_code: Text = Field(default="", max_length=20)
    locality_name: Text = Field(default="", max_length=200)
    segments: list[Text] = Field(default_factory=list, description="Segment codes.")
    tags: list[Text] = Field(default_factory=list)
    description: Text = Field(default="", max_length=10_000)
    contact_email: Text = Field(default="", max_length=254)
    contact_phone: Text = Field(default="", max_length=40)
    contact_notes: Text = Field(default="", max_length=10_000)


class ActorPatch(Patch):
    """Only the fields sent change; ``null`` empties a field (and unlinks the
    partner), and is refused for the name and the kind."""

    name: Text = unset(min_length=1, max_length=200)
    kind: Text = unset()
    partner_type: Text | None = None
    partner: uuid.UUID | None = None
    area_code: Text | None = Field(default=None, max_length=20)
    locality_name: Text | None = Field(default=None, max_length=200)
    segments: list[Text] | None = None
    tags: list[Text] | None = None
    description: Text | None = Field(default=None, max_length=10_000)
    contact_email: Text | None = Field(default=None, max_length=254)
    contact_phone: Text | None = Field(default=None, max_length=40)
    contact_notes: Text | None = Field(default=None, max_length=10_000)


class ActorOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    partner_type: str
    partner: str
    area_code: str
    locality_name: str
    segments: list[str]
    tags: list[str]
    description: str
    influence: float | None
    interest: float | None
    capacity: float | None
    engagement: str
    disagreement: float
    assessment_count: int
    # Present only for callers who may see them.
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_notes: str | None = None
    at_risk: bool | None = None


class ActorPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ActorOut]


class ActorRef(Schema):
    id: uuid.UUID
    name: str


class PartnerRef(Schema):
    id: uuid.UUID
    name: str


class AssessmentIn(Schema):
    assessed_by: uuid.UUID = Field(description="The partner whose view this is.")
    # Plain integers: the service explains a score out of range (400).
    influence: Int
    interest: Int
    capacity: Int
    stance: Text = "unknown"
    engagement: Text = "none"
    assessed_on: datetime.date | None = None
    influence_note: Text = Field(default="", max_length=500)
    interest_note: Text = Field(default="", max_length=500)
    capacity_note: Text = Field(default="", max_length=500)


class AssessmentOut(Schema):
    id: uuid.UUID
    actor: ActorRef
    assessed_by: PartnerRef
    assessed_on: datetime.date
    influence: int
    interest: int
    capacity: int
    stance: str
    engagement: str
    influence_note: str
    interest_note: str
    capacity_note: str
    current: bool = Field(description="The latest assessment of this partner.")


class RelationIn(Schema):
    source: uuid.UUID
    target: uuid.UUID
    relation_type: Text
    directed: bool = True
    strength: Int = 3
    note: Text = Field(default="", max_length=500)


class RelationOut(Schema):
    id: uuid.UUID
    source: ActorRef
    target: ActorRef
    relation_type: str
    directed: bool
    strength: int
    note: str


class RelationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[RelationOut]


class InclusionRowOut(Schema):
    code: str
    label: str
    # null: hidden by small-number suppression (docs/counts-of-people.md).
    actors: int | None
    engaged: int | None
    partners: int | None
    members: int | None
    primary: bool
    status: str
    status_label: str
    next_steps: list[str]


class InclusionOut(Schema):
    segments: list[InclusionRowOut]
    partner_types: list[InclusionRowOut]
