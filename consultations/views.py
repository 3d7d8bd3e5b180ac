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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from accounts.confirm import CONFIRM_METHODS, confirm_page
from baseline.models import Locality
from consultations import counts, services, sheet, webform
from consultations.forms import ProfileForm, QuestionForm, QuestionnaireForm, SessionForm, SheetForm
from consultations.models import (
    Mode,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    RespondentProfile,
    Response,
    Session,
)
from partnerships.errors import ServiceError
from partnerships.form_view import button_view, form_view
from partnerships.languages import language_name, working_languages
from partnerships.paging import paged
from partnerships.permissions import GET_POST, POST, Action, Ctx, get_owned_or_404, partnership_view
from stakeholders.models import Segment

PAGE_SIZE = 30
LINK_SALT = "consultations.public-link"
# What each kind of question asks, for the page that chooses it.
KIND_CHOICES = (
    (QuestionKind.SINGLE_CHOICE, _l("One answer among options you write.")),
    (QuestionKind.MULTIPLE_CHOICE, _l("Several answers among options you write.")),
    (QuestionKind.SCALE, _l("A point on a scale, for example from 1 to 5.")),
    (QuestionKind.NUMBER, _l("A number, for example how many people live in the household.")),
    (QuestionKind.FREE_TEXT, _l("The respondent's own words.")),
    (QuestionKind.RANKING, _l("Options put in order of priority.")),
    (
        QuestionKind.THREAT_RATING,
        _l("How serious each of the partnership's threats is, from the threat register."),
    ),
)


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
    for q in listing["page"]:
        q.shown_responses = counts.people(ctx, q.response_count)
    return render(
        request,
        "consultations/list.html",
        {"ctx": ctx, "page": listing["page"], "query": listing["query"]},
    )


@partnership_view("questionnaire", Action.CREATE, methods=GET_POST)
def questionnaire_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = QuestionnaireForm(
        request.POST or None,
        initial={"mode": Mode.ANONYMOUS},
        languages=working_languages(ctx.partnership),
    )
    return form_view(
        request,
        form,
        lambda: services.create_questionnaire(
            by=request.user, partnership=ctx.partnership, **form.values()
        ),
        done=_("Questionnaire created: now add its questions."),
        then=lambda q: _to_detail(ctx, q),
        page=lambda: _questionnaire_form_page(request, ctx, form, None),
    )


def _questionnaire_form_page(
    request: HttpRequest, ctx: Ctx, form: QuestionnaireForm, q: Questionnaire | None
) -> HttpResponse:
    return render(
        request,
        "consultations/questionnaire_form.html",
        {"ctx": ctx, "form": form, "q": q, "first_language": language_name(form.languages[0])},
    )


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
    sessions = list(Session.objects.filter(questionnaire=q).select_related("locality")[:50])
    for session in sessions:
        session.shown_attendance = counts.attendance(ctx, session.attendance).get("total")
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
            "sessions": sessions,
            "responses": counts.people(ctx, q.response_count),
            "link": link,
            "statuses": QuestionnaireStatus.choices,
        },
    )


@partnership_view("questionnaire", Action.CHANGE, methods=GET_POST)
def questionnaire_edit(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    languages = working_languages(ctx.partnership)
    form = QuestionnaireForm(
        request.POST or None,
        initial=QuestionnaireForm.initial_for(q, languages),
        languages=languages,
    )
    return form_view(
        request,
        form,
        lambda: services.update_questionnaire(by=request.user, questionnaire=q, **form.values()),
        done=_("Saved."),
        then=lambda _saved: _to_detail(ctx, q),
        page=lambda: _questionnaire_form_page(request, ctx, form, q),
    )


@partnership_view("questionnaire", Action.CHANGE, methods=POST)
def questionnaire_status(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    return button_view(
        request,
        lambda: services.set_status(
            by=request.user, questionnaire=q, status=request.POST.get("status", "")
        ),
        # Said once the status has changed, so it names the new one.
        done=lambda _changed: _("The questionnaire is now: %(s)s.") % {"s": q.get_status_display()},
        then=_to_detail(ctx, q),
    )


def _question_values(ctx: Ctx, form: QuestionForm) -> dict[str, Any]:
    values = form.values()
    if values["kind"] == QuestionKind.THREAT_RATING:
        values["options"] = services.threat_options(ctx.partnership)
    return values


def _chosen_kind(request: HttpRequest, default: str | None) -> str | None:
    kind = request.POST.get("kind") or request.GET.get("kind") or default
    return kind if kind in QuestionKind.values else None


@partnership_view("questionnaire", Action.CHANGE, methods=GET_POST)
def question_add(request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    kind = _chosen_kind(request, None)
    if kind is None:  # first, the kind of question: then only the fields it needs
        return _kind_page(request, ctx, q, None)
    form = QuestionForm(
        request.POST or None, kind=kind, languages=working_languages(ctx.partnership)
    )
    return form_view(
        request,
        form,
        lambda: services.add_question(
            by=request.user, questionnaire=q, **_question_values(ctx, form)
        ),
        done=_("Question added."),
        then=lambda _saved: _to_detail(ctx, q),
        page=lambda: _question_page(request, ctx, q, form, None),
        sent=request.method == "POST" and not form.row_action,
    )


def _kind_page(
    request: HttpRequest, ctx: Ctx, q: Questionnaire, question: Question | None
) -> HttpResponse:
    return render(
        request,
        "consultations/question_kind.html",
        {"ctx": ctx, "q": q, "question": question, "kinds": KIND_CHOICES},
    )


def _question_page(
    request: HttpRequest, ctx: Ctx, q: Questionnaire, form: QuestionForm, question: Question | None
) -> HttpResponse:
    frozen = bool(q.current_version and q.current_version.frozen_at)
    kind_url = request.path + "?choose=1"
    return render(
        request,
        "consultations/question_form.html",
        {
            "ctx": ctx,
            "q": q,
            "form": form,
            "question": question,
            "frozen": frozen,
            "kind_label": QuestionKind(form.question_kind).label,
            "kind_url": kind_url,
            "rows": form.rows.for_template() if form.rows is not None else None,
            "unsaved": form.row_action,
        },
    )


def _current_question(q: Questionnaire, question_key: str) -> Question:
    question: Question | None = Question.objects.filter(
        version_id=q.current_version_id, key=question_key
    ).first()
    if question is None:
        raise Http404
    return question


@partnership_view("questionnaire", Action.CHANGE, methods=GET_POST)
def question_edit(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, question_key: str
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    question = _current_question(q, question_key)
    if request.method != "POST" and request.GET.get("choose"):
        return _kind_page(request, ctx, q, question)
    kind = _chosen_kind(request, question.kind) or question.kind
    languages = working_languages(ctx.partnership)
    form = QuestionForm(
        request.POST or None,
        initial=QuestionForm.initial_for(question, languages),
        kind=kind,
        languages=languages,
        options=question.options,
    )
    return form_view(
        request,
        form,
        lambda: services.update_question(
            by=request.user,
            questionnaire=q,
            question_key=question_key,
            **_question_values(ctx, form),
        ),
        done=_("Saved."),
        then=lambda _saved: _to_detail(ctx, q),
        page=lambda: _question_page(request, ctx, q, form, question),
        sent=request.method == "POST" and not form.row_action,
    )


@partnership_view("questionnaire", Action.CHANGE, methods=CONFIRM_METHODS)
def question_delete(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, question_key: str
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    question = _current_question(q, question_key)
    if request.method != "POST":
        consequences = [_("The other questions keep their order.")]
        if q.current_version and q.current_version.frozen_at:
            consequences.insert(
                0,
                _(
                    "Responses have arrived: the question leaves a new version of the "
                    "questionnaire; the answers already given to it stay in the results."
                ),
            )
        return confirm_page(
            request,
            ctx,
            title=_("Remove the question “%(question)s”?") % {"question": question.label},
            consequences=consequences,
            button=_("Remove the question"),
            cancel_url=reverse("consultations:detail", args=[ctx.partnership.slug, q.public_id]),
        )
    return button_view(
        request,
        lambda: services.remove_question(
            by=request.user, questionnaire=q, question_key=question_key
        ),
        done=_("Question removed."),
        then=_to_detail(ctx, q),
    )


@partnership_view("questionnaire", Action.CHANGE, methods=POST)
def question_move(
    request: HttpRequest, ctx: Ctx, questionnaire_id: uuid.UUID, question_key: str
) -> HttpResponse:
    q = _questionnaire(ctx, questionnaire_id)
    return button_view(
        request,
        lambda: services.move_question(
            by=request.user,
            questionnaire=q,
            question_key=question_key,
            up=request.POST.get("direction") == "up",
        ),
        then=_to_detail(ctx, q),
    )


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
    return form_view(
        request,
        form,
        lambda: services.create_session(
            by=request.user, questionnaire=q, facilitated_by=ctx.member, **form.values()
        ),
        done=_("Session recorded: now enter its forms."),
        then=lambda session: redirect(
            "consultations:session", slug=ctx.partnership.slug, session_id=session.public_id
        ),
        page=lambda: render(
            request, "consultations/session_form.html", {"ctx": ctx, "q": q, "form": form}
        ),
    )


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
    shown = counts.attendance(ctx, session.attendance)
    attendance = [(genders.get(k, k), v) for k, v in shown.items() if k != "total"]
    return render(
        request,
        "consultations/session.html",
        {
            "ctx": ctx,
            "session": session,
            "q": session.questionnaire,
            "attendance": attendance,
            "attended": shown.get("total"),
            "form": form,
            "problems": problems[:500],
            "problem_count": len(problems),
            "columns": sheet.columns(questions),
            "recorded": counts.people(ctx, Response.objects.filter(session=session).count()),
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
                n, already = result.recorded, result.already
                said = ngettext("%(n)s form recorded.", "%(n)s forms recorded.", n) % {"n": n}
                if already:
                    said += " " + ngettext(
                        "%(n)s was already recorded.", "%(n)s were already recorded.", already
                    ) % {"n": already}
                messages.success(request, said)
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
    initial = webform.profile_values(ctx.member) if current else {}
    form = ProfileForm(
        request.POST or None,
        initial=initial,
        segments=Segment.objects.filter(partnership=ctx.partnership),
        localities=_localities(ctx),
        genders=webform.genders_of(ctx.partnership),
        age_bands=webform.age_bands_of(ctx.partnership),
    )
    return form_view(
        request,
        form,
        lambda: services.save_profile(by=request.user, member=ctx.member, **form.cleaned_data),
        done=_("Your details are saved."),
        then=lambda _saved: redirect("consultations:profile", slug=ctx.partnership.slug),
        page=lambda: render(request, "consultations/profile.html", {"ctx": ctx, "form": form}),
    )
