"""Schemas of the consultations API (``api/consultations_api.py``)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from api.schemas import INT_MAX, FreeJson, Text


class QuestionnaireFilters(Schema):
    page: int = Field(default=1, ge=1, le=INT_MAX)
    page_size: int = Field(default=20, ge=1, le=100)
    id: uuid.UUID | None = Field(default=None, description="Only this questionnaire.")
    status: Text | None = Field(default=None, description="draft, open or closed.")


class QuestionOut(Schema):
    key: str
    position: int
    kind: str
    text: dict[str, str]
    help_text: dict[str, str]
    required: bool
    options: list[dict[str, Any]]
    minimum: float | None
    maximum: float | None
    low_label: dict[str, str]
    high_label: dict[str, str]
    max_length: int


class QuestionnaireOut(Schema):
    id: uuid.UUID
    title: dict[str, str]
    introduction: dict[str, str]
    consent: dict[str, str]
    languages: list[str]
    mode: str
    status: str
    version: int | None
    response_count: int | None = Field(
        description="Responses so far; null (hidden) when 1 to 4 and the caller is not a "
        "facilitator, like every count of people."
    )
    created_at: datetime.datetime
    questions: list[QuestionOut] = Field(description="The questions of the current version.")


class QuestionnairePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[QuestionnaireOut]


class ResponseIn(Schema):
    questionnaire: uuid.UUID
    idempotency_key: Text | None = Field(
        default=None,
        max_length=100,
        description="Or the Idempotency-Key header: the same key twice records one response.",
    )
    answers: FreeJson = Field(
        description="By question key: a code (single choice), a list of codes (multiple "
        "choice), a number (scale, number), a text (free text), a list of items first "
        "priority first (ranking), an object threat code → severity (rating grid)."
    )
    attributes: dict[Text, Text] = Field(
        default_factory=dict,
        description="gender, age_band, segment, locality (codes) and partner_type; "
        "missing ones are taken from the caller's profile when answering as themselves.",
    )
    consented: bool = False
    language: Text = Field(default="en", max_length=10)
    respondent: Text = Field(
        default="self",
        description="self: the caller answers; other: the caller enters someone "
        "else's answers (facilitators: the session capability).",
    )
    session: uuid.UUID | None = None


class ResponseOut(Schema):
    id: uuid.UUID
    questionnaire: uuid.UUID
    version: int
    channel: str
    submitted_at: datetime.datetime
    replayed: bool
