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

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baseline.models import Dimension, Threat, in_language
from commonground.models import Statement
from goals.models_sdg import SdgTarget
from partnerships.labels import Titled
from partnerships.models import (
    Member,
    Partner,
    PartnershipOwned,
    PartnershipOwnedQuerySet,
    PartnerType,
)


class GoalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_ENDORSEMENT = "under_endorsement", _("Under endorsement")
    ADOPTED = "adopted", _("Adopted")
    # Adopted once, changed since: the new version is being endorsed again.
    REVISED = "revised", _("Revised, awaiting endorsement")
    DROPPED = "dropped", _("Dropped")


class CollectiveGoal(Titled):
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
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
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
    # The values are positions (nouns in Spanish: Respaldo, Objeción); a button
    # or a choice that asks someone to act needs a verb of its own.
    ENDORSE = "endorse", pgettext_lazy("position on a goal", "Endorse")
    RESERVATIONS = "reservations", pgettext_lazy("position on a goal", "Endorse with reservations")
    OBJECT = "object", pgettext_lazy("position on a goal", "Object")


# How the record page reads the two flags of a position.
YES_NO = [(True, _("yes")), (False, _("no"))]


class PositionQuerySet(PartnershipOwnedQuerySet):
    def counting(self) -> PositionQuerySet:
        """The positions that count now: each partner's latest on each version."""
        return self.filter(current=True)


# The goals' name for it, kept: the API and the tests use it.
EndorsementQuerySet = PositionQuerySet


class RecordedPosition(PartnershipOwned):
    """A partner's position on one version of a text the partners adopt
    together: a goal here, and the charter (one floor up), whose first version
    is adopted the way goals are. One abstract shape, so both keep the same
    rules: append-only rows (a change of position is a new row, and the row it
    replaces only loses its ``current`` flag; ``save`` refuses any other
    change), a reason for reservations and objections, and a facilitator's
    on-behalf position under a stated mandate (``goals.services.clean_position``).
    """

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    partner_type = models.CharField(_("partner type"), max_length=20, choices=PartnerType.choices)
    position = models.CharField(
        pgettext_lazy("stance on a goal", "position"), max_length=20, choices=Position.choices
    )
    # The reservation or the objection's reason; required for both.
    reason = models.TextField(_("reason"), blank=True)
    on_behalf = models.BooleanField(
        _("recorded on behalf of the partner"), default=False, choices=YES_NO
    )
    # Under what the facilitator recorded it: required by the service when on
    # behalf. Not a database constraint, because positions recorded by a
    # facilitator before mandates existed are flagged on behalf without one
    # (goals migration 0004), and the pages say so rather than invent one.
    mandate = models.TextField(_("mandate"), blank=True)
    # The membership that recorded it: one of the partner's representatives,
    # or the facilitator who recorded it on the partner's behalf.
    recorded_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)
    current = models.BooleanField(_("counts now"), default=True, choices=YES_NO)

    objects = PositionQuerySet.as_manager()  # type: ignore[misc]

    # What the audit trail records of a position, beside what it is a position on.
    position_audit_fields: ClassVar[tuple[str, ...]] = (
        "partner",
        "position",
        "reason",
        "on_behalf",
        "mandate",
        "current",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_position_display()}"

    @property
    def recorder_label(self) -> str:
        """Who recorded it, as members see each other: the name they chose to
        show, else their reference (never an email address)."""
        return self.recorded_by.name_for(None) if self.recorded_by else "—"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and set(kwargs.get("update_fields") or ()) != {"current"}:
            raise ValueError("A recorded position is never rewritten: record a new one.")
        super().save(*args, **kwargs)


class Endorsement(RecordedPosition):
    """One position a partner took on one version of a goal: endorse, endorse
    with reservations, or object (with a reason for either of the last two).

    Positions are append-only rows, never updated in place. A partner may
    change its position: that is a new row, and the row it replaces only loses
    its ``current`` flag (the one column that ever changes after a row is
    written; ``save`` refuses any other change). So the goal page, the API and
    the portal read the counting rows (``current=True``: at most one per goal,
    version and partner, a constraint of the database), and the history reads
    every row: an objection later withdrawn stays visible, with its reason,
    who recorded it and when. One table rather than "current position" plus a
    separate history model, so that nothing can change one without the other.

    A position is the partner's own (recorded by one of its representatives)
    or recorded **on behalf** of a partner that has no representative with an
    account, by a facilitator, under a stated mandate ("agreed aloud at the
    meeting of 3 May"). ``goals.services.endorse`` holds the rules, among them
    that an on-behalf position never replaces the partner's own.
    """

    goal = models.ForeignKey(
        CollectiveGoal,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("collective goal"),
    )
    version = models.PositiveIntegerField(_("version"))

    audit_fields: ClassVar[tuple[str, ...]] = (
        "version",
        *RecordedPosition.position_audit_fields,
    )

    class Meta:
        verbose_name = _("position on a goal")
        verbose_name_plural = _("positions on goals")
        ordering = ["goal", "-version", "partner_type", "partner", "-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "version", "partner"],
                condition=models.Q(current=True),
                name="endorsement_one_counting_per_version",
            ),
        ]
        indexes = [models.Index(fields=["goal", "version", "current"], name="endorsement_counting")]
