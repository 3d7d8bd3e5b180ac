from __future__ import annotations

import datetime
import uuid

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    detail: str
    field: str | None = None


class PartnershipOut(Schema):
    slug: str
    name: str
    country: str
    area_code: str
    locality_name: str
    description: str
    languages: list[str]
    status: str
    is_published: bool
    my_role: str


class PartnerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    partner_type: str
    description: str = Field(default="", max_length=10_000)
    joined_on: datetime.date | None = None
    entry_reason: str = Field(default="", max_length=10_000)


class PartnerPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    partner_type: str | None = None
    description: str | None = Field(default=None, max_length=10_000)
    joined_on: datetime.date | None = None
    entry_reason: str | None = Field(default=None, max_length=10_000)


class PartnerOut(Schema):
    id: uuid.UUID
    name: str
    partner_type: str
    description: str
    joined_on: datetime.date
    entry_reason: str
    left_on: datetime.date | None
    leaver_reason: str


class MemberOut(Schema):
    id: uuid.UUID
    name: str
    role: str
    partner: uuid.UUID | None


class MemberPatch(Schema):
    role: str
    partner: uuid.UUID | None = None


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    role: str
    partner: uuid.UUID | None = None


class InvitationOut(Schema):
    id: uuid.UUID
    role: str
    partner: uuid.UUID | None
    expires_at: datetime.datetime
    state: str
