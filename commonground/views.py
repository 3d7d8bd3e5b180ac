"""Pages of the common-ground room: conversations, voting (for members, and
a public link for anyone), statements and their moderation, and the opinion
groups with the statements that bridge them. Thin: parse, call one service,
render. Voting works without JavaScript: each choice is a button of a small
form, and the page after a vote shows the next statement."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from commonground import analysis, routing, services
from commonground.forms import ConversationForm, SeedStatementForm, StatementForm
from commonground.models import (
    Choice,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from commonground.results import links_for, published, results_context, statement_counts
from partnerships.errors import ServiceError
from partnerships.form_view import button_view, form_view
from partnerships.paging import paged
from partnerships.permissions import (
    GET_POST,
    POST,
    Action,
    Ctx,
    get_owned_or_404,
    partnership_view,
    public_view,
)
from partnerships.suppression import MIN_CELL

PAGE_SIZE = 30
LINK_SALT = "commonground.public-link"
VISITOR_COOKIE = "hsbp_voter"
VISITOR_COOKIE_AGE = 180 * 24 * 3600
# Votes up to which "recompute now" runs the engine in the request (well under a second).
INLINE_ANALYSIS = 50_000
# Moderation buttons say what they do (a verb), not the status they lead to.
MODERATION_ACTIONS = (
    (StatementStatus.ACCEPTED, pgettext_lazy("moderation action", "Accept")),
    (StatementStatus.REJECTED, pgettext_lazy("moderation action", "Reject")),
    (
        StatementStatus.META,
        pgettext_lazy("moderation action", "Mark as a comment about the conversation"),
    ),
)
# The three votes, each with its own look (words, mark, shape and colour).
VOTE_BUTTONS = (
    (Choice.AGREE, "agree", "✓"),
    (Choice.DISAGREE, "disagree", "✗"),
    (Choice.PASS, "pass", "–"),
)


def _choices() -> list[tuple[int, str, str, str]]:
    """(value, label, style, mark) of each vote button."""
    return [(int(c), str(c.label), style, mark) for c, style, mark in VOTE_BUTTONS]


def _conversation(ctx: Ctx, conversation_id: Any) -> Conversation:
    return get_owned_or_404(Conversation, ctx.partnership, public_id=conversation_id)


def _to_detail(ctx: Ctx, conversation: Conversation) -> HttpResponse:
    return redirect(
        "commonground:detail", slug=ctx.partnership.slug, conversation_id=conversation.public_id
    )


def public_link_token(conversation: Conversation) -> str:
    return signing.dumps(str(conversation.public_id), salt=LINK_SALT)


# --- Conversations --------------------------------------------------------------------


@partnership_view("conversation", Action.VIEW)
def conversation_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    rows = Conversation.objects.filter(partnership=ctx.partnership).select_related("threat")
    if not ctx.can("conversation", Action.CHANGE):
        rows = rows.exclude(status=ConversationStatus.DRAFT)
    listing = paged(request, rows, PAGE_SIZE)
    return render(
        request,
        "commonground/list.html",
        {"ctx": ctx, "page": listing["page"], "query": listing["query"]},
    )


@partnership_view("conversation", Action.CREATE, methods=GET_POST)
def conversation_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = ConversationForm(request.POST or None, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: services.create_conversation(
            by=request.user, partnership=ctx.partnership, **form.values()
        ),
        done=_("Conversation created: now write its first statements."),
        then=lambda conversation: _to_detail(ctx, conversation),
        page=lambda: render(request, "commonground/form.html", {"ctx": ctx, "form": form}),
    )


@partnership_view("conversation", Action.CHANGE, methods=GET_POST)
def conversation_edit(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    form = ConversationForm(
        request.POST or None,
        partnership=ctx.partnership,
        initial=ConversationForm.initial_for(conversation),
    )
    return form_view(
        request,
        form,
        lambda: services.update_conversation(
            by=request.user, conversation=conversation, **form.values()
        ),
        done=_("Saved."),
        then=lambda _saved: _to_detail(ctx, conversation),
        page=lambda: render(
            request,
            "commonground/form.html",
            {"ctx": ctx, "form": form, "conversation": conversation},
        ),
    )


@partnership_view("conversation", Action.VIEW)
def conversation_detail(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = get_owned_or_404(
        Conversation.objects.select_related("threat", "question"),
        ctx.partnership,
        public_id=conversation_id,
    )
    manages = ctx.can("conversation", Action.CHANGE)
    if conversation.status == ConversationStatus.DRAFT and not manages:
        raise Http404
    statements = Statement.objects.filter(conversation=conversation).prefetch_related("threats")
    if not manages:
        statements = statements.filter(status=StatementStatus.ACCEPTED)
    link = None
    if conversation.public_link and conversation.is_open and manages:
        link = request.build_absolute_uri(
            reverse(
                "commonground:public_vote",
                kwargs={"conversation_link": public_link_token(conversation)},
            )
        )
    listing = paged(request, statements.order_by("number"), 50)
    shown = list(listing["page"].object_list)
    links = links_for([s.pk for s in shown])
    latest, counts = published(conversation)
    for statement in shown:
        statement.later_links = links.get(statement.pk, [])
        # The published snapshot's counts, suppressed: never the live counters.
        statement.shown = statement_counts(counts, statement.pk)
    return render(
        request,
        "commonground/detail.html",
        {
            "ctx": ctx,
            "conversation": conversation,
            "page": listing["page"],
            "statements": shown,
            "query": listing["query"],
            "manages": manages,
            "pending": conversation.statements.filter(status=StatementStatus.PENDING).count()
            if manages
            else 0,
            "statuses": ConversationStatus.choices,
            "moderation": MODERATION_ACTIONS,
            "analysis": latest,
            "min_cell": MIN_CELL,
            "link": link,
            "seed_form": SeedStatementForm(partnership=ctx.partnership) if manages else None,
            "may_vote": conversation.is_open and ctx.can("vote", Action.CREATE),
        },
    )


@partnership_view("conversation", Action.CHANGE, methods=POST)
def conversation_status(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    return button_view(
        request,
        lambda: services.set_status(
            by=request.user, conversation=conversation, status=request.POST.get("status", "")
        ),
        done=_("Status changed."),
        then=_to_detail(ctx, conversation),
    )


# --- Statements -------------------------------------------------------------------------


@partnership_view("statement", Action.CHANGE, methods=POST)
def statement_seed(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    form = SeedStatementForm(request.POST, partnership=ctx.partnership)
    return button_view(
        request,
        lambda: services.add_statement(
            conversation=conversation,
            **form.values(),
            seed=True,
            author=ctx.member,
            actor=request.user,
        ),
        form=form,
        done=_("Statement added."),
        then=_to_detail(ctx, conversation),
    )


@partnership_view("statement", Action.CHANGE, methods=POST)
def statement_moderate(
    request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID, number: int
) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    statement = Statement.objects.filter(conversation=conversation, number=number).first()
    if statement is None:
        raise Http404
    return button_view(
        request,
        lambda: services.moderate(
            by=request.user, statement=statement, status=request.POST.get("status", "")
        ),
        # Said once moderated, so it names the new status.
        done=lambda _moderated: (
            _("Statement %(n)s: %(status)s.")
            % {"n": statement.number, "status": statement.get_status_display()}
        ),
        then=_to_detail(ctx, conversation),
    )


# --- Voting -----------------------------------------------------------------------------


def _vote_page(
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant | None,
    *,
    ctx: Ctx | None,
    action: str,
) -> HttpResponse | None:
    """Record a vote or a statement if one was posted (then None: the caller
    redirects), else render the page with the next statement."""
    form = StatementForm(request.POST if "text" in request.POST else None)
    if request.method == "POST":
        try:
            if "choice" in request.POST:
                statement = Statement.objects.filter(
                    conversation=conversation, number=_int(request.POST.get("statement"))
                ).first()
                participant = participant or _participant(request, conversation, ctx)
                services.record_vote(
                    participant=participant, statement=statement, choice=request.POST["choice"]
                )
                return None
            if form.is_valid():
                language = (request.LANGUAGE_CODE or "en")[:2]
                if ctx is None:  # the public link: limited per visitor and per address
                    services.add_public_statement(
                        conversation=conversation,
                        text=form.cleaned_data["text"],
                        language=language,
                        visitor_key=request.COOKIES.get(VISITOR_COOKIE, ""),
                        address=client_address(request),
                    )
                else:
                    services.add_statement(
                        conversation=conversation,
                        text=form.cleaned_data["text"],
                        language=language,
                        author=ctx.member,
                    )
                messages.success(
                    request,
                    _("Thank you: your statement will be shown once a facilitator has read it."),
                )
                return None
        except ServiceError as error:
            if error.field == "text":
                form.add_error("text", error.message)
            else:
                messages.error(request, error.message)
    latest = analysis.latest(conversation)
    statement = routing.next_statement(
        conversation, participant, spread=routing.spreads(latest.data) if latest else {}
    )
    voted = participant.votes.count() if participant is not None else 0
    total = conversation.statements.filter(status=StatementStatus.ACCEPTED).count()
    return render(
        request,
        "commonground/vote.html",
        {
            "ctx": ctx,
            "conversation": conversation,
            "statement": statement,
            "choices": _choices(),
            "voted": voted,
            "total": total,
            "form": form if conversation.allow_statements else None,
            "action": action,
            "results_url": _results_url(conversation, ctx, action) if voted else "",
        },
    )


def _results_url(conversation: Conversation, ctx: Ctx | None, action: str) -> str:
    """Where a voter sees what came of the votes: the opinion groups."""
    if ctx is None:
        return action.rstrip("/") + "/groups/"
    if not ctx.can("opinion_groups", Action.VIEW):
        return ""
    return reverse(
        "commonground:results",
        kwargs={"slug": ctx.partnership.slug, "conversation_id": conversation.public_id},
    )


def client_address(request: HttpRequest) -> str:
    """The client's address: behind ``TRUSTED_PROXY_COUNT`` proxies, the one
    the nearest of them saw (their X-Forwarded-For replaces what the client
    sent), else the connection's."""
    from django.conf import settings

    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return str(request.META.get("REMOTE_ADDR", ""))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _participant(request: HttpRequest, conversation: Conversation, ctx: Ctx | None) -> Participant:
    if ctx is not None:
        return services.participant_for(conversation=conversation, member=ctx.member)
    key = request.COOKIES.get(VISITOR_COOKIE, "") or getattr(request, "_new_visitor", "")
    if not key:
        key = services.new_visitor_key()
        request._new_visitor = key  # type: ignore[attr-defined]  # set on the response below
    return services.participant_for(conversation=conversation, visitor_key=key)


def _existing_participant(
    conversation: Conversation, ctx: Ctx | None, request: HttpRequest
) -> Participant | None:
    if ctx is not None and ctx.member is not None:
        key = services.voter_key(conversation, ctx.member)
    else:
        key = request.COOKIES.get(VISITOR_COOKIE, "")
    if not key:
        return None
    found: Participant | None = Participant.objects.filter(
        conversation=conversation, key=key
    ).first()
    return found


@partnership_view("vote", Action.CREATE, methods=GET_POST)
def vote(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    if not conversation.is_open:
        raise Http404
    participant = _existing_participant(conversation, ctx, request)
    page = _vote_page(request, conversation, participant, ctx=ctx, action=request.path)
    if page is not None:
        return page
    if request.POST.get("back") == "mine":
        return redirect(
            "commonground:my_votes",
            slug=ctx.partnership.slug,
            conversation_id=conversation.public_id,
        )
    return redirect(request.path)


@partnership_view("vote", Action.CREATE)
def my_votes(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    """A member's own votes, each changeable (the latest counts)."""
    conversation = _conversation(ctx, conversation_id)
    participant = _existing_participant(conversation, ctx, request)
    votes = (
        Vote.objects.filter(participant=participant)
        .select_related("statement")
        .order_by("statement__number")
        if participant is not None
        else Vote.objects.none()
    )
    return render(
        request,
        "commonground/my_votes.html",
        {
            "ctx": ctx,
            "conversation": conversation,
            "votes": votes,
            "choices": _choices(),
        },
    )


def _public_conversation(link: str) -> Conversation:
    """The conversation of a public link: only while open and still public."""
    try:
        public_id = signing.loads(link, salt=LINK_SALT)
    except signing.BadSignature:
        raise Http404 from None
    found: Conversation | None = (
        Conversation.objects.select_related("partnership").filter(public_id=public_id).first()
    )
    if found is None or not found.public_link or not found.is_open:
        raise Http404
    return found


@public_view(methods=GET_POST)
def public_vote(request: HttpRequest, conversation_link: str) -> HttpResponse:
    conversation = _public_conversation(conversation_link)
    participant = _existing_participant(conversation, None, request)
    page = _vote_page(request, conversation, participant, ctx=None, action=request.path)
    response = page if page is not None else redirect(request.path)
    new_key = getattr(request, "_new_visitor", "")
    if new_key:
        response.set_cookie(
            VISITOR_COOKIE,
            new_key,
            max_age=VISITOR_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
            path=request.path,
        )
    return response


# --- Results ------------------------------------------------------------------------------


@partnership_view("opinion_groups", Action.VIEW)
def results(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    if conversation.status == ConversationStatus.DRAFT and not ctx.can(
        "conversation", Action.CHANGE
    ):
        raise Http404
    return render(
        request,
        "commonground/results.html",
        {
            "ctx": ctx,
            "conversation": conversation,
            "manages": ctx.can("conversation", Action.CHANGE),
            "min_cell": MIN_CELL,
            **results_context(conversation),
        },
    )


@public_view()
def public_results(request: HttpRequest, conversation_link: str) -> HttpResponse:
    """The opinion groups for people who voted through the public link: the
    same published, suppressed page, once they have voted (so that the groups
    do not sway a first vote)."""
    conversation = _public_conversation(conversation_link)
    vote_url = reverse("commonground:public_vote", kwargs={"conversation_link": conversation_link})
    voted = _existing_participant(conversation, None, request)
    context: dict[str, Any] = {
        "ctx": None,
        "conversation": conversation,
        "vote_url": vote_url,
        "voted": voted is not None and voted.votes.exists(),
        "min_cell": MIN_CELL,
    }
    if context["voted"]:
        context.update(results_context(conversation))
    return render(request, "commonground/results.html", context)


@partnership_view("conversation", Action.CHANGE, methods=POST)
def results_refresh(request: HttpRequest, ctx: Ctx, conversation_id: uuid.UUID) -> HttpResponse:
    conversation = _conversation(ctx, conversation_id)
    if conversation.vote_count <= INLINE_ANALYSIS:
        # Only published votes, still: recomputing never publishes a vote early.
        analysis.analyse(conversation.pk, force=True)
        messages.success(request, _("The opinion groups are up to date."))
    else:  # large: in the background, like after votes
        analysis.analyse_later(conversation.pk)
        messages.success(
            request, _("The opinion groups are being recomputed; this page shows when.")
        )
    return redirect(
        "commonground:results", slug=ctx.partnership.slug, conversation_id=conversation.public_id
    )
