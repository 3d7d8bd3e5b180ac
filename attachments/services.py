"""Workflows of the attachments room: attach a file or a link to a record,
record or withdraw the consent of the people it shows, remove it; and read
a record's attachments, for members or for the public.

Keyword-only arguments; a refusal is a ``ServiceError`` with a message for
the person. Who may: a member whose role may change the record
(``can(change)`` on the target's permission kind) adds, removes and records
consent; anyone who may read the record reads its attachments. Nothing is
half-written: a file stored for a row that then fails is removed again.

"A photo without consent never leaves the partnership": every reader
outside the partnership — the portal, exports, notifications — goes through
``public_attachments_of`` / ``public_attachment``, which return only
attachments of published records that show nobody or whose consent is
recorded.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attachments import files
from attachments.models import Attachment, AttachmentKind
from attachments.targets import Target, target_named, target_of
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import MAX_TEXT, clean_texts, require_first
from partnerships.models import Member, Partnership
from partnerships.permissions import Action, can
from partnerships.text import CONTROL

MAX_URL = 2000
_URL = URLValidator(schemes=["http", "https"])


# --- Who and what ---------------------------------------------------------------------


def _target(record: Any) -> Target:
    target = target_of(record)
    if target is None or not isinstance(getattr(record, "partnership", None), Partnership):
        raise ServiceError(_("Nothing can be attached to this record."))
    return target


def _member(by: Any, partnership: Partnership, kind: str, action: Action) -> Member:
    member: Member | None = (
        Member.objects.filter(partnership=partnership, user=by).first()
        if getattr(by, "pk", None)
        else None
    )
    if member is None or not can(member, kind, action):
        raise ServiceError(_("Only members who may change this record attach files to it."))
    return member


def _changer(by: Any, record: Any, target: Target, action: Action) -> Member:
    member = _member(by, record.partnership, target.permission_kind, Action.CHANGE)
    if not can(member, "attachment", action):
        raise ServiceError(_("Only members who may change this record attach files to it."))
    return member


def record_of(attachment: Attachment) -> tuple[Target, Any]:
    """The attachment's target and record (of the same partnership)."""
    target = target_named(attachment.target_type)
    record = (
        target.model._default_manager.filter(
            partnership_id=attachment.partnership_id, public_id=attachment.target_id
        ).first()
        if target is not None
        else None
    )
    if target is None or record is None:
        raise ServiceError(_("The record this was attached to is gone."))
    return target, record


def _caption(caption: Mapping[str, Any] | None, partnership: Partnership) -> dict[str, str]:
    texts = clean_texts(caption)
    require_first(texts, partnership, prefix="caption")
    for text in texts.values():
        if len(text) > MAX_TEXT or CONTROL.search(text):
            raise ServiceError(
                _("Keep the caption within %(n)s characters of plain text.") % {"n": MAX_TEXT},
                field=f"caption_{next(iter(texts))}",
            )
    return texts


def _consent(shows_people: bool, consent: bool, member: Member) -> tuple[bool, Member | None, Any]:
    if shows_people and consent:
        return True, member, timezone.now()
    return False, None, None


def clean_name(name: str, extension: str) -> str:
    """A file name safe for a download header: letters, digits, dot, dash
    and underscore, with the extension of the type found."""
    stem = unicodedata.normalize("NFKD", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = stem.encode("ascii", "ignore").decode().rsplit(".", 1)[0]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "file"
    return f"{stem}.{extension}"


def _store(partnership: Partnership, data: bytes, extension: str) -> str:
    """Save under a path of the partnership that nobody can guess."""
    name = f"attachments/p{partnership.pk}/{secrets.token_urlsafe(24)}.{extension}"
    return default_storage.save(name, ContentFile(data))


def _forget_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


# --- Workflows -----------------------------------------------------------------------


def attach_file(
    *,
    by: Any,
    record: Any,
    upload: Any,
    kind: str = AttachmentKind.FILE,
    caption: Mapping[str, Any] | None,
    shows_people: bool,
    consent: bool = False,
) -> Attachment:
    """Attach an uploaded file (a Django ``UploadedFile`` or ``File``) to
    ``record``. Its type is read from its content; an image is re-encoded
    without metadata. A photo that shows people without recorded consent is
    stored, and stays inside the partnership."""
    target = _target(record)
    member = _changer(by, record, target, Action.CREATE)
    partnership: Partnership = record.partnership
    if kind not in (AttachmentKind.FILE, AttachmentKind.PHOTO):
        raise ServiceError(_("Choose a document or a photo."), field="kind")
    texts = _caption(caption, partnership)
    if upload is None:
        raise ServiceError(_("Choose a file to attach."), field="upload")
    limit: int = settings.HSBP_ATTACHMENT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    name = str(getattr(upload, "name", "") or "")
    content_type = files.sniff(data, name)
    width = height = None
    thumb = b""
    if content_type.startswith("image/"):
        clean = files.clean_image(data)
        data, width, height, thumb = clean.data, clean.width, clean.height, clean.thumbnail
        content_type = clean.content_type
    elif kind == AttachmentKind.PHOTO:
        raise ServiceError(_("This file is not a photo: attach it as a document."), field="upload")
    extension = files.EXTENSIONS[content_type]
    has_consent, consent_by, consent_at = _consent(shows_people, consent, member)
    stored: list[str] = []
    try:
        stored.append(_store(partnership, data, extension))
        if thumb:
            stored.append(_store(partnership, thumb, "webp"))
        attachment = Attachment(
            partnership=partnership,
            target_type=target.code,
            target_id=record.public_id,
            kind=AttachmentKind.PHOTO if content_type.startswith("image/") else kind,
            caption=texts,
            file=stored[0],
            thumbnail=stored[1] if thumb else "",
            original_name=clean_name(name, extension),
            content_type=content_type,
            size=len(data),
            width=width,
            height=height,
            shows_people=bool(shows_people),
            consent=has_consent,
            consent_by=consent_by,
            consent_at=consent_at,
            uploaded_by=member,
        )
        with transaction.atomic():
            save_audited(attachment, actor=by)
    except BaseException:
        _forget_files(stored)
        raise
    return attachment


def _too_large(limit: int) -> ServiceError:
    megabytes = f"{limit / 1_048_576:.1f}".rstrip("0").rstrip(".")
    return ServiceError(
        _("This file is too large: attach files of at most %(n)s MB.") % {"n": megabytes},
        field="upload",
    )


@transaction.atomic
def attach_link(
    *,
    by: Any,
    record: Any,
    url: str,
    caption: Mapping[str, Any] | None,
    shows_people: bool = False,
    consent: bool = False,
) -> Attachment:
    """Attach a link (http or https only) to ``record``."""
    target = _target(record)
    member = _changer(by, record, target, Action.CREATE)
    address = (url or "").strip()
    if len(address) > MAX_URL:
        raise ServiceError(
            _("Keep the address within %(n)s characters.") % {"n": MAX_URL}, field="url"
        )
    try:
        _URL(address)
    except ValidationError:
        raise ServiceError(
            _("Give a web address that starts with http:// or https://."), field="url"
        ) from None
    texts = _caption(caption, record.partnership)
    has_consent, consent_by, consent_at = _consent(shows_people, consent, member)
    attachment = Attachment(
        partnership=record.partnership,
        target_type=target.code,
        target_id=record.public_id,
        kind=AttachmentKind.LINK,
        caption=texts,
        url=address,
        shows_people=bool(shows_people),
        consent=has_consent,
        consent_by=consent_by,
        consent_at=consent_at,
        uploaded_by=member,
    )
    save_audited(attachment, actor=by)
    return attachment


@transaction.atomic
def set_consent(*, by: Any, attachment: Attachment, consent: bool) -> Attachment:
    """Record (or withdraw) the consent of the people an attachment shows,
    with who recorded it and when."""
    target, record = record_of(attachment)
    member = _changer(by, record, target, Action.CHANGE)
    if not attachment.shows_people:
        raise ServiceError(_("This attachment shows nobody: it needs no consent."))
    if attachment.consent == bool(consent):
        return attachment
    attachment.consent = bool(consent)
    attachment.consent_by = member
    attachment.consent_at = timezone.now()
    save_audited(attachment, actor=by, update_fields=["consent", "consent_by", "consent_at"])
    return attachment


@transaction.atomic
def remove(*, by: Any, attachment: Attachment) -> None:
    """Remove an attachment and, once the removal is committed, its files."""
    target, record = record_of(attachment)
    _changer(by, record, target, Action.DELETE)
    names = [attachment.file.name or "", attachment.thumbnail.name or ""]
    delete_audited(attachment, actor=by)
    transaction.on_commit(lambda: _forget_files(names))


@transaction.atomic
def remove_all_of(*, by: Any, record: Any) -> int:
    """Remove every attachment of ``record``: for the owning room's service
    that deletes the record (it asked who may already). Returns how many."""
    target = _target(record)
    found = list(_of(target, record))
    names = [n for a in found for n in (a.file.name or "", a.thumbnail.name or "")]
    for attachment in found:
        delete_audited(attachment, actor=by)
    transaction.on_commit(lambda: _forget_files(names))
    return len(found)


# --- Reading -------------------------------------------------------------------------


def _of(target: Target, record: Any) -> Any:
    return Attachment.objects.filter(
        partnership_id=record.partnership_id, target_type=target.code, target_id=record.public_id
    )


def attachments_of(record: Any) -> list[Attachment]:
    """Every attachment of ``record``, oldest first, for members who may read
    it (private ones included: the page marks them). One query."""
    target = target_of(record)
    if target is None:
        return []
    return list(_of(target, record).select_related("consent_by__user"))


def public_attachments_of(records: Iterable[Any]) -> list[Attachment]:
    """The attachments of ``records`` that may leave the partnership: of
    published records only (the owning room's ``is_public``), and only
    those that show nobody or whose consent is recorded. For the portal,
    exports and notifications. One query for any number of records."""
    by_code: dict[str, set[Any]] = {}
    partnerships: set[int] = set()
    for record in records:
        target = target_of(record)
        if target is None or not target.published(record):
            continue
        by_code.setdefault(target.code, set()).add(record.public_id)
        partnerships.add(record.partnership_id)
    if not by_code:
        return []
    query = Attachment.objects.none()
    for code, ids in by_code.items():
        query = query | Attachment.objects.filter(target_type=code, target_id__in=ids)
    allowed = query.filter(partnership_id__in=partnerships).exclude(
        shows_people=True, consent=False
    )
    return list(allowed.order_by("target_type", "target_id", "created_at", "pk"))


def public_attachment(partnership: Partnership, public_id: Any) -> Attachment | None:
    """One attachment the portal may serve, or None: of a published
    partnership, of a published record, showing nobody or with consent."""
    if not partnership.is_published:
        return None
    attachment = (
        Attachment.objects.filter(partnership=partnership, public_id=public_id)
        .exclude(shows_people=True, consent=False)
        .exclude(kind=AttachmentKind.LINK)
        .first()
    )
    if attachment is None:
        return None
    try:
        target, record = record_of(attachment)
    except ServiceError:
        return None
    return attachment if target.published(record) else None
