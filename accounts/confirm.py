"""Destructive actions ask first, on a page of their own.

A delete URL answers GET with a confirmation page (what will go, what it
takes with it, a red button that POSTs back to the same address, and a way
back) and only a POST deletes. No JavaScript is needed, and a mistaken tap
on a phone deletes nothing. It lives on the ground floor, beside the view
declarations, because every room asks first, this one too (revoking an API
token). Views call ``confirm_page`` for GET:

    if request.method != "POST":
        return confirm_page(request, ctx, title=..., cancel_url=...)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import GET_POST

# A confirmation page: GET asks, POST does.
CONFIRM_METHODS = GET_POST


def confirm_page(
    request: HttpRequest,
    ctx: object | None,
    *,
    title: str,
    cancel_url: str,
    consequences: Sequence[str] = (),
    button: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page that asks "really?" before a destructive POST to this URL.

    ``ctx``: a partnership page's ``Ctx`` (the page keeps the partnership's
    menu), or None outside a partnership.
    ``consequences``: what else goes or changes, one sentence each.
    ``extra``: hidden fields to send back with the confirmation."""
    return render(
        request,
        "_confirm.html",
        {
            "ctx": ctx,
            "title": title,
            "consequences": consequences,
            "button": button or _("Delete"),
            "cancel_url": cancel_url,
            "extra": extra or {},
        },
    )
