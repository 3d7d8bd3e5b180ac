"""Pages of the stakeholder map. Thin: parse, call one service, render. Every
actor is named through ``stakeholders.display`` (protection)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.confirm import CONFIRM_METHODS, confirm_page
from partnerships.form_view import button_view, form_view
from partnerships.models import Partner, Role
from partnerships.paging import paged
from partnerships.permissions import (
    GET_POST,
    POST,
    Action,
    Ctx,
    get_owned_or_404,
    partnership_view,
    require,
)
from partnerships.protection import has_clearance
from partnerships.queries import first_of_each
from stakeholders import display, services
from stakeholders import inclusion as inclusion_rows
from stakeholders.forms import (
    ActorForm,
    AssessmentForm,
    RegisterFilterForm,
    RelationForm,
    RiskForm,
    SegmentForm,
)
from stakeholders.models import Actor, Relation, RiskFlag

PAGE_SIZE = 50


def _visible_actors(ctx: Ctx) -> QuerySet[Actor]:
    return Actor.objects.filter(partnership=ctx.partnership)


@partnership_view("actor", Action.VIEW)
def register(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    segments = list(services.segments_of(ctx.partnership))
    form = RegisterFilterForm(request.GET or None, segments=segments)
    actors = _visible_actors(ctx).select_related("partner")
    cleared = has_clearance(ctx.member)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            match = Q(name__icontains=data["q"]) | Q(tags__icontains=data["q"])
            # A protected actor's real name must not be findable by those who see its pseudonym.
            actors = actors.filter(match if cleared else match & Q(at_risk=False))
        for field in ("kind", "partner_type", "engagement"):
            if data[field]:
                actors = actors.filter(**{field: data[field]})
        if data["segment"]:
            actors = actors.filter(segments__code=data["segment"])
    # Sorting hidden actors by their real name would hint at it: they go last.
    actors = actors.order_by("name") if cleared else actors.order_by("at_risk", "name")
    listing = paged(request, actors, PAGE_SIZE)
    page = listing["page"]
    rows = [{"actor": a, "name": display.actor_name(a, ctx.member)} for a in page]
    return render(
        request,
        "stakeholders/register.html",
        {
            "ctx": ctx,
            "form": form,
            "page": page,
            "rows": rows,
            "query": listing["query"],
            "total": page.paginator.count,
            "show_flags": display.may_see_flags(ctx.member),
        },
    )


def _actor_form_kwargs(ctx: Ctx) -> dict[str, Any]:
    return {"partnership": ctx.partnership, "with_contacts": ctx.can("contact", Action.VIEW)}


@partnership_view("actor", Action.CREATE, methods=GET_POST)
def actor_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = ActorForm(request.POST or None, **_actor_form_kwargs(ctx))
    return form_view(
        request,
        form,
        lambda: services.create_actor(
            by=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Actor added to the map."),
        then=lambda actor: redirect(
            "stakeholders:actor", slug=ctx.partnership.slug, actor_id=actor.public_id
        ),
        page=lambda: render(request, "stakeholders/actor_form.html", {"ctx": ctx, "form": form}),
    )


@partnership_view("actor", Action.VIEW)
def actor_detail(request: HttpRequest, ctx: Ctx, actor_id: str) -> HttpResponse:
    return _actor_page(request, ctx, _detailed(ctx, actor_id))


def _detailed(ctx: Ctx, actor_id: str) -> Actor:
    actor: Actor = get_owned_or_404(
        Actor.objects.select_related("partner").prefetch_related("segments"),
        ctx.partnership,
        public_id=actor_id,
    )
    return actor


def _actor_page(
    request: HttpRequest,
    ctx: Ctx,
    actor: Actor,
    *,
    assessment_form: AssessmentForm | None = None,
    risk_form: RiskForm | None = None,
) -> HttpResponse:
    """The actor's page; a form given here (bound, with its errors) replaces
    the empty one, so that what was typed survives a mistake."""
    hidden = display.is_hidden(actor, ctx.member)
    history = list(
        actor.assessments.select_related("assessed_by").order_by("-assessed_on", "-created_at")
    )
    current = services.current_assessments(actor)
    relations = [
        {
            "relation": r,
            "other": r.target if r.source_id == actor.pk else r.source,
            "outgoing": r.source_id == actor.pk,
        }
        for r in Relation.objects.filter(Q(source=actor) | Q(target=actor)).select_related(
            "source", "target"
        )
    ]
    for row in relations:
        row["other_name"] = display.actor_name(row["other"], ctx.member)
    may_flag = display.may_see_flags(ctx.member)
    if assessment_form is None and ctx.can("assessment", Action.CREATE):
        assessment_form = AssessmentForm(partners=_assessing_partners(ctx))
    return render(
        request,
        "stakeholders/actor_detail.html",
        {
            "ctx": ctx,
            "actor": actor,
            "name": display.actor_name(actor, ctx.member),
            "hidden": hidden,
            "contacts": display.may_see_contacts(actor, ctx.member),
            "current": current,
            "history": history,
            "relations": relations,
            "assessment_form": assessment_form,
            "relation_form": ctx.can("relation", Action.CREATE),
            "show_flags": may_flag,
            "flag": RiskFlag.objects.filter(actor=actor, cleared_at__isnull=True).first()
            if may_flag
            else None,
            "risk_form": (risk_form or RiskForm()) if may_flag else None,
        },
    )


def _assessing_partners(ctx: Ctx) -> QuerySet[Partner]:
    partners = Partner.objects.filter(partnership=ctx.partnership, left_on__isnull=True)
    if ctx.member.role == Role.PARTNER_REPRESENTATIVE:
        partners = partners.filter(pk=ctx.member.partner_id)
    return partners


def _relation_form(ctx: Ctx, actor: Actor, data: Any = None) -> RelationForm:
    targets = _visible_actors(ctx).exclude(pk=actor.pk).order_by("at_risk", "name")
    return RelationForm(data, targets=targets, label=lambda a: display.actor_name(a, ctx.member))


@partnership_view("actor", Action.CHANGE, methods=GET_POST)
def actor_edit(request: HttpRequest, ctx: Ctx, actor_id: str) -> HttpResponse:
    actor = get_owned_or_404(Actor, ctx.partnership, public_id=actor_id)
    if display.is_hidden(actor, ctx.member):
        require(ctx.member, "protected_person", Action.VIEW)
    form = ActorForm(
        request.POST or None, initial=ActorForm.initial_for(actor), **_actor_form_kwargs(ctx)
    )
    return form_view(
        request,
        form,
        lambda: services.update_actor(by=request.user, actor=actor, **form.cleaned_data),
        done=_("Saved."),
        then=lambda _saved: redirect(
            "stakeholders:actor", slug=ctx.partnership.slug, actor_id=actor.public_id
        ),
        page=lambda: render(
            request, "stakeholders/actor_form.html", {"ctx": ctx, "form": form, "actor": actor}
        ),
    )


@partnership_view("actor", Action.DELETE, methods=CONFIRM_METHODS)
def actor_delete(request: HttpRequest, ctx: Ctx, actor_id: str) -> HttpResponse:
    actor = get_owned_or_404(Actor, ctx.partnership, public_id=actor_id)
    if request.method != "POST":
        name = display.actor_name(actor, ctx.member)
        return confirm_page(
            request,
            ctx,
            title=_("Remove %(name)s from the map?") % {"name": name},
            consequences=[
                _("Its assessments, relations and segments go with it."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove from the map"),
            cancel_url=reverse("stakeholders:actor", args=[ctx.partnership.slug, actor.public_id]),
        )
    services.delete_actor(by=request.user, actor=actor)
    messages.success(request, _("Actor removed from the map."))
    return redirect("stakeholders:map", slug=ctx.partnership.slug)


@partnership_view("assessment", Action.CREATE, methods=POST)
def assess(request: HttpRequest, ctx: Ctx, actor_id: str) -> HttpResponse:
    actor = _detailed(ctx, actor_id)
    form = AssessmentForm(request.POST, partners=_assessing_partners(ctx))
    return form_view(
        request,
        form,
        lambda: services.assess(by=request.user, actor=actor, **form.cleaned_data),
        done=_("Assessment recorded."),
        then=lambda _saved: redirect(
            "stakeholders:actor", slug=ctx.partnership.slug, actor_id=actor.public_id
        ),
        # The actor's page again, with what was typed and each error on its field.
        page=lambda: _actor_page(request, ctx, actor, assessment_form=form),
    )


@partnership_view("relation", Action.CREATE, methods=GET_POST)
def relate(request: HttpRequest, ctx: Ctx, actor_id: str) -> HttpResponse:
    actor = get_owned_or_404(Actor, ctx.partnership, public_id=actor_id)
    form = _relation_form(ctx, actor, request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.relate(
            by=request.user, partnership=ctx.partnership, source=actor, **form.cleaned_data
        ),
        done=_("Relation added."),
        then=lambda _saved: redirect(
            "stakeholders:actor", slug=ctx.partnership.slug, actor_id=actor.public_id
        ),
        page=lambda: render(
            request,
            "stakeholders/relation_form.html",
            {
                "ctx": ctx,
                "form": form,
                "actor": actor,
                "name": display.actor_name(actor, ctx.member),
            },
        ),
    )


@partnership_view("relation", Action.DELETE, methods=CONFIRM_METHODS)
def relation_delete(request: HttpRequest, ctx: Ctx, relation_id: str) -> HttpResponse:
    relation = get_owned_or_404(
        Relation.objects.select_related("source", "target"), ctx.partnership, public_id=relation_id
    )
    back = reverse("stakeholders:actor", args=[ctx.partnership.slug, relation.source.public_id])
    if request.method != "POST":
        names = {
            "source": display.actor_name(relation.source, ctx.member),
            "relation": relation.get_relation_type_display(),
            "target": display.actor_name(relation.target, ctx.member),
        }
        return confirm_page(
            request,
            ctx,
            title=_("Remove the relation “%(source)s %(relation)s %(target)s”?") % names,
            consequences=[
                _("Both actors stay on the map; only this relation goes."),
                _("The relations network no longer shows it."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove the relation"),
            cancel_url=back,
        )
    services.delete_relation(by=request.user, relation=relation)
    messages.success(request, _("Relation removed."))
    return redirect(back)


@partnership_view("participation_risk", Action.CREATE, methods=POST)
def risk(request: HttpRequest, ctx: Ctx, actor_id: str) -> HttpResponse:
    actor = _detailed(ctx, actor_id)
    back = redirect("stakeholders:actor", slug=ctx.partnership.slug, actor_id=actor.public_id)
    if request.POST.get("clear"):  # a button
        return button_view(
            request,
            lambda: services.clear_risk_flag(by=request.user, actor=actor),
            done=_("The flag is cleared."),
            then=back,
        )
    # A flag takes a reason: a form, refused on the actor's page.
    form = RiskForm(request.POST)
    return form_view(
        request,
        form,
        lambda: services.flag_at_risk(
            by=request.user, actor=actor, reason=form.cleaned_data["reason"]
        ),
        done=_("Flagged: others now see this actor under a pseudonym."),
        then=lambda _flagged: back,
        page=lambda: _actor_page(request, ctx, actor, risk_form=form),
    )


@partnership_view("actor", Action.VIEW)
def grid(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    """The influence/interest grid: 5 × 5 cells, counts and the first names of each."""
    actors = _visible_actors(ctx)
    counts = dict(actors.values_list("grid_cell").annotate(n=Count("id")).order_by())
    # Hidden actors sort last for viewers without clearance: sorted by their
    # real name, the position of a pseudonym would hint at it.
    hidden_last = not has_clearance(ctx.member)
    by_name = ["at_risk", "name"] if hidden_last else ["name"]
    names: dict[int, list[dict[str, Any]]] = {}
    filled = sorted(cell for cell in counts if cell)
    firsts = first_of_each(
        actors.only("public_id", "name", "at_risk", "grid_cell").order_by(*by_name),
        "grid_cell",
        filled,
        limit=5,
    )
    # SQL keeps no order across the parts of a UNION: sort here, as the parts did.
    firsts.sort(key=lambda a: (a.grid_cell, hidden_last and a.at_risk, a.name))
    for a in firsts:
        names.setdefault(a.grid_cell, []).append(
            {"actor": a, "name": display.actor_name(a, ctx.member)}
        )
    rows = []
    for interest in range(5, 0, -1):
        cells = []
        for influence in range(1, 6):
            cell = Actor.cell_of(influence, interest)
            cells.append(
                {
                    "influence": influence,
                    "count": counts.get(cell, 0),
                    "actors": names.get(cell, []),
                }
            )
        rows.append({"interest": interest, "cells": cells})
    disputed = [
        {"actor": a, "name": display.actor_name(a, ctx.member)}
        for a in actors.filter(disagreement__gte=2)
        .only("public_id", "name", "at_risk", "disagreement")
        .order_by("-disagreement", *by_name)[:20]
    ]
    return render(
        request,
        "stakeholders/grid.html",
        {
            "ctx": ctx,
            "rows": rows,
            "disputed": disputed,
            "unassessed": counts.get(0, 0),
        },
    )


@partnership_view("actor", Action.VIEW)
def inclusion(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return render(
        request,
        "stakeholders/inclusion.html",
        {
            "ctx": ctx,
            # Counts of actors the page does not list: suppressed without clearance.
            "segments": inclusion_rows.for_viewer(
                inclusion_rows.by_segment(ctx.partnership), ctx.member
            ),
            "types": inclusion_rows.for_viewer(
                inclusion_rows.by_partner_type(ctx.partnership), ctx.member
            ),
            "cleared": has_clearance(ctx.member),
        },
    )


@partnership_view("segment", Action.VIEW)
def segments(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return _segments_page(request, ctx)


def _segments_page(request: HttpRequest, ctx: Ctx, form: SegmentForm | None = None) -> HttpResponse:
    if form is None and ctx.can("segment", Action.CREATE):
        form = SegmentForm()
    return render(
        request,
        "stakeholders/segments.html",
        {"ctx": ctx, "segments": services.segments_of(ctx.partnership), "form": form},
    )


@partnership_view("segment", Action.CREATE, methods=POST)
def segment_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = SegmentForm(request.POST)
    return form_view(
        request,
        form,
        lambda: services.add_segment(
            by=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Segment added."),
        then=lambda _saved: redirect("stakeholders:segments", slug=ctx.partnership.slug),
        # The page again, with what was typed and the error on its field.
        page=lambda: _segments_page(request, ctx, form),
    )
