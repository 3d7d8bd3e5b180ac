"""What happens after a meeting: its minutes, the decisions taken at it
(joining the decision log), and its action items, which become checklist
actions in one step. Each refusal is a ``ServiceError`` naming the field;
each workflow runs in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import ActionItem, Meeting, MeetingStatus
from meetings.services import lock_meeting, long_text, require_role, title_of
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import require_first
from partnerships.models import Partner
from partnerships.permissions import Action, can


def _held(meeting: Meeting, field: str) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise ServiceError(_("Mark the meeting as held first."), field=field)


@transaction.atomic
def write_minutes(*, by: Any, meeting: Meeting, minutes: Mapping[str, str]) -> Meeting:
    """The minutes in the working languages (the first one is enough)."""
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    _held(meeting, "minutes")
    texts = long_text(minutes, "minutes")
    require_first(texts, meeting.partnership, prefix="minutes")
    meeting.minutes = texts
    save_audited(meeting, actor=by, update_fields=["minutes"])
    return meeting


@transaction.atomic
def record_decision(
    *,
    by: Any,
    meeting: Meeting,
    kind: str,
    title: Mapping[str, str],
    outcome: Mapping[str, str] | None = None,
    passed: bool = True,
) -> Any:
    """A decision taken at the meeting, in the decision log and linked to the
    meeting. A facilitator-led type is decided there: its result and outcome
    statement are recorded at once. A type the charter puts to a vote is
    proposed, linked to the meeting, and goes to the vote on its page."""
    from decisions import services as decisions
    from decisions.charter_link import rule_for

    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    _held(meeting, "kind")
    rule = rule_for(meeting.partnership, kind)
    decision = decisions.propose(
        by=by,
        partnership=meeting.partnership,
        kind=kind,
        title=title,
        body={
            code: _("Taken at the meeting “%(title)s”.") % {"title": text}
            for code, text in meeting.title.items()
        },
        link_to=[("meeting", meeting.public_id)],
    )
    if rule is not None and not rule.takes_ballots:
        decision = decisions.record_outcome(
            by=by,
            decision=decision,
            outcome=outcome or {},
            result="passed" if passed else "not_passed",
        )
    return decision


def decisions_of(meeting: Meeting) -> list[Any]:
    """The decisions linked to the meeting, newest first. One query."""
    from decisions.models import Decision

    return list(
        Decision.objects.filter(
            partnership_id=meeting.partnership_id,
            links__kind="meeting",
            links__target=meeting.public_id,
        ).order_by("-proposed_at", "-pk")
    )


@transaction.atomic
def add_action_item(
    *,
    by: Any,
    meeting: Meeting,
    title: Mapping[str, str],
    owner: Partner | None = None,
    due_on: date | None = None,
) -> ActionItem:
    meeting = lock_meeting(meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    _held(meeting, "title")
    if owner is not None and (owner.partnership_id != meeting.partnership_id or owner.left_on):
        raise ServiceError(_("Choose a present partner of this partnership."), field="owner")
    if due_on is not None and due_on < meeting.local_start.date():
        raise ServiceError(
            _("An action item falls due after the meeting, not before."), field="due_on"
        )
    item = ActionItem(
        partnership=meeting.partnership,
        meeting=meeting,
        title=title_of(meeting.partnership, title),
        owner=owner,
        due_on=due_on,
    )
    save_audited(item, actor=by)
    return item


@transaction.atomic
def drop_action_item(*, by: Any, item: ActionItem) -> None:
    meeting = lock_meeting(item.meeting)
    require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if item.action_ref is not None:
        raise ServiceError(_("This item is on the action checklist already: change it there."))
    delete_audited(item, actor=by)


@transaction.atomic
def convert_item(*, by: Any, item: ActionItem, kind: str, owner: Partner | None = None) -> Any:
    """The action item becomes an action of the checklist, in one step
    (``actions.services.add_action``, its source the meeting): its title,
    its owner partner (or the one chosen now), its due date, starting on the
    meeting's day. Once: the item then links to the action."""
    from actions import services as actions

    meeting = lock_meeting(item.meeting)
    member = require_role(by, meeting.partnership, "meeting", Action.CHANGE)
    if not can(member, "action", Action.CREATE):
        raise ServiceError(_("Your role may not add actions to the checklist."))
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.action_ref is not None:
        raise ServiceError(_("This item is on the action checklist already."))
    owner = owner or item.owner
    if owner is None:
        raise ServiceError(_("Choose the partner who owns the action."), field="owner")
    starts_on = meeting.local_start.date()
    action = actions.add_action(
        by=by,
        partnership=meeting.partnership,
        title=item.title,
        kind=kind,
        owner=owner,
        starts_on=starts_on,
        due_on=item.due_on,
        source=f"meeting:{meeting.public_id}",
    )
    item.action_ref = action.public_id
    if item.owner_id != owner.pk:
        item.owner = owner
    save_audited(item, actor=by, update_fields=["action_ref", "owner"])
    return action
