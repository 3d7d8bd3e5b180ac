"""Pages of the consultations room: the questionnaire builder, the web form
(for members, and a public link for anonymous questionnaires), facilitated
sessions, each member's profile and the raw view of identified responses.
Thin: parse, call one service, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core import signing
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from baseline.models import Locality
from consultations import services, sheet, webform
from consultations.forms import ProfileForm, QuestionForm, QuestionnaireForm, SessionForm, SheetForm
from consultations.models import (
    Channel,
    Mode,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    RespondentProfile,
    Response,
    Session,
)
from partnerships.models import Member
from partnerships.paging import paged
from partnerships.permissions import Action, Ctx, get_owned_or_404, partnership_view, public_view
from partnerships.services import ServiceError
from stakeholders.models import Segment

GET_POST = ("GET", "HEAD", "POST")
POST = ("POST",)
PAGE_SIZE = 30
LINK_SALT = "consultations.public-link"


def _questionnaire(ctx: Ctx, questionnaire_id: Any) -> Questionnaire:
    return get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)


def _to_detail(ctx: Ctx, q: Questionnaire) -> HttpResponse:
    return redirect("consultations:detail", slug=ctx.partnership.slug, questionnaire_id=q.public_id)


def public_link_token(questionnaire: Questionnaire) -> str:
    return signing.dumps(str(questionnaire.public_id), salt=LINK_SALT)


# --- Builder --------------------------------------------------------------------------


@partnership_view("questionnaire", Action.VIEW)
def questionnaire_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    listing = paged(request, Questionnaire.objects.filter(partnership=ctx.partnership), PAGE_SIZE)
    return render(
        request,
        "consultations/list.html",
        {"ctx": ctx, "page": listing["page"], "query": listing["query"]},
    )


@partnership_view("questionnaire", Action.CREATE, methods=GET_POST)
def questionnaire_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = QuestionnaireForm(request.POST or None, initial={"mode": Mode.ANONYMOUS})
    if request.method == "POST" and form.is_valid():
        try:
            q = services.create_questionnaire(
                by=request.user, partnership=ctx.partnership, **form.values()
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Questionnaire created: now add its questions."))
            return _to_detail(ctx, q)
    return render(request, "consultations/questionnaire_form.html", {"ctx": ctx, "form": form})


@partnership_view("questionnaire", Action.VIEW)
def questionnaire_detail(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID
) -> HttpResponse:
    q = get_owned_or_404(
        Questionnaire.objects.select_related("current_version"),
        ctx.partnership,
        public_id=questionnaire_id,
    )
    version = q.current_version
    link = None
    if (
        q.mode == Mode.ANONYMOUS
        and q.status == QuestionnaireStatus.OPEN
        and ctx.can("questionnaire", Action.CHANGE)
    ):
        link = request.build_absolute_uri(
            reverse("consultations:public_answer", kwargs={"link": public_link_token(q)})
        )
    return render(
        request,
        "consultations/detail.html",
        {
            "ctx": ctx,
            "q": q,
            "version": version,
            "frozen": bool(version and version.frozen_at),
            "questions": services.questionnaire_questions(q),
            "sessions": Session.objects.filter(questionnaire=q).select_related("locality")[:50],
            "link": link,
            "statuses": QuestionnaireStatus.choices,
        },
    )


@partnership_view("questionnaire", Action.CHANGE, methods=GET_POST)
def questionnaire_edit(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    form = QuestionnaireForm(request.POST or None, initial=QuestionnaireForm.initial_for(q))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_questionnaire(by=request.user, questionnaire=q, **form.values())
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Saved."))
            return _to_detail(ctx, q)
    return render(
        request, "consultations/questionnaire_form.html", {"ctx": ctx, "form": form, "q": q}
    )


@partnership_view("questionnaire", Action.CHANGE, methods=POST)
def questionnaire_status(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    try:
        services.set_status(by=request.user, questionnaire=q, status=request.POST.get("status", ""))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The questionnaire is now: %(s)s.") % {"s": q.get_status_display()}
        )
    return _to_detail(ctx, q)


def _question_values(ctx: Ctx, form: QuestionForm) -> dict[str, Any]:
    values = form.values()
    if values["kind"] == QuestionKind.THREAT_RATING:
        values["options"] = services.threat_options(ctx.partnership)
    return values


@partnership_view("questionnaire", Action.CHANGE, methods=GET_POST)
def question_add(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    form = QuestionForm(request.POST or None, initial={"max_length": 2000})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(by=request.user, questionnaire=q, **_question_values(ctx, form))
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Question added."))
            return _to_detail(ctx, q)
    return _question_page(request, ctx, q, form, None)


def _question_page(
    request: HttpRequest, ctx: Ctx, q: Questionnaire, form: QuestionForm, question: Question | None
) -> HttpResponse:
    frozen = bool(q.current_version and q.current_version.frozen_at)
    return render(
        request,
        "consultations/question_form.html",
        {"ctx": ctx, "q": q, "form": form, "question": question, "frozen": frozen},
    )


@partnership_view("questionnaire", Action.CHANGE, methods=GET_POST)
def question_edit(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, question_key: str
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    question = Question.objects.filter(version_id=q.current_version_id, key=question_key).first()
    if question is None:
        raise Http404
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(
                by=request.user,
                questionnaire=q,
                question_key=question_key,
                **_question_values(ctx, form),
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Saved."))
            return _to_detail(ctx, q)
    return _question_page(request, ctx, q, form, question)


@partnership_view("questionnaire", Action.CHANGE, methods=POST)
def question_delete(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, question_key: str
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    try:
        services.remove_question(by=request.user, questionnaire=q, question_key=question_key)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Question removed."))
    return _to_detail(ctx, q)


@partnership_view("questionnaire", Action.CHANGE, methods=POST)
def question_move(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, question_key: str
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    try:
        services.move_question(
            by=request.user,
            questionnaire=q,
            question_key=question_key,
            up=request.POST.get("direction") == "up",
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return _to_detail(ctx, q)


# --- The web form ---------------------------------------------------------------------


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
        q, request.POST.get("lang") or request.GET.get("lang"), translation.get_language() or "en"
    )
    questions = services.questionnaire_questions(q)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else None
    with translation.override(language):
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
        if data is not None:
            attributes = webform.read_attributes(data)
        else:
            attributes = _profile_values(member)
        context = {
            "ctx": ctx,
            "q": q,
            "language": language,
            "languages": [c for c in webform.LANGUAGE_CODES if c == "en" or c in q.languages],
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
            "is_open": q.status == QuestionnaireStatus.OPEN,
        }
        page = render(request, "consultations/answer.html", context, status=200)
    return page


def _profile_values(member: Member | None) -> dict[str, str]:
    if member is None:
        return {}
    profile = (
        RespondentProfile.objects.filter(member=member)
        .select_related("segment", "locality")
        .first()
    )
    if profile is None:
        return {}
    return {
        "gender": profile.gender,
        "age_band": profile.age_band,
        "segment": profile.segment.code if profile.segment else "",
        "locality": profile.locality.code if profile.locality else "",
    }


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
    q = _questionnaire(ctx, questionnaire_id)
    return _thanks_page(request, q, ctx)


def _thanks_page(request: HttpRequest, q: Questionnaire, ctx: Ctx | None) -> HttpResponse:
    language = webform.respondent_language(
        q, request.GET.get("lang"), translation.get_language() or "en"
    )
    with translation.override(language):
        return render(
            request,
            "consultations/thanks.html",
            {"ctx": ctx, "q": q, "title": webform.text_in(q.title, language), "language": language},
        )


@partnership_view("questionnaire", Action.VIEW)
def preview(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = get_owned_or_404(
        Questionnaire.objects.select_related("partnership"),
        ctx.partnership,
        public_id=questionnaire_id,
    )
    result = _form_page(request, q, ctx=ctx, member=None, action="", preview=True)
    assert isinstance(result, HttpResponse)
    return result


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


@public_view(methods=GET_POST)
def public_answer(request: HttpRequest, link: str) -> HttpResponse:
    q = _public_questionnaire(link)
    result = _form_page(request, q, ctx=None, member=None, action=request.path)
    if isinstance(result, HttpResponse):
        return result
    url = reverse("consultations:public_thanks", kwargs={"link": link})
    return redirect(f"{url}?lang={result['language']}")


@public_view()
def public_thanks(request: HttpRequest, link: str) -> HttpResponse:
    return _thanks_page(request, _public_questionnaire(link), None)


# --- Raw view of identified responses ---------------------------------------------------


def _identified(ctx: Ctx, questionnaire_id: uuid.UUID) -> Questionnaire:
    q = _questionnaire(ctx, questionnaire_id)
    # Anonymous responses have no per-response view for anyone.
    if q.mode != Mode.IDENTIFIED:
        raise Http404
    return q


@partnership_view("response", Action.VIEW)
def responses(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = _identified(ctx, questionnaire_id)
    rows = Response.objects.filter(questionnaire=q).select_related(
        "member__user", "segment", "locality", "version", "session"
    )
    listing = paged(request, rows, PAGE_SIZE)
    return render(
        request,
        "consultations/responses.html",
        {"ctx": ctx, "q": q, "page": listing["page"], "query": listing["query"]},
    )


@partnership_view("response", Action.VIEW)
def response_detail(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, response_id: uuid.UUID
) -> HttpResponse:
    q = _identified(ctx, questionnaire_id)
    response = get_owned_or_404(
        Response.objects.filter(questionnaire=q).select_related(
            "member__user", "segment", "locality", "version"
        ),
        ctx.partnership,
        public_id=response_id,
    )
    answers = list(
        response.answers.select_related("question").order_by("question__position", "number", "pk")
    )
    return render(
        request,
        "consultations/response_detail.html",
        {"ctx": ctx, "q": q, "response": response, "answers": answers},
    )


# --- Facilitated sessions -----------------------------------------------------------------


def _localities(ctx: Ctx) -> QuerySet[Locality]:
    return Locality.objects.filter(partnership=ctx.partnership)


@partnership_view("session", Action.CREATE, methods=GET_POST)
def session_create(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    form = SessionForm(
        request.POST or None,
        localities=_localities(ctx),
        genders=webform.genders_of(ctx.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                by=request.user, questionnaire=q, facilitated_by=ctx.member, **form.values()
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Session recorded: now enter its forms."))
            return redirect(
                "consultations:session", slug=ctx.partnership.slug, session_id=session.public_id
            )
    return render(request, "consultations/session_form.html", {"ctx": ctx, "q": q, "form": form})


def _session(ctx: Ctx, session_id: uuid.UUID) -> Session:
    session: Session = get_owned_or_404(
        Session.objects.select_related("questionnaire__partnership", "locality"),
        ctx.partnership,
        public_id=session_id,
    )
    return session


@partnership_view("session", Action.VIEW)
def session_detail(request: HttpRequest, ctx: Ctx, session_id: uuid.UUID) -> HttpResponse:
    session = _session(ctx, session_id)
    return _session_page(request, ctx, session, SheetForm(), [])


def _session_page(
    request: HttpRequest,
    ctx: Ctx,
    session: Session,
    form: SheetForm,
    problems: list[tuple[int, str, str]],
) -> HttpResponse:
    questions = services.questionnaire_questions(session.questionnaire)
    genders = dict(webform.genders_of(ctx.partnership))
    attendance = [(genders.get(k, k), v) for k, v in session.attendance.items() if k != "total"]
    return render(
        request,
        "consultations/session.html",
        {
            "ctx": ctx,
            "session": session,
            "q": session.questionnaire,
            "attendance": attendance,
            "form": form,
            "problems": problems[:500],
            "problem_count": len(problems),
            "header": ",".join(sheet.header(questions)),
            "recorded": Response.objects.filter(session=session).count(),
        },
    )


@partnership_view("session", Action.CHANGE, methods=POST)
def session_entry(request: HttpRequest, ctx: Ctx, session_id: uuid.UUID) -> HttpResponse:
    session = _session(ctx, session_id)
    form = SheetForm(request.POST, request.FILES)
    problems: list[tuple[int, str, str]] = []
    if form.is_valid():
        questions = services.questionnaire_questions(session.questionnaire)
        rows, problems = sheet.read(form.text(), questions)
        if not problems:
            try:
                result = services.record_responses_bulk(
                    session=session, rows=rows, consented=form.cleaned_data["consented"]
                )
            except services.BulkInvalid as error:
                problems = error.problems
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(n)s forms recorded; %(m)s were already recorded.")
                    % {"n": result.recorded, "m": result.already},
                )
                return redirect(
                    "consultations:session", slug=ctx.partnership.slug, session_id=session.public_id
                )
        if problems:
            messages.error(
                request,
                _("Nothing was recorded: correct the problems below and send the sheet again."),
            )
    return _session_page(request, ctx, session, form, problems)


@partnership_view("session", Action.VIEW)
def session_template(request: HttpRequest, ctx: Ctx, session_id: uuid.UUID) -> HttpResponse:
    session = _session(ctx, session_id)
    body = sheet.template_csv(services.questionnaire_questions(session.questionnaire))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="session-{session.held_on:%Y-%m-%d}.csv"'
    )
    return response


# --- My details for consultations ---------------------------------------------------------


@partnership_view("respondent_profile", Action.CHANGE, methods=GET_POST)
def profile(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    current = (
        RespondentProfile.objects.filter(member=ctx.member)
        .select_related("segment", "locality")
        .first()
    )
    initial = _profile_values(ctx.member) if current else {}
    form = ProfileForm(
        request.POST or None,
        initial=initial,
        segments=Segment.objects.filter(partnership=ctx.partnership),
        localities=_localities(ctx),
        genders=webform.genders_of(ctx.partnership),
        age_bands=webform.age_bands_of(ctx.partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(by=request.user, member=ctx.member, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("consultations:profile", slug=ctx.partnership.slug)
    return render(request, "consultations/profile.html", {"ctx": ctx, "form": form})
