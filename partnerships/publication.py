"""Publication: what the public portal may show.

Each kind of record declares, once, which of its fields may appear in public
and which rows qualify. The portal reads partnership data only through
``public_records`` and ``public_partnership``; a model without a declaration
cannot be read from there at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Publication:
    fields: tuple[str, ...]
    where: Q | None = None


_DECLARATIONS: dict[type[models.Model], Publication] = {}


def declare(model: type[models.Model], *, fields: tuple[str, ...], where: Q | None = None) -> None:
    for name in fields:
        model._meta.get_field(name)  # fail at start-up on a typo, not in public
    _DECLARATIONS[model] = Publication(fields=fields, where=where)


def declaration(model: type[models.Model]) -> Publication:
    try:
        return _DECLARATIONS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} declares nothing public.") from None


def is_declared(model: type[models.Model]) -> bool:
    return model in _DECLARATIONS


def public_partnerships() -> models.QuerySet[Any]:
    from partnerships.models import Partnership

    rule = declaration(Partnership)
    qs = Partnership.objects.filter(is_published=True)
    if rule.where is not None:
        qs = qs.filter(rule.where)
    return qs


def public_partnership(slug: str) -> dict[str, Any] | None:
    from partnerships.models import Partnership

    rule = declaration(Partnership)
    return public_partnerships().filter(slug=slug).values("id", *rule.fields).first()


def public_queryset(model: type[models.Model], partnership_id: int) -> models.QuerySet[Any]:
    """``public_records`` before it is read: a lazy query of plain dicts holding
    only the declared fields, which a long public list orders, filters (on
    those fields) and pages in the database instead of reading every row."""
    rule = declaration(model)
    qs = model._default_manager.filter(
        partnership_id=partnership_id, partnership__is_published=True
    )
    if rule.where is not None:
        qs = qs.filter(rule.where)
    return qs.values(*rule.fields)


def public_records(model: type[models.Model], partnership_id: int) -> list[dict[str, Any]]:
    """The public rows of ``model`` in a published partnership, as plain dicts
    holding only the declared fields."""
    return list(public_queryset(model, partnership_id))


# Aggregates a room lets the portal show (counts, never people). Each function
# takes a published partnership's id and must itself leave protected people out.
_SUMMARIES: dict[str, Callable[[int], dict[str, Any]]] = {}


def declare_summary(key: str, summary: Callable[[int], dict[str, Any]]) -> None:
    _SUMMARIES[key] = summary


def public_summaries(partnership_id: int) -> dict[str, dict[str, Any]]:
    return {key: fn(partnership_id) for key, fn in _SUMMARIES.items()}
