"""Reading a thread: a page of first comments with all their replies, as
each viewer may read them. Five queries however many comments: the count
and the page of first comments, their replies with authors, the earlier
texts, and the protection lookup of the authors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from discussion.models import MAX_DEPTH, Comment, CommentEdit
from discussion.targets import Target, target_of
from partnerships.models import Member, Role
from partnerships.permissions import Action, can
from partnerships.protection import has_clearance, protected_among

PER_PAGE = 20


@dataclass
class Entry:
    comment: Comment
    author: str
    # Hidden, and this viewer is neither its author nor a facilitator.
    veiled: bool
    mine: bool
    can_reply: bool
    can_hide: bool
    edits: list[CommentEdit] = field(default_factory=list)


@dataclass
class Thread:
    target: Target
    record: Any
    page: Page[Any]
    entries: list[Entry]
    can_post: bool


def author_name(author: Member | None, viewer: Member, protected: set[str], cleared: bool) -> str:
    if author is None:
        return _("A former member")
    if str(author.public_id) in protected and not cleared:
        return _("A protected participant")
    return author.name_for(viewer)


def thread_of(record: Any, viewer: Member, *, page: Any = 1) -> Thread:
    target = target_of(record)
    if target is None:
        raise LookupError(f"{type(record).__name__} is not a discussion target.")
    firsts = Comment.objects.filter(
        partnership_id=record.partnership_id,
        target_type=target.code,
        target_pk=record.pk,
        depth=0,
    ).order_by("created_at", "pk")
    shown = Paginator(firsts.only("pk"), PER_PAGE).get_page(page)
    ids = [c.pk for c in shown]
    comments = list(
        Comment.objects.filter(Q(pk__in=ids) | Q(root_id__in=ids))
        .select_related("author__user")
        .prefetch_related("edits")
        .order_by("created_at", "pk")
    )
    protected = protected_among({str(c.author.public_id) for c in comments if c.author})
    cleared = has_clearance(viewer)
    may_post = can(viewer, "comment", Action.CREATE)
    may_hide = can(viewer, "comment", Action.DELETE)
    children: dict[int | None, list[Comment]] = {}
    for c in comments:
        children.setdefault(c.parent_id if c.depth else None, []).append(c)
    entries: list[Entry] = []

    def walk(c: Comment) -> None:
        mine = c.author is not None and c.author.user_id == viewer.user_id
        entries.append(
            Entry(
                comment=c,
                author=author_name(c.author, viewer, protected, cleared),
                veiled=c.hidden_at is not None and not (mine or viewer.role == Role.FACILITATOR),
                mine=mine,
                can_reply=may_post and c.hidden_at is None and c.depth < MAX_DEPTH,
                can_hide=may_hide and c.hidden_at is None,
                edits=list(c.edits.all()),
            )
        )
        for reply in children.get(c.pk, []):
            walk(reply)

    for first in children.get(None, []):
        walk(first)
    return Thread(target=target, record=record, page=shown, entries=entries, can_post=may_post)
