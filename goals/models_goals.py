"""Collective goals and their endorsement by each partner type.

A goal is drafted from the baseline's mutual risks, the consensus statements
of a conversation and the capacity register; it names the dimensions and
threats it addresses, the statements behind it, the SDG targets it serves,
the outcomes sought and placeholders for the indicators joint monitoring will
agree later. Each partner's representatives endorse it, endorse it with
reservations, or object with a reason; the goal is **adopted** only when
every partner type present has endorsed (``goals.services.endorsement_state``
— the charter will make this rule configurable later).

Every change of content makes a new **version**; endorsements are of a
version, so changing an adopted goal makes it **revised** and asks everyone
again. ``GoalVersion`` keeps each version's content: the full history.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baseline.models import Dimension, Threat, in_language
from commonground.models import Statement
from goals.models import SdgTarget
from partnerships.models import Member, Partner, PartnershipOwned, PartnerType


class GoalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_ENDORSEMENT = "under_endorsement", _("Under endorsement")
    ADOPTED = "adopted", _("Adopted")
    # Adopted once, changed since: the new version is being endorsed again.
    REVISED = "revised", _("Revised, awaiting endorsement")
    DROPPED = "dropped", _("Dropped")


class CollectiveGoal(PartnershipOwned):
    # Multilingual texts: {"en": …, "es": …}.
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    # The outcomes sought, one per line, per language.
    outcomes = models.JSONField(_("outcomes sought"), default=dict, blank=True)
    # Indicators to agree in joint monitoring: names only for now, per language.
    indicator_placeholders = models.JSONField(_("indicators to agree"), default=dict, blank=True)
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="+", verbose_name=_("dimensions")
    )
    threats = models.ManyToManyField(
        Threat, blank=True, related_name="+", verbose_name=_("threats it addresses")
    )
    statements = models.ManyToManyField(
        Statement, blank=True, related_name="+", verbose_name=_("consensus statements behind it")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="+", verbose_name=_("SDG targets")
    )
    status = models.CharField(
        _("status"), max_length=30, choices=GoalStatus.choices, default=GoalStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    adopted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why it was dropped (shown in its history).
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "outcomes",
        "indicator_placeholders",
        "status",
        "version",
        "dropped_reason",
    )

    class Meta:
        verbose_name = _("collective goal")
        verbose_name_plural = _("collective goals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.title, fallback=str(self.public_id))

    @property
    def description_text(self) -> str:
        return in_language(self.description)

    @property
    def outcome_lines(self) -> list[str]:
        return [line for line in in_language(self.outcomes).splitlines() if line.strip()]

    @property
    def indicator_lines(self) -> list[str]:
        return [
            line for line in in_language(self.indicator_placeholders).splitlines() if line.strip()
        ]


class GoalVersion(PartnershipOwned):
    """The content of one version of a goal, as it was endorsed (or not)."""

    goal = models.ForeignKey(CollectiveGoal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("what changed"), blank=True)

    class Meta:
        verbose_name = _("goal version")
        verbose_name_plural = _("goal versions")
        ordering = ["goal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="goal_version_unique"),
        ]


class Position(models.TextChoices):
    ENDORSE = "endorse", _("Endorse")
    RESERVATIONS = "reservations", _("Endorse with reservations")
    OBJECT = "object", _("Object")


class Endorsement(PartnershipOwned):
    """One partner's position on one version of a goal. A partner may change
    its position (the latest counts; the audit trail keeps the earlier ones)."""

    goal = models.ForeignKey(CollectiveGoal, on_delete=models.CASCADE, related_name="endorsements")
    version = models.PositiveIntegerField()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    partner_type = models.CharField(max_length=20, choices=PartnerType.choices)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    # The reservation or the objection's reason; required for both.
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    audit_fields: ClassVar[tuple[str, ...]] = ("version", "partner", "position", "reason")

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["goal", "partner_type", "partner"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "version", "partner"], name="endorsement_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_position_display()}"
