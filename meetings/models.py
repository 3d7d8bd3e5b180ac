"""Meetings, dialogues, trainings and open assemblies: before (agenda,
invitations, inclusion services), during (attendance) and after (minutes,
decisions, action items).

**Time.** ``starts_at`` and ``ends_at`` are stored as moments (UTC); the
meeting keeps the time zone it is held in (``time_zone``, an IANA name, by
default the instance's), and every page and the calendar show the times there.

**Attendance** has two sources, never added together:

- ``Attendance``: a named attendee, a member of the partnership or an actor
  of the stakeholder map, with the partner they came for and, where the sheet
  says so, their gender, age band and segment (kept out of the audit trail);
- ``Meeting.headcount``: for an open assembly (or any meeting counted at the
  door), the counts of everyone present, named or not: a total and, for each
  of partner type, gender, age band and segment, the count of each code.
  These counts include the named attendees, so they may never be fewer than
  them (``meetings.attendance.contradictions``).

Every count shown beyond the facilitators goes through
``partnerships.suppression`` (``meetings.attendance``).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baseline.models import Locality
from partnerships.labels import Titled
from partnerships.languages import in_language
from partnerships.models import Member, Partner, PartnershipOwned
from stakeholders.models import Actor, Segment


class MeetingKind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("meeting kind", "Meeting")
    DIALOGUE = "dialogue", pgettext_lazy("meeting kind", "Dialogue")
    TRAINING = "training", pgettext_lazy("meeting kind", "Training")
    ASSEMBLY = "assembly", pgettext_lazy("meeting kind", "Assembly")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class TrainingTopic(models.TextChoices):
    HUMAN_SECURITY = "human_security", _("The human security approach")
    ICT_TOOLS = "ict_tools", _("ICT tools and the platform")
    PARTICIPATORY_BUDGETING = "participatory_budgeting", _("Participatory budgeting")
    MONITORING = "monitoring", _("Joint monitoring and evaluation")
    CONFLICT_SENSITIVITY = "conflict_sensitivity", _("Conflict sensitivity and dialogue")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship and livelihoods")
    OTHER = "other", _("Other topic")


class ServiceKind(models.TextChoices):
    INTERPRETATION = "interpretation", _("Interpretation")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    CHILDCARE = "childcare", _("Childcare")
    TRANSPORT = "transport", _("Transport")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inclusion service", "Planned")
    PROVIDED = "provided", pgettext_lazy("inclusion service", "Provided")
    NOT_PROVIDED = "not_provided", pgettext_lazy("inclusion service", "Not provided")


def default_time_zone() -> str:
    return str(settings.TIME_ZONE)


class Meeting(Titled):
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.MEETING
    )
    title = models.JSONField(_("title"), default=dict)
    purpose = models.JSONField(_("purpose"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=60, default=default_time_zone)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    locality = models.ForeignKey(
        Locality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locality"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # An open assembly: anyone may come; attendance is counted at the door.
    open_assembly = models.BooleanField(_("open assembly"), default=False)
    # Trainings: the topics (TrainingTopic codes) and any other topic in words.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    topic_other = models.CharField(_("other topic"), max_length=200, blank=True)
    minutes = models.JSONField(_("minutes"), default=dict, blank=True)
    # Counts of everyone present (see the module's docstring); {} when not counted.
    headcount = models.JSONField(_("counts at the door"), default=dict, blank=True)
    # On the portal once held: the charter's communication plan publishes minutes.
    public = models.BooleanField(_("public"), default=False)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "title",
        "purpose",
        "starts_at",
        "ends_at",
        "time_zone",
        "place",
        "online_link",
        "locality",
        "status",
        "open_assembly",
        "topics",
        "topic_other",
        "minutes",
        "headcount",
        "public",
        "cancel_reason",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "starts_at"], name="meeting_calendar"),
            models.Index(fields=["partnership", "status", "public"], name="meeting_public"),
        ]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(default_time_zone())

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime:
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def purpose_text(self) -> str:
        return in_language(self.purpose)

    @property
    def minutes_text(self) -> str:
        return in_language(self.minutes)

    @property
    def is_training(self) -> bool:
        return self.kind == MeetingKind.TRAINING

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(TrainingTopic.choices)
        shown = [str(labels[t]) for t in self.topics if t in labels and t != TrainingTopic.OTHER]
        if self.topic_other:
            shown.append(self.topic_other)
        return shown


class AgendaItem(Titled):
    """One item of a meeting's agenda. An item with sub-items lasts as long
    as they do together (computed, never typed); a leaf has its own duration."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.JSONField(_("title"), default=dict)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)
    lead = models.CharField(_("led by"), max_length=200, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "parent",
        "position",
        "duration_minutes",
        "lead",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]


class Invitee(PartnershipOwned):
    """A member invited to a meeting (directly, or as a representative of an
    invited partner)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited as representative of"),
    )
    invited_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ("member", "partner")

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="invitee_once"),
        ]

    def __str__(self) -> str:
        return str(_("Invitation to a meeting"))


class InclusionService(PartnershipOwned):
    """Interpretation, accessibility, childcare or transport: planned before
    the meeting, then recorded as provided or not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    detail = models.CharField(_("what is planned"), max_length=300, blank=True)
    provider = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provided by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED
    )
    outcome_note = models.CharField(_("what happened"), max_length=500, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "detail",
        "provider",
        "status",
        "outcome_note",
    )

    class Meta:
        verbose_name = _("inclusion service")
        verbose_name_plural = _("inclusion services")
        ordering = ["meeting", "kind", "pk"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Attendance(PartnershipOwned):
    """A named attendee: a member, or an actor of the stakeholder map."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("came for"),
    )
    # The partner type counted (the partner's, else the actor's; blank: none).
    partner_type = models.CharField(_("partner type"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=40, blank=True)
    age_band = models.CharField(_("age band"), max_length=40, blank=True)
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "member",
        "actor",
        "partner",
        "gender",
        "age_band",
        "segment",
    )
    # Personal attributes: never copied into the trail every member reads.
    audit_redacted: ClassVar[tuple[str, ...]] = ("gender", "age_band", "segment")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=models.Q(member__isnull=False),
                name="attendance_member_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "actor"],
                condition=models.Q(actor__isnull=False),
                name="attendance_actor_once",
            ),
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, actor__isnull=True)
                | models.Q(member__isnull=True, actor__isnull=False),
                name="attendance_member_or_actor",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: the trail is read by every member.
        return str(_("Attendance at a meeting"))

    def audit_subjects(self) -> list[str]:
        return [str(self.actor.public_id)] if self.actor_id and self.actor else []


class ActionItem(Titled):
    """Something the meeting agreed someone will do. It becomes an action of
    the checklist in one step (``meetings.services_after.convert_item``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.JSONField(_("title"), default=dict)
    owner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner partner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The checklist's action it became (actions.Action's public id), once converted.
    action_ref = models.UUIDField(_("checklist action"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ("title", "owner", "due_on", "action_ref")

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting", "created_at", "pk"]


class CalendarToken(PartnershipOwned):
    """The secret of a member's calendar links. Only a SHA-256 hash is stored;
    a new link replaces the old one, and leaving the partnership ends both."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return str(_("Calendar link"))
