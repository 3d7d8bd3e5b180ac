"""/api/v1 routes of the analysis: a question's aggregated results by up to
three variables, suppressed by the same function and the same stored tables
as the pages and exports. Never single responses, never free text."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from api.ops import needs, scoped
from api.schemas import Problem, Slug, Text
from consultations.analysis_results import Result, Row, question_results
from consultations.models import Question, Questionnaire
from partnerships.languages import reading
from partnerships.permissions import Action, get_owned_or_404
from partnerships.services import ServiceError
from partnerships.suppression import Refused

router = Router(tags=["results"])


class ResultsQuery(Schema):
    by: list[Text] = []


class CellOut(Schema):
    answer: str
    label: str
    respondents: float | None  # null: hidden
    share: float | None


class GroupOut(Schema):
    values: dict[str, str]
    labels: dict[str, str]
    respondents: int | None  # null: the whole group is hidden
    hidden: bool
    mean: float | None
    cells: list[CellOut]


class ResultOut(Schema):
    question: str
    item: str
    item_label: str
    kind: str  # "distribution" or "means" (a grid's means by item)
    by: list[str]
    overall: GroupOut | None
    groups: list[GroupOut]


class ResultsOut(Schema):
    questionnaire: uuid.UUID
    aggregated_at: Any
    results: list[ResultOut]
    about_hidden: str = Field(
        description="Why a number is null: the page that explains small-number protection."
    )


def _group(result: Result, row: Row) -> dict[str, Any]:
    return {
        "values": dict(zip(result.variables, row.values, strict=False)),
        "labels": dict(zip(result.variables, row.labels, strict=False)),
        "respondents": row.total,
        "hidden": row.hidden,
        "mean": row.mean,
        "cells": [
            {"answer": code, "label": label, "respondents": cell.count, "share": cell.share}
            for (code, label), cell in zip(result.columns, row.cells, strict=True)
        ],
    }


@router.get(
    "/partnerships/{slug}/questionnaires/{questionnaire_id}/results/{question_key}",
    response={200: ResultsOut, 400: Problem},
    openapi_extra=needs("results", Action.VIEW),
)
def question_results_api(
    request: HttpRequest,
    slug: Slug,
    questionnaire_id: uuid.UUID,
    question_key: Slug,
    query: Query[ResultsQuery],
) -> Status[dict[str, Any]] | dict[str, Any]:
    """A question's results by up to three of segment, gender, age_band,
    locality and partner_type (``?by=gender&by=age_band``). Hidden numbers are
    null; a breakdown that would show single people is refused (400)."""
    ctx = scoped(request, slug, "results", Action.VIEW)
    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    question = (
        Question.objects.filter(version__questionnaire=q, key=question_key)
        .order_by("-version__number")
        .first()
    )
    if question is None:
        from django.http import Http404

        raise Http404
    try:
        with reading(ctx.partnership):  # labels fall back to the first working language
            results = question_results(q, question, query.by)
    except Refused as exc:
        raise ServiceError(str(exc), field="by") from exc
    return {
        "questionnaire": q.public_id,
        "aggregated_at": q.aggregated_at,
        "about_hidden": request.build_absolute_uri(reverse("portal:small_numbers")),
        "results": [
            {
                "question": question.key,
                "item": r.item,
                "item_label": r.item_label,
                "kind": "means" if r.means_only else "distribution",
                "by": r.variables,
                "overall": _group(r, r.overall) if r.overall else None,
                "groups": [_group(r, row) for row in r.rows],
            }
            for r in results
        ],
    }


__all__ = ["Status", "router"]
