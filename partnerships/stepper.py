"""The stepper: where a partnership stands in the Framework's steps.

What each step shows as done is derived from data. Each room contributes
checks for its step with ``progress(step)``; this room contributes the
preliminary step's checks and the completions facilitators record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Step, StepCompletion


@dataclass(frozen=True)
class Check:
    label: str | Promise
    done: bool
    detail: str | Promise = ""


ProgressFn = Callable[[Partnership], list[Check]]
_PROVIDERS: dict[str, list[ProgressFn]] = {}
# The pages later rooms add, by step: (step, URL name taking the slug, label).
ROOMS: list[tuple[Step, str, Promise]] = []


def register_room(step: Step, url_name: str, label: Promise) -> None:
    """A room's main page, shown in the partnership's navigation and on its step."""
    ROOMS.append((step, url_name, label))


AlertFn = Callable[[Partnership], list[str]]
_ALERTS: list[AlertFn] = []


def register_alert(fn: AlertFn) -> AlertFn:
    """A room's warnings for the overview page ("no women's representation")."""
    _ALERTS.append(fn)
    return fn


def alerts(partnership: Partnership) -> list[str]:
    return [message for fn in _ALERTS for message in fn(partnership)]


def progress(step: Step) -> Callable[[ProgressFn], ProgressFn]:
    def register(fn: ProgressFn) -> ProgressFn:
        _PROVIDERS.setdefault(step.value, []).append(fn)
        return fn

    return register


# What the Framework asks of each step, shown as "what is next" until a room
# brings data for it.
GUIDE: dict[str, tuple[Promise, list[Promise]]] = {
    Step.PRELIMINARY: (
        _("A dynamiser convenes the partners and sets up the partnership."),
        [
            _("Register the partners of every type"),
            _("Invite their representatives"),
            _("Agree to start the partnership"),
        ],
    ),
    Step.SITUATIONAL_ANALYSIS: (
        _(
            "A shared understanding of the risks each actor faces, across the dimensions of human security, and where stress is concentrated."
        ),
        [
            _("Register threats by dimension, locality and group"),
            _("Consult every group on how it perceives them"),
            _("Identify mutual risks"),
        ],
    ),
    Step.NEEDS_VULNERABILITIES_CAPACITIES: (
        _(
            "What makes each group vulnerable, what it needs, and the capacities every partner can bring, with disaggregated data."
        ),
        [_("Map needs and vulnerabilities per group"), _("Build the capacity register")],
    ),
    Step.COLLECTIVE_GOALS: (
        _("Find common ground and co-construct collective goals that every partner type endorses."),
        [_("Run a statement conversation"), _("Agree goals and link them to the SDGs")],
    ),
    Step.INVOLVEMENT: (
        _(
            "A joint, ongoing map of who needs to be involved, who is missing, and who is at risk if they take part."
        ),
        [_("Map the actors and their relations"), _("Close the inclusion gaps")],
    ),
    Step.STRATEGIES: (
        _(
            "Protection and empowerment strategies, the charter that says how decisions are taken, and a communication plan."
        ),
        [_("Agree the charter"), _("Record decisions"), _("Plan communication")],
    ),
    Step.IMPLEMENTATION_TOOLS: (
        _(
            "The action checklist with commitments and timelines, trainings, channels and documentation."
        ),
        [_("Agree the actions and who commits what"), _("Open the channels people use")],
    ),
    Step.MONITORING: (
        _("Jointly agreed indicators, measurements, reviews and a grievance mechanism."),
        [_("Agree indicators with baselines and targets"), _("Review together")],
    ),
}


StepState = Literal["complete", "current", "upcoming"]
# How far an unmarked step's own work has gone, from its checks alone.
Progress = Literal["ready", "under_way", "not_started", "unchecked"]


@dataclass
class StepView:
    """One step as a page shows it.

    ``state`` says where the partnership stands (see ``now``); ``progress``
    says, for a step nobody marked complete yet, what its checks show. The
    two are kept apart so that a page never calls a step whose checks are all
    met "upcoming" without saying that its work is done."""

    step: Step
    number: int
    completion: StepCompletion | None
    state: StepState = "upcoming"
    checks: list[Check] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.step.label)

    @property
    def purpose(self) -> Promise:
        return GUIDE[self.step][0]

    @property
    def next_actions(self) -> list[Promise]:
        return GUIDE[self.step][1]

    @property
    def rooms(self) -> list[tuple[str, Promise]]:
        return [(url_name, label) for step, url_name, label in ROOMS if step == self.step]

    @property
    def done_count(self) -> int:
        return sum(1 for c in self.checks if c.done)

    @property
    def unmet(self) -> list[Check]:
        return [c for c in self.checks if not c.done]

    @property
    def progress(self) -> Progress:
        if not self.checks:
            return "unchecked"
        if not self.unmet:
            return "ready"
        return "under_way" if self.done_count else "not_started"


def now(views: list[StepView]) -> StepView | None:
    """The one rule for "now": the first step, in the Framework's order, that
    no facilitator has marked complete. Checks never move "now": they are
    derived from data the rooms hold, which may be partial (a step's checks
    can all be met while an earlier step is still open, and a step can be
    complete in the partners' eyes with checks unmet, for a reason recorded
    with its completion). Every page and the portal use this function."""
    return next((view for view in views if view.completion is None), None)


def build(partnership: Partnership, *, with_checks: bool = True) -> list[StepView]:
    completions = {c.step: c for c in StepCompletion.objects.filter(partnership=partnership)}
    views = [
        StepView(step=step, number=i, completion=completions.get(step.value))
        for i, step in enumerate(Step)
    ]
    current = now(views)
    for view in views:
        if view.completion is not None:
            view.state = "complete"
        elif view is current:
            view.state = "current"
        if with_checks:
            view.checks = step_checks(partnership, view.step)
    return views


def step_checks(partnership: Partnership, step: Step) -> list[Check]:
    """The checks the rooms derive for one step."""
    return [check for provider in _PROVIDERS.get(step.value, []) for check in provider(partnership)]


def current_step(partnership: Partnership) -> StepView | None:
    return now(build(partnership, with_checks=False))
