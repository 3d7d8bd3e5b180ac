"""Pages of the register (who came, the counts, the printable sheet, the
bulk entry), the calendar links and feeds, and the public meeting summaries."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meetings import feeds, services
from meetings.attendance import labels_of
from meetings.forms import RegisterForm
from meetings.models import Attendance, Invitee, MeetingKind, MeetingStatus
from meetings.public import present, public_rows
from meetings.services_attendance import record_register, remove_attendee, shown_to
from meetings.views import meeting_of, not_now
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
from stakeholders.display import actor_name
from stakeholders.models import Actor

PUBLIC_PAGE = 20
ACTORS_OFFERED = 300


@partnership_view("attendance", Action.VIEW)
def attendance(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    """Who came, by name, and the exact counts: for those who take the register."""
    meeting = meeting_of(ctx, meeting_id)
    rows = list(
        Attendance.objects.filter(meeting=meeting).select_related(
            "member__user", "actor", "partner", "segment"
        )
    )
    named = [
        {
            "row": row,
            "name": row.member.name_for(ctx.member)
            if row.member is not None
            else actor_name(row.actor, ctx.member)
            if row.actor is not None
            else "",
        }
        for row in rows
    ]
    return render(
        request,
        "meetings/attendance.html",
        {
            "ctx": ctx,
            "meeting": meeting,
            "named": named,
            "attendance": shown_to(ctx, meeting, labels_of(ctx.partnership)),
        },
    )


@partnership_view("attendance", Action.VIEW)
def attendance_sheet(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    """The sheet to print for a meeting without connectivity: the invited
    members with boxes to tick, blank lines for everyone else, the tally
    boxes of the counts at the door. No actor of the map is printed (the
    sheet lies on a table where anyone reads it)."""
    meeting = meeting_of(ctx, meeting_id)
    invitees = list(
        Invitee.objects.filter(meeting=meeting).select_related("member__user", "partner")
    )
    labels = labels_of(ctx.partnership)
    return render(
        request,
        "meetings/sheet.html",
        {
            "ctx": ctx,
            "meeting": meeting,
            "invitees": [(i, i.member.name_for(None)) for i in invitees],
            "blank_lines": range(max(10, 25 - len(invitees))),
            "labels": labels,
            "agenda": services.flat_agenda(services.agenda_tree(meeting)),
        },
    )


@partnership_view("attendance", Action.CHANGE, methods=GET_POST)
def attendance_register(request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID) -> HttpResponse:
    """The bulk entry page: the paper sheet typed in afterwards."""
    meeting = meeting_of(ctx, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return not_now(
            request,
            ctx,
            meeting,
            _("Type in the attendance sheet"),
            _("A cancelled meeting has no attendance."),
        )
    actors = list(
        Actor.objects.filter(partnership=ctx.partnership).order_by("name")[:ACTORS_OFFERED]
    )
    taken = Actor.objects.filter(
        partnership=ctx.partnership,
        pk__in=meeting.attendance.filter(actor__isnull=False).values("actor"),
    )
    actors += [a for a in taken if a not in actors]
    for actor in actors:
        actor.name = actor_name(actor, ctx.member)
    form = RegisterForm(request.POST or None, meeting=meeting, viewer=ctx.member, actors=actors)
    return form_view(
        request,
        form,
        lambda: record_register(by=request.user, meeting=meeting, **form.values()),
        done=lambda n: _("The register is saved: %(n)s named attendees.") % {"n": n},
        then=lambda _n: redirect(
            "meetings:attendance", slug=ctx.partnership.slug, meeting_id=meeting.public_id
        ),
        page=lambda: render(
            request, "meetings/register.html", {"ctx": ctx, "form": form, "meeting": meeting}
        ),
    )


@partnership_view("attendance", Action.DELETE, methods=POST)
def attendee_remove(
    request: HttpRequest, ctx: Ctx, meeting_id: uuid.UUID, attendance_id: uuid.UUID
) -> HttpResponse:
    meeting = meeting_of(ctx, meeting_id)
    row = get_owned_or_404(
        Attendance.objects.filter(meeting=meeting), ctx.partnership, public_id=attendance_id
    )
    return button_view(
        request,
        lambda: remove_attendee(by=request.user, attendance=row),
        done=_("Removed from the register."),
        then=redirect(
            "meetings:attendance", slug=ctx.partnership.slug, meeting_id=meeting.public_id
        ),
    )


# --- Calendar ------------------------------------------------------------------------------


@partnership_view("calendar", Action.VIEW)
def calendar_links(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return render(
        request,
        "meetings/calendar.html",
        {"ctx": ctx, "has_token": feeds.has_token(ctx.member), "token": None},
    )


@partnership_view("calendar", Action.CREATE, methods=POST)
def calendar_new(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    """A new secret for the member's feeds, shown once (the old links stop)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    raw = feeds.issue(member=ctx.member)
    base = request.build_absolute_uri("/")[:-1]
    return render(
        request,
        "meetings/calendar.html",
        {
            "ctx": ctx,
            "has_token": True,
            "token": raw,
            "partnership_url": base + _feed_url(raw, "partnership"),
            "mine_url": base + _feed_url(raw, "mine"),
        },
    )


def _feed_url(raw: str, which: str) -> str:
    from django.urls import reverse

    return reverse("meetings:feed", args=[raw, which])


@public_view()
def calendar_feed(request: HttpRequest, calendar_token: str, which: str) -> HttpResponse:
    """A feed at its secret address: no login, the token is the key; an
    unknown or revoked one is a 404, like any address that is not there."""
    member = feeds.member_for(calendar_token)
    if member is None or which not in ("partnership", "mine"):
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    body = feeds.feed_text(member, mine=which == "mine", base=base)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{member.partnership.slug}-{which}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Public --------------------------------------------------------------------------------


@public_view()
def public_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    data = public_partnership(slug)
    if data is None:
        raise Http404
    kind = request.GET.get("kind", "")
    listing = paged(request, public_rows(data["id"], kind=kind), PUBLIC_PAGE)
    page = listing["page"]
    page.object_list = present(data["id"], list(page.object_list))
    return render(
        request,
        "meetings/public_list.html",
        {
            "p": data,
            "page": page,
            "query": listing["query"],
            "kinds": MeetingKind.choices,
            "kind": kind,
        },
    )
