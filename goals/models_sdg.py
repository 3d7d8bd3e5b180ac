"""The UN Sustainable Development Goals that collective goals align with.

The SDG taxonomy is reference data shared by every partnership of an instance
(it belongs to no partnership): the 17 goals, their 169 targets and the
indicators that measure them. The goals' numbers and short names ship with
the product (migration 0002, in our own words); the official titles arrive
only through ``hsbp import_sdg`` (``goals.sdg``). Texts are stored per
language, ``{"en": …, "es": …}``, and read in the active language with
English as the fallback, so a language added later needs no migration.

A collective goal links to targets (``SdgTarget``); indicators are what a
partnership may borrow for its own monitoring. An indicator the UN retired is
kept, because goals may have referenced it, but flagged and left out of
pickers (``SdgIndicator.objects.current()``).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baseline.models import in_language
from partnerships.labels import Labelled

SDG_GOALS = 17
TARGET_CODE = re.compile(r"^(?P<goal>[1-9][0-9]?)\.(?P<part>[1-9][0-9]?|[a-z])$")
INDICATOR_CODE = re.compile(
    r"^(?P<target>(?P<goal>[1-9][0-9]?)\.(?P<part>[1-9][0-9]?|[a-z]))\.(?P<number>[1-9][0-9]?)$"
)
# Targets of a goal are numbered 1, 2, … and then lettered a, b, … (the means
# of implementation); a letter sorts after every number.
_LETTER_OFFSET = 100


def target_position(code: str) -> int:
    """A number that sorts targets as people read them: 1.9 before 1.10,
    and 1.a after both (a text sort would put 1.10 before 1.2)."""
    match = TARGET_CODE.match(code)
    if match is None:
        raise ValueError(f"{code!r} is not an SDG target code such as 1.2 or 1.a")
    part = match["part"]
    rank = int(part) if part.isdigit() else _LETTER_OFFSET + ord(part) - ord("a")
    return int(match["goal"]) * 1000 + rank


def indicator_position(code: str) -> int:
    """Like ``target_position``, for indicators: 1.2.1, 1.2.2, …, 1.a.1."""
    match = INDICATOR_CODE.match(code)
    if match is None:
        raise ValueError(f"{code!r} is not an SDG indicator code such as 1.2.1 or 1.a.1")
    return target_position(match["target"]) * 100 + int(match["number"])


class SdgGoal(Labelled):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(SDG_GOALS)]
    )
    # Ours, short enough for a menu: shipped by migration 0002.
    short_names = models.JSONField(_("short names"), default=dict)
    # The UN's, from the import; empty until then.
    titles = models.JSONField(_("official titles"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=SDG_GOALS), name="sdg_goal_number_1_to_17"
            ),
        ]

    @property
    def short_name(self) -> str:
        return in_language(self.short_names, fallback=str(self.number))

    @property
    def title(self) -> str:
        """The official title, or our short name before the first import."""
        return in_language(self.titles) or self.short_name

    @property
    def label(self) -> str:
        return f"{self.number}. {self.short_name}"


class SdgTarget(Labelled):
    goal = models.ForeignKey(
        SdgGoal, on_delete=models.PROTECT, related_name="targets", verbose_name=_("goal")
    )
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(TARGET_CODE, _("A target code looks like 1.2 or 1.a."))],
    )
    position = models.PositiveIntegerField(_("position"), editable=False)
    titles = models.JSONField(_("official titles"), default=dict)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["position"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.position = target_position(self.code)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return in_language(self.titles, fallback=self.code)

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


class IndicatorStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    REPLACED = "replaced", _("Replaced by another indicator")
    RENUMBERED = "renumbered", _("Moved to another code")
    DELETED = "deleted", _("Deleted")


class SdgIndicatorQuerySet(models.QuerySet["SdgIndicator"]):
    def current(self) -> SdgIndicatorQuerySet:
        """The indicators a picker offers: not retired."""
        return self.filter(status=IndicatorStatus.CURRENT)

    def retired(self) -> SdgIndicatorQuerySet:
        return self.exclude(status=IndicatorStatus.CURRENT)


class SdgIndicator(Labelled):
    target = models.ForeignKey(
        SdgTarget, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("target")
    )
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(INDICATOR_CODE, _("An indicator code looks like 1.2.1 or 1.a.1."))
        ],
    )
    position = models.PositiveIntegerField(_("position"), editable=False)
    titles = models.JSONField(_("official titles"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IndicatorStatus.choices,
        default=IndicatorStatus.CURRENT,
    )
    # The UN year of the review that retired it, when known.
    retired_in = models.PositiveSmallIntegerField(_("retired in"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    # The UN lists some indicators under two or three targets (deaths from
    # disasters under 1.5, 11.5 and 13.1): the later codes point at the first,
    # so that counting "distinct indicators" does not count them twice.
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("same indicator as"),
    )

    objects = SdgIndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")
        ordering = ["position"]
        indexes = [models.Index(fields=["status", "position"], name="sdg_indicator_status_pos")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.position = indicator_position(self.code)
        super().save(*args, **kwargs)

    @property
    def is_retired(self) -> bool:
        return self.status != IndicatorStatus.CURRENT

    @property
    def title(self) -> str:
        return in_language(self.titles, fallback=self.code)

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"
