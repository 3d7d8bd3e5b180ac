"""What this room tells people, through ``notifications.notify`` (the one entry point).

Three kinds: a vote opened, a vote closed (to the electorate) and a reminder
(to those who have not voted, once). They carry the decision's title and, at
the close, the result — never a ballot, a choice or who cast one: a vote
sends no notification at all, so none can line a voter up with a choice
(Loomio's leak through notification avatars, loomio#6949, is the failure
this avoids).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions.electorate import electorate, people_of
from decisions.models import Decision
from notifications.kinds import Kind, register_kind
from notifications.services import notify
from partnerships.languages import first_language

_RESULTS = {
    "passed": gettext_lazy("passed"),
    "not_passed": gettext_lazy("did not pass"),
    "quorum_not_met": gettext_lazy("did not reach its quorum"),
}


def _opened(params: Mapping[str, Any]) -> str:
    return _("A vote has opened: %(title)s") % {"title": params.get("title", "")}


def _closed(params: Mapping[str, Any]) -> str:
    return _("The decision %(title)s %(result)s.") % {
        "title": params.get("title", ""),
        "result": _RESULTS.get(str(params.get("result", "")), ""),
    }


def _reminder(params: Mapping[str, Any]) -> str:
    return _("The vote closes soon and you have not voted: %(title)s") % {
        "title": params.get("title", "")
    }


KINDS = (
    Kind("decision_opened", gettext_lazy("A vote opened"), _opened, params=("title",)),
    Kind(
        "decision_closed",
        gettext_lazy("A decision was taken"),
        _closed,
        params=("title", "result"),
    ),
    Kind(
        "decision_reminder",
        gettext_lazy("A vote closes soon and you have not voted"),
        _reminder,
        # A digest by default, like every kind: the reminder goes 48 hours
        # before the close, so a daily digest still arrives in time (a weekly
        # one may not: whoever chooses it is told so by the kind's label).
        params=("title",),
    ),
)


def register() -> None:
    for kind in KINDS:
        register_kind(kind)


def _title(decision: Decision) -> str:
    first = first_language(decision.partnership)
    return decision.title.get(first) or decision.label


def _url(decision: Decision) -> str:
    return reverse("decisions:detail", args=[decision.partnership.slug, decision.public_id])


def opened(decision: Decision, *, actor: Any) -> int:
    keys = set(electorate(decision.partnership, decision.voters))
    users = [m.user for m in people_of(decision.partnership, decision.voters, keys)]
    return notify(
        partnership=decision.partnership,
        kind="decision_opened",
        recipients=users,
        params={"title": _title(decision)},
        url=_url(decision),
        actor=actor if getattr(actor, "pk", None) else None,
    )


def closed(decision: Decision) -> int:
    voters = decision.voters or "members"
    keys = set(electorate(decision.partnership, voters))
    users = [m.user for m in people_of(decision.partnership, voters, keys)]
    return notify(
        partnership=decision.partnership,
        kind="decision_closed",
        recipients=users,
        params={"title": _title(decision), "result": decision.status},
        url=_url(decision),
    )


def reminder(decision: Decision, not_voted: set[str]) -> int:
    users = [m.user for m in people_of(decision.partnership, decision.voters, not_voted)]
    return notify(
        partnership=decision.partnership,
        kind="decision_reminder",
        recipients=users,
        params={"title": _title(decision)},
        url=_url(decision),
    )
