"""Pages of the meetings room: the list, a meeting (before, during, after),
its agenda, invitations, inclusion services, minutes, decisions and action
items. Thin: parse, call one service, render. Attendance, the sheet, the
calendar feeds and the public pages are in ``meetings.views_attendance``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.confirm import confirm_page
from decisions.charter_link import decision_types
from meetings import services, services_after
from meetings.attendance import labels_of
from meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    CancelForm,
    ConvertForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    ServiceForm,
    ServiceOutcomeForm,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    InclusionService,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.services_attendance import shown_to
from partnerships.form_view import button_view, form_view
from partnerships.paging import paged
from partnerships.permissions import GET_POST, POST, Action, Ctx, get_owned_or_404, partnership_view
from partnerships.suppression import suppress_count

PAGE_SIZE = 30


def meeting_of(ctx: Ctx, meeting_id: Any) -> Meeting:
    meeting = get_owned_or_404(Meeting, ctx.partnership, public_id=meeting_id)
    meeting.partnership = ctx.partnership
    return meeting


def not_now(
    request: HttpRequest, ctx: Ctx, meeting: Meeting, heading: str, notice: str
) -> HttpResponse:
    """A form's page when the meeting's state does not allow it: says why,
    offers no form (what it would send would be refused)."""
    return render(
        request,
        "meetings/small_form.html",
        {"ctx": ctx, "form": None, "meeting": meeting, "heading": heading, "notice": notice},
    )


def small_form(
    request: HttpRequest, ctx: Ctx, meeting: Meeting, form: Any, heading: str, button: str
) -> Callable[[], HttpResponse]:
    """The page of a meeting's small form (``form_view``'s ``page``)."""
    return lambda: render(
        request,
        "meetings/small_form.html",
        {"ctx": ctx, "form": form, "meeting": meeting, "heading": heading, "button": button},
    )


def to_meeting(ctx: Ctx, meeting: Meeting, anchor: str = "") -> HttpResponse:
    response = redirect("meetings:detail", slug=ctx.partnership.slug, meeting_id=meeting.public_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@partnership_view("meeting", Action.VIEW)
def meeting_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    rows = (
        Meeting.objects.filter(partnership=ctx.partnership)
        .select_related("locality")
        .defer("minutes", "purpose")
    )
    if kind in MeetingKind.values:
        rows = rows.filter(kind=kind)
    if status in MeetingStatus.values:
        rows = rows.filter(status=status)
    listing = paged(request, rows.order_by("-starts_at", "-pk"), PAGE_SIZE)
    exact = ctx.can("attendance", Action.VIEW)
    page = listing["page"]
    # The named attendees of this page's meetings only (counted over every
    # meeting, before paging, it took 0.3 s at 2,000 meetings and 100,000 rows).
    named = dict(
        Attendance.objects.filter(meeting__in=[m.pk for m in page.object_list])
        .values("meeting")
        .annotate(n=Count("pk"))
        .values_list("meeting", "n")
    )
    for meeting in page.object_list:
        total = meeting.headcount.get("total", 0) if meeting.headcount else named.get(meeting.pk, 0)
        # Each meeting's total is its own lone count (meetings are never added up).
        meeting.shown_total = total if exact else suppress_count(total)
    upcoming = (
        Meeting.objects.filter(services.upcoming(ctx.partnership))
        .order_by("starts_at", "pk")
        .only("public_id", "title", "starts_at", "time_zone", "kind")[:5]
    )
    return render(
        request,
        "meetings/list.html",
        {
            "ctx": ctx,
            "page": page,
            "query": listing["query"],
            "kinds": MeetingKind.choices,
            "kind": kind,
            "statuses": MeetingStatus.choices,
            "status": status,
            "upcoming": list(upcoming),
        },
    )


@partnership_view("meeting", Action.CREATE, methods=GET_POST)
def meeting_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    initial = (
        {"kind": request.GET.get("kind", "")}
        if request.GET.get("kind") in MeetingKind.values
        else {}
    )
    form = MeetingForm(request.POST or None, partnership=ctx.partnership, initial=initial)
    return form_view(
        request,
        form,
        lambda: services.convene(by=request.user, partnership=ctx.partnership, **form.values()),
        done=_("Meeting planned: add its agenda and invite the partners."),
        then=lambda meeting: to_meeting(ctx, meeting),
        page=lambda: render(request, "meetings/form.html", {"ctx": ctx, "form": form}),
    )


@partnership_view("meeting", Action.VIEW)
def meeting_detail(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = get_owned_or_404(
        Meeting.objects.select_related("locality"), ctx.partnership, public_id=meeting_id
    )
    meeting.partnership = ctx.partnership
    tree = services.agenda_tree(meeting)
    invitees = list(
        Invitee.objects.filter(meeting=meeting).select_related("member__user", "partner")
    )
    partners_present = sorted(
        {
            row.partner.name
            for row in meeting.attendance.select_related("partner")
            if row.partner is not None
        }
    )
    items = list(ActionItem.objects.filter(meeting=meeting).select_related("owner"))
    may_convert = ctx.can("meeting", Action.CHANGE) and ctx.can("action", Action.CREATE)
    for item in items:
        item.convert_form = (
            ConvertForm(item=item, partnership=ctx.partnership)
            if may_convert and item.action_ref is None
            else None
        )
    return render(
        request,
        "meetings/detail.html",
        {
            "ctx": ctx,
            "meeting": meeting,
            "agenda": services.flat_agenda(tree),
            "agenda_total": sum(r["total"] for r in tree),
            "invitees": invitees,
            "invited_me": any(i.member_id == ctx.member.pk for i in invitees),
            "services_planned": list(
                InclusionService.objects.filter(meeting=meeting).select_related("provider")
            ),
            "attendance": shown_to(ctx, meeting, labels_of(ctx.partnership)),
            "partners_present": partners_present,
            "decisions": services_after.decisions_of(meeting),
            "items": items,
            "held": meeting.status == MeetingStatus.HELD,
            "planned": meeting.status == MeetingStatus.PLANNED,
            "started": meeting.starts_at <= timezone.now(),
            "outcome_form": ServiceOutcomeForm(),
        },
    )


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def meeting_edit(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Change the meeting"),
            _("A cancelled meeting is kept as it was."),
        )
    form = MeetingForm(request.POST or None, partnership=ctx.partnership, meeting=meeting)
    return form_view(
        request,
        form,
        lambda: services.update_meeting(by=request.user, meeting=meeting, **form.values()),
        done=_("Meeting changed."),
        then=lambda saved: to_meeting(ctx, saved),
        page=lambda: render(
            request, "meetings/form.html", {"ctx": ctx, "form": form, "meeting": meeting}
        ),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def meeting_held(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    return button_view(
        request,
        lambda: services.mark_held(by=request.user, meeting=meeting),
        done=_("Marked as held: record the attendance, the minutes and what was agreed."),
        then=to_meeting(ctx, meeting),
    )


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def meeting_cancel(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Cancel the meeting"),
            _("Only a planned meeting can be cancelled."),
        )
    form = CancelForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.cancel(
            by=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
        ),
        done=_("The meeting is cancelled; those invited are told."),
        then=lambda saved: to_meeting(ctx, saved),
        page=small_form(
            request, ctx, meeting, form, _("Cancel the meeting"), _("Cancel the meeting")
        ),
    )


@partnership_view("meeting", Action.DELETE, methods=GET_POST)
def meeting_delete(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status == MeetingStatus.HELD:
        return not_now(
            request, ctx, meeting, _("Delete"), _("A meeting that was held stays in the record.")
        )
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Delete the meeting “%(title)s”?") % {"title": meeting.label},
            consequences=[_("Its agenda, invitations and planned services go with it.")],
            cancel_url=to_meeting(ctx, meeting)["Location"],
        )
    return button_view(
        request,
        lambda: services.delete_meeting(by=request.user, meeting=meeting),
        done=_("Meeting deleted."),
        then=redirect("meetings:list", slug=ctx.partnership.slug),
        refused=to_meeting(ctx, meeting),
    )


# --- Agenda ----------------------------------------------------------------------------


def _item(ctx: Ctx, meeting: Meeting, item_id: Any) -> AgendaItem:
    item: AgendaItem = get_owned_or_404(
        AgendaItem.objects.filter(meeting=meeting), ctx.partnership, public_id=item_id
    )
    return item


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def agenda_add(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Add an agenda item"),
            _("A cancelled meeting is kept as it was."),
        )
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    return form_view(
        request,
        form,
        lambda: services.add_item(by=request.user, meeting=meeting, **form.values()),
        done=_("Item added to the agenda."),
        then=lambda _saved: to_meeting(ctx, meeting, "agenda-h"),
        page=small_form(request, ctx, meeting, form, _("Add an agenda item"), _("Add")),
    )


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def agenda_edit(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Change an agenda item"),
            _("A cancelled meeting is kept as it was."),
        )
    item = _item(ctx, meeting, item_id)
    form = AgendaItemForm(request.POST or None, meeting=meeting, item=item)
    return form_view(
        request,
        form,
        lambda: services.update_item(by=request.user, item=item, **form.values()),
        done=_("Agenda item changed."),
        then=lambda _saved: to_meeting(ctx, meeting, "agenda-h"),
        page=small_form(request, ctx, meeting, form, _("Change an agenda item"), _("Save")),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def agenda_delete(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    item = _item(ctx, meeting, item_id)
    return button_view(
        request,
        lambda: services.delete_item(by=request.user, item=item),
        done=_("Agenda item removed, with its sub-items."),
        then=to_meeting(ctx, meeting, "agenda-h"),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def agenda_move(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    item = _item(ctx, meeting, item_id)
    return button_view(
        request,
        lambda: services.move_item(
            by=request.user, item=item, direction=request.POST.get("direction", "")
        ),
        then=to_meeting(ctx, meeting, "agenda-h"),
    )


# --- Invitations and inclusion services -------------------------------------------------


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def meeting_invite(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Invite to the meeting"),
            _("Invitations go out for a planned meeting only."),
        )
    form = InviteForm(request.POST or None, partnership=ctx.partnership, viewer=ctx.member)
    return form_view(
        request,
        form,
        lambda: services.invite(by=request.user, meeting=meeting, **form.values()),
        done=lambda n: _("%(n)s invited; they hear of it in their notifications.") % {"n": n},
        then=lambda _n: to_meeting(ctx, meeting, "invited-h"),
        page=small_form(request, ctx, meeting, form, _("Invite to the meeting"), _("Invite")),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def meeting_uninvite(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, invitee_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    invitee = get_owned_or_404(
        Invitee.objects.filter(meeting=meeting), ctx.partnership, public_id=invitee_id
    )
    return button_view(
        request,
        lambda: services.uninvite(by=request.user, invitee=invitee),
        done=_("Invitation withdrawn."),
        then=to_meeting(ctx, meeting, "invited-h"),
    )


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def service_add(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Plan an inclusion service"),
            _("Services are planned before the meeting."),
        )
    form = ServiceForm(request.POST or None, partnership=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: services.plan_service(by=request.user, meeting=meeting, **form.values()),
        done=_("Service planned."),
        then=lambda _saved: to_meeting(ctx, meeting, "services-h"),
        page=small_form(request, ctx, meeting, form, _("Plan an inclusion service"), _("Plan")),
    )


def _service(ctx: Ctx, meeting: Meeting, service_id: Any) -> InclusionService:
    service: InclusionService = get_owned_or_404(
        InclusionService.objects.filter(meeting=meeting), ctx.partnership, public_id=service_id
    )
    return service


@partnership_view("meeting", Action.CHANGE, methods=POST)
def service_record(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, service_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    service = _service(ctx, meeting, service_id)
    form = ServiceOutcomeForm(request.POST)
    return button_view(
        request,
        lambda: services.record_service(
            by=request.user,
            service=service,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        done=_("Recorded."),
        then=to_meeting(ctx, meeting, "services-h"),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def service_drop(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, service_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    service = _service(ctx, meeting, service_id)
    return button_view(
        request,
        lambda: services.drop_service(by=request.user, service=service),
        done=_("Service removed."),
        then=to_meeting(ctx, meeting, "services-h"),
    )


# --- After the meeting ------------------------------------------------------------------


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def meeting_minutes(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status != MeetingStatus.HELD:
        return not_now(request, ctx, meeting, _("Minutes"), _("Mark the meeting as held first."))
    form = MinutesForm(request.POST or None, meeting=meeting)
    return form_view(
        request,
        form,
        lambda: services_after.write_minutes(
            by=request.user, meeting=meeting, minutes=form.texts("minutes")
        ),
        done=_("Minutes saved."),
        then=lambda _saved: to_meeting(ctx, meeting, "minutes-h"),
        page=small_form(request, ctx, meeting, form, _("Minutes"), _("Save the minutes")),
    )


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def meeting_decision(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status != MeetingStatus.HELD:
        return not_now(
            request,
            ctx,
            meeting,
            _("A decision taken at the meeting"),
            _("Mark the meeting as held first."),
        )
    types = [t for t in decision_types(ctx.partnership) if ctx.member.role in t.rule.proposers]
    form = DecisionForm(request.POST or None, meeting=meeting, types=types)
    return form_view(
        request,
        form,
        lambda: services_after.record_decision(by=request.user, meeting=meeting, **form.values()),
        done=_("The decision is in the decision log, linked to this meeting."),
        then=lambda _saved: to_meeting(ctx, meeting, "decisions-h"),
        page=lambda: render(
            request,
            "meetings/decision_form.html",
            {"ctx": ctx, "form": form, "meeting": meeting, "types": types},
        ),
    )


@partnership_view("meeting", Action.CHANGE, methods=GET_POST)
def item_add(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status != MeetingStatus.HELD:
        return not_now(
            request, ctx, meeting, _("Add an action item"), _("Mark the meeting as held first.")
        )
    form = ActionItemForm(request.POST or None, meeting=meeting)
    return form_view(
        request,
        form,
        lambda: services_after.add_action_item(by=request.user, meeting=meeting, **form.values()),
        done=_("Action item recorded."),
        then=lambda _saved: to_meeting(ctx, meeting, "items-h"),
        page=small_form(request, ctx, meeting, form, _("Add an action item"), _("Add")),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def item_drop(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, action_item_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    item = get_owned_or_404(
        ActionItem.objects.filter(meeting=meeting), ctx.partnership, public_id=action_item_id
    )
    return button_view(
        request,
        lambda: services_after.drop_action_item(by=request.user, item=item),
        done=_("Action item removed."),
        then=to_meeting(ctx, meeting, "items-h"),
    )


@partnership_view("meeting", Action.CHANGE, methods=POST)
def item_convert(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, action_item_id: uuid.UUID
) -> HttpResponse:
    """An action item becomes a checklist action, in one step."""
    meeting = meeting_of(ctx, meeting_id)
    item = get_owned_or_404(
        ActionItem.objects.filter(meeting=meeting), ctx.partnership, public_id=action_item_id
    )
    form = ConvertForm(request.POST, item=item, partnership=ctx.partnership)
    return button_view(
        request,
        lambda: services_after.convert_item(by=request.user, item=item, **form.values()),
        form=form,
        done=_("The item is on the action checklist."),
        then=to_meeting(ctx, meeting, "items-h"),
    )
