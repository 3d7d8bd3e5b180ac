"""Pages that read the baseline (stress map, mutual risks), the needs /
vulnerabilities / capacities matrix, the capacity register and publication."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.confirm import CONFIRM_METHODS, confirm_page
from baseline import analysis, services
from baseline.forms import ConditionForm, ContributionForm
from baseline.models import Condition, Contribution, ContributionKind
from partnerships import charts
from partnerships.form_view import form_view
from partnerships.models import Partner, PartnerType, Role
from partnerships.permissions import GET_POST, Action, Ctx, get_owned_or_404, partnership_view
from stakeholders.models import Segment


@partnership_view("threat", Action.VIEW)
def stress(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    matrix = analysis.stress_matrix(ctx.partnership)
    picture = charts.heatmap(
        [g.label for g in matrix.groups],
        [label for _code, label in matrix.dimensions],
        matrix.values(),
        title=_("Stress by group and dimension"),
        low_label=_("lower"),
        high_label=_("higher"),
        no_data_label=_("No threat has been rated yet."),
    )
    return render(
        request,
        "baseline/stress.html",
        {
            "ctx": ctx,
            "matrix": matrix,
            "rows": matrix.rows(),
            "chart": picture,
            "risks": analysis.mutual_risks(ctx.partnership),
            "high": analysis.HIGH,
            "min_types": analysis.MUTUAL_MIN_TYPES,
        },
    )


# -- needs, vulnerabilities and capacities ----------------------------------------


@partnership_view("condition", Action.VIEW)
def nvc(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    """Rows: groups (partner types, then segments); columns: dimensions;
    each cell lists its entries. Three queries whatever the size."""
    dimensions = list(services.dimensions_of(ctx.partnership))
    segments = list(Segment.objects.filter(partnership=ctx.partnership))
    entries = Condition.objects.filter(partnership=ctx.partnership).select_related("locality")
    cells: dict[tuple[str, int], list[Condition]] = defaultdict(list)
    for entry in entries.order_by("kind", "-recorded_on"):
        cells[(entry.group_key, entry.dimension_id)].append(entry)
    groups = [(f"type:{t}", str(label)) for t, label in PartnerType.choices]
    groups += [(f"segment:{s.pk}", s.label) for s in segments]
    rows = [
        {
            "label": label,
            "cells": [cells.get((key, d.pk), []) for d in dimensions],
            "count": sum(len(cells.get((key, d.pk), [])) for d in dimensions),
        }
        for key, label in groups
    ]
    return render(
        request,
        "baseline/nvc.html",
        {
            "ctx": ctx,
            "dimensions": dimensions,
            "rows": rows,
            "total": sum(len(c) for c in cells.values()),
        },
    )


@partnership_view("condition", Action.CREATE, methods=GET_POST)
def condition_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = ConditionForm(request.POST or None, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: services.record_condition(
            by=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Entry recorded."),
        then=lambda _saved: redirect("baseline:nvc", slug=ctx.partnership.slug),
        page=lambda: render(request, "baseline/condition_form.html", {"ctx": ctx, "form": form}),
    )


@partnership_view("condition", Action.CHANGE, methods=GET_POST)
def condition_edit(request: HttpRequest, ctx: Ctx, condition_id: str) -> HttpResponse:
    condition = get_owned_or_404(
        Condition.objects.select_related("segment", "dimension", "locality"),
        ctx.partnership,
        public_id=condition_id,
    )
    initial = {
        "kind": condition.kind,
        "partner_type": condition.partner_type,
        "segment": condition.segment.code if condition.segment else None,
        "dimension": condition.dimension.code,
        "locality": condition.locality.code if condition.locality else None,
        "description": condition.description,
        "source": condition.source,
        "recorded_on": condition.recorded_on,
    }
    form = ConditionForm(request.POST or None, partnership=ctx.partnership, initial=initial)
    return form_view(
        request,
        form,
        lambda: services.update_condition(
            by=request.user, condition=condition, **form.cleaned_data
        ),
        done=_("Saved."),
        then=lambda _saved: redirect("baseline:nvc", slug=ctx.partnership.slug),
        page=lambda: render(
            request,
            "baseline/condition_form.html",
            {"ctx": ctx, "form": form, "condition": condition},
        ),
    )


@partnership_view("condition", Action.DELETE, methods=CONFIRM_METHODS)
def condition_delete(request: HttpRequest, ctx: Ctx, condition_id: str) -> HttpResponse:
    condition = get_owned_or_404(
        Condition.objects.select_related("segment", "dimension"),
        ctx.partnership,
        public_id=condition_id,
    )
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Remove this %(kind)s of %(group)s on %(dimension)s?")
            % {
                "kind": condition.get_kind_display().lower(),
                "group": condition.group_label,
                "dimension": condition.dimension.label,
            },
            consequences=[
                _("It leaves the needs, vulnerabilities and capacities matrix."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove the entry"),
            cancel_url=reverse(
                "baseline:condition_edit", args=[ctx.partnership.slug, condition.public_id]
            ),
        )
    services.delete_condition(by=request.user, condition=condition)
    messages.success(request, _("Entry removed."))
    return redirect("baseline:nvc", slug=ctx.partnership.slug)


# -- capacity register ------------------------------------------------------------


def _own_partners(ctx: Ctx) -> QuerySet[Partner]:
    partners = Partner.objects.filter(partnership=ctx.partnership, left_on__isnull=True)
    if ctx.member.role != Role.FACILITATOR:
        partners = partners.filter(pk=ctx.member.partner_id)
    return partners


@partnership_view("contribution", Action.VIEW)
def capacities(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    """Entries grouped by partner, with totals per kind (per unit, since
    money and hours do not add up). Two queries whatever the size."""
    entries = (
        Contribution.objects.filter(partnership=ctx.partnership)
        .select_related("partner")
        .prefetch_related("dimensions")
        .order_by("partner__name", "kind", "created_at")
    )
    partners: dict[int, dict[str, Any]] = {}
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        row = partners.setdefault(
            entry.partner_id, {"partner": entry.partner, "entries": [], "mine": False}
        )
        row["entries"].append(entry)
        row["mine"] = services.may_edit_contribution(ctx.member, entry.partner)
        counts[entry.kind] += 1
        if entry.quantity is not None:
            totals[(entry.kind, entry.unit)] += entry.quantity
    labels = dict(ContributionKind.choices)
    kinds = [
        {
            "label": labels[kind],
            "count": counts[kind],
            "totals": [(q, unit) for (k, unit), q in sorted(totals.items()) if k == kind],
        }
        for kind in ContributionKind.values
        if counts[kind]
    ]
    return render(
        request,
        "baseline/capacities.html",
        {"ctx": ctx, "partners": list(partners.values()), "kinds": kinds},
    )


def _contribution_form(ctx: Ctx, data: Any = None, **kwargs: Any) -> ContributionForm:
    return ContributionForm(
        data, partnership=ctx.partnership, partners=_own_partners(ctx), **kwargs
    )


@partnership_view("contribution", Action.CREATE, methods=GET_POST)
def contribution_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = _contribution_form(ctx, request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.add_contribution(
            by=request.user, partnership=ctx.partnership, member=ctx.member, **form.cleaned_data
        ),
        done=_("Added to the capacity register."),
        then=lambda _saved: redirect("baseline:capacities", slug=ctx.partnership.slug),
        page=lambda: render(request, "baseline/contribution_form.html", {"ctx": ctx, "form": form}),
    )


def _mine_or_404(ctx: Ctx, contribution_id: str) -> Contribution:
    """Another partner's entry is not found for a representative: they may
    read it on the register, not reach its edit page."""
    contribution: Contribution = get_owned_or_404(
        Contribution.objects.select_related("partner"), ctx.partnership, public_id=contribution_id
    )
    if not services.may_edit_contribution(ctx.member, contribution.partner):
        raise Http404
    return contribution


@partnership_view("contribution", Action.CHANGE, methods=GET_POST)
def contribution_edit(request: HttpRequest, ctx: Ctx, contribution_id: str) -> HttpResponse:
    contribution = _mine_or_404(ctx, contribution_id)
    initial = {
        "partner": contribution.partner.public_id,
        "kind": contribution.kind,
        "description": contribution.description,
        "quantity": contribution.quantity,
        "unit": contribution.unit,
        "dimensions": [d.code for d in contribution.dimensions.all()],
        "available_from": contribution.available_from,
        "available_until": contribution.available_until,
    }
    form = _contribution_form(ctx, request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        lambda: services.update_contribution(
            by=request.user, contribution=contribution, member=ctx.member, **form.cleaned_data
        ),
        done=_("Saved."),
        then=lambda _saved: redirect("baseline:capacities", slug=ctx.partnership.slug),
        page=lambda: render(
            request,
            "baseline/contribution_form.html",
            {"ctx": ctx, "form": form, "contribution": contribution},
        ),
    )


@partnership_view("contribution", Action.DELETE, methods=CONFIRM_METHODS)
def contribution_delete(request: HttpRequest, ctx: Ctx, contribution_id: str) -> HttpResponse:
    contribution = _mine_or_404(ctx, contribution_id)
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Remove this contribution of %(partner)s from the capacity register?")
            % {"partner": contribution.partner.name},
            consequences=[
                _("%(kind)s: %(description)s")
                % {
                    "kind": contribution.get_kind_display(),
                    "description": contribution.description,
                },
                _("The partner's other contributions stay."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove the contribution"),
            cancel_url=reverse(
                "baseline:contribution_edit", args=[ctx.partnership.slug, contribution.public_id]
            ),
        )
    services.delete_contribution(by=request.user, contribution=contribution, member=ctx.member)
    messages.success(request, _("Removed from the capacity register."))
    return redirect("baseline:capacities", slug=ctx.partnership.slug)


# -- publication ------------------------------------------------------------------


@partnership_view("baseline_publication", Action.PUBLISH, methods=GET_POST)
def publication(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    if request.method == "POST":
        published = request.POST.get("published") == "1"
        services.set_baseline_published(
            by=request.user, partnership=ctx.partnership, published=published
        )
        messages.success(
            request,
            _("The baseline summary is on the public portal.")
            if published
            else _("The baseline summary is no longer public."),
        )
        return redirect("baseline:publication", slug=ctx.partnership.slug)
    settings = services.baseline_settings(ctx.partnership)
    return render(
        request,
        "baseline/publication.html",
        {
            "ctx": ctx,
            "settings": settings,
            "portal_published": ctx.partnership.is_published,
        },
    )
