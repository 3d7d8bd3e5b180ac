"""What people do with the action checklist: add an action (or a sub-action),
change it, move it, change its status, mark milestones, delete it.

Every workflow is one transaction: a refusal (``ServiceError``, with the
field it concerns) leaves nothing written. Progress is never typed: each
change hands the action to ``actions.progress.settle``, which carries it to
the action's ancestors and goals. Budgets: ``actions.budget``; commitments:
``actions.commitments``; strategies: ``actions.strategies``.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions import progress
from actions.checks import member_of, owned
from actions.models import (
    MAX_DEPTH,
    MAX_WEIGHT,
    WITH_REASON,
    Action,
    ActionKind,
    ActionStatus,
    Milestone,
    Strategy,
)
from baseline.models import Locality, Threat
from decisions.models import Decision
from goals.models import CollectiveGoal, SdgTarget
from partnerships.audit import delete_audited, save_audited
from partnerships.deletion import referring
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Partner, Partnership
from partnerships.services import only_fields

REASON_MAX = 2000
SOURCE = re.compile(r"^[a-z_]{1,30}:[0-9a-f-]{32,36}$")
LINKS = ("goals", "strategies", "threats", "sdg_targets", "localities", "contributors")
CHANGEABLE = ("title", "description", "kind", "owner", "starts_on", "due_on", "decision", *LINKS)


# --- Checks ---------------------------------------------------------------------------


def clean_source(source: str) -> str:
    """ "meeting:<uuid>", "grievance:<uuid>"…, or empty."""
    source = (source or "").strip()
    if source and not SOURCE.match(source):
        raise ServiceError(_("Unknown source."), field="source")
    if source:
        kind, _sep, raw = source.partition(":")
        source = f"{kind}:{uuid.UUID(raw)}"
    return source


def _clean_dates(starts_on: datetime.date | None, due_on: datetime.date | None) -> None:
    if starts_on is not None and due_on is not None and due_on < starts_on:
        raise ServiceError(_("The due date comes before the start date."), field="due_on")


def _clean_partner(partnership: Partnership, partner: Any, *, field: str) -> Partner:
    if not isinstance(partner, Partner) or partner.partnership_id != partnership.pk:
        raise ServiceError(_("Unknown partner."), field=field)
    if partner.left_on is not None:
        raise ServiceError(
            _("%(partner)s has left the partnership.") % {"partner": partner.name}, field=field
        )
    return partner


def _clean_links(partnership: Partnership, links: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The linked records, each this partnership's (a foreign one is refused
    as unknown, never linked)."""
    messages = {
        "goals": (CollectiveGoal, _("Unknown collective goal.")),
        "strategies": (Strategy, _("Unknown strategy.")),
        "threats": (Threat, _("Unknown threat.")),
        "localities": (Locality, _("Unknown locality.")),
        "contributors": (Partner, _("Unknown partner.")),
    }
    cleaned: dict[str, list[Any]] = {}
    for name, (model, message) in messages.items():
        if name not in links:
            continue
        items = list(dict.fromkeys(links[name] or []))
        if any(not owned(i, model, partnership) for i in items):
            raise ServiceError(message, field=name)
        cleaned[name] = items
    if "contributors" in cleaned:
        for partner in cleaned["contributors"]:
            _clean_partner(partnership, partner, field="contributors")
    if "sdg_targets" in links:
        targets = list(dict.fromkeys(links["sdg_targets"] or []))
        if not all(isinstance(t, SdgTarget) for t in targets):
            raise ServiceError(_("Unknown SDG target."), field="sdg_targets")
        cleaned["sdg_targets"] = targets
    return cleaned


def _clean_weight(parent: Action | None, weight: Any, *, leaving: Action | None = None) -> int:
    """A sub-action's weight: its share of its parent in percent, siblings
    adding up to at most 100 (by default, what is left). An action with no
    parent weighs 100 among the actions of its goals unless told otherwise."""
    taken = 0
    if parent is not None:
        siblings = parent.children.exclude(status=ActionStatus.DROPPED)
        if leaving is not None:
            siblings = siblings.exclude(pk=leaving.pk)
        taken = sum(siblings.values_list("weight", flat=True))
    left = MAX_WEIGHT - taken
    if weight is None or weight == "":
        if left <= 0:
            raise ServiceError(
                _(
                    "The sub-actions of “%(action)s” already weigh 100%%: "
                    "lower one of their weights first."
                )
                % {"action": parent},
                field="weight",
            )
        return left
    if isinstance(weight, bool) or not isinstance(weight, int):
        raise ServiceError(_("A weight is a whole number of percent."), field="weight")
    if not 1 <= weight <= MAX_WEIGHT:
        raise ServiceError(_("A weight is between 1 and 100 percent."), field="weight")
    if parent is not None and weight > left:
        raise ServiceError(
            _(
                "The weights of the sub-actions of “%(action)s” would add up to %(total)s%%, "
                "more than 100%%: this one can weigh at most %(left)s%%."
            )
            % {"action": parent, "total": taken + weight, "left": max(left, 0)},
            field="weight",
        )
    return weight


def _clean_parent(
    partnership: Partnership, parent: Any, *, moving: Action | None = None
) -> Action | None:
    if parent is None:
        return None
    if not owned(parent, Action, partnership):
        raise ServiceError(_("Unknown action."), field="parent")
    if moving is not None and (parent.pk == moving.pk or moving.pk in parent.ancestor_ids):
        raise ServiceError(
            _("“%(action)s” cannot be part of itself or of one of its own sub-actions.")
            % {"action": moving},
            field="parent",
        )
    if parent.status in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ServiceError(
            _("“%(action)s” is %(status)s: it takes no new sub-actions.")
            % {"action": parent, "status": parent.get_status_display().lower()},
            field="parent",
        )
    if parent.depth + 1 > MAX_DEPTH:
        raise ServiceError(
            ngettext(
                "Sub-actions go at most %(n)s level deep.",
                "Sub-actions go at most %(n)s levels deep.",
                MAX_DEPTH,
            )
            % {"n": MAX_DEPTH},
            field="parent",
        )
    found: Action = parent
    return found


def _clean_decision(partnership: Partnership, decision: Any) -> Decision | None:
    if decision is None:
        return None
    if not owned(decision, Decision, partnership):
        raise ServiceError(_("Unknown decision."), field="decision")
    found: Decision = decision
    return found


# --- Actions --------------------------------------------------------------------------


@transaction.atomic
def add_action(
    *,
    by: Any,
    partnership: Partnership,
    title: Mapping[str, str],
    kind: str,
    owner: Partner,
    starts_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    parent: Action | None = None,
    weight: int | None = None,
    goals: Collection[CollectiveGoal] = (),
    strategies: Collection[Strategy] = (),
    contributors: Collection[Partner] = (),
    source: str = "",
    description: Mapping[str, str] | None = None,
    threats: Collection[Threat] = (),
    sdg_targets: Collection[SdgTarget] = (),
    localities: Collection[Locality] = (),
    decision: Decision | None = None,
) -> Action:
    """Add an action to the checklist (a sub-action with ``parent``). A
    meeting's action item passes ``source="meeting:<uuid>"``; a decision
    that created it, ``decision``. ``weight``: a sub-action's share of its
    parent in percent (by default what its siblings leave)."""
    titles = clean_texts(title)
    if not titles:
        raise ServiceError(_("Give the action a title."), field="title")
    require_first(titles, partnership, prefix="title")
    if kind not in ActionKind.values:
        raise ServiceError(_("Choose quick impact or long term."), field="kind")
    owner = _clean_partner(partnership, owner, field="owner")
    _clean_dates(starts_on, due_on)
    if parent is not None:
        parent = (
            Action.objects.select_for_update().filter(pk=getattr(parent, "pk", None)).first()
            or parent
        )
    parent = _clean_parent(partnership, parent)
    weight = (
        _clean_weight(parent, weight)
        if parent is not None
        else _clean_weight(None, weight or MAX_WEIGHT)
    )
    links = _clean_links(
        partnership,
        {
            "goals": goals,
            "strategies": strategies,
            "contributors": contributors,
            "threats": threats,
            "sdg_targets": sdg_targets,
            "localities": localities,
        },
    )
    action = Action(
        partnership=partnership,
        title=titles,
        description=clean_texts(description or {}),
        kind=kind,
        owner=owner,
        starts_on=starts_on,
        due_on=due_on,
        parent=parent,
        weight=weight,
        path=f"{parent.path}{parent.pk}." if parent is not None else "",
        depth=parent.depth + 1 if parent is not None else 0,
        decision=_clean_decision(partnership, decision),
        source=clean_source(source),
        created_by=member_of(by, partnership),
    )
    save_audited(action, actor=by)
    action.set_tree()  # needs its id
    action.save(update_fields=["tree"])
    for name, items in links.items():
        getattr(action, name).set(items)
    progress.settle(action, was=progress.NOTHING, counted_before=False)
    return action


@transaction.atomic
def update_action(*, by: Any, action: Action, **fields: Any) -> Action:
    """Change an action's content and links (not its status: ``set_status``;
    not its place: ``move_action``)."""
    only_fields(fields, CHANGEABLE)
    action = Action.objects.select_for_update().get(pk=action.pk)
    partnership = action.partnership
    if "title" in fields:
        fields["title"] = clean_texts(fields["title"])
        if not fields["title"]:
            raise ServiceError(_("Give the action a title."), field="title")
        require_first(fields["title"], partnership, prefix="title")
    if "description" in fields:
        fields["description"] = clean_texts(fields["description"] or {})
    if "kind" in fields and fields["kind"] not in ActionKind.values:
        raise ServiceError(_("Choose quick impact or long term."), field="kind")
    if "owner" in fields:
        owner = fields["owner"]
        if getattr(owner, "pk", None) != action.owner_id:
            _clean_partner(partnership, owner, field="owner")
    if "decision" in fields:
        fields["decision"] = _clean_decision(partnership, fields["decision"])
    _clean_dates(fields.get("starts_on", action.starts_on), fields.get("due_on", action.due_on))
    links = _clean_links(partnership, {k: v for k, v in fields.items() if k in LINKS})
    simple = [k for k in fields if k not in LINKS]
    for name in simple:
        setattr(action, name, fields[name])
    if simple:
        save_audited(action, actor=by, update_fields=simple)
    if "goals" in links:
        before = set(action.goals.values_list("pk", flat=True))
        action.goals.set(links.pop("goals"))
        after = set(action.goals.values_list("pk", flat=True))
        if before != after:
            progress.recompute_goals(before | after)
    for name, items in links.items():
        getattr(action, name).set(items)
    return action


def _subtree_goals(action: Action) -> set[int]:
    ids = (
        Action.objects.filter(partnership_id=action.partnership_id)
        .filter(path__startswith=f"{action.path}{action.pk}.")
        .values_list("pk", flat=True)
    )
    through = Action.goals.through.objects
    return set(
        through.filter(action_id__in=[action.pk, *ids, *action.ancestor_ids]).values_list(
            "collectivegoal_id", flat=True
        )
    )


@transaction.atomic
def move_action(
    *, by: Any, action: Action, parent: Action | None, weight: int | None = None
) -> Action:
    """Make ``action`` a sub-action of ``parent`` (or a top-level action):
    refused when that would make a circle (an action part of itself)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if parent is not None:
        parent = (
            Action.objects.select_for_update().filter(pk=getattr(parent, "pk", None)).first()
            or parent
        )
    parent = _clean_parent(action.partnership, parent, moving=action)
    if getattr(parent, "pk", None) == action.parent_id and weight in (None, action.weight):
        return action
    height = (
        Action.objects.filter(path__startswith=f"{action.path}{action.pk}.")
        .order_by("-depth")
        .values_list("depth", flat=True)
        .first()
    )
    below = (height - action.depth) if height is not None else 0
    new_depth = parent.depth + 1 if parent is not None else 0
    if new_depth + below > MAX_DEPTH:
        raise ServiceError(_("Sub-actions would go too many levels deep."), field="parent")
    goals_before = _subtree_goals(action)
    # Out of the old parent's sums…
    was = progress.share(action)
    if action.parent_id is not None:
        old_parent = Action.objects.select_for_update().get(pk=action.parent_id)
        old_was = progress.share(old_parent)
        old_parent.children_weight -= was[0]
        old_parent.children_sum -= was[1]
        progress.settle(old_parent, was=old_was)
    action.weight = (
        _clean_weight(parent, weight, leaving=action)
        if parent is not None
        else _clean_weight(None, weight or action.weight)
    )
    old_prefix = f"{action.path}{action.pk}."
    action.parent = parent
    action.path = f"{parent.path}{parent.pk}." if parent is not None else ""
    action.depth = new_depth
    new_prefix = f"{action.path}{action.pk}."
    action.set_tree()
    save_audited(action, actor=by, update_fields=["parent", "weight", "path", "depth", "tree"])
    for child in Action.objects.select_for_update().filter(path__startswith=old_prefix):
        child.path = new_prefix + child.path[len(old_prefix) :]
        child.depth = child.path.count(".")
        child.set_tree()
        child.save(update_fields=["path", "depth", "tree"])
    # …into the new one's.
    if parent is not None:
        progress.settle(action, was=progress.NOTHING)
    progress.recompute_goals(goals_before | _subtree_goals(action))
    return action


@transaction.atomic
def set_status(*, by: Any, action: Action, status: str, reason: str = "") -> Action:
    """Planned, under way, done, stalled or dropped; stalled and dropped
    need a reason."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    reason = (reason or "").strip()
    if status in WITH_REASON and not reason:
        raise ServiceError(
            _("Say why the action is %(status)s.") % {"status": ActionStatus(status).label.lower()},
            field="reason",
        )
    if len(reason) > REASON_MAX:
        raise ServiceError(_("The reason is too long."), field="reason")
    if status == action.status and reason == action.status_reason:
        return action
    if (
        status == ActionStatus.DONE
        and action.children.filter(
            status__in=[ActionStatus.PLANNED, ActionStatus.UNDER_WAY, ActionStatus.STALLED]
        ).exists()
    ):
        raise ServiceError(
            _("Its sub-actions are not all done or dropped: finish or drop them first."),
            field="status",
        )
    was = progress.share(action)
    action.status = status
    action.status_reason = reason if status in WITH_REASON else ""
    save_audited(action, actor=by, update_fields=["status", "status_reason"])
    progress.settle(action, was=was)
    return action


@transaction.atomic
def add_milestone(
    *, by: Any, action: Action, title: Mapping[str, str], due_on: datetime.date | None = None
) -> Milestone:
    action = Action.objects.select_for_update().get(pk=action.pk)
    titles = clean_texts(title)
    if not titles:
        raise ServiceError(_("Give the milestone a title."), field="title")
    require_first(titles, action.partnership, prefix="title")
    milestone = Milestone(
        partnership_id=action.partnership_id, action=action, title=titles, due_on=due_on
    )
    save_audited(milestone, actor=by)
    was = progress.share(action)
    action.milestones_total += 1
    progress.settle(action, was=was)
    return milestone


@transaction.atomic
def mark_milestone(*, by: Any, milestone: Milestone, reached_on: datetime.date | None) -> Milestone:
    """Mark a milestone reached on a date (not in the future), or not reached (None)."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if reached_on is not None and reached_on > timezone.localdate():
        raise ServiceError(_("A milestone cannot be reached in the future."), field="reached_on")
    before = milestone.reached_on is not None
    milestone.reached_on = reached_on
    save_audited(milestone, actor=by, update_fields=["reached_on"])
    after = reached_on is not None
    if before != after:
        action = Action.objects.select_for_update().get(pk=milestone.action_id)
        was = progress.share(action)
        action.milestones_reached += 1 if after else -1
        progress.settle(action, was=was)
    return milestone


def dependants(action: Action) -> list[str]:
    """What depends on ``action`` and stops its deletion, named in the
    reader's language ("2 sub-actions: …", "commitments of …")."""
    found: list[str] = []
    children = list(action.children.all()[:6])
    if children:
        names = ", ".join(f"“{c}”" for c in children[:5])
        found.append(_("its sub-actions %(names)s") % {"names": names})
    partners = sorted({c.partner.name for c in action.commitments.select_related("partner")})
    if partners:
        found.append(_("commitments of %(partners)s") % {"partners": ", ".join(partners)})
    if action.budget_lines.filter(spendings__isnull=False).exists():
        found.append(_("spending recorded on its budget"))
    others = [
        r
        for r in referring(action)
        if not isinstance(r, Action) and r._meta.model_name not in ("commitment", "spending")
    ]
    if others:
        found.append(", ".join(sorted({str(r._meta.verbose_name_plural) for r in others})))
    return found


def refusal_to_delete(action: Action, found: list[str]) -> str:
    return _("“%(action)s” cannot be deleted: %(what)s depend on it. Drop it instead.") % {
        "action": action,
        "what": "; ".join(found),
    }


@transaction.atomic
def delete_action(*, by: Any, action: Action) -> None:
    """Delete an action nothing depends on; otherwise refuse, naming what
    depends on it (drop it instead: it stays in the record)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    found = dependants(action)
    if found:
        raise ServiceError(refusal_to_delete(action, found))
    was = progress.share(action)
    goal_ids = _subtree_goals(action)
    if action.parent_id is not None:
        parent = Action.objects.select_for_update().get(pk=action.parent_id)
        parent_was = progress.share(parent)
        parent.children_weight -= was[0]
        parent.children_sum -= was[1]
        progress.settle(parent, was=parent_was)
    action.goals.clear()
    delete_audited(action, actor=by)
    progress.recompute_goals(goal_ids)
