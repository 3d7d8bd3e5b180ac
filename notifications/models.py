"""Notifications, each person's preferences, the digests sent, and announcements.

A ``Notification`` stores its kind's code and parameters, never a rendered
sentence (see ``kinds``), and how its recipient wanted to hear of it when it
was made (``delivery``): immediately, in the daily or the weekly digest. A
``SentDigest`` row is written before a digest is sent and is unique per
person, frequency and period, so a digest is never sent twice for one period,
however often the run is started.

Notifications are not written to the audit trail: they are messages derived
from an act, and the act itself is audited by the room that did it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Frequency, kind_named
from partnerships.labels import Titled
from partnerships.languages import in_language
from partnerships.models import Member, PartnershipOwned, PartnerType, Role


class Notification(PartnershipOwned):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    delivery = models.CharField(max_length=20, choices=Frequency.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    # When an email (immediate or digest) carried it; null while it waits.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_waiting"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language, made from the stored params."""
        kind = kind_named(self.kind)
        if kind is None:  # a kind whose room is gone: say something, never fail
            return gettext("A notification")
        return str(kind.text(self.params))


class Preference(models.Model):
    """How often one person wants to hear of one kind (every partnership)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=60)
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.frequency}"


class SentDigest(models.Model):
    """One digest email to one person for one period (a day, or a week by its
    Monday). Written before the email goes: the unique constraint is what
    keeps a second run from sending it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    period = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    notifications = models.PositiveIntegerField(default=0)
    # The run that claimed it: two runs at once each send only what they claimed.
    run = models.UUIDField(null=True, editable=False)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="digest_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.frequency} {self.period}"


class Scope(models.TextChoices):
    MEMBERS = "members", _("Members (internal)")
    PUBLIC = "public", _("The public portal (external)")


class Audience(models.TextChoices):
    ALL = "all", _("Every member")
    PARTNER_TYPE = "partner_type", _("The representatives of one partner type")
    ROLE = "role", _("The members with one role")


class Announcement(Titled):
    """A message from the facilitators: internal, to members (all of them,
    one partner type's representatives, or one role), or external, on the
    public portal. Written in the partnership's working languages."""

    scope = models.CharField(_("where"), max_length=20, choices=Scope.choices)
    audience = models.CharField(
        _("to whom"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    partner_type = models.CharField(
        _("partner type"), max_length=20, choices=PartnerType.choices, blank=True
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    title = models.JSONField(_("title"), default=dict)
    body = models.JSONField(_("text"), default=dict)
    posted_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "scope",
        "audience",
        "partner_type",
        "role",
        "title",
        "body",
        "withdrawn_at",
    )

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-posted_at", "-pk"]

    @property
    def body_text(self) -> str:
        return in_language(self.body)

    def audience_label(self) -> Any:
        if self.scope == Scope.PUBLIC:
            return Scope.PUBLIC.label
        if self.audience == Audience.PARTNER_TYPE:
            return PartnerType(self.partner_type).label
        if self.audience == Audience.ROLE:
            return Role(self.role).label
        return Audience.ALL.label
