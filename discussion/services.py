"""Workflows of the discussion room: post, reply, edit, hide. Keyword-only
arguments; a refusal is a ``ServiceError`` with a message for the person.

A comment is plain text, always: it is stored as typed (without control
characters, which are refused) and every page escapes it. Replies notify the
author replied to (kind "reply"), mentions the members named (kind
"mention"); neither notification names anyone, so no protected person can be
named through them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from discussion.mentions import mentioned
from discussion.models import MAX_DEPTH, Comment, CommentEdit
from discussion.targets import Target, target_named, target_of
from notifications.services import notify
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import reading
from partnerships.models import Member, Partnership, Role
from partnerships.text import CONTROL

MAX_BODY = 5000
MAX_REASON = 1000


def _clean_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ServiceError(_("Write a comment."), field="body")
    if len(text) > MAX_BODY:
        raise ServiceError(
            _("Keep a comment within %(max)s characters; this one has %(n)s.")
            % {"max": f"{MAX_BODY:,}".replace(",", "."), "n": len(text)},
            field="body",
        )
    if CONTROL.search(text):
        raise ServiceError(
            _("This text holds characters that cannot be shown; type it again."), field="body"
        )
    return text


def _member(partnership: Partnership, user: User) -> Member:
    member: Member | None = Member.objects.filter(partnership=partnership, user=user).first()
    if member is None:
        raise ServiceError(_("Only the partnership's members take part in its discussions."))
    return member


def _target(record: Any, partnership: Partnership) -> Target:
    target = target_of(record)
    if target is None or getattr(record, "partnership_id", None) != partnership.pk:
        raise ServiceError(_("This record has no discussion."))
    return target


def comment_url(comment: Comment, record: Any, target: Target) -> str:
    """Where a comment is read: its record's page (which holds the thread),
    else the thread's own page; at the comment."""
    anchor = f"#c-{comment.public_id}"
    if target.url is not None:
        return target.url(record) + anchor
    return (
        reverse(
            "discussion:thread",
            kwargs={
                "slug": comment.partnership.slug,
                "target": target.code,
                "target_id": record.public_id,
            },
        )
        + anchor
    )


@transaction.atomic
def post_comment(
    *,
    by: User,
    partnership: Partnership,
    target: Any,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """A new comment on ``target`` (a registered record of ``partnership``),
    or a reply to ``parent``."""
    text = _clean_body(body)
    kind = _target(target, partnership)
    author = _member(partnership, by)
    depth = 0
    root = None
    if parent is not None:
        if (
            parent.partnership_id != partnership.pk
            or parent.target_type != kind.code
            or parent.target_pk != target.pk
        ):
            raise ServiceError(_("That comment is not in this discussion."))
        if parent.hidden_at is not None:
            raise ServiceError(_("A hidden comment takes no replies."))
        if parent.depth >= MAX_DEPTH:
            raise ServiceError(
                _("Replies go three levels deep at most: reply to the comment above this one."),
                field="body",
            )
        depth = parent.depth + 1
        root = parent.root or parent
    comment = Comment(
        partnership=partnership,
        target_type=kind.code,
        target_pk=target.pk,
        parent=parent,
        root=root,
        depth=depth,
        author=author,
        body=text,
    )
    save_audited(comment, actor=by)
    with reading(partnership):
        title = str(target)[:200]
    url = comment_url(comment, target, kind)
    told: set[int] = set()
    if parent is not None:
        if not parent.has_replies:
            parent.has_replies = True
            parent.save(update_fields=["has_replies"])
        if parent.author is not None:
            told.add(parent.author.user_id)
            notify(
                partnership=partnership,
                kind="reply",
                recipients=[parent.author.user],
                params={"title": title},
                url=url,
                actor=by,
            )
    named = [m.user for m in mentioned(partnership, text) if m.user_id not in told]
    if named:
        notify(
            partnership=partnership,
            kind="mention",
            recipients=named,
            params={"title": title},
            url=url,
            actor=by,
        )
    return comment


@transaction.atomic
def edit_comment(*, by: User, comment: Comment, body: str) -> Comment:
    """The author changes their text. Before anyone replied, freely; after,
    the earlier text is kept and shown."""
    text = _clean_body(body)
    if comment.author is None or comment.author.user_id != by.pk:
        raise ServiceError(_("Only its author may edit a comment."))
    if comment.hidden_at is not None:
        raise ServiceError(_("A hidden comment cannot be edited."))
    if text == comment.body:
        return comment
    now = timezone.now()
    if comment.has_replies:
        CommentEdit.objects.create(
            partnership=comment.partnership,
            comment=comment,
            body=comment.body,
            written_at=comment.edited_at or comment.created_at,
            replaced_at=now,
        )
    earlier = comment.body
    comment.body = text
    comment.edited_at = now
    save_audited(comment, actor=by, update_fields=["body", "edited_at"])
    _tell_newly_mentioned(comment, earlier, by)
    return comment


def _tell_newly_mentioned(comment: Comment, earlier: str, by: User) -> None:
    """An edit that names someone new tells them, as a new comment would;
    those named before were told then."""
    before = {m.pk for m in mentioned(comment.partnership, earlier)}
    named = [m.user for m in mentioned(comment.partnership, comment.body) if m.pk not in before]
    target = target_named(comment.target_type)
    if not named or target is None:
        return
    record = target.model._default_manager.filter(pk=comment.target_pk).first()
    if record is None:
        return
    with reading(comment.partnership):
        title = str(record)[:200]
    notify(
        partnership=comment.partnership,
        kind="mention",
        recipients=named,
        params={"title": title},
        url=comment_url(comment, record, target),
        actor=by,
    )


@transaction.atomic
def hide_comment(*, by: User, comment: Comment, reason: str) -> Comment:
    """A facilitator hides a comment, saying why; its author and the
    facilitators still read it."""
    moderator = _member(comment.partnership, by)
    if moderator.role != Role.FACILITATOR:
        raise ServiceError(_("Only facilitators moderate discussions."))
    why = (reason or "").strip()
    if not why:
        raise ServiceError(_("Say why the comment is hidden."), field="reason")
    if len(why) > MAX_REASON or CONTROL.search(why):
        raise ServiceError(
            _("Keep the reason within %(n)s characters of plain text.") % {"n": MAX_REASON},
            field="reason",
        )
    if comment.hidden_at is not None:
        raise ServiceError(_("This comment is hidden already."))
    comment.hidden_at = timezone.now()
    comment.hidden_reason = why
    comment.hidden_by = moderator
    save_audited(comment, actor=by, update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    return comment
