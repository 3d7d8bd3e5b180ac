"""Pages of the attachments room. A record's attachments are usually shown
on its own page (``{% attachments record %}``); these pages take the upload
form and its buttons, serve the files, and show a record's attachments alone
when its room gave no page (or a form comes back with an error).

Every page asks, beyond its own declaration, that the viewer may read the
record (``can(view)`` on its kind), and, to change anything, that they may
change it. A file is served only from here: to members through ``serve``,
to the public through ``public_file`` (only what may leave the partnership).
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.confirm import CONFIRM_METHODS, confirm_page
from attachments import services
from attachments.forms import AttachmentForm, ConsentForm
from attachments.models import Attachment, AttachmentKind
from attachments.targets import Target, target_named
from partnerships.form_view import button_view, form_view
from partnerships.models import Partnership
from partnerships.permissions import (
    GET_POST,
    POST,
    Action,
    Ctx,
    get_owned_or_404,
    partnership_view,
    public_view,
)

# Types a browser shows itself; everything else is downloaded.
_INLINE = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def _record(
    ctx: Ctx, code: str, record_id: Any, action: Action = Action.VIEW
) -> tuple[Target, Any]:
    target = target_named(code)
    if target is None:
        raise Http404
    record = get_owned_or_404(target.model, ctx.partnership, public_id=record_id)
    if not ctx.can(target.permission_kind, Action.VIEW):
        raise PermissionDenied
    if action != Action.VIEW and not ctx.can(target.permission_kind, Action.CHANGE):
        raise PermissionDenied
    return target, record


def _attachment(
    ctx: Ctx, attachment_id: uuid.UUID, action: Action = Action.VIEW
) -> tuple[Attachment, Target, Any]:
    attachment = get_owned_or_404(Attachment, ctx.partnership, public_id=attachment_id)
    target = target_named(attachment.target_type)
    if target is None:
        raise Http404
    target, record = _record(ctx, target.code, attachment.target_id, action)
    return attachment, target, record


def back_url(ctx: Ctx, target: Target, record: Any) -> str:
    if target.url is not None:
        return target.url(record) + "#attachments"
    return reverse(
        "attachments:list",
        kwargs={
            "slug": ctx.partnership.slug,
            "attach_to": target.code,
            "attach_to_id": record.public_id,
        },
    )


def _page(request: HttpRequest, ctx: Ctx, record: Any, form: AttachmentForm | None) -> HttpResponse:
    return render(request, "attachments/page.html", {"ctx": ctx, "record": record, "form": form})


@partnership_view("attachment", Action.VIEW)
def record_attachments(
    request: HttpRequest, ctx: Ctx, attach_to: str, attach_to_id: uuid.UUID
) -> HttpResponse:
    _target, record = _record(ctx, attach_to, attach_to_id)
    return _page(request, ctx, record, None)


@partnership_view("attachment", Action.CREATE, methods=GET_POST)
def add(request: HttpRequest, ctx: Ctx, attach_to: str, attach_to_id: uuid.UUID) -> HttpResponse:
    target, record = _record(ctx, attach_to, attach_to_id, Action.CREATE)
    form = AttachmentForm(request.POST or None, request.FILES or None, languages=ctx.partnership)

    def save() -> Attachment:
        data = form.cleaned_data
        common: dict[str, Any] = {
            "by": request.user,
            "record": record,
            "caption": form.texts("caption"),
            "shows_people": data["shows_people"],
            "consent": data["consent"],
        }
        if data["kind"] == AttachmentKind.LINK:
            return services.attach_link(url=data["url"], **common)
        return services.attach_file(upload=data["upload"], kind=data["kind"], **common)

    return form_view(
        request,
        form,
        save,
        done=lambda a: (
            _("Attached.")
            if a.may_leave
            else _(
                "Attached. It shows people without recorded consent: it stays inside the partnership."
            )
        ),
        then=lambda a: redirect(back_url(ctx, target, record)),
        page=lambda: _page(request, ctx, record, form),
    )


def _file_response(attachment: Attachment, *, thumbnail: bool, public: bool) -> HttpResponse:
    field = attachment.thumbnail if thumbnail and attachment.thumbnail else attachment.file
    if attachment.kind == AttachmentKind.LINK or not field:
        raise Http404
    content_type = "image/webp" if field is attachment.thumbnail else attachment.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    try:
        handle = default_storage.open(field.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=attachment.content_type not in _INLINE,
        filename=attachment.original_name or "file",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, a file runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=300" if public else "private, max-age=3600"
    return cast(HttpResponse, response)  # a FileResponse, to the decorator an HttpResponse


@partnership_view("attachment", Action.VIEW)
def serve(request: HttpRequest, ctx: Ctx, attachment_id: uuid.UUID) -> HttpResponse:
    attachment = _attachment(ctx, attachment_id)[0]
    return _file_response(attachment, thumbnail="thumb" in request.GET, public=False)


@public_view()
def public_file(request: HttpRequest, slug: str, public_file: uuid.UUID) -> HttpResponse:
    partnership = Partnership.objects.filter(slug=slug, is_published=True).first()
    found = services.public_attachment(partnership, public_file) if partnership else None
    if found is None:
        raise Http404
    return _file_response(found, thumbnail="thumb" in request.GET, public=True)


@partnership_view("attachment", Action.CHANGE, methods=POST)
def consent(request: HttpRequest, ctx: Ctx, attachment_id: uuid.UUID) -> HttpResponse:
    attachment, target, record = _attachment(ctx, attachment_id, Action.CHANGE)
    form = ConsentForm(request.POST)
    return button_view(
        request,
        lambda: services.set_consent(
            by=request.user, attachment=attachment, consent=form.cleaned_data["consent"]
        ),
        form=form,
        done=lambda a: _("Consent recorded.") if a.consent else _("Consent withdrawn."),
        then=redirect(back_url(ctx, target, record)),
    )


@partnership_view("attachment", Action.DELETE, methods=CONFIRM_METHODS)
def remove(request: HttpRequest, ctx: Ctx, attachment_id: uuid.UUID) -> HttpResponse:
    attachment, target, record = _attachment(ctx, attachment_id, Action.DELETE)
    back = back_url(ctx, target, record)
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Remove “%(name)s”?") % {"name": attachment.label},
            cancel_url=back,
            button=_("Remove"),
        )
    return button_view(
        request,
        lambda: services.remove(by=request.user, attachment=attachment),
        done=_("Removed."),
        then=redirect(back),
    )
