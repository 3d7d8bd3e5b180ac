"""The action checklist: actions, their sub-actions and milestones.

An action is quick-impact or long-term; it has an owner partner and
contributing partners, start and due dates, milestones, a status in words
(with a reason when stalled or dropped), and links to the goals, strategies,
threats, SDG targets and localities it serves and to the decision that
created it.

**Progress is computed, never typed**, in thousandths (``progress``, 0-1000):

- an action that is done is 1000; a dropped action counts for nothing (its
  weight leaves its parent's and its goals' sums);
- an action with sub-actions (not dropped) is the weighted mean of them:
  ``children_sum / children_weight``, both stored, so that a change in one
  sub-action moves its parent by a difference, not by reading every sibling;
- otherwise it is the share of its milestones reached (0 without milestones).

Each goal's progress is kept the same way (``GoalProgress``): the weighted
mean of the actions that serve it, each counted once (an action whose
ancestor already serves the goal reaches it through the ancestor). A change
recomputes only the changed chain: the action's ancestors and their goals
(``actions.progress``).

A sub-action's weight is its share of its parent, in percent: siblings add up
to at most 100 (a sub-action that would push them over is refused; under 100
the page says so, and the mean is of what is there).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actions.models_strategy import Strategy
from baseline.models import Locality, Threat
from decisions.models import Decision
from goals.models import CollectiveGoal, SdgTarget
from partnerships.labels import Titled
from partnerships.languages import in_language
from partnerships.models import Member, Partner, PartnershipOwned

FULL = 1000  # progress is in thousandths
MAX_WEIGHT = 100  # a sub-action's weight: its share of its parent, in percent
MAX_DEPTH = 6  # an action, its sub-actions, theirs… at most this many levels below


class ActionKind(models.TextChoices):
    QUICK_IMPACT = "quick_impact", _("Quick impact")
    LONG_TERM = "long_term", _("Long term")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("action status", "Planned")
    UNDER_WAY = "under_way", pgettext_lazy("action status", "Under way")
    DONE = "done", pgettext_lazy("action status", "Done")
    STALLED = "stalled", pgettext_lazy("action status", "Stalled")
    DROPPED = "dropped", pgettext_lazy("action status", "Dropped")


# The statuses that need a reason.
WITH_REASON = (ActionStatus.STALLED, ActionStatus.DROPPED)
# The statuses of an action still to be delivered.
OPEN = (ActionStatus.PLANNED, ActionStatus.UNDER_WAY, ActionStatus.STALLED)


def tree_of(path: str, pk: int) -> str:
    """The sort key of an action at ``path`` (its ancestors' ids) with id ``pk``."""
    ids = [*(int(part) for part in path.split(".") if part), pk]
    return "".join(f"{i:010d}." for i in ids)


class Action(Titled):
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    kind = models.CharField(_("kind of action"), max_length=20, choices=ActionKind.choices)
    owner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    contributors = models.ManyToManyField(
        Partner, blank=True, related_name="+", verbose_name=_("contributing partners")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    weight = models.PositiveSmallIntegerField(_("weight (percent of the action it is part of)"))
    # The ids of its ancestors, the top one first, each followed by a dot
    # ("12.40."): ancestors without a walk, a subtree by prefix, a circle refused.
    path = models.CharField(max_length=200, blank=True, default="", editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Its place in the tree, its own id last, each zero-padded ("0000000012.0000000040."):
    # sorted as text, each action comes right before its sub-actions (``tree_of``).
    tree = models.CharField(max_length=400, blank=True, default="", editable=False, db_index=True)
    goals = models.ManyToManyField(
        CollectiveGoal, blank=True, related_name="+", verbose_name=_("collective goals")
    )
    strategies = models.ManyToManyField(
        Strategy, blank=True, related_name="actions", verbose_name=_("strategies")
    )
    threats = models.ManyToManyField(
        Threat, blank=True, related_name="+", verbose_name=_("threats")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="+", verbose_name=_("SDG targets")
    )
    localities = models.ManyToManyField(
        Locality, blank=True, related_name="+", verbose_name=_("localities")
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # Where it came from, as "<kind>:<public id>" (a meeting's action item:
    # "meeting:<uuid>"); empty when entered on the checklist.
    source = models.CharField(_("source"), max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Computed (see the module's docstring): never written by a form.
    progress = models.PositiveSmallIntegerField(default=0, editable=False)
    children_weight = models.PositiveIntegerField(default=0, editable=False)
    children_sum = models.BigIntegerField(default=0, editable=False)
    milestones_total = models.PositiveIntegerField(default=0, editable=False)
    milestones_reached = models.PositiveIntegerField(default=0, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "kind",
        "owner",
        "starts_on",
        "due_on",
        "status",
        "status_reason",
        "parent",
        "weight",
        "decision",
        "source",
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "created_at", "pk"]
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"], name="action_checklist"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=MAX_WEIGHT),
                name="action_weight_1_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(due_on__isnull=True)
                | models.Q(due_on__gte=models.F("starts_on")),
                name="action_due_after_start",
            ),
        ]

    @property
    def description_text(self) -> str:
        return in_language(self.description)

    @property
    def percent(self) -> int:
        return round(self.progress * 100 / FULL)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def indent(self) -> str:
        """A dot for each level above it (the checklist's indentation)."""
        return "· " * self.depth

    def set_tree(self) -> None:
        self.tree = tree_of(self.path, self.pk)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split(".") if part]

    def is_late(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return bool(self.is_open and self.due_on is not None and self.due_on < day)  # type: ignore[operator]


class Milestone(PartnershipOwned):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action")
    )
    title = models.JSONField(_("title"), default=dict)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = ("action", "title", "due_on", "reached_on")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["action", "due_on", "pk"]

    def __str__(self) -> str:
        return in_language(self.title, fallback=str(self.public_id))

    @property
    def label(self) -> str:
        return str(self)


class GoalProgress(PartnershipOwned):
    """A collective goal's progress, kept up to date by the actions that serve
    it (``actions.progress``): goals, a floor below, never reads it."""

    goal = models.OneToOneField(CollectiveGoal, on_delete=models.CASCADE, related_name="+")
    weight = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("progress of a goal")
        verbose_name_plural = _("progress of goals")

    def __str__(self) -> str:
        return str(self.goal_id)

    @property
    def percent(self) -> int:
        return round(self.progress * 100 / FULL)
