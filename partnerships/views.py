"""Pages inside a partnership. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.confirm import CONFIRM_METHODS, confirm_page
from partnerships import journey, services, stepper
from partnerships.audit import relabel_for_reader
from partnerships.form_view import button_view, form_view
from partnerships.forms import (
    InvitationForm,
    PartnerForm,
    PartnerLeavingForm,
    PartnershipForm,
    PartnershipSettingsForm,
    RecordFilterForm,
    RoleForm,
    StepCompletionForm,
)
from partnerships.kinds import audited_kinds
from partnerships.models import AuditEntry, Invitation, Member, Partner, Step
from partnerships.paging import paged
from partnerships.permissions import (
    GET_POST,
    POST,
    Action,
    Ctx,
    can_create_partnership,
    get_owned_or_404,
    login_view,
    partnership_view,
    public_view,
)
from partnerships.protection import mask_audit_entries
from partnerships.publication import public_partnerships
from partnerships.stepper_progress import missing_partner_types, partner_counts
from partnerships.suppression import suppress_count


@public_view()
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(
            request,
            "partnerships/landing.html",
            {"public": public_partnerships().only("slug", "name", "locality_name")[:20]},
        )
    memberships = (
        Member.objects.filter(user=request.user)
        .select_related("partnership", "partner")
        .order_by("partnership__name")
    )
    return render(
        request,
        "partnerships/home.html",
        {
            "memberships": memberships,
            "can_create": can_create_partnership(request.user),
        },
    )


@login_view(methods=GET_POST, allow=can_create_partnership)
def partnership_create(request: HttpRequest) -> HttpResponse:
    form = PartnershipForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.create_partnership(creator=request.user, **form.cleaned_data),
        done=_("The partnership is set up. Now register its partners."),
        then=lambda partnership: redirect("partnerships:overview", slug=partnership.slug),
        page=lambda: render(request, "partnerships/partnership_form.html", {"form": form}),
    )


@partnership_view("partnership", Action.VIEW)
def overview(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    """The partnership's home, role by role: a participant's or a partner
    representative's journey (what they can do now, what came of it); the
    progress report for facilitators (with what needs them now) and observers
    (with what came of it)."""
    if journey.sees_journey_first(ctx.member):
        return render(
            request,
            "partnerships/journey.html",
            {
                "ctx": ctx,
                "to_do": journey.to_do(ctx.member),
                "results": journey.results(ctx.member),
            },
        )
    steps = stepper.build(ctx.partnership)
    counts = partner_counts(ctx.partnership)
    members = Member.objects.filter(partnership=ctx.partnership).count()
    return render(
        request,
        "partnerships/overview.html",
        {
            "ctx": ctx,
            "steps": steps,
            "current": stepper.now(steps),
            "partner_counts": counts,
            "missing_types": missing_partner_types(ctx.partnership),
            "alerts": stepper.alerts(ctx.partnership),
            # People: exact for those who may see the members, else suppressed.
            "member_count": members if ctx.can("member", Action.VIEW) else suppress_count(members),
            "recent": mask_audit_entries(
                relabel_for_reader(list(visible_record(ctx)[:5])), ctx.member
            )
            if ctx.can("record", Action.VIEW)
            else [],
            "to_do": journey.to_do(ctx.member) if ctx.can("step", Action.CHANGE) else [],
            "results": journey.results(ctx.member) if not ctx.can("step", Action.CHANGE) else [],
        },
    )


@partnership_view("partnership", Action.CHANGE, methods=GET_POST)
def partnership_settings(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = PartnershipSettingsForm.for_partnership(ctx.partnership, request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.update_partnership(
            actor=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Saved."),
        then=lambda _saved: redirect("partnerships:overview", slug=ctx.partnership.slug),
        page=lambda: render(request, "partnerships/settings.html", {"ctx": ctx, "form": form}),
    )


@partnership_view("partnership", Action.PUBLISH, methods=POST)
def partnership_publish(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    published = request.POST.get("published") == "1"
    services.set_published(actor=request.user, partnership=ctx.partnership, published=published)
    messages.success(
        request, _("The public page is on.") if published else _("The public page is off.")
    )
    return redirect("partnerships:settings", slug=ctx.partnership.slug)


# --- Steps --------------------------------------------------------------------------


@partnership_view("step", Action.VIEW)
def steps(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return render(
        request, "partnerships/steps.html", {"ctx": ctx, "steps": stepper.build(ctx.partnership)}
    )


def _step_or_404(key: str) -> Step:
    if key not in Step.values:
        raise Http404
    return Step(key)


def _step_page(
    request: HttpRequest, ctx: Ctx, wanted: Step, form: StepCompletionForm | None = None
) -> HttpResponse:
    views = stepper.build(ctx.partnership)
    view = next(v for v in views if v.step == wanted)
    needs_reason = view.progress in ("under_way", "not_started", "unchecked")
    if form is None and ctx.can("step", Action.CHANGE) and view.completion is None:
        form = StepCompletionForm(needs_reason=needs_reason)
    return render(
        request,
        "partnerships/step_detail.html",
        {"ctx": ctx, "steps": views, "view": view, "form": form, "now": stepper.now(views)},
    )


@partnership_view("step", Action.VIEW)
def step_detail(request: HttpRequest, ctx: Ctx, step: str) -> HttpResponse:
    return _step_page(request, ctx, _step_or_404(step))


@partnership_view("step", Action.CHANGE, methods=POST)
def step_complete(request: HttpRequest, ctx: Ctx, step: str) -> HttpResponse:
    wanted = _step_or_404(step)
    checked, unmet = services.unmet_checks(ctx.partnership, wanted)
    form = StepCompletionForm(request.POST, needs_reason=bool(unmet) or not checked)
    return form_view(
        request,
        form,
        lambda: services.complete_step(
            actor=request.user, partnership=ctx.partnership, step=wanted, **form.cleaned_data
        ),
        done=_("Step marked complete."),
        then=lambda _saved: redirect(
            "partnerships:step", slug=ctx.partnership.slug, step=wanted.value
        ),
        # What was typed stays on the page, with the reason it was refused.
        page=lambda: _step_page(request, ctx, wanted, form),
    )


@partnership_view("step", Action.CHANGE, methods=POST)
def step_reopen(request: HttpRequest, ctx: Ctx, step: str) -> HttpResponse:
    wanted = _step_or_404(step)
    return button_view(
        request,
        lambda: services.reopen_step(actor=request.user, partnership=ctx.partnership, step=wanted),
        then=redirect("partnerships:step", slug=ctx.partnership.slug, step=wanted.value),
    )


# --- Partners -----------------------------------------------------------------------


@partnership_view("partner", Action.VIEW)
def partner_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    partners = Partner.objects.for_partnership(ctx.partnership)
    return render(
        request,
        "partnerships/partner_list.html",
        {
            "ctx": ctx,
            **paged(request, partners, 100),
        },
    )


@partnership_view("partner", Action.CREATE, methods=GET_POST)
def partner_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.add_partner(
            actor=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Partner registered."),
        then=lambda _saved: redirect("partnerships:partners", slug=ctx.partnership.slug),
        page=lambda: render(request, "partnerships/partner_form.html", {"ctx": ctx, "form": form}),
    )


@partnership_view("partner", Action.VIEW)
def partner_detail(request: HttpRequest, ctx: Ctx, partner_id: str) -> HttpResponse:
    partner = get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)
    representatives = (
        partner.representatives.select_related("user") if ctx.can("member", Action.VIEW) else []
    )
    return render(
        request,
        "partnerships/partner_detail.html",
        {
            "ctx": ctx,
            "partner": partner,
            "representatives": representatives,
            "leaving_form": PartnerLeavingForm() if ctx.can("partner", Action.CHANGE) else None,
            # What the charter in force asks of a leaving partner (empty without one).
            "leaving_terms": services.leaving_terms(ctx.partnership) if not partner.left_on else [],
            "stays": services.why_partner_stays(partner)
            if ctx.can("partner", Action.DELETE)
            else None,
        },
    )


@partnership_view("partner", Action.CHANGE, methods=GET_POST)
def partner_edit(request: HttpRequest, ctx: Ctx, partner_id: str) -> HttpResponse:
    partner = get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)
    initial = {f: getattr(partner, f) for f in PartnerForm.base_fields}
    form = PartnerForm(request.POST or None, initial=initial)
    return form_view(
        request,
        form,
        lambda: services.update_partner(actor=request.user, partner=partner, **form.cleaned_data),
        done=_("Saved."),
        then=lambda _saved: redirect(
            "partnerships:partner", slug=ctx.partnership.slug, partner_id=partner.public_id
        ),
        page=lambda: render(
            request,
            "partnerships/partner_form.html",
            {"ctx": ctx, "form": form, "partner": partner},
        ),
    )


@partnership_view("partner", Action.CHANGE, methods=POST)
def partner_leave(request: HttpRequest, ctx: Ctx, partner_id: str) -> HttpResponse:
    partner = get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)
    form = PartnerLeavingForm(request.POST)
    return button_view(
        request,
        lambda: services.record_partner_leaving(
            actor=request.user,
            partner=partner,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        invalid=_("Give the date and the reason the partner left."),
        done=_("Recorded that the partner left."),
        then=redirect(
            "partnerships:partner", slug=ctx.partnership.slug, partner_id=partner.public_id
        ),
    )


@partnership_view("partner", Action.DELETE, methods=CONFIRM_METHODS)
def partner_delete(request: HttpRequest, ctx: Ctx, partner_id: str) -> HttpResponse:
    partner = get_owned_or_404(Partner, ctx.partnership, public_id=partner_id)
    back = reverse("partnerships:partner", args=[ctx.partnership.slug, partner.public_id])
    if request.method != "POST":
        stays = services.why_partner_stays(partner)
        if stays is not None:  # say so before asking, not after
            messages.error(request, stays)
            return redirect(back)
        return confirm_page(
            request,
            ctx,
            title=_("Delete the partner %(name)s?") % {"name": partner.name},
            consequences=[
                _(
                    "Delete only a partner registered by mistake. When a partner leaves, "
                    "record that it left instead: its history stays."
                ),
                _("The record keeps a trace of the deletion."),
            ],
            button=_("Delete the partner"),
            cancel_url=back,
        )
    return button_view(
        request,
        lambda: services.delete_partner(actor=request.user, partner=partner),
        done=_("Partner deleted."),
        then=redirect("partnerships:partners", slug=ctx.partnership.slug),
        refused=redirect(back),
    )


# --- Members and invitations --------------------------------------------------------


@partnership_view("member", Action.VIEW)
def member_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    listing = paged(
        request,
        Member.objects.for_partnership(ctx.partnership).select_related("user", "partner"),
        50,
    )
    invitations = (
        Invitation.objects.for_partnership(ctx.partnership).select_related("partner")[:50]
        if ctx.can("invitation", Action.VIEW)
        else []
    )
    return render(
        request,
        "partnerships/member_list.html",
        {
            "ctx": ctx,
            "invitations": invitations,
            "rows": [{"member": m, "name": m.name_for(ctx.member)} for m in listing["page"]],
            **listing,
            "invite_form": InvitationForm(partnership=ctx.partnership)
            if ctx.can("invitation", Action.CREATE)
            else None,
        },
    )


@partnership_view("invitation", Action.CREATE, methods=GET_POST)
def invitation_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = InvitationForm(request.POST or None, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: services.invite(
            actor=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=lambda _saved: (
            _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
        then=lambda _saved: redirect("partnerships:members", slug=ctx.partnership.slug),
        page=lambda: render(
            request, "partnerships/invitation_form.html", {"ctx": ctx, "form": form}
        ),
    )


@partnership_view("invitation", Action.DELETE, methods=CONFIRM_METHODS)
def invitation_revoke(request: HttpRequest, ctx: Ctx, invitation_id: str) -> HttpResponse:
    invitation = get_owned_or_404(Invitation, ctx.partnership, public_id=invitation_id)
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Withdraw the invitation to %(email)s?") % {"email": invitation.email},
            consequences=[
                _("The link it carries stops working."),
                _("You can invite the same address again later."),
            ],
            button=_("Withdraw the invitation"),
            cancel_url=reverse("partnerships:members", args=[ctx.partnership.slug]),
        )
    return button_view(
        request,
        lambda: services.revoke_invitation(actor=request.user, invitation=invitation),
        done=_("Invitation withdrawn."),
        then=redirect("partnerships:members", slug=ctx.partnership.slug),
    )


@partnership_view("member", Action.CHANGE, methods=GET_POST)
def member_role(request: HttpRequest, ctx: Ctx, member_id: str) -> HttpResponse:
    member = get_owned_or_404(
        Member.objects.select_related("user", "partner"), ctx.partnership, public_id=member_id
    )
    initial = {
        "role": member.role,
        "partner": str(member.partner.public_id) if member.partner else "",
    }
    form = RoleForm(request.POST or None, initial=initial, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: services.change_role(actor=request.user, member=member, **form.cleaned_data),
        done=_("Role changed."),
        then=lambda _saved: redirect("partnerships:members", slug=ctx.partnership.slug),
        page=lambda: render(
            request,
            "partnerships/member_role.html",
            {"ctx": ctx, "form": form, "member": member, "name": member.name_for(ctx.member)},
        ),
    )


@partnership_view("member", Action.DELETE, methods=CONFIRM_METHODS)
def member_remove(request: HttpRequest, ctx: Ctx, member_id: str) -> HttpResponse:
    member = get_owned_or_404(
        Member.objects.select_related("user"), ctx.partnership, public_id=member_id
    )
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Remove %(name)s from the partnership?")
            % {"name": member.name_for(ctx.member)},
            consequences=[
                _("They will no longer see the partnership's pages."),
                _("What they contributed stays in the record."),
            ],
            button=_("Remove from the partnership"),
            cancel_url=reverse("partnerships:members", args=[ctx.partnership.slug]),
        )
    return button_view(
        request,
        lambda: services.remove_member(actor=request.user, member=member),
        done=_("Member removed."),
        then=redirect("partnerships:members", slug=ctx.partnership.slug),
    )


@partnership_view("own_membership", Action.VIEW)
def my_membership(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return render(request, "partnerships/membership.html", {"ctx": ctx})


@partnership_view("own_membership", Action.DELETE, methods=CONFIRM_METHODS)
def leave(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    if request.method != "POST":
        if services.is_last_facilitator(ctx.member):
            # Say so before asking, rather than refuse after the confirmation.
            messages.error(
                request, _("A partnership needs at least one facilitator; appoint another first.")
            )
            return redirect("partnerships:membership", slug=ctx.partnership.slug)
        return confirm_page(
            request,
            ctx,
            title=_("Leave %(p)s?") % {"p": ctx.partnership.name},
            consequences=[
                _("You will no longer see its pages."),
                _("What you contributed stays in its record."),
                _("To come back, you need a new invitation."),
            ],
            button=_("Leave the partnership"),
            cancel_url=reverse("partnerships:membership", args=[ctx.partnership.slug]),
        )
    return button_view(
        request,
        lambda: services.remove_member(actor=request.user, member=ctx.member),
        done=_("You have left %(p)s.") % {"p": ctx.partnership.name},
        then=redirect("partnerships:home"),
        refused=redirect("partnerships:membership", slug=ctx.partnership.slug),
    )


# --- The record (audit trail) -------------------------------------------------------


@partnership_view("record", Action.VIEW)
def record(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = RecordFilterForm(request.GET or None, kinds=visible_kinds(ctx))
    entries = visible_record(ctx)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["who"]:
            entries = entries.filter(Q(actor_label__icontains=data["who"]))
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
    listing = paged(request, entries, 50)
    listing["page"].object_list = mask_audit_entries(
        relabel_for_reader(list(listing["page"].object_list)), ctx.member
    )
    return render(request, "partnerships/record.html", {"ctx": ctx, "form": form, **listing})


def visible_record(ctx: Ctx) -> Any:
    """The audit entries of the kinds this viewer may see (a facilitator's
    participation-risk flags, say, are not for everyone)."""
    kinds = [kind for kind, _label in visible_kinds(ctx)]
    return AuditEntry.objects.filter(partnership=ctx.partnership, kind__in=kinds)


def visible_kinds(ctx: Ctx) -> list[tuple[str, str]]:
    return [(kind, label) for kind, label in audited_kinds() if ctx.can(kind, Action.VIEW)]
