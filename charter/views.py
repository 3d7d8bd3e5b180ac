"""Pages of the charter room: the charter page (the charter in force, where
adoption stands by partner type, the history of versions), choosing a
starter, adapting the draft part by part, putting it to adoption, recording
a partner's position, and spending under the charter. Thin: parse, call one
service, render."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
from goals.views import position_recording, post_position
from partnerships.form_view import button_view, form_view
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
    recording, position_form = (
        position_recording(ctx, states)
        if ctx.can("charter_position", Action.CREATE)
        else (None, None)
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


def _part_view(
    form_class: type[Any],
    save: Callable[[Any, CharterVersion, Any], Any],
    *,
    heading: str,
    done: str,
) -> Callable[..., HttpResponse]:
    """A form page for one part of a draft: ``save(user, version, form)``
    calls the service; saved, back to the draft."""

    def view(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID) -> HttpResponse:
        version = _version(ctx, version_id)
        form = form_class(request.POST or None, version=version)
        return form_view(
            request,
            form,
            lambda: save(request.user, version, form),
            done=_(done),
            then=lambda _saved: _to_version(ctx, version),
            page=lambda: render(
                request,
                "charter/form.html",
                {"ctx": ctx, "form": form, "version": version, "heading": _(heading)},
            ),
        )

    return partnership_view("charter", Action.CHANGE, methods=GET_POST)(view)


# The English strings are marked here and translated when the page is shown.
edit_texts = _part_view(
    CharterTextsForm,
    lambda by, version, form: parts.update_texts(
        by=by, version=version, title=form.texts("title"), preamble=form.texts("preamble")
    ),
    heading=gettext_noop("Title and purpose"),
    done=gettext_noop("Saved."),
)
add_type = _part_view(
    DecisionTypeForm,
    lambda by, version, form: parts.add_decision_type(
        by=by, version=version, label=form.texts("label")
    ),
    heading=gettext_noop("Add a decision type"),
    done=gettext_noop("Decision type added: give it its rule."),
)
edit_entry = _part_view(
    EntryForm,
    lambda by, version, form: parts.set_entry_rules(
        by=by,
        version=version,
        admission_kind=form.cleaned_data["admission_kind"],
        handover=form.texts("handover"),
        commitments_fate=form.cleaned_data["commitments_fate"],
    ),
    heading=gettext_noop("Entry and leaver rules"),
    done=gettext_noop("Saved."),
)
add_role = _part_view(
    RoleForm,
    lambda by, version, form: parts.add_role(by=by, version=version, **form.values()),
    heading=gettext_noop("Add a role and its holder"),
    done=gettext_noop("Role added."),
)
add_pot = _part_view(
    PotForm,
    lambda by, version, form: parts.add_pot(by=by, version=version, **form.values()),
    heading=gettext_noop("Add a budget pot"),
    done=gettext_noop("Pot added."),
)
add_limit = _part_view(
    LimitForm,
    lambda by, version, form: parts.add_limit(by=by, version=version, **form.values()),
    heading=gettext_noop("Add an approval limit"),
    done=gettext_noop("Approval limit added."),
)
add_plan_row = _part_view(
    PlanForm,
    lambda by, version, form: parts.add_plan_row(by=by, version=version, **form.cleaned_data),
    heading=gettext_noop("Add a line to the communication plan"),
    done=gettext_noop("Line added."),
)


@partnership_view("charter", Action.CHANGE, methods=GET_POST)
def edit_rule(request: HttpRequest, ctx: Ctx, version_id: uuid.UUID, kind: str) -> HttpResponse:
    version = _version(ctx, version_id)
    rule = services.rule_of(version, kind)
    if rule is None:
        raise Http404
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    heading = _("How this is decided: %(type)s") % {"type": services.type_label(version, kind)}
    return form_view(
        request,
        form,
        lambda: parts.set_rule(by=request.user, version=version, kind=kind, rule=form.rule()),
        done=_("Saved."),
        then=lambda _saved: _to_version(ctx, version),
        page=lambda: render(
            request,
            "charter/form.html",
            {"ctx": ctx, "form": form, "version": version, "heading": heading},
        ),
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
    return post_position(
        request,
        ctx,
        functools.partial(services.record_position, version=version),
        done=lambda _recorded: _recorded_message(version),
        then=_to_version(ctx, version),
    )


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
    pots = list(BudgetPot.objects.filter(version=version)) if version else []
    if request.method != "POST" and not any(parts.approver_limit(ctx.member, p) for p in pots):
        # Nothing this member may approve: say so rather than offer a form
        # the service would refuse (a budget decision is the way).
        return render(
            request,
            "charter/form.html",
            {
                "ctx": ctx,
                "heading": _("Approve spending"),
                "notice": _(
                    "The charter gives you no approval limit: spending needs a budget decision."
                ),
            },
        )
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
