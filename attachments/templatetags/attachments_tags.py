"""``{% load attachments_tags %}{% attachments record %}``: a record's files,
photos and links on its page (one query), with the consent of the people
they show, and the upload form and buttons for those who may change the
record. The page must give ``ctx`` (every partnership page does). A viewer
who may not read the record sees nothing."""

from __future__ import annotations

from typing import Any

from django import template

from attachments.forms import AttachmentForm
from attachments.services import attachments_of
from attachments.targets import target_of
from partnerships.permissions import Action

register = template.Library()


@register.inclusion_tag("attachments/_attachments.html", takes_context=True)
def attachments(context: template.Context, record: Any) -> dict[str, Any]:
    ctx = context["ctx"]
    target = target_of(record)
    if target is None or not ctx.can(target.permission_kind, Action.VIEW):
        return {"shown": False}
    may_change = ctx.can(target.permission_kind, Action.CHANGE)
    return {
        "shown": True,
        "ctx": ctx,
        "target": target,
        "record": record,
        "items": attachments_of(record),
        "may_add": may_change and ctx.can("attachment", Action.CREATE),
        "may_consent": may_change and ctx.can("attachment", Action.CHANGE),
        "may_remove": may_change and ctx.can("attachment", Action.DELETE),
        "form": context.get("form")
        if isinstance(context.get("form"), AttachmentForm)
        else AttachmentForm(languages=ctx.partnership),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
