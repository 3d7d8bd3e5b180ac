"""Pages of the notifications room: each person's notifications and
preferences (their own, in every partnership), and a partnership's
announcements. Thin: parse, call one service, render."""

from __future__ import annotations

import uuid
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import announcements, services
from notifications.forms import AnnouncementForm, PreferencesForm
from notifications.models import Announcement, Notification
from partnerships.form_view import button_view, form_view
from partnerships.paging import paged
from partnerships.permissions import (
    GET_POST,
    POST,
    Action,
    Ctx,
    get_owned_or_404,
    login_view,
    partnership_view,
)

PAGE_SIZE = 20


def _me(request: HttpRequest) -> User:
    # Every view here is declared for signed-in people only.
    return cast(User, request.user)


@login_view()
def notification_list(request: HttpRequest) -> HttpResponse:
    # Three queries however many there are: the count, the page (with each
    # one's partnership), the unread count of the header.
    rows = Notification.objects.filter(recipient=_me(request)).select_related("partnership")
    listing = paged(request, rows, PAGE_SIZE)
    return render(request, "notifications/list.html", listing)


def _back(request: HttpRequest) -> HttpResponse:
    return redirect("notifications:list")


@login_view(methods=POST)
def notification_read(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    # Only the person's own: another's id changes nothing and says nothing.
    target = (
        Notification.objects.filter(recipient=_me(request), public_id=notification_id)
        .values_list("url", flat=True)
        .first()
    )
    then = _back(request)
    if (
        target
        and request.POST.get("open")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        then = redirect(target)
    return button_view(
        request,
        lambda: services.mark_read(user=_me(request), public_id=notification_id),
        then=then,
    )


@login_view(methods=POST)
def notification_read_all(request: HttpRequest) -> HttpResponse:
    return button_view(
        request,
        lambda: services.mark_all_read(user=_me(request)),
        then=_back(request),
        done=_("Every notification is marked as read."),
    )


@login_view(methods=GET_POST)
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=services.preferences_of(_me(request)))
    return form_view(
        request,
        form,
        lambda: services.set_preferences(user=_me(request), choices=form.choices()),
        done=_("Your notification preferences are saved."),
        then=lambda _n: redirect("notifications:preferences"),
        page=lambda: render(request, "notifications/preferences.html", {"form": form}),
    )


# --- Announcements ---------------------------------------------------------------


@partnership_view("announcement", Action.VIEW)
def announcement_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    rows = announcements.visible_to(ctx.member).filter(withdrawn_at__isnull=True)
    listing = paged(request, rows, PAGE_SIZE)
    return render(request, "notifications/announcements.html", {"ctx": ctx, **listing})


@partnership_view("announcement", Action.VIEW)
def announcement_detail(request: HttpRequest, ctx: Ctx, announcement_id: uuid.UUID) -> HttpResponse:
    # Outside its audience, an internal announcement is not found.
    announcement = get_owned_or_404(
        announcements.visible_to(ctx.member), ctx.partnership, public_id=announcement_id
    )
    return render(
        request, "notifications/announcement.html", {"ctx": ctx, "announcement": announcement}
    )


@partnership_view("announcement", Action.CREATE, methods=GET_POST)
def announcement_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = AnnouncementForm(request.POST or None, languages=ctx.partnership)
    return form_view(
        request,
        form,
        lambda: announcements.post_announcement(
            by=_me(request), partnership=ctx.partnership, **form.values()
        ),
        done=_("Announcement posted."),
        then=lambda a: redirect(
            "notifications:announcement", slug=ctx.partnership.slug, announcement_id=a.public_id
        ),
        page=lambda: render(
            request, "notifications/announcement_form.html", {"ctx": ctx, "form": form}
        ),
    )


@partnership_view("announcement", Action.DELETE, methods=POST)
def announcement_withdraw(
    request: HttpRequest, ctx: Ctx, announcement_id: uuid.UUID
) -> HttpResponse:
    announcement = get_owned_or_404(Announcement, ctx.partnership, public_id=announcement_id)
    return button_view(
        request,
        lambda: announcements.withdraw_announcement(by=_me(request), announcement=announcement),
        then=redirect("notifications:announcements", slug=ctx.partnership.slug),
        done=_("Announcement withdrawn."),
    )
