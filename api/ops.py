"""What every API operation shares: its declared entry in the permission
table and the partnership context it acts in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from api.auth import caller
from partnerships.permissions import Action, Ctx, get_partnership_for_member, require


def needs(kind: str, action: Action) -> dict[str, Any]:
    """The operation's entry in the permission table, published in the schema
    (``x-hsbp-permission``) and checked by the permission-matrix test."""
    return {"x-hsbp-permission": {"kind": kind, "action": action.value}}


def scoped(request: HttpRequest, slug: str, kind: str, action: Action) -> Ctx:
    """The caller's partnership (a 404 for outsiders) once the table allows the action."""
    partnership, member = get_partnership_for_member(caller(request), slug)
    require(member, kind, action)
    return Ctx(partnership, member)
