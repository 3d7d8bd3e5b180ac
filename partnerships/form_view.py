"""The one shape of a page that sends a form.

Parse the form; when it was sent and is valid, call the service; a refusal
(``ServiceError``) goes back on the form field it concerns and the page shows
again with what was typed; a success says so and moves on (a redirect, so a
reload sends nothing twice). Every room's form pages go through ``form_view``
rather than writing the try/except/else again, so a change to this shape (a
status code for refused forms, say) is made once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

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
