"""/api/v1 routes of the consultations room: questionnaires with the questions
of their current version, and responses written by any channel (the web form's
twin for future channels: SMS gateways, KoboToolbox, partner systems).

Responses go through ``consultations.services.record_response``, like the web
form; the same idempotency key twice records one response (201 the first
time, 200 with the same id after). There is deliberately no endpoint that
reads single responses: results leave only aggregated and suppressed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from api.consultations_schemas import (
    QuestionnaireFilters,
    QuestionnairePage,
    ResponseIn,
    ResponseOut,
)
from api.ops import needs, scoped
from api.schemas import Problem, Slug
from consultations import counts, services
from consultations.models import Channel, Question, Questionnaire, Response, Session
from partnerships.paging import page_of
from partnerships.permissions import Action, Ctx
from partnerships.services import ServiceError

router = Router(tags=["consultations"])

QUESTION_FIELDS = (
    "key",
    "position",
    "kind",
    "text",
    "help_text",
    "required",
    "options",
    "minimum",
    "maximum",
    "low_label",
    "high_label",
    "max_length",
)


def _questionnaire_out(q: Questionnaire, ctx: Ctx) -> dict[str, Any]:
    return {
        "id": q.public_id,
        **{
            f: getattr(q, f)
            for f in ("title", "introduction", "consent", "languages", "mode", "status")
        },
        "version": q.current_version.number if q.current_version else None,
        # A count of people: exact for facilitators, suppressed for everyone else.
        "response_count": counts.people(ctx, q.response_count),
        "created_at": q.created_at,
        "questions": [
            {f: getattr(question, f) for f in QUESTION_FIELDS}
            for question in getattr(q.current_version, "current_questions", [])
        ],
    }


@router.get(
    "/partnerships/{slug}/questionnaires",
    response=QuestionnairePage,
    openapi_extra=needs("questionnaire", Action.VIEW),
)
def list_questionnaires(
    request: HttpRequest, slug: Slug, filters: Query[QuestionnaireFilters]
) -> dict[str, Any]:
    """Questionnaires, newest first, each with the questions of its current version
    (``id`` narrows the list to one)."""
    ctx = scoped(request, slug, "questionnaire", Action.VIEW)
    rows = Questionnaire.objects.filter(partnership=ctx.partnership)
    if filters.id:
        rows = rows.filter(public_id=filters.id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    total, page = page_of(
        rows.select_related("current_version")
        .prefetch_related(
            Prefetch(
                "current_version__questions",
                queryset=Question.objects.order_by("position"),
                to_attr="current_questions",
            )
        )
        .order_by("-created_at", "pk"),
        page=filters.page,
        page_size=filters.page_size,
    )
    return {
        "count": total,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_questionnaire_out(q, ctx) for q in page],
    }


@router.post(
    "/partnerships/{slug}/responses",
    response={200: ResponseOut, 201: ResponseOut, 400: Problem},
    openapi_extra=needs("response", Action.CREATE),
)
def create_response(
    request: HttpRequest, slug: Slug, payload: ResponseIn
) -> Status[dict[str, Any]]:
    ctx = scoped(request, slug, "response", Action.CREATE)
    questionnaire = (
        Questionnaire.objects.filter(partnership=ctx.partnership, public_id=payload.questionnaire)
        .select_related("partnership")
        .first()
    )
    if questionnaire is None:
        # The same answer for another partnership's questionnaire and for none at all.
        raise ServiceError(
            _("That questionnaire is not in this partnership."), field="questionnaire"
        )
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    if not key.strip():
        raise ServiceError(
            _("Send an idempotency key (field or Idempotency-Key header)."), field="idempotency_key"
        )
    if payload.respondent not in ("self", "other"):
        raise ServiceError(_("The respondent is “self” or “other”."), field="respondent")
    if payload.respondent == "other" and not ctx.can("session", Action.CHANGE):
        raise PermissionDenied
    session = None
    if payload.session:
        session = Session.objects.filter(
            partnership=ctx.partnership, public_id=payload.session
        ).first()
        if session is None:
            raise ServiceError(_("That session is not in this partnership."), field="session")
    response: Response = services.record_response(
        questionnaire=questionnaire,
        channel=Channel.API,
        idempotency_key=key,
        answers=payload.answers,
        attributes=payload.attributes,
        member=ctx.member if payload.respondent == "self" else None,
        session=session,
        language=payload.language,
        consented=payload.consented,
    )
    body = {
        "id": response.public_id,
        "questionnaire": questionnaire.public_id,
        "version": response.version.number,
        "channel": response.channel,
        "submitted_at": response.submitted_at,
        "replayed": response.replayed,
    }
    return Status(200 if response.replayed else 201, body)
