"""The decision log as the public reads it: through ``public_records`` only
(``decisions.hooks`` declares what), never a ballot or a participation.

A secret vote shows only its totals, suppressed; a vote of members shows its
table by partner type, suppressed; a vote of partners or partner types shows
its counts as they are (organisations, not people)."""

from __future__ import annotations

from typing import Any

from decisions import display
from decisions.models import Decision, DecisionLink, DecisionStatus
from partnerships.languages import in_language
from partnerships.publication import public_records


def public_decisions(
    partnership_id: int, *, limit: int | None = None, status: str = "", kind: str = ""
) -> list[dict[str, Any]]:
    """The public decisions of a published partnership, newest first, as
    plain dicts ready for a page or a feed (their tallies: ``with_tallies``).
    Two queries."""
    return present(partnership_id, public_rows(partnership_id, status=status, kind=kind)[:limit])


def public_rows(partnership_id: int, *, status: str = "", kind: str = "") -> list[dict[str, Any]]:
    """The public rows as ``public_records`` reads them, newest first: a page
    then ``present``s only the rows it shows. One query."""
    rows = public_records(Decision, partnership_id)
    if status:
        rows = [r for r in rows if r["status"] == status]
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    rows.sort(key=lambda r: r["closed_at"] or r["proposed_at"], reverse=True)
    return rows


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
