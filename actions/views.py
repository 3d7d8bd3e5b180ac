"""Pages of the actions room: strategies, the checklist (with its timeline),
an action (sub-actions, milestones, budget, commitments, discussion) and the
sharing view. Thin: parse, call one service, render. Commitments and budget
pages: ``actions.views_commitments``."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.confirm import CONFIRM_METHODS, confirm_page
from actions import budget, reading, services, strategies
from actions.forms import (
    ActionForm,
    ChecklistFilter,
    MilestoneForm,
    ReachedForm,
    StatusForm,
    StrategyForm,
)
from actions.models import Action, Commitment, Milestone, Strategy
from partnerships.form_view import button_view, form_view
from partnerships.languages import initial_texts_of
from partnerships.models import Role
from partnerships.paging import paged
from partnerships.permissions import GET_POST, POST, Ctx, get_owned_or_404, partnership_view
from partnerships.permissions import Action as Can

STRATEGY_LINKS = ("threats", "segments", "conditions", "goals", "lead_partners", "dimensions")
ACTION_LINKS = ("contributors", "goals", "strategies", "threats", "localities")


def _to_action(ctx: Ctx, action: Action) -> HttpResponse:
    return redirect("actions:detail", slug=ctx.partnership.slug, action_id=action.public_id)


# --- Strategies -----------------------------------------------------------------------


@partnership_view("strategy", Can.VIEW)
def strategy_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    items = list(
        Strategy.objects.filter(partnership=ctx.partnership).prefetch_related(
            "threats", "goals", "lead_partners", "dimensions"
        )
    )
    return render(request, "actions/strategies.html", {"ctx": ctx, "strategies": items})


@partnership_view("strategy", Can.VIEW)
def strategy_detail(request: HttpRequest, ctx: Ctx, strategy_id: uuid.UUID) -> HttpResponse:
    strategy = get_owned_or_404(
        Strategy.objects.prefetch_related(*STRATEGY_LINKS),
        ctx.partnership,
        public_id=strategy_id,
    )
    actions = list(strategy.actions.select_related("owner").order_by("due_on", "pk"))
    return render(
        request, "actions/strategy.html", {"ctx": ctx, "strategy": strategy, "actions": actions}
    )


def _strategy_values(form: StrategyForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "title": form.texts("title"),
        "description": form.texts("description"),
        "kind": data["kind"],
        "partner_types": data["partner_types"],
        **{name: list(data[name]) for name in STRATEGY_LINKS},
    }


@partnership_view("strategy", Can.CREATE, methods=GET_POST)
def strategy_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = StrategyForm(request.POST or None, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: strategies.add_strategy(
            by=request.user,
            partnership=ctx.partnership,
            **_strategy_values(form),  # type: ignore[arg-type]
        ),
        done=_("Strategy added."),
        then=lambda s: redirect(
            "actions:strategy", slug=ctx.partnership.slug, strategy_id=s.public_id
        ),
        page=lambda: render(
            request, "actions/form.html", {"ctx": ctx, "form": form, "heading": _("New strategy")}
        ),
    )


@partnership_view("strategy", Can.CHANGE, methods=GET_POST)
def strategy_edit(request: HttpRequest, ctx: Ctx, strategy_id: uuid.UUID) -> HttpResponse:
    strategy = get_owned_or_404(Strategy, ctx.partnership, public_id=strategy_id)
    initial = {
        **initial_texts_of(strategy, ("title", "description"), ctx.partnership),
        "kind": strategy.kind,
        "partner_types": strategy.partner_types,
        **{name: list(getattr(strategy, name).all()) for name in STRATEGY_LINKS},
    }
    form = StrategyForm(request.POST or None, initial=initial, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: strategies.update_strategy(
            by=request.user, strategy=strategy, **_strategy_values(form)
        ),
        done=_("Strategy saved."),
        then=lambda s: redirect(
            "actions:strategy", slug=ctx.partnership.slug, strategy_id=s.public_id
        ),
        page=lambda: render(
            request,
            "actions/form.html",
            {"ctx": ctx, "form": form, "heading": strategy.label},
        ),
    )


# --- The checklist --------------------------------------------------------------------


@partnership_view("action", Can.VIEW)
def checklist(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = ChecklistFilter(request.GET or None, partnership=ctx.partnership)
    filters = form.cleaned_data if form.is_valid() else {}
    listed = reading.checklist(ctx.partnership, filters)
    # A page of the checklist at a time, its filters kept from page to page:
    # drawing hundreds of rows was most of the page's time at 5,000 actions.
    pages = paged(request, listed, reading.CHECKLIST_SHOWN)
    actions = list(pages["page"])
    return render(
        request,
        "actions/checklist.html",
        {
            "ctx": ctx,
            "form": form,
            "actions": actions,
            "glance": reading.glance(listed),
            "timeline": mark_safe(reading.timeline_svg(actions)),  # noqa: S308 - escaped in reading
            **pages,
        },
    )


def _action_values(form: ActionForm) -> dict[str, object]:
    data = form.cleaned_data
    values: dict[str, object] = {
        "title": form.texts("title"),
        "description": form.texts("description"),
        "kind": data["kind"],
        "owner": data["owner"],
        "starts_on": data["starts_on"],
        "due_on": data["due_on"],
        **{name: list(data[name]) for name in ACTION_LINKS},
    }
    return values


@partnership_view("action", Can.CREATE, methods=GET_POST)
def action_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    parent = get_owned_or_404(Action, ctx.partnership, public_id=parent_id) if parent_id else None
    form = ActionForm(
        request.POST or None, partnership=ctx.partnership, sub_action=parent is not None
    )

    def save() -> Action:
        values = _action_values(form)
        return services.add_action(
            by=request.user,
            partnership=ctx.partnership,
            parent=parent,
            weight=form.cleaned_data.get("weight"),
            **values,  # type: ignore[arg-type]
        )

    return form_view(
        request,
        form,
        save,
        done=_("Action added to the checklist."),
        then=lambda a: _to_action(ctx, a),
        page=lambda: render(
            request,
            "actions/form.html",
            {
                "ctx": ctx,
                "form": form,
                "parent": parent,
                "heading": _("New sub-action") if parent else _("New action"),
            },
        ),
    )


@partnership_view("action", Can.CHANGE, methods=GET_POST)
def action_edit(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    initial = {
        **initial_texts_of(action, ("title", "description"), ctx.partnership),
        "kind": action.kind,
        "owner": action.owner,
        "starts_on": action.starts_on,
        "due_on": action.due_on,
        **{name: list(getattr(action, name).all()) for name in ACTION_LINKS},
    }
    form = ActionForm(request.POST or None, initial=initial, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: services.update_action(by=request.user, action=action, **_action_values(form)),
        done=_("Action saved."),
        then=lambda a: _to_action(ctx, a),
        page=lambda: render(
            request, "actions/form.html", {"ctx": ctx, "form": form, "heading": action.label}
        ),
    )


@partnership_view("action", Can.VIEW)
def action_detail(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(
        Action.objects.select_related("owner", "parent", "decision").prefetch_related(
            "contributors", "goals", "strategies", "threats", "sdg_targets", "localities"
        ),
        ctx.partnership,
        public_id=action_id,
    )
    children = list(action.children.select_related("owner").order_by("due_on", "pk"))
    lines = list(action.budget_lines.select_related("partner"))
    commitments = list(
        Commitment.objects.filter(action=action).select_related("partner").order_by("due_on", "pk")
    )
    weights = sum(c.weight for c in children if c.status != "dropped")
    _mark_what_member_may(ctx, commitments)
    return render(
        request,
        "actions/detail.html",
        {
            "ctx": ctx,
            "action": action,
            "children": children,
            "weights": weights,
            "milestones": list(action.milestones.all()),
            "lines": lines,
            "totals": budget.totals(lines),
            "commitments": commitments,
            "status_form": StatusForm(initial={"status": action.status})
            if ctx.can("action", Can.CHANGE)
            else None,
            "milestone_form": MilestoneForm(partnership=ctx.partnership)
            if ctx.can("action", Can.CHANGE)
            else None,
            "reached_form": ReachedForm(),
        },
    )


@partnership_view("action", Can.CHANGE, methods=POST)
def action_status(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    form = StatusForm(request.POST)
    return button_view(
        request,
        lambda: services.set_status(
            by=request.user,
            action=action,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        done=_("Status changed."),
        then=_to_action(ctx, action),
    )


@partnership_view("action", Can.CHANGE, methods=POST)
def milestone_add(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    form = MilestoneForm(request.POST, partnership=ctx.partnership)
    return button_view(
        request,
        lambda: services.add_milestone(
            by=request.user,
            action=action,
            title=form.texts("title"),
            due_on=form.cleaned_data["due_on"],
        ),
        form=form,
        done=_("Milestone added."),
        then=_to_action(ctx, action),
    )


@partnership_view("action", Can.CHANGE, methods=POST)
def milestone_mark(
    request: HttpRequest, ctx: Ctx, action_id: uuid.UUID, milestone_id: uuid.UUID
) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    milestone = get_owned_or_404(
        Milestone.objects.filter(action=action), ctx.partnership, public_id=milestone_id
    )
    form = ReachedForm(request.POST)
    return button_view(
        request,
        lambda: services.mark_milestone(
            by=request.user, milestone=milestone, reached_on=form.cleaned_data["reached_on"]
        ),
        form=form,
        done=_("Milestone updated."),
        then=_to_action(ctx, action),
    )


@partnership_view("action", Can.DELETE, methods=CONFIRM_METHODS)
def action_delete(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    found = services.dependants(action)
    if request.method != "POST" and found:
        # Say what depends on it rather than offer a button the service refuses.
        return render(
            request,
            "actions/form.html",
            {
                "ctx": ctx,
                "back": action,
                "heading": _("Delete the action “%(action)s”?") % {"action": action.label},
                "notice": services.refusal_to_delete(action, found),
            },
        )
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Delete the action “%(action)s”?") % {"action": action.label},
            cancel_url=reverse("actions:detail", args=[ctx.partnership.slug, action.public_id]),
            consequences=[_("Its milestones and budget lines go with it.")],
        )
    return button_view(
        request,
        lambda: services.delete_action(by=request.user, action=action),
        done=_("Action deleted."),
        then=redirect("actions:checklist", slug=ctx.partnership.slug),
        refused=_to_action(ctx, action),
    )


def _mark_what_member_may(ctx: Ctx, commitments: list[Commitment]) -> None:
    """Which commitments this member may report on (its partner's, or any as a
    facilitator) and confirm (another partner type's, as a member of a partner)."""
    member = ctx.member
    may_change = ctx.can("commitment", Can.CHANGE)
    own_type = member.partner.partner_type if member.partner_id and member.partner else ""
    for c in commitments:
        c.may_report = may_change and (  # type: ignore[attr-defined]
            member.role == Role.FACILITATOR or member.partner_id == c.partner_id
        )
        c.may_confirm = bool(  # type: ignore[attr-defined]
            may_change and own_type and own_type != c.partner_type
        )


# --- Sharing --------------------------------------------------------------------------


@partnership_view("commitment", Can.VIEW)
def sharing(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    data = reading.sharing(ctx.partnership)
    data["over_time"] = mark_safe(data["over_time"])  # noqa: S308 - escaped in reading
    return render(request, "actions/sharing.html", {"ctx": ctx, **data})
