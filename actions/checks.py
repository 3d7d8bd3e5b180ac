"""Small checks every workflow of this room uses: who acts, and whether a
record named by a caller is this partnership's."""

from __future__ import annotations

from typing import Any

from django.db import models

from partnerships.models import Member, Partnership


def member_of(by: Any, partnership: Partnership) -> Member | None:
    """The membership of ``by`` (a user) in ``partnership``, if any."""
    if getattr(by, "pk", None) is None:
        return None
    member: Member | None = (
        Member.objects.select_related("partner")
        .filter(partnership=partnership, user_id=by.pk)
        .first()
    )
    return member


def owned(record: Any, model: type[models.Model], partnership: Partnership) -> bool:
    """``record`` is a ``model`` of ``partnership`` (another partnership's is not)."""
    return isinstance(record, model) and getattr(record, "partnership_id", None) == partnership.pk
