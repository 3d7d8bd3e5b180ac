"""Counts of people in this room — responses to a questionnaire, forms of a
session, a session's attendance — as a viewer may see them.

Facilitators run the consultation: they enter the paper forms and may read
identified responses one by one, so the counts they see are exact. Everyone
else (representatives, participants, observers, and the public through the
API or the portal) sees them through ``partnerships.suppression``, like every
other count of people: a count of 1–4 is hidden, and so is whatever would give
it away by subtraction. ``None`` means hidden; templates show it with
``{{ n|people }}``, which says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from partnerships.permissions import Action, Ctx
from partnerships.suppression import TOTAL, suppress_count, suppress_line

UNSTATED = "_unstated"  # attendance not broken down: its own category, so the line adds up


def sees_exact(ctx: Ctx | None) -> bool:
    return ctx is not None and ctx.can("response", Action.VIEW)


def people(ctx: Ctx | None, count: int) -> int | None:
    """A lone count of people (a questionnaire's responses, a session's forms)."""
    return count if sees_exact(ctx) else suppress_count(count)


def attendance(ctx: Ctx | None, counts: Mapping[str, Any]) -> dict[str, int | None]:
    """A session's attendance, ``{"total": n, <gender code>: n, …}``, as shown:
    the total and the counts by gender are one line of mutually exclusive
    counts (the people not broken down by gender are a category of their own,
    so that the line adds up)."""
    parts = {str(k): int(v) for k, v in counts.items() if k != TOTAL and v is not None}
    total = int(counts.get(TOTAL) or sum(parts.values()))
    if sees_exact(ctx):
        return {**parts, TOTAL: total}
    line = dict(parts)
    if total > sum(parts.values()):
        line[UNSTATED] = total - sum(parts.values())
    shown = suppress_line(line)
    shown.pop(UNSTATED, None)
    return shown
