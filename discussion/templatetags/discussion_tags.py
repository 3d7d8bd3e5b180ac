"""``{% load discussion_tags %}{% thread record %}``: a record's discussion on
its page, in a constant number of queries (``threads.thread_of``). The page
must give ``ctx`` (every partnership page does). The thread's page number is
read from ``?comments=``."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import PermissionDenied

from discussion.forms import CommentForm
from discussion.targets import target_of
from discussion.threads import thread_of
from partnerships.permissions import Action

register = template.Library()


@register.inclusion_tag("discussion/_thread.html", takes_context=True)
def thread(context: template.Context, record: Any) -> dict[str, Any]:
    ctx = context["ctx"]
    target = target_of(record)
    if target is None or not ctx.can(target.permission_kind, Action.VIEW):
        raise PermissionDenied
    request = context.get("request")
    page = request.GET.get("comments", 1) if request is not None else 1
    found = thread_of(record, ctx.member, page=page)
    return {
        "ctx": ctx,
        "thread": found,
        "form": CommentForm() if found.can_post else None,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
