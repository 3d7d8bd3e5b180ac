"""Schemas of the baseline's API (``api/baseline_api.py``)."""

from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field

from api.schemas import Int, Patch, Text, unset
from api.stakeholders_schemas import PageQuery


class DimensionOut(Schema):
    code: str
    label: str
    description: str
    position: int


class LocalityFilters(PageQuery):
    q: Text | None = Field(default=None, max_length=100, description="Part of the name or code.")
    kind: Text | None = None


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
    dimension: Text | None = Field(default=None, description="A dimension's code.")
    locality: Text | None = Field(default=None, description="A locality's official code.")
    partner_type: Text | None = None
    segment: Text | None = Field(default=None, description="A segment's code.")
    nature: Text | None = None
    q: Text | None = Field(default=None, max_length=200)


class ThreatIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    description: Text = Field(default="", max_length=10_000)
    nature: Text = "downside"
    dimensions: list[Text] = Field(description="Dimension codes (at least one).")
    localities: list[Text] = Field(default_factory=list, description="Official codes.")
    segments: list[Text] = Field(default_factory=list, description="Segment codes.")
    partner_types: list[Text] = Field(default_factory=list)
    root_causes: Text = Field(default="", max_length=10_000)
    trend: Text = "unknown"


class ThreatPatch(Patch):
    """Only the fields sent change; ``null`` empties a text or a list, and is
    refused for the title, the nature, the trend and the dimensions."""

    title: Text = unset(min_length=1, max_length=200)
    description: Text | None = Field(default=None, max_length=10_000)
    nature: Text = unset()
    dimensions: list[Text] = unset()
    localities: list[Text] | None = None
    segments: list[Text] | None = None
    partner_types: list[Text] | None = None
    root_causes: Text | None = Field(default=None, max_length=10_000)
    trend: Text = unset()


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
    partner_type: Text = ""
    segment: Text | None = Field(default=None, description="A segment's code.")
    severity: Int = Field(description="1 to 5")
    likelihood: Int = Field(description="1 to 5")
    source: Text = "partner"
    rated_by: uuid.UUID | None = Field(default=None, description="The partner entering it.")
    rated_on: datetime.date | None = None
    note: Text = Field(default="", max_length=5_000)


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
