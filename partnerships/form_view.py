"""The one shape of a page that sends a form.

Parse the form; when it was sent and is valid, call the service; a refusal
(``ServiceError``) goes back on the form field it concerns and the page shows
again with what was typed; a success says so and moves on (a redirect, so a
reload sends nothing twice). Every room's form pages go through ``form_view``
rather than writing the try/except/else again, so a change to this shape (a
status code for refused forms, say) is made once.

A page that is only a button (reopen a step, withdraw an invitation, remove a
member, open a goal for endorsement) has a second, smaller shape, ``button_view``:
on a POST, call the service; a refusal is a message; either way, redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from partnerships.errors import ServiceError

T = TypeVar("T")


def put_back(form: forms.BaseForm, error: ServiceError) -> None:
    """A service's refusal on the field it names, or on the whole form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
    page: Callable[[], HttpResponse],
    sent: bool | None = None,
) -> HttpResponse:
    """``save()`` calls the service with the form's values (only once the form
    is valid); ``done`` is the success message (or makes it from what
    ``save`` returned); ``then`` is where to go next; ``page`` shows the form
    — on GET, when invalid, when refused. ``sent``: whether the form was sent
    to be saved (by default: a POST; a form that adds rows on a POST says no)."""
    if (request.method == "POST" if sent is None else sent) and form.is_valid():
        try:
            saved = save()
        except ServiceError as error:
            # A form may place a refusal itself (a row of options, say).
            if hasattr(form, "add_service_error"):
                form.add_service_error(error)
            else:
                put_back(form, error)
        else:
            messages.success(request, done if isinstance(done, str) else done(saved))
            return then(saved)
    return page()


def errors_in_a_line(form: forms.BaseForm) -> str:
    """A form's errors as one message, for a button whose form has no page of
    its own to show them on."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def button_view(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    then: HttpResponse,
    done: str | Callable[[T], str] | None = None,
    refused: HttpResponse | None = None,
    form: forms.BaseForm | None = None,
    invalid: str | None = None,
) -> HttpResponse:
    """``act()`` calls the service; ``done`` is the success message (none when
    the page itself shows what changed, or made from what ``act`` returned);
    ``then`` where to go; ``refused`` where to go when the service (or ``form``,
    checked first) says no — by default ``then``. An invalid ``form`` says
    ``invalid``, or else its own errors. Only a POST acts: a button reached
    any other way changes nothing, whatever its view declares."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = then if refused is None else refused
    if form is not None and not form.is_valid():
        messages.error(request, invalid or errors_in_a_line(form))
        return back
    try:
        result = act()
    except ServiceError as error:
        messages.error(request, error.message)
        return back
    if done is not None:
        messages.success(request, done if isinstance(done, str) else done(result))
    return then
