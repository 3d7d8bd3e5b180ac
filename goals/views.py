"""Pages of the goals room: the goals, drafting one from what the earlier
steps found, its endorsement by each partner type, and its history. Thin:
parse, call one service, render."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baseline.analysis import mutual_risks
from baseline.models import Contribution
from goals import services
from goals.forms import DropForm, EndorsementForm, GoalForm
from goals.models import CollectiveGoal, GoalStatus, GoalVersion
from goals.panels import panels
from partnerships.form_view import button_view, form_view
from partnerships.models import Partner
from partnerships.paging import paged
from partnerships.permissions import GET_POST, POST, Action, Ctx, get_owned_or_404, partnership_view

T = TypeVar("T")
PAGE_SIZE = 30
CANDIDATES_SHOWN = 10
VERSIONS_SHOWN = 20


def _goal(ctx: Ctx, goal_id: Any) -> CollectiveGoal:
    return get_owned_or_404(CollectiveGoal, ctx.partnership, public_id=goal_id)


def _to_detail(ctx: Ctx, goal: CollectiveGoal) -> HttpResponse:
    return redirect("goals:detail", slug=ctx.partnership.slug, goal_id=goal.public_id)


@partnership_view("goal", Action.VIEW)
def goal_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = (
        CollectiveGoal.objects.filter(partnership=ctx.partnership)
        .annotate(target_count=Count("sdg_targets", distinct=True))
        .order_by("-created_at")
    )
    if status in GoalStatus.values:
        rows = rows.filter(status=status)
    listing = paged(request, rows, PAGE_SIZE)
    return render(
        request,
        "goals/list.html",
        {
            "ctx": ctx,
            "page": listing["page"],
            "query": listing["query"],
            "statuses": GoalStatus.choices,
            "status": status,
        },
    )


def _candidates(ctx: Ctx) -> dict[str, Any]:
    """What the earlier steps offer to build a goal on: mutual risks, the
    statements that bridge the opinion groups, and the capacity register."""
    from commonground.models import Analysis, Conversation, Statement

    # The latest analysis of the five newest conversations, and their bridging
    # statements: three queries, however many conversations there are.
    newest = (
        Analysis.objects.filter(conversation=OuterRef("pk")).order_by("-version").values("pk")[:1]
    )
    latest_ids = (
        Conversation.objects.filter(partnership=ctx.partnership)
        .annotate(latest=Subquery(newest))
        .exclude(latest=None)
        .values_list("latest", flat=True)[:5]
    )
    ids: list[int] = []
    for found in Analysis.objects.filter(pk__in=list(latest_ids)).defer("membership"):
        ids.extend(int(b["statement"]) for b in found.data.get("bridging", [])[:CANDIDATES_SHOWN])
    by_id = {s.pk: s for s in Statement.objects.filter(partnership=ctx.partnership, pk__in=ids)}
    bridging = [by_id[i] for i in ids if i in by_id]
    return {
        "mutual_risks": mutual_risks(ctx.partnership)[:CANDIDATES_SHOWN],
        "bridging": bridging[:CANDIDATES_SHOWN],
        "capacities": Contribution.objects.filter(partnership=ctx.partnership)
        .select_related("partner")
        .order_by("partner__name")[:CANDIDATES_SHOWN],
    }


@partnership_view("goal", Action.CREATE, methods=GET_POST)
def goal_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = GoalForm(request.POST or None, partnership=ctx.partnership, editing=False)
    return form_view(
        request,
        form,
        lambda: services.create_goal(by=request.user, partnership=ctx.partnership, **form.values()),
        done=_("Goal drafted."),
        then=lambda goal: _to_detail(ctx, goal),
        page=lambda: render(
            request, "goals/form.html", {"ctx": ctx, "form": form, **_candidates(ctx)}
        ),
    )


@partnership_view("goal", Action.CHANGE, methods=GET_POST)
def goal_edit(request: HttpRequest, ctx: Ctx, goal_id: uuid.UUID) -> HttpResponse:
    goal = _goal(ctx, goal_id)
    form = GoalForm(
        request.POST or None,
        partnership=ctx.partnership,
        editing=True,
        initial=GoalForm.initial_for(goal),
    )
    return form_view(
        request,
        form,
        lambda: services.update_goal(
            by=request.user, goal=goal, note=form.cleaned_data["note"], **form.values()
        ),
        done=_("Saved."),
        then=lambda _saved: _to_detail(ctx, goal),
        page=lambda: render(
            request,
            "goals/form.html",
            {"ctx": ctx, "form": form, "goal": goal, **_candidates(ctx)},
        ),
    )


@partnership_view("goal", Action.VIEW)
def goal_detail(request: HttpRequest, ctx: Ctx, goal_id: uuid.UUID) -> HttpResponse:
    goal = get_owned_or_404(
        CollectiveGoal.objects.prefetch_related(
            "dimensions", "threats", "statements", "sdg_targets__goal"
        ),
        ctx.partnership,
        public_id=goal_id,
    )
    states = services.endorsement_state(goal)
    recording, endorse_form = (
        position_recording(ctx, states)
        if goal.status in services.ENDORSABLE and ctx.can("endorsement", Action.CREATE)
        else (None, None)
    )
    versions = list(
        GoalVersion.objects.filter(goal=goal).select_related("created_by__user")[:VERSIONS_SHOWN]
    )
    history = services.position_history(goal)
    return render(
        request,
        "goals/detail.html",
        {
            "ctx": ctx,
            "goal": goal,
            "states": states,
            "recording": recording,
            "endorse_form": endorse_form,
            "drop_form": DropForm() if ctx.can("goal", Action.DELETE) else None,
            "versions": [(v, history.get(v.number, [])) for v in versions],
            "panels": panels(goal, ctx),
        },
    )


@partnership_view("goal", Action.PUBLISH, methods=POST)
def goal_open(request: HttpRequest, ctx: Ctx, goal_id: uuid.UUID) -> HttpResponse:
    goal = _goal(ctx, goal_id)
    return button_view(
        request,
        lambda: services.open_endorsement(by=request.user, goal=goal),
        done=_("The goal is now open for endorsement by every partner."),
        then=_to_detail(ctx, goal),
    )


def position_recording(
    ctx: Ctx, states: list[services.TypeState]
) -> tuple[services.Recording, EndorsementForm | None]:
    """What a member may record on a text the partners adopt by positions (a
    goal; the charter, one floor up), and the form to record it."""
    recording = services.recording_options(ctx.member, states)
    if not recording.partners:
        return recording, None
    form = EndorsementForm(
        partners=Partner.objects.filter(pk__in=[p.pk for p in recording.partners]),
        on_behalf=recording.on_behalf,
        initial={"partner": recording.partners[0]},
    )
    return recording, form


def named_partner(ctx: Ctx, raw: str) -> Partner | None:
    """The partner a form names by its public id: None when it names none (the
    form says so), a 404 for another partnership's partner, like any foreign id."""
    try:
        partner_id = uuid.UUID(raw)
    except ValueError:
        return None
    return get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)


def post_position(
    request: HttpRequest,
    ctx: Ctx,
    record: Callable[..., T],
    *,
    done: Callable[[T], str],
    then: HttpResponse,
) -> HttpResponse:
    """The button that records a partner's position: ``record`` is the
    service, called with who, which partner, the position, reason and mandate."""
    partner = named_partner(ctx, request.POST.get("partner", ""))
    form = EndorsementForm(
        request.POST,
        partners=Partner.objects.filter(pk__in=[partner.pk] if partner else []),
        on_behalf=True,
    )
    return button_view(
        request,
        lambda: record(
            by=request.user,
            partner=form.cleaned_data["partner"],
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
            mandate=form.cleaned_data["mandate"],
        ),
        form=form,
        done=done,
        then=then,
    )


@partnership_view("endorsement", Action.CREATE, methods=POST)
def goal_endorse(request: HttpRequest, ctx: Ctx, goal_id: uuid.UUID) -> HttpResponse:
    goal = _goal(ctx, goal_id)
    return post_position(
        request,
        ctx,
        functools.partial(services.endorse, goal=goal),
        done=lambda _recorded: _endorsed(goal),
        then=_to_detail(ctx, goal),
    )


def _endorsed(goal: CollectiveGoal) -> str:
    """What an endorsement did: the last one adopts the goal."""
    goal.refresh_from_db(fields=["status"])
    if goal.status == GoalStatus.ADOPTED:
        # Under a charter the rule may be consent or a majority: say what happened.
        return _("Position recorded: the goal is adopted.")
    return _("Position recorded.")


@partnership_view("goal", Action.DELETE, methods=POST)
def goal_drop(request: HttpRequest, ctx: Ctx, goal_id: uuid.UUID) -> HttpResponse:
    goal = _goal(ctx, goal_id)
    form = DropForm(request.POST)
    return button_view(
        request,
        lambda: services.drop_goal(
            by=request.user,
            goal=goal,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        ),
        done=_("The goal is dropped; its history stays."),
        then=_to_detail(ctx, goal),
    )
