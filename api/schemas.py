"""Schemas of ``/api/v1`` and the input types every room's API shares.

Every string a caller sends is a ``Text`` (or a ``Slug`` in a path): control
characters other than tab, newline and carriage return are refused with a 422
naming the field (PostgreSQL would refuse a NUL later, with a 500). Every
integer is an ``Int``, within what the databases store. ``FreeJson`` is a
free-form object of such values, two levels deep at most. A PATCH schema is a ``Patch``: a
field it types without ``None`` may be left out but not sent as ``null``
(422, naming the field); a nullable one is cleared by ``null``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, get_args

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from partnerships.text import CONTROL

# Control characters (``partnerships.text.CONTROL``), as the schema publishes them.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def _printable(value: str) -> str:
    if CONTROL.search(value):
        raise PydanticCustomError(
            "control_character", _("The text holds a control character (such as NUL).")
        )
    return value


class _Published:
    """Publishes the refusal of control characters in the schema (a
    ``pattern``), while ``_printable`` refuses them with a translated message."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["pattern"] = TEXT_PATTERN
        return schema


Text = Annotated[str, AfterValidator(_printable), _Published()]
Slug = Annotated[Text, Field(max_length=100)]
Int = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]
# A value of a free-form object: a scalar, a list of them, or an object of them
# (what a consultation answer can be: a code, codes, a number, items ranked,
# threats rated). Its strings are ``Text`` like any other.
Scalar = Text | bool | int | float | None
FreeValue = Scalar | list[Scalar] | dict[Text, Scalar]
FreeJson = dict[Text, FreeValue]


class Patch(Schema):
    """A PATCH body: only the fields sent change."""

    def changes(self) -> dict[str, Any]:
        """The fields sent; ``null`` in a nullable text or list field clears it
        ("" or [], what the services store for "nothing")."""
        sent = self.model_dump(exclude_unset=True)
        for name, value in sent.items():
            if value is None:
                args = get_args(type(self).model_fields[name].annotation)
                if str in args or any(getattr(a, "__origin__", None) is str for a in args):
                    sent[name] = ""
                elif any(getattr(a, "__origin__", None) is list for a in args):
                    sent[name] = []
        return sent


def unset(**constraints: Any) -> Any:
    """A ``Patch`` field that may be left out but is never ``null``."""
    return Field(default=None, json_schema_extra=_no_default, **constraints)


def _no_default(schema: dict[str, Any]) -> None:
    # The default only marks "not sent"; the schema must not offer null.
    schema.pop("default", None)


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
    name: Text = Field(min_length=1, max_length=200)
    partner_type: Text
    description: Text = Field(default="", max_length=10_000)
    joined_on: datetime.date | None = None
    entry_reason: Text = Field(default="", max_length=10_000)


class PartnerPatch(Patch):
    """Only the fields sent change; ``null`` empties a text, and is refused for
    the name, the type and the date it joined (a partner always has them)."""

    name: Text = unset(min_length=1, max_length=200)
    partner_type: Text = unset()
    description: Text | None = Field(default=None, max_length=10_000)
    joined_on: datetime.date = unset()
    entry_reason: Text | None = Field(default=None, max_length=10_000)


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
    role: Text
    partner: uuid.UUID | None = None


class InvitationIn(Schema):
    email: Text = Field(max_length=254)
    role: Text
    partner: uuid.UUID | None = None


class InvitationOut(Schema):
    id: uuid.UUID
    role: str
    partner: uuid.UUID | None
    expires_at: datetime.datetime
    state: str
