"""The kinds of notification this room sends. Neither names anyone: the
person who replied or mentioned may be protected, so the text says only
where to look."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Frequency, Kind, register_kind


def _reply(params: Mapping[str, Any]) -> str:
    return str(_("Someone replied to your comment on “%(title)s”.") % {"title": params["title"]})


def _mention(params: Mapping[str, Any]) -> str:
    return str(
        _("You were mentioned in the discussion of “%(title)s”.") % {"title": params["title"]}
    )


def register() -> None:
    register_kind(
        Kind(
            code="reply",
            label=_("Replies to your comments"),
            text=_reply,
            default=Frequency.DAILY,
            params=("title",),
        )
    )
    register_kind(
        Kind(
            code="mention",
            label=_("Mentions of you in a discussion"),
            text=_mention,
            default=Frequency.DAILY,
            params=("title",),
        )
    )
