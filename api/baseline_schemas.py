"""Schemas of the baseline's API (``api/baseline_api.py``)."""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field

from api.stakeholders_schemas import PageQuery


class DimensionOut(Schema):
    code: str
    label: str
    description: str
    position: int


class LocalityFilters(PageQuery):
    q: str | None = Field(default=None, max_length=100, description="Part of the name or code.")
    kind: str | None = None


class LocalityOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str
    parent_name: str
    latitude: float | None
    longitude: float | None


class LocalityPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LocalityOut]


class ThreatFilters(PageQuery):
    dimension: str | None = Field(default=None, description="A dimension's code.")
    locality: str | None = Field(default=None, description="A locality's official code.")
    partner_type: str | None = None
    segment: str | None = Field(default=None, description="A segment's code.")
    nature: str | None = None
    q: str | None = Field(default=None, max_length=200)


class ThreatIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    nature: str = "downside"
    dimensions: list[str] = Field(description="Dimension codes (at least one).")
    localities: list[str] = Field(default_factory=list, description="Official codes.")
    segments: list[str] = Field(default_factory=list, description="Segment codes.")
    partner_types: list[str] = Field(default_factory=list)
    root_causes: str = Field(default="", max_length=10_000)
    trend: str = "unknown"


class ThreatPatch(Schema):
    """Only the fields sent change."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    nature: str | None = None
    dimensions: list[str] | None = None
    localities: list[str] | None = None
    segments: list[str] | None = None
    partner_types: list[str] | None = None
    root_causes: str | None = Field(default=None, max_length=10_000)
    trend: str | None = None


class ThreatOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    nature: str
    dimensions: list[str]
    localities: list[str]
    segments: list[str]
    partner_types: list[str]
    root_causes: str
    trend: str
    severity: float | None
    likelihood: float | None
    rating_count: int


class ThreatPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ThreatOut]


class RatingIn(Schema):
    partner_type: str = ""
    segment: str | None = Field(default=None, description="A segment's code.")
    severity: int = Field(description="1 to 5")
    likelihood: int = Field(description="1 to 5")
    source: str = "partner"
    rated_by: uuid.UUID | None = Field(default=None, description="The partner entering it.")
    rated_on: datetime.date | None = None
    note: str = Field(default="", max_length=5_000)


class RatingOut(Schema):
    id: uuid.UUID
    partner_type: str
    segment: str | None
    group: str
    severity: int
    likelihood: int
    source: str
    rated_by: uuid.UUID | None
    rated_on: datetime.date
    note: str
    current: bool


class StressCellOut(Schema):
    value: float | None
    threats: int


class StressGroupOut(Schema):
    key: str
    label: str
    cells: list[StressCellOut]


class StressDimensionOut(Schema):
    code: str
    label: str


class StressOut(Schema):
    dimensions: list[StressDimensionOut]
    groups: list[StressGroupOut]


class MutualRiskOut(Schema):
    threat: uuid.UUID
    title: str
    partner_types: list[str]
    partner_type_count: int
    mean_severity: float
    mean_likelihood: float
    dimensions: list[str]
