"""Pages of the discussion room. The thread is usually read on its record's
page (``{% thread record %}``); these pages take its forms, and show the
thread alone when a form comes back with an error, or when the record's room
gave no page of its own. Every page asks, beyond its own declaration, that
the viewer may read the record discussed (``can(view)`` on its kind)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from discussion import services
from discussion.forms import CommentForm, HideForm
from discussion.models import Comment
from discussion.targets import Target, target_named
from discussion.threads import thread_of
from partnerships.form_view import form_view
from partnerships.permissions import GET_POST, Action, Ctx, get_owned_or_404, partnership_view


def _me(request: HttpRequest) -> User:
    # Every view here is declared for signed-in people only.
    return cast(User, request.user)


def _record(ctx: Ctx, code: str, record_id: Any) -> tuple[Target, Any]:
    target = target_named(code)
    if target is None:
        raise Http404
    record = get_owned_or_404(target.model, ctx.partnership, public_id=record_id)
    if not ctx.can(target.permission_kind, Action.VIEW):
        raise PermissionDenied
    return target, record


def _comment(ctx: Ctx, comment_id: uuid.UUID) -> tuple[Comment, Target, Any]:
    comment = get_owned_or_404(
        Comment.objects.select_related("author__user", "partnership"),
        ctx.partnership,
        public_id=comment_id,
    )
    target = target_named(comment.target_type)
    if target is None:
        raise Http404
    record = get_owned_or_404(target.model, ctx.partnership, pk=comment.target_pk)
    if not ctx.can(target.permission_kind, Action.VIEW):
        raise PermissionDenied
    return comment, target, record


def _thread_page(request: HttpRequest, ctx: Ctx, record: Any, **extra: Any) -> HttpResponse:
    found = thread_of(record, ctx.member, page=request.GET.get("comments", 1))
    return render(
        request,
        "discussion/thread.html",
        {"ctx": ctx, "thread": found, "record": record, **extra},
    )


def _back(comment: Comment, target: Target, record: Any) -> HttpResponse:
    return redirect(services.comment_url(comment, record, target))


@partnership_view("comment", Action.VIEW)
def thread(request: HttpRequest, ctx: Ctx, target: str, target_id: uuid.UUID) -> HttpResponse:
    _kind, record = _record(ctx, target, target_id)
    return _thread_page(
        request, ctx, record, form=CommentForm() if ctx.can("comment", "create") else None
    )


@partnership_view("comment", Action.CREATE, methods=GET_POST)
def post(request: HttpRequest, ctx: Ctx, target: str, target_id: uuid.UUID) -> HttpResponse:
    kind, record = _record(ctx, target, target_id)
    form = CommentForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.post_comment(
            by=_me(request),
            partnership=ctx.partnership,
            target=record,
            body=form.cleaned_data["body"],
        ),
        done=_("Comment posted."),
        then=lambda c: _back(c, kind, record),
        page=lambda: _thread_page(request, ctx, record, form=form),
    )


@partnership_view("comment", Action.CREATE, methods=GET_POST)
def reply(request: HttpRequest, ctx: Ctx, comment_id: uuid.UUID) -> HttpResponse:
    parent, kind, record = _comment(ctx, comment_id)
    if parent.hidden_at is not None:
        # The reply page quotes the comment: a hidden one is not quoted to anyone.
        messages.error(request, _("A hidden comment takes no replies."))
        return _back(parent, kind, record)
    form = CommentForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.post_comment(
            by=_me(request),
            partnership=ctx.partnership,
            target=record,
            body=form.cleaned_data["body"],
            parent=parent,
        ),
        done=_("Reply posted."),
        then=lambda c: _back(c, kind, record),
        page=lambda: render(
            request,
            "discussion/reply.html",
            {"ctx": ctx, "form": form, "parent": parent, "record": record},
        ),
    )


@partnership_view("comment", Action.CHANGE, methods=GET_POST)
def edit(request: HttpRequest, ctx: Ctx, comment_id: uuid.UUID) -> HttpResponse:
    comment, kind, record = _comment(ctx, comment_id)
    if comment.author is None or comment.author.user_id != _me(request).pk:
        messages.error(request, _("Only its author may edit a comment."))
        return _back(comment, kind, record)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    return form_view(
        request,
        form,
        lambda: services.edit_comment(
            by=_me(request), comment=comment, body=form.cleaned_data["body"]
        ),
        done=_("Comment changed."),
        then=lambda c: _back(c, kind, record),
        page=lambda: render(
            request,
            "discussion/edit.html",
            {"ctx": ctx, "form": form, "comment": comment, "record": record},
        ),
    )


@partnership_view("comment", Action.DELETE, methods=GET_POST)
def hide(request: HttpRequest, ctx: Ctx, comment_id: uuid.UUID) -> HttpResponse:
    comment, kind, record = _comment(ctx, comment_id)
    form = HideForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.hide_comment(
            by=_me(request), comment=comment, reason=form.cleaned_data["reason"]
        ),
        done=_("Comment hidden."),
        then=lambda c: _back(c, kind, record),
        page=lambda: render(
            request,
            "discussion/hide.html",
            {"ctx": ctx, "form": form, "comment": comment, "record": record},
        ),
    )
