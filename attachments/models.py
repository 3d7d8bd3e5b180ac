"""Files, photos and links attached to a partnership's records.

An attachment points at its record by the target's code and the record's
public id (the targets live in rooms above this one, so no foreign key can
name them; see ``targets``). A stored file keeps the type found by reading
its content, never the name it came with; images are stored re-encoded,
without their metadata (``files``).

Consent: an attachment that shows people (a photo of a meeting, a scanned
attendance sheet) leaves the partnership — the portal, exports,
notifications — only once someone recorded the people's consent, with who
and when. Without it, it is stored and shown to members only.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.labels import Labelled
from partnerships.languages import in_language
from partnerships.models import Member, PartnershipOwned


class AttachmentKind(models.TextChoices):
    FILE = "file", _("document")
    PHOTO = "photo", _("photo")
    LINK = "link", _("link")


class Attachment(Labelled, PartnershipOwned):
    target_type = models.CharField(max_length=100)
    target_id = models.UUIDField()
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    # {language: text}; a photo's caption is its description for screen readers.
    caption = models.JSONField(_("caption"), default=dict)
    file = models.FileField(_("file"), max_length=300, blank=True)
    thumbnail = models.FileField(max_length=300, blank=True)
    url = models.URLField(_("address"), max_length=2000, blank=True)
    # The name it was uploaded with, cleaned: for the download's file name only.
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type of file"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    shows_people = models.BooleanField(_("shows people"), default=False)
    consent = models.BooleanField(_("consent of the people shown"), default=False)
    consent_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "caption",
        "url",
        "original_name",
        "content_type",
        "size",
        "shows_people",
        "consent",
        "consent_by",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"], name="attachment_target"
            ),
        ]

    @property
    def label(self) -> str:
        return in_language(self.caption, fallback=self.original_name or str(self.public_id))

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def may_leave(self) -> bool:
        """Whether it may leave the partnership (portal, exports,
        notifications): never while it shows people without their consent."""
        return not self.shows_people or self.consent

    @property
    def is_private(self) -> bool:
        return not self.may_leave
