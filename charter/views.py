"""Pages of the charter room: the charter page (the charter in force, where
adoption stands by partner type, the history of versions), choosing a
starter, adapting the draft part by part, putting it to adoption, recording
a partner's position, and spending under the charter. Thin: parse, call one
service, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from charter import parts, services
from charter.forms import (
    CharterTextsForm,
    DecisionTypeForm,
    DropForm,
    EntryForm,
    LimitForm,
    PlanForm,
    PotForm,
    RoleForm,
    RuleForm,
    SpendingForm,
    StarterForm,
)
from charter.models import (
    ApprovalLimit,
    BudgetPot,
    CharterRole,
    CharterStatus,
    CharterVersion,
    PlanRow,
    RoleKind,
    SpendingApproval,
)
from charter.starters import STARTERS
from goals.forms import EndorsementForm
from goals.services import recording_options
from partnerships.form_view import button_view, form_view
from partnerships.models import Partner
from partnerships.permissions import GET_POST, POST, Action, Ctx, get_owned_or_404, partnership_view

VERSIONS_SHOWN = 20
SPENDING_SHOWN = 50


def _version(ctx: Ctx, version_id: Any) -> CharterVersion:
    return get_owned_or_404(CharterVersion, ctx.partnership, public_id=version_id)


def _to_version(ctx: Ctx, version: CharterVersion) -> HttpResponse:
    return redirect("charter:version", slug=ctx.partnership.slug, version_id=version.public_id)


def _to_page(ctx: Ctx) -> HttpResponse:
    return redirect("charter:page", slug=ctx.partnership.slug)


def content_of(version: CharterVersion) -> dict[str, Any]:
    """A version's parts for the pages: four queries."""
    roles = list(
        CharterRole.objects.filter(version=version).select_related(
            "holder_member__user", "holder_partner"
        )
    )
    facilitators = [r.pk for r in roles if r.kind == RoleKind.FACILITATOR]
    return {
        "types": services.types_of(version),
        "roles": roles,
        # The only facilitator role cannot be removed: no button for it.
        "kept_role": facilitators[0] if len(facilitators) == 1 else None,
        "pots": list(BudgetPot.objects.filter(version=version)),
        "limits": list(ApprovalLimit.objects.filter(version=version).select_related("pot")),
        "plan": list(PlanRow.objects.filter(version=version)),
        "admission_label": services.type_label(version, version.admission_kind)
        if version.admission_kind
        else "",
    }


def _adoption(ctx: Ctx, version: CharterVersion) -> dict[str, Any]:
    """Where adoption stands by partner type, and what this member may record."""
    if version.status != CharterStatus.UNDER_ADOPTION or services.is_amendment(version):
        return {"states": None, "recording": None, "position_form": None}
    states = services.adoption_state(version)
    recording = None
    position_form = None
    if ctx.can("charter_position", Action.CREATE):
        recording = recording_options(ctx.member, states)
        if recording.partners:
            position_form = EndorsementForm(
                partners=Partner.objects.filter(pk__in=[p.pk for p in recording.partners]),
                on_behalf=recording.on_behalf,
                initial={"partner": recording.partners[0]},
            )
    return {"states": states, "recording": recording, "position_form": position_form}


@partnership_view("charter", Action.VIEW)
def charter_page(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    versions = list(
        CharterVersion.objects.filter(partnership=ctx.partnership).select_related(
            "created_by__user"
        )[:VERSIONS_SHOWN]
    )
    current = next((v for v in versions if v.status == CharterStatus.IN_FORCE), None)
    making = next((v for v in versions if v.is_open), None)
    history = services.position_history(versions)
    return render(
        request,
        "charter/page.html",
        {
            "ctx": ctx,
            "current": current,
            "making": making,
            **(content_of(current) if current else {}),
            **(_adoption(ctx, making) if making else {}),
            "versions": [(v, history.get(v.pk, [])) for v in versions],
        },
    )


@partnership_view("charter", Action.VIEW)
def version_page(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    return render(
        request,
        "charter/version.html",
        {
            "ctx": ctx,
            "version": version,
            "amendment": services.is_amendment(version),
            "problems": services.problems(version) if version.status == CharterStatus.DRAFT else [],
            **content_of(version),
            **_adoption(ctx, version),
            "history": services.position_history([version]).get(version.pk, []),
            "editing": version.status == CharterStatus.DRAFT and ctx.can("charter", Action.CHANGE),
            "drop_form": DropForm()
            if version.is_open and ctx.can("charter", Action.DELETE)
            else None,
        },
    )


@partnership_view("charter", Action.CREATE, methods=GET_POST)
def charter_start(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    making = services.in_the_making(ctx.partnership)
    if making is not None and request.method != "POST":
        # One charter in the making at a time: continue it.
        return _to_version(ctx, making)
    form = StarterForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.start_from_starter(
            by=request.user, partnership=ctx.partnership, starter=form.cleaned_data["starter"]
        ),
        done=_("Draft charter started: adapt it to your partnership."),
        then=lambda version: _to_version(ctx, version),
        page=lambda: render(
            request,
            "charter/start.html",
            {"ctx": ctx, "form": form, "starters": STARTERS.values()},
        ),
    )


@partnership_view("charter", Action.CREATE, methods=POST)
def charter_amend(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return button_view(
        request,
        lambda: services.start_amendment(by=request.user, partnership=ctx.partnership),
        done=_("Draft amendment started from the charter in force."),
        then=_to_page(ctx),
    )


def _part_page(
    request: HttpRequest,
    ctx: Ctx,
    version: CharterVersion,
    form: forms.BaseForm,
    save: Callable[[], Any],
    *,
    heading: str,
    done: str,
) -> HttpResponse:
    """A form page for one part of a draft: saved, back to the draft."""
    return form_view(
        request,
        form,
        save,
        done=done,
        then=lambda _saved: _to_version(ctx, version),
        page=lambda: render(
            request,
            "charter/form.html",
            {"ctx": ctx, "form": form, "version": version, "heading": heading},
        ),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def edit_texts(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = CharterTextsForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.update_texts(
            by=request.user,
            version=version,
            title=form.texts("title"),
            preamble=form.texts("preamble"),
        ),
        heading=_("Title and purpose"),
        done=_("Saved."),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def edit_rule(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID, kind: str) -> HttpResponse:
    version = _version(ctx, version_id)
    rule = services.rule_of(version, kind)
    if rule is None:
        raise Http404
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.set_rule(by=request.user, version=version, kind=kind, rule=form.rule()),
        heading=_("How this is decided: %(type)s") % {"type": services.type_label(version, kind)},
        done=_("Saved."),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def add_type(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = DecisionTypeForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.add_decision_type(
            by=request.user, version=version, label=form.texts("label")
        ),
        heading=_("Add a decision type"),
        done=_("Decision type added: give it its rule."),
    )


@partnership_view("charter", Action.CHANGE, methods=POST)
def remove_type(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID, kind: str) -> HttpResponse:
    version = _version(ctx, version_id)
    return button_view(
        request,
        lambda: parts.remove_decision_type(by=request.user, version=version, kind=kind),
        done=_("Removed."),
        then=_to_version(ctx, version),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def edit_entry(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = EntryForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.set_entry_rules(
            by=request.user,
            version=version,
            admission_kind=form.cleaned_data["admission_kind"],
            handover=form.texts("handover"),
            commitments_fate=form.cleaned_data["commitments_fate"],
        ),
        heading=_("Entry and leaver rules"),
        done=_("Saved."),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def add_role(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = RoleForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.add_role(by=request.user, version=version, **form.values()),
        heading=_("Add a role and its holder"),
        done=_("Role added."),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def add_pot(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = PotForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.add_pot(by=request.user, version=version, **form.values()),
        heading=_("Add a budget pot"),
        done=_("Pot added."),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def add_limit(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = LimitForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.add_limit(by=request.user, version=version, **form.values()),
        heading=_("Add an approval limit"),
        done=_("Approval limit added."),
    )


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def add_plan_row(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = PlanForm(request.POST or None, version=version)
    return _part_page(
        request,
        ctx,
        version,
        form,
        lambda: parts.add_plan_row(by=request.user, version=version, **form.cleaned_data),
        heading=_("Add a line to the communication plan"),
        done=_("Line added."),
    )


def _remover(
    model: type[Any], remove: Callable[..., None], arg: str
) -> Callable[..., HttpResponse]:
    """A button that removes one row of a draft's part."""

    def view(
        request: HttpRequest, ctx: Ctx, version_id: uuid.UUID, **ids: uuid.UUID
    ) -> HttpResponse:
        # One id in the address, named after the row's kind (role_id, pot_id…).
        version = _version(ctx, version_id)
        (row_id,) = ids.values()
        row = get_owned_or_404(
            model.objects.filter(version=version), ctx.partnership, public_id=row_id
        )
        return button_view(
            request,
            lambda: remove(by=request.user, **{arg: row}),
            done=_("Removed."),
            then=_to_version(ctx, version),
        )

    return partnership_view("charter", Action.CHANGE, methods=POST)(view)


remove_role = _remover(CharterRole, parts.remove_role, "role")
remove_pot = _remover(BudgetPot, parts.remove_pot, "pot")
remove_limit = _remover(ApprovalLimit, parts.remove_limit, "limit")
remove_plan_row = _remover(PlanRow, parts.remove_plan_row, "row")


@partnership_view("charter", Action.PUBLISH, methods=POST)
def open_adoption(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    return button_view(
        request,
        lambda: services.put_to_adoption(by=request.user, version=version),
        done=_("The charter is now put to adoption."),
        then=_to_version(ctx, version),
    )


@partnership_view("charter", Action.PUBLISH, methods=POST)
def withdraw_adoption(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    return button_view(
        request,
        lambda: services.back_to_draft(by=request.user, version=version),
        done=_("The charter is a draft again; the positions taken stay in its history."),
        then=_to_version(ctx, version),
    )


@partnership_view("charter", Action.DELETE, methods=POST)
def drop(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    form = DropForm(request.POST)
    return button_view(
        request,
        lambda: services.drop_draft(
            by=request.user,
            version=version,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        ),
        done=_("The draft is dropped; its history stays."),
        then=_to_page(ctx),
    )


@partnership_view("charter_position", Action.CREATE, methods=POST)
def record_position(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
    version = _version(ctx, version_id)
    partner = _named_partner(ctx, request.POST.get("partner", ""))
    form = EndorsementForm(
        request.POST,
        partners=Partner.objects.filter(pk__in=[partner.pk] if partner else []),
        on_behalf=True,
    )
    return button_view(
        request,
        lambda: services.record_position(
            by=request.user,
            version=version,
            partner=form.cleaned_data["partner"],
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
            mandate=form.cleaned_data["mandate"],
        ),
        form=form,
        done=lambda _recorded: _recorded_message(version),
        then=_to_version(ctx, version),
    )


def _named_partner(ctx: Ctx, raw: str) -> Partner | None:
    try:
        partner_id = uuid.UUID(raw)
    except ValueError:
        return None
    return get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)


def _recorded_message(version: CharterVersion) -> str:
    version.refresh_from_db(fields=["status"])
    if version.status == CharterStatus.IN_FORCE:
        return _("Position recorded: every partner type has adopted the charter; it is in force.")
    return _("Position recorded.")


# --- Spending ------------------------------------------------------------------------


@partnership_view("spending", Action.VIEW)
def spending(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    version = services.in_force(ctx.partnership)
    pots = list(BudgetPot.objects.filter(version=version)) if version else []
    return render(
        request,
        "charter/spending.html",
        {
            "ctx": ctx,
            "version": version,
            "pots": [(pot, parts.spent(pot)) for pot in pots],
            "approvals": SpendingApproval.objects.filter(
                partnership=ctx.partnership
            ).select_related("pot", "approved_by__user")[:SPENDING_SHOWN],
        },
    )


@partnership_view("spending", Action.CREATE, methods=GET_POST)
def spending_new(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    version = services.in_force(ctx.partnership)
    form = SpendingForm(request.POST or None, version=version)
    return form_view(
        request,
        form,
        lambda: parts.approve_spending(
            by=request.user,
            pot=form.cleaned_data["pot"],
            amount_minor=form.cleaned_data["amount_minor"],
            purpose=form.cleaned_data["purpose"],
        ),
        done=_("Spending approved."),
        then=lambda _saved: redirect("charter:spending", slug=ctx.partnership.slug),
        page=lambda: render(
            request,
            "charter/form.html",
            {"ctx": ctx, "form": form, "heading": _("Approve spending")},
        ),
    )
