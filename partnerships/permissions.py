"""The permission layer: one table, one check, deny by default.

``CAPABILITIES`` says, for each role, what it may do with each kind of record.
Anything not in the table is refused. Views declare what they need with one of
three decorators (``public_view``, ``login_view``, ``partnership_view``); a view
of ours that declares nothing is refused by ``DenyUndeclaredViewsMiddleware``.
The first two and the middleware stand on the ground floor
(``accounts.access``), where the accounts' own pages can use them; this
module builds ``partnership_view`` on them and hands all three on, so the
rooms import their declarations from here.
The API (``api``) and the admin (``partnerships.admin``) ask the same
``can()``. Later rooms add their kinds with ``grant()`` from their AppConfig.

A person who is not a member of a partnership gets a 404 for anything inside
it, and any object of another partnership is a 404 too: we never confirm that
something exists to someone who may not see it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from accounts.access import GET_POST as GET_POST
from accounts.access import POST as POST
from accounts.access import ViewAccess as ViewAccess
from accounts.access import declare
from accounts.access import login_view as login_view
from accounts.access import public_view as public_view
from partnerships import kinds
from partnerships.languages import reading

if TYPE_CHECKING:
    from partnerships.models import Member, Partnership


class Action(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    PUBLISH = "publish"


_LETTERS = {
    "v": Action.VIEW,
    "c": Action.CREATE,
    "u": Action.CHANGE,
    "d": Action.DELETE,
    "p": Action.PUBLISH,
}

# role -> kind -> actions. Letters: v view, c create, u change (update), d delete, p publish.
CAPABILITIES: dict[str, dict[str, frozenset[Action]]] = {}


def grant(
    kind: str,
    table: dict[str, str],
    *,
    models_: Iterable[type[models.Model]] = (),
    label: Any = None,
    audited: bool = False,
) -> None:
    """Add one kind of record to the table: ``{role: "vcudp"}``. ``audited``:
    a kind with no model of its own whose events the audit trail records
    (an export, say), listed on the record page like the models' kinds."""
    for role, letters in table.items():
        CAPABILITIES.setdefault(role, {})[kind] = frozenset(_LETTERS[ch] for ch in letters)
    kinds.register(kind, models_=models_, label=label, audited=audited)


def role_can(role: str | None, kind: str, action: Action) -> bool:
    if role is None:
        return False
    return action in CAPABILITIES.get(role, {}).get(kind, frozenset())


def can(member: Member | None, kind: str, action: Action) -> bool:
    return role_can(member.role if member is not None else None, kind, action)


def can_create_partnership(user: Any) -> bool:
    """Instance administrators and people who already facilitate a partnership
    may set up a new one (a dynamiser)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    from partnerships.models import Member, Role

    return Member.objects.filter(user=user, role=Role.FACILITATOR).exists()


def get_partnership_for_member(user: Any, slug: str) -> tuple[Partnership, Member]:
    """The partnership and the user's membership, or a 404 for outsiders."""
    from partnerships.models import Member

    member = (
        Member.objects.filter(partnership__slug=slug, user=user)
        .select_related("partnership", "partner")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if member is None:
        raise Http404
    return member.partnership, member


def require(member: Member | None, kind: str, action: Action) -> None:
    if not can(member, kind, action):
        raise PermissionDenied


M = TypeVar("M", bound=models.Model)


def get_owned_or_404(
    source: type[M] | models.QuerySet[M], partnership: Partnership, **lookup: Any
) -> M:
    """Fetch a record of this partnership; another partnership's record is a 404."""
    qs = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    try:
        return qs.filter(partnership=partnership).get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):  # a malformed UUID too
        raise Http404 from None


# --- View declarations --------------------------------------------------------


@dataclass
class Ctx:
    """What a partnership view is given: the partnership from the URL, and the
    viewer's membership in it."""

    partnership: Partnership
    member: Member

    def can(self, kind: str, action: Action | str) -> bool:
        return can(self.member, kind, Action(action))

    @property
    def may(self) -> dict[str, frozenset[Action]]:
        """The viewer's row of the table, for templates:
        ``{% if "change" in ctx.may.member %}``."""
        return CAPABILITIES.get(self.member.role, {})


def partnership_view(
    kind: str, action: Action, *, methods: tuple[str, ...] = ("GET", "HEAD")
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page inside a partnership: the URL carries ``slug``; the view gets a
    ``Ctx`` instead. Anonymous: to the login page. Outsider: 404. Member
    without the capability: 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            partnership, member = get_partnership_for_member(request.user, slug)
            require(member, kind, action)
            # Texts on the page fall back to the partnership's working languages.
            with reading(partnership):
                return view(request, Ctx(partnership, member), *args, **kwargs)

        return declare(wrapper, ViewAccess("partnership", kind, action, methods), methods=methods)

    return decorate
