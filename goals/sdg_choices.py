"""The SDG taxonomy as the goal form offers it: targets grouped by goal, each
with its current indicators, in the active language. One query, whatever the
size: the form renders 169 targets and some 250 indicators on cheap phones
over slow links, and a query per goal or per target would be felt.

Retired indicators are never offered (a goal that already names one keeps
it; that is the goal's business, not the picker's). A target whose
indicators are all retired (11.c) is still offered: targets do not retire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import FilteredRelation, Q

from baseline.models import in_language
from goals.models import IndicatorStatus, SdgTarget


@dataclass(frozen=True)
class IndicatorOption:
    pk: int
    code: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


@dataclass(frozen=True)
class TargetOption:
    pk: int
    code: str
    title: str
    indicators: tuple[IndicatorOption, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


@dataclass(frozen=True)
class GoalGroup:
    number: int
    short_name: str
    title: str
    targets: tuple[TargetOption, ...]

    @property
    def label(self) -> str:
        return f"{self.number}. {self.short_name}"


def sdg_tree(*, with_indicators: bool = True) -> list[GoalGroup]:
    """Goals in order, each with its targets in reading order (1.9, 1.10, 1.a)
    and, when asked, each target's current indicators. Goals without targets
    (before the first import) are left out: there is nothing to pick in them."""
    columns = ["pk", "code", "titles", "goal__number", "goal__short_names", "goal__titles"]
    targets = SdgTarget.objects.order_by("position")
    if with_indicators:
        # The condition sits in the join, not the WHERE clause, so a target
        # with no current indicator still comes back (once, with nulls).
        targets = targets.annotate(
            current=FilteredRelation(
                "indicators", condition=Q(indicators__status=IndicatorStatus.CURRENT)
            )
        ).order_by("position", "current__position")
        columns += ["current__pk", "current__code", "current__titles"]

    # Rows come in reading order, so goals and targets appear in it too
    # (dicts keep insertion order).
    goals: dict[int, dict[str, Any]] = {}
    targets_seen: dict[int, dict[str, Any]] = {}
    for row in targets.values(*columns):
        goal = goals.setdefault(row["goal__number"], {"row": row, "targets": []})
        target = targets_seen.get(row["pk"])
        if target is None:
            target = targets_seen[row["pk"]] = {"row": row, "indicators": []}
            goal["targets"].append(target)
        if with_indicators and row["current__pk"] is not None:
            target["indicators"].append(
                IndicatorOption(
                    pk=row["current__pk"],
                    code=row["current__code"],
                    title=in_language(row["current__titles"], fallback=row["current__code"]),
                )
            )
    return [_group(number, goal) for number, goal in goals.items()]


def _group(number: int, goal: dict[str, Any]) -> GoalGroup:
    short_name = in_language(goal["row"]["goal__short_names"], fallback=str(number))
    return GoalGroup(
        number=number,
        short_name=short_name,
        title=in_language(goal["row"]["goal__titles"]) or short_name,
        targets=tuple(
            TargetOption(
                pk=target["row"]["pk"],
                code=target["row"]["code"],
                title=in_language(target["row"]["titles"], fallback=target["row"]["code"]),
                indicators=tuple(target["indicators"]),
            )
            for target in goal["targets"]
        ),
    )


def target_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped choices (Django's optgroup shape) for a ``<select>`` or a list
    of checkboxes, by target id:
    ``[("1. Ending poverty", [(pk, "1.1 By 2030, …"), …]), …]``. One query."""
    return [
        (goal.label, [(target.pk, target.label) for target in goal.targets])
        for goal in sdg_tree(with_indicators=False)
    ]


def indicator_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Current indicators grouped by target, for a partnership that borrows
    an SDG indicator for its own monitoring. One query."""
    return [
        (target.label, [(indicator.pk, indicator.label) for indicator in target.indicators])
        for goal in sdg_tree()
        for target in goal.targets
        if target.indicators
    ]
