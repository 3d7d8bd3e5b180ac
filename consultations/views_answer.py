"""The web form of a questionnaire — for members, and through the public link
of an anonymous one — its preview, and what comes after: the thank-you page,
which leads to the results, and the page that says "you have already
answered" (one answer per browser on the public link; see
docs/consultations.md for what that does and does not prevent).
Thin: parse, call ``services.record_response``, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from consultations import services, webform
from consultations.models import Channel, Mode, Questionnaire, QuestionnaireStatus
from consultations.views import LINK_SALT
from partnerships.errors import ServiceError
from partnerships.languages import reading
from partnerships.models import Member
from partnerships.permissions import (
    GET_POST,
    Action,
    Ctx,
    get_owned_or_404,
    partnership_view,
    public_view,
)

ANSWERED_SALT = "consultations.answered"
# Long enough to outlast any consultation; the cookie says only "answered".
ANSWERED_MAX_AGE = 2 * 365 * 24 * 3600


def _form_page(
    request: HttpRequest,
    q: Questionnaire,
    *,
    ctx: Ctx | None,
    member: Member | None,
    action: str,
    preview: bool = False,
) -> HttpResponse | dict[str, Any]:
    """Render the form, or record the answers. Returns the page, or the
    response's context when it was recorded."""
    language = webform.respondent_language(
        q, request.POST.get("lang") or request.GET.get("lang"), translation.get_language() or ""
    )
    questions = services.questionnaire_questions(q)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else None
    with translation.override(language), reading(q.partnership):
        if data is not None and not preview:
            try:
                services.record_response(
                    questionnaire=q,
                    channel=Channel.WEB,
                    idempotency_key=data.get("key", ""),
                    answers=webform.read_answers(questions, data),
                    attributes=webform.read_attributes(data),
                    member=member,
                    language=language,
                    consented=data.get("consent") == "yes",
                )
            except services.ResponseInvalid as error:
                errors = error.errors
            except ServiceError as error:
                errors = {error.field or "form": error.message}
            else:
                return {"language": language}
        tried = False
        if data is not None and preview:
            errors = services.preview_response(
                questionnaire=q,
                answers=webform.read_answers(questions, data),
                consented=data.get("consent") == "yes",
            )
            tried = not errors
        if data is not None:
            attributes = webform.read_attributes(data)
        else:
            attributes = webform.profile_values(member)
        context = {
            "ctx": ctx,
            "q": q,
            "language": language,
            "languages": webform.offered_languages(q),
            "title": webform.text_in(q.title, language),
            "introduction": webform.text_in(q.introduction, language),
            "consent_text": webform.text_in(q.consent, language),
            "consented": data is not None and data.get("consent") == "yes",
            "questions": webform.question_fields(questions, language, data, errors),
            "attributes": webform.attribute_fields(q.partnership, attributes, errors),
            "errors": errors,
            "form_error": errors.get("form")
            or errors.get("questionnaire")
            or errors.get("idempotency_key", ""),
            "key": (data.get("key") if data is not None else "") or uuid.uuid4().hex,
            "action": action,
            "preview": preview,
            "tried": tried,
            "is_open": q.status == QuestionnaireStatus.OPEN,
        }
        page = render(request, "consultations/answer.html", context, status=200)
    return page


@partnership_view("response", Action.CREATE, methods=GET_POST)
def answer(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = get_owned_or_404(
        Questionnaire.objects.select_related("partnership"),
        ctx.partnership,
        public_id=questionnaire_id,
    )
    result = _form_page(request, q, ctx=ctx, member=ctx.member, action=request.path)
    if isinstance(result, HttpResponse):
        return result
    url = reverse(
        "consultations:thanks",
        kwargs={"slug": ctx.partnership.slug, "questionnaire_id": q.public_id},
    )
    return redirect(f"{url}?lang={result['language']}")


@partnership_view("response", Action.CREATE)
def thanks(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = get_owned_or_404(
        Questionnaire.objects.select_related("partnership"),
        ctx.partnership,
        public_id=questionnaire_id,
    )
    return _after_page(request, q, ctx, "consultations/thanks.html")


def results_place(q: Questionnaire, ctx: Ctx | None) -> dict[str, Any]:
    """Where the respondent can read the results: the results pages for a
    member; for the public, the partnership's page on the portal, which shows
    them once the facilitators publish the baseline (and says nothing before)."""
    from baseline.services import is_baseline_published

    partnership = q.partnership
    place: dict[str, Any] = {"results_url": "", "portal_url": "", "on_portal": False}
    if ctx is not None and ctx.can("results", Action.VIEW):
        place["results_url"] = reverse(
            "consultations:results", args=[partnership.slug, q.public_id]
        )
    if partnership.is_published:
        place["portal_url"] = reverse("portal:partnership", args=[partnership.slug])
        place["on_portal"] = q.aggregated_at is not None and is_baseline_published(partnership)
    return place


def _after_page(
    request: HttpRequest, q: Questionnaire, ctx: Ctx | None, template: str, status: int = 200
) -> HttpResponse:
    language = webform.respondent_language(
        q, request.GET.get("lang"), translation.get_language() or ""
    )
    with translation.override(language), reading(q.partnership):
        return render(
            request,
            template,
            {
                "ctx": ctx,
                "q": q,
                "title": webform.text_in(q.title, language),
                "language": language,
                **results_place(q, ctx),
            },
            status=status,
        )


@partnership_view("questionnaire", Action.VIEW, methods=GET_POST)
def preview(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = get_owned_or_404(
        Questionnaire.objects.select_related("partnership"),
        ctx.partnership,
        public_id=questionnaire_id,
    )
    result = _form_page(request, q, ctx=ctx, member=None, action="", preview=True)
    assert isinstance(result, HttpResponse)
    return result


# --- The public link ---------------------------------------------------------------------


def _public_questionnaire(link: str) -> Questionnaire:
    """The questionnaire of a public link: only anonymous ones, only while open."""
    try:
        public_id = signing.loads(link, salt=LINK_SALT)
    except signing.BadSignature:
        raise Http404 from None
    q: Questionnaire | None = (
        Questionnaire.objects.select_related("partnership").filter(public_id=public_id).first()
    )
    if q is None or q.mode != Mode.ANONYMOUS or q.status != QuestionnaireStatus.OPEN:
        raise Http404
    return q


def _answered_cookie(q: Questionnaire) -> str:
    return f"hsbp-answered-{q.public_id.hex[:16]}"


def answered_here(request: HttpRequest, q: Questionnaire) -> bool:
    """Whether this browser has already answered the questionnaire through its
    public link: a signed cookie, set when the answers were recorded."""
    value = request.get_signed_cookie(
        _answered_cookie(q), default=None, salt=f"{ANSWERED_SALT}:{q.public_id}"
    )
    return value == "1"


def remember_answered(response: HttpResponse, q: Questionnaire, path: str) -> None:
    """Mark this browser as having answered. Only "1" is stored, never an
    answer or an id that leads to the response; the cookie goes back only to
    the questionnaire's own public pages (``path``)."""
    response.set_signed_cookie(
        _answered_cookie(q),
        "1",
        salt=f"{ANSWERED_SALT}:{q.public_id}",
        max_age=ANSWERED_MAX_AGE,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@public_view(methods=GET_POST)
def public_answer(request: HttpRequest, link: str) -> HttpResponse:
    q = _public_questionnaire(link)
    if answered_here(request, q):
        # Nothing is recorded, whatever was posted: one answer per browser.
        return _after_page(request, q, None, "consultations/answered.html")
    result = _form_page(request, q, ctx=None, member=None, action=request.path)
    if isinstance(result, HttpResponse):
        return result
    url = reverse("consultations:public_thanks", kwargs={"link": link})
    response = redirect(f"{url}?lang={result['language']}")
    remember_answered(response, q, request.path)
    return response


@public_view()
def public_thanks(request: HttpRequest, link: str) -> HttpResponse:
    return _after_page(request, _public_questionnaire(link), None, "consultations/thanks.html")
