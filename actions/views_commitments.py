"""Pages for commitments and an action's budget: commit, report the delivery,
confirm it (another partner type), plan a budget line, record spending."""

from __future__ import annotations

import uuid

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from actions import budget, commitments
from actions.forms import BudgetLineForm, CommitmentForm, ReportForm, SpendingForm
from actions.models import Action, Commitment
from charter.parts import approver_limit
from partnerships.form_view import button_view, form_view
from partnerships.models import Partner, Role
from partnerships.permissions import GET_POST, POST, Ctx, get_owned_or_404, partnership_view
from partnerships.permissions import Action as Can


def _to_action(ctx: Ctx, action: Action) -> HttpResponse:
    return redirect("actions:detail", slug=ctx.partnership.slug, action_id=action.public_id)


def _speaks_for(ctx: Ctx) -> object:
    """The partners this member may commit: their own, or (a facilitator) any."""
    partners = Partner.objects.filter(partnership=ctx.partnership, left_on__isnull=True)
    if ctx.member.role == Role.FACILITATOR:
        return partners
    return partners.filter(pk=ctx.member.partner_id or 0)


@partnership_view("commitment", Can.CREATE, methods=GET_POST)
def commitment_create(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    form = CommitmentForm(
        request.POST or None, partnership=ctx.partnership, partners=_speaks_for(ctx)
    )

    def save() -> Commitment:
        data = form.cleaned_data
        return commitments.make_commitment(
            by=request.user,
            partner=data["partner"],
            action=action,
            kind=data["kind"],
            due_on=data["due_on"],
            description=form.texts("description"),
            amount_minor=data["amount_minor"],
            currency=data["currency"],
            quantity=data["quantity"],
            unit=data["unit"],
            contribution=data["contribution"],
            mandate=data["mandate"],
        )

    return form_view(
        request,
        form,
        save,
        done=_("Commitment recorded."),
        then=lambda _c: _to_action(ctx, action),
        page=lambda: render(
            request,
            "actions/form.html",
            {"ctx": ctx, "form": form, "back": action, "heading": _("Commit to this action")},
        ),
    )


@partnership_view("commitment", Can.CHANGE, methods=GET_POST)
def commitment_report(request: HttpRequest, ctx: Ctx, commitment_id: uuid.UUID) -> HttpResponse:
    commitment = get_owned_or_404(
        Commitment.objects.select_related("action", "partner"),
        ctx.partnership,
        public_id=commitment_id,
    )
    member = ctx.member
    if (
        request.method != "POST"
        and member.role != Role.FACILITATOR
        and member.partner_id != commitment.partner_id
    ):
        # Say who reports rather than offer a form the service refuses.
        return render(
            request,
            "actions/form.html",
            {
                "ctx": ctx,
                "back": commitment.action,
                "heading": _("Report the delivery"),
                "notice": _("Only a representative of %(partner)s can commit it or report for it.")
                % {"partner": commitment.partner.name},
            },
        )
    form = ReportForm(request.POST or None)

    def save() -> Commitment:
        data = form.cleaned_data
        amount = None
        if data["amount"] is not None and commitment.currency:
            from charter.forms import minor_of

            amount = minor_of(form, "amount", data["amount"], commitment.currency)
        return commitments.report_fulfilment(
            by=request.user,
            commitment=commitment,
            report=data["report"],
            evidence_url=data["evidence_url"],
            delivered_amount_minor=amount,
            delivered_quantity=data["quantity"],
            mandate=data["mandate"],
        )

    back = commitment.action
    return form_view(
        request,
        form,
        save,
        done=_("Delivery reported: a partner of another type confirms it."),
        then=lambda c: (
            _to_action(ctx, back)
            if back
            else redirect("actions:sharing", slug=ctx.partnership.slug)
        ),
        page=lambda: render(
            request,
            "actions/form.html",
            {
                "ctx": ctx,
                "form": form,
                "back": back,
                "heading": _("Report the delivery"),
                "commitment": commitment,
            },
        ),
    )


@partnership_view("commitment", Can.CHANGE, methods=POST)
def commitment_confirm(request: HttpRequest, ctx: Ctx, commitment_id: uuid.UUID) -> HttpResponse:
    commitment = get_owned_or_404(
        Commitment.objects.select_related("action"), ctx.partnership, public_id=commitment_id
    )
    then = (
        _to_action(ctx, commitment.action)
        if commitment.action
        else redirect("actions:sharing", slug=ctx.partnership.slug)
    )
    return button_view(
        request,
        lambda: commitments.confirm_fulfilment(by=request.user, commitment=commitment),
        done=_("Delivery confirmed."),
        then=then,
    )


@partnership_view("action_budget", Can.CREATE, methods=GET_POST)
def budget_line_add(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    form = BudgetLineForm(request.POST or None, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: budget.plan_line(
            by=request.user,
            action=action,
            partner=form.cleaned_data["partner"],
            name=form.texts("name"),
            currency=form.cleaned_data["currency"],
            planned_minor=form.cleaned_data["planned_minor"],
        ),
        done=_("Budget line planned."),
        then=lambda _l: _to_action(ctx, action),
        page=lambda: render(
            request,
            "actions/form.html",
            {"ctx": ctx, "form": form, "back": action, "heading": _("Plan a budget line")},
        ),
    )


@partnership_view("spending", Can.CREATE, methods=GET_POST)
def spending_add(request: HttpRequest, ctx: Ctx, action_id: uuid.UUID) -> HttpResponse:
    action = get_owned_or_404(Action, ctx.partnership, public_id=action_id)
    form = SpendingForm(request.POST or None, action=action)
    pot_field = form.fields["pot"]
    assert isinstance(pot_field, forms.ModelChoiceField)
    if request.method != "POST" and not action.budget_lines.exists():
        return render(
            request,
            "actions/form.html",
            {
                "ctx": ctx,
                "back": action,
                "heading": _("Record spending"),
                "notice": _("Plan a budget line first: spending is recorded on one."),
            },
        )
    if request.method != "POST" and not any(
        approver_limit(ctx.member, pot) for pot in (pot_field.queryset or [])
    ):
        # Nothing this member may approve: say so rather than offer a form the
        # charter's rules refuse (above a limit, a budget decision is the way).
        return render(
            request,
            "actions/form.html",
            {
                "ctx": ctx,
                "back": action,
                "heading": _("Record spending"),
                "notice": _(
                    "The charter gives you no approval limit: spending needs a budget decision."
                ),
            },
        )
    return form_view(
        request,
        form,
        lambda: budget.record_spending(
            by=request.user,
            line=form.cleaned_data["line"],
            pot=form.cleaned_data["pot"],
            amount_minor=form.cleaned_data["amount_minor"],
            currency=form.cleaned_data["currency"],
            spent_on=form.cleaned_data["spent_on"],
            note=form.cleaned_data["note"],
            decision_reference=form.cleaned_data["decision_reference"],
        ),
        done=_("Spending approved and recorded."),
        then=lambda _s: _to_action(ctx, action),
        page=lambda: render(
            request,
            "actions/form.html",
            {"ctx": ctx, "form": form, "back": action, "heading": _("Record spending")},
        ),
    )
