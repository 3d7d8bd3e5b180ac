"""Every view of ours says who may open it; one that says nothing is refused.

The ground floor of the permission layer. A view declares its access with a
decorator, which leaves a ``ViewAccess`` on it: ``public_view`` (anyone) and
``login_view`` (anyone signed in, or only those ``allow`` lets through) live
here, beneath every room, so that this room's own pages (language, profile,
API tokens) can declare theirs; ``partnership_view`` (a member with the
capability) is built on them in ``partnerships.permissions``, which hands all
three on: the rooms import them from there. ``DenyUndeclaredViewsMiddleware``
turns any view of ours without a declaration into a 404, so forgetting is
safe. The permission-matrix test reads the declarations of every URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

Access = Literal["public", "login", "partnership"]

# The methods a view answers, named once for every room: a page answers GET
# (the default), a page with a form GET and POST, a button only POST.
GET_POST = ("GET", "HEAD", "POST")
POST = ("POST",)


@dataclass(frozen=True)
class ViewAccess:
    access: Access
    # For partnership views: the row of the permission table (kind of record,
    # action) the viewer's role must hold.
    kind: str | None = None
    action: str | None = None
    methods: tuple[str, ...] = ("GET", "HEAD")
    # For login views that only some signed-in users may use; others get a 404.
    allow: Callable[[Any], bool] | None = None


V = TypeVar("V", bound=Callable[..., HttpResponse])


def declare(view: V, access: ViewAccess, *, methods: tuple[str, ...]) -> V:
    """The view, answering only ``methods``, with its declaration on it."""
    wrapped = require_http_methods(list(methods))(view)
    wrapped.hsbp_access = access  # type: ignore[attr-defined]
    return wrapped


def public_view(*, methods: tuple[str, ...] = ("GET", "HEAD")) -> Callable[[V], V]:
    def decorate(view: V) -> V:
        return declare(view, ViewAccess("public", methods=methods), methods=methods)

    return decorate


def login_view(
    *, methods: tuple[str, ...] = ("GET", "HEAD"), allow: Callable[[Any], bool] | None = None
) -> Callable[[V], V]:
    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if allow is not None and not allow(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        access = ViewAccess("login", methods=methods, allow=allow)
        return declare(wrapper, access, methods=methods)  # type: ignore[return-value]

    return decorate


def _own_packages() -> tuple[str, ...]:
    """Every top-level package of this repository: their views must declare their
    access. Read from the checkout, not listed by hand, so a new room is covered
    the day it is created (a hand-kept list once missed two new rooms)."""
    root = Path(settings.BASE_DIR)
    return tuple(
        f"{entry.name}."
        for entry in sorted(root.iterdir())
        if (entry / "__init__.py").exists() and entry.name not in ("tests", "benchmarks")
    )


OWN_PACKAGES = _own_packages()


class DenyUndeclaredViewsMiddleware:
    """Deny by default: a view of ours that forgot its declaration is a 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        module = getattr(view_func, "__module__", "") or ""
        if module.startswith(OWN_PACKAGES) and not hasattr(view_func, "hsbp_access"):
            raise Http404
