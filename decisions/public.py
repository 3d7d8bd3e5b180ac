"""The decision log as the public reads it: through ``public_records`` only
(``decisions.hooks`` declares what), never a ballot or a participation.

A secret vote shows only its totals, suppressed; a vote of members shows its
table by partner type, suppressed; a vote of partners or partner types shows
its counts as they are (organisations, not people)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from decisions import display
from decisions.models import Decision, DecisionLink, DecisionStatus
from partnerships.languages import in_language
from partnerships.publication import public_queryset, public_records


def public_decisions(
    partnership_id: int, *, limit: int | None = None, status: str = "", kind: str = ""
) -> list[dict[str, Any]]:
    """The public decisions of a published partnership, newest first, as
    plain dicts ready for a page or a feed (their tallies: ``with_tallies``).
    Two queries."""
    rows = public_rows(partnership_id, status=status, kind=kind)
    return present(partnership_id, list(rows[:limit] if limit is not None else rows))


def public_rows(partnership_id: int, *, status: str = "", kind: str = "") -> QuerySet[Any]:
    """The public rows as ``public_queryset`` reads them, newest first (the
    closing, or for an open vote the proposal), still unread: a page counts and
    slices them in the database, then ``present``s only the rows it shows."""
    rows = public_queryset(Decision, partnership_id)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by(Coalesce("closed_at", "proposed_at").desc(), "-pk")


def present(partnership_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``public_rows`` as a page or a feed shows them, with their links. One query."""
    if not rows:
        return []
    wanted = {r["id"] for r in rows}
    linked: dict[int, list[dict[str, Any]]] = {}
    for link in public_records(DecisionLink, partnership_id):
        if link["decision"] in wanted:
            linked.setdefault(link["decision"], []).append(link)
    statuses = dict(DecisionStatus.choices)
    return [
        {
            "public_id": r["public_id"],
            "title": in_language(r["title"]),
            "body": in_language(r["body"]),
            "kind": r["kind_label"] or r["kind"],
            "status": r["status"],
            "status_label": str(statuses.get(r["status"], r["status"])),
            "closed_at": r["closed_at"],
            "outcome": in_language(r["outcome"]),
            # Made for the rows a page shows only (``with_tallies``): suppression costs.
            "public_tally": r["public_tally"],
            "tally": None,
            "secret": r["secret"],
            "links": [{"label": link["label"]} for link in linked.get(r["id"], [])],
        }
        for r in rows
    ]


def with_tallies(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tallies of the rows a page shows: a secret vote's totals only, and
    every count of people suppressed, once, at the close (``decisions.display``)."""
    for row in rows:
        if row["public_tally"]:
            row["tally"] = display.stored_public(row["public_tally"])
    return rows
