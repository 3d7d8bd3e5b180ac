"""Pages of the decisions room: the decision log, a new proposal, a
decision (its proposal, thread, vote and tally), its outcome; and the public
log with its Atom feed. Thin: parse, call one service, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from decisions import display, links, services
from decisions.charter_link import decision_types, method_label, voters_label
from decisions.feeds import DecisionFeed
from decisions.forms import OutcomeForm, ProposalForm, VoteForm
from decisions.models import CLOSED, Decision, DecisionLink, DecisionStatus
from decisions.public import present, public_rows, with_tallies
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
from partnerships.publication import public_partnership
from partnerships.suppression import suppress_count

PAGE_SIZE = 30


def _decision(ctx: Ctx, decision_id: Any) -> Decision:
    return get_owned_or_404(Decision, ctx.partnership, public_id=decision_id)


def _to_detail(ctx: Ctx, decision: Decision) -> HttpResponse:
    return redirect("decisions:detail", slug=ctx.partnership.slug, decision_id=decision.public_id)


def _tally_of(decision: Decision) -> display.TallyView | None:
    if decision.result:
        return display.stored(decision.result, voters=decision.voters, secret=decision.secret)
    return None


@partnership_view("decision", Action.VIEW)
def decision_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    # The log lists; each decision's page shows its tally (suppressed, which costs).
    rows = Decision.objects.filter(partnership=ctx.partnership).defer(
        "payload", "rule", "result", "body", "outcome"
    )
    if status in DecisionStatus.values:
        rows = rows.filter(status=status)
    types = decision_types(ctx.partnership)
    if kind:
        rows = rows.filter(kind=kind)
    listing = paged(request, rows.order_by("-proposed_at", "-pk"), PAGE_SIZE)
    return render(
        request,
        "decisions/list.html",
        {
            "ctx": ctx,
            "page": listing["page"],
            "query": listing["query"],
            "statuses": DecisionStatus.choices,
            "status": status,
            "types": types,
            "kind": kind,
        },
    )


@partnership_view("decision", Action.CREATE, methods=GET_POST)
def decision_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    every_type = decision_types(ctx.partnership)
    # Only the types whose rule lets this member's role propose (the service checks again).
    types = [t for t in every_type if ctx.member.role in t.rule.proposers]
    form = ProposalForm(request.POST or None, partnership=ctx.partnership, types=types)
    return form_view(
        request,
        form,
        lambda: services.propose(by=request.user, partnership=ctx.partnership, **form.values()),
        done=_("Proposal recorded: discuss it, then put it to the vote."),
        then=lambda decision: _to_detail(ctx, decision),
        page=lambda: render(
            request,
            "decisions/form.html",
            {"ctx": ctx, "form": form, "types": types, "has_charter": bool(every_type)},
        ),
    )


@partnership_view("decision", Action.VIEW)
def decision_detail(request: HttpRequest, ctx: Ctx, decision_id: uuid.UUID) -> HttpResponse:
    decision = get_owned_or_404(
        Decision.objects.select_related("proposed_by__user"), ctx.partnership, public_id=decision_id
    )
    decision.partnership = ctx.partnership  # read by the tally and the links: no query again
    voting = decision.status == DecisionStatus.VOTING
    running = services.running_tally(decision)
    people = display.counts_people(decision.voters, decision.secret)
    voted, electorate = services.turnout(decision) if voting else (0, 0)
    vote_form = None
    if ctx.can("ballot", Action.CREATE) and services.may_vote(decision, ctx.member):
        vote_form = VoteForm(rule=decision.decision_rule)
    rule = decision.decision_rule if decision.rule else None
    return render(
        request,
        "decisions/detail.html",
        {
            "ctx": ctx,
            "decision": decision,
            "rule": rule,
            "rule_method": method_label(rule) if rule else "",
            "rule_voters": voters_label(rule) if rule else "",
            "links": links.resolve(ctx.partnership, DecisionLink.objects.filter(decision=decision)),
            "tally": _tally_of(decision)
            or (
                display.view(running.as_data(), voters=decision.voters, secret=False)
                if running
                else None
            ),
            # A lone count of people: suppressed where the ballots are people's.
            "turnout": (suppress_count(voted) if people else voted, electorate),
            "turnout_hidden": people,
            "vote_form": vote_form,
            "has_voted": services.has_voted(decision, ctx.member),
            "may_steer": ctx.member.role == "facilitator"
            or ctx.member.pk == decision.proposed_by_id,
            "closed": decision.status in CLOSED,
            "facilitator_led": decision.status == DecisionStatus.PROPOSED
            and services.may_record_outcome(decision),
        },
    )


@partnership_view("decision", Action.CHANGE, methods=POST)
def decision_open(request: HttpRequest, ctx: Ctx, decision_id: uuid.UUID) -> HttpResponse:
    decision = _decision(ctx, decision_id)
    return button_view(
        request,
        lambda: services.open_vote(by=request.user, decision=decision),
        done=_("The vote is open."),
        then=_to_detail(ctx, decision),
    )


@partnership_view("decision", Action.CHANGE, methods=POST)
def decision_withdraw(request: HttpRequest, ctx: Ctx, decision_id: uuid.UUID) -> HttpResponse:
    decision = _decision(ctx, decision_id)
    return button_view(
        request,
        lambda: services.withdraw(by=request.user, decision=decision),
        done=_("The proposal is withdrawn; it stays in the log."),
        then=_to_detail(ctx, decision),
    )


@partnership_view("ballot", Action.CREATE, methods=POST)
def decision_vote(request: HttpRequest, ctx: Ctx, decision_id: uuid.UUID) -> HttpResponse:
    decision = _decision(ctx, decision_id)
    form = VoteForm(request.POST, rule=decision.decision_rule)
    return button_view(
        request,
        lambda: services.vote(
            by=request.user,
            decision=decision,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        done=_("Your vote is counted. You may change it until the close."),
        then=_to_detail(ctx, decision),
    )


@partnership_view("decision", Action.PUBLISH, methods=GET_POST)
def decision_outcome(request: HttpRequest, ctx: Ctx, decision_id: uuid.UUID) -> HttpResponse:
    decision = _decision(ctx, decision_id)
    records_result = decision.status == DecisionStatus.PROPOSED
    form = OutcomeForm(
        request.POST or None,
        partnership=ctx.partnership,
        records_result=records_result,
        initial=OutcomeForm.initial_for(decision),
    )
    return form_view(
        request,
        form,
        lambda: services.record_outcome(by=request.user, decision=decision, **form.values()),
        done=_("Outcome recorded."),
        then=lambda _saved: _to_detail(ctx, decision),
        page=lambda: render(
            request,
            "decisions/outcome.html",
            {
                "ctx": ctx,
                "form": form if services.may_record_outcome(decision) else None,
                "decision": decision,
                "records_result": records_result,
            },
        ),
    )


# --- Public ----------------------------------------------------------------------------


def _published(slug: str) -> dict[str, Any]:
    data = public_partnership(slug)
    if data is None:
        raise Http404
    return data


@public_view()
def public_log(request: HttpRequest, slug: str) -> HttpResponse:
    data = _published(slug)
    rows = public_rows(data["id"], status=request.GET.get("status", ""))
    listing = paged(request, rows, PAGE_SIZE)
    page = listing["page"]
    page.object_list = with_tallies(present(data["id"], list(page.object_list)))
    return render(
        request,
        "decisions/public_log.html",
        {"p": data, "page": listing["page"], "query": listing["query"]},
    )


@public_view()
def public_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return DecisionFeed()(request, partnership=_published(slug))
