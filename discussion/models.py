"""Comments, threaded, on any registered record (``targets``), and the
earlier texts of comments edited after someone replied.

A comment points at its record by the target's code and the record's key
(the targets live in rooms above this one, so no foreign key can name them),
and at its thread's first comment (``root``), so a page of threads and all
their replies is two queries. Replies go three levels deep at most
(``depth`` 0, 1, 2): deeper threads are unreadable on a phone.

Edits: until someone replies, the author may change the text freely (nobody
has answered it yet); once someone has, every earlier text is kept
(``CommentEdit``) and shown, so a reply never ends up answering words that
are gone. Hiding (moderation) keeps the text for its author and the
facilitators, and shows everyone else that it was hidden and why.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.labels import Labelled
from partnerships.models import Member, PartnershipOwned

MAX_DEPTH = 2  # depth of the deepest reply: three levels in all


class Comment(Labelled, PartnershipOwned):
    target_type = models.CharField(max_length=100)
    target_pk = models.PositiveBigIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Set by the first reply: from then on an edit keeps the earlier text.
    has_replies = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.TextField(_("why it was hidden"), blank=True)
    hidden_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_fields: ClassVar[tuple[str, ...]] = ("body", "hidden_at", "hidden_reason")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_pk", "depth", "created_at"], name="comment_thread"
            ),
        ]

    @property
    def label(self) -> str:
        return str(_("Comment %(ref)s") % {"ref": self.public_id.hex[:8]})


class CommentEdit(PartnershipOwned):
    """A text a comment had before an edit made after someone replied."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(_("earlier text"))
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("earlier text of a comment")
        verbose_name_plural = _("earlier texts of comments")
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return str(self.comment)
