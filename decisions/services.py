"""What people do with decisions: propose, open the vote, vote, close, record
the outcome — and the periodic work that closes votes on time and reminds
those who have not voted.

The rules come from the charter in force (``decisions.charter_link``); the
vote copies its rule when it opens (``Decision.rule``) and everything after
reads that copy. Every refusal is a ``ServiceError`` naming the field, raised
before anything is written.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charter.rules import DecisionRule, Method
from decisions import charter_link, display, effects, links, notices
from decisions.electorate import electorate, secret_key, voter_for
from decisions.models import (
    CLOSED,
    Ballot,
    Decision,
    DecisionLink,
    DecisionStatus,
    Participation,
)
from decisions.tally import Ballot as Counted
from decisions.tally import Outcome, Result, choices_for, tally
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Member, Partnership, Role

REASON_MAX = 2000
TEXT_MAX = 20000
# Reminders go out once, this long before the close.
REMIND_BEFORE = timedelta(hours=48)


def _member(by: Any, partnership: Partnership) -> Member | None:
    if not getattr(by, "is_authenticated", False):
        return None
    return Member.objects.filter(partnership=partnership, user=by).select_related("partner").first()


def _too_long(text: Mapping[str, str], limit: int, field: str) -> None:
    if any(len(v) > limit for v in text.values()):
        raise ServiceError(
            ngettext(
                "A text has at most %(n)s character.", "A text has at most %(n)s characters.", limit
            )
            % {"n": limit},
            field=field,
        )


# --- Proposing -------------------------------------------------------------------------


@transaction.atomic
def propose(
    *,
    by: Any,
    partnership: Partnership,
    kind: str,
    title: Mapping[str, str],
    body: Mapping[str, str] | None = None,
    link_to: Iterable[tuple[str, Any]] = (),
    payload: Mapping[str, Any] | None = None,
) -> Decision:
    """A new proposal of a decision type of the charter in force, by a member
    whose role the type's rule names among those who may propose. ``link_to``:
    (kind, public id) pairs of what it is about (a draft charter version, a
    goal); ``payload``: what passing it would do (a partner to admit, a
    spending), checked by ``decisions.effects``."""
    rule = charter_link.rule_for(partnership, kind)
    if rule is None:
        if not charter_link.decision_types(partnership):
            raise ServiceError(
                _("Adopt a charter first: decisions are taken under its rules."), field="kind"
            )
        raise ServiceError(_("The charter in force has no such decision type."), field="kind")
    member = _member(by, partnership)
    if member is None or member.role not in rule.proposers:
        raise ServiceError(
            _("Under the charter, your role may not propose a decision of this type."),
            field="kind",
        )
    titles = clean_texts(title)
    if not titles:
        raise ServiceError(_("Give the proposal a title."), field="title")
    require_first(titles, partnership, prefix="title")
    _too_long(titles, 300, f"title_{next(iter(titles))}")
    bodies = clean_texts(body or {})
    _too_long(bodies, TEXT_MAX, "body")
    targets = links.check(partnership, list(link_to))
    cleaned = effects.check_payload(partnership, kind, dict(payload or {}), targets)
    label = next((t.label for t in charter_link.decision_types(partnership) if t.code == kind), "")
    decision = Decision(
        partnership=partnership,
        title=titles,
        body=bodies,
        kind=kind,
        kind_label=label[:200],
        proposed_by=member,
        proposed_at=timezone.now(),
        public=charter_link.publishes_decisions(partnership),
        payload=cleaned,
    )
    save_audited(decision, actor=by)
    for target in targets:
        link = DecisionLink(
            partnership=partnership,
            decision=decision,
            kind=target.kind,
            target=target.public_id,
            label=target.label[:200],
        )
        save_audited(link, actor=by)
    return decision


def _may_steer(member: Member | None, decision: Decision) -> bool:
    """The proposer or a facilitator opens the vote (and withdraws a proposal)."""
    return member is not None and (
        member.role == Role.FACILITATOR or member.pk == decision.proposed_by_id
    )


@transaction.atomic
def open_vote(*, by: Any, decision: Decision, now: datetime | None = None) -> Decision:
    """Put a proposal to the vote under the rule its type has now; the rule is
    copied onto the decision, with the close it gives."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.PROPOSED:
        raise ServiceError(
            _("Only a proposal under discussion can be put to the vote."), field="status"
        )
    member = _member(by, decision.partnership)
    if not _may_steer(member, decision):
        raise ServiceError(_("The proposer or a facilitator opens the vote."), field="status")
    rule = charter_link.rule_for(decision.partnership, decision.kind)
    if rule is None:
        raise ServiceError(
            _("The charter in force no longer has this decision type."), field="status"
        )
    if not rule.takes_ballots:
        raise ServiceError(
            _("This type of decision has no vote: a facilitator records its outcome."),
            field="status",
        )
    if not electorate(decision.partnership, rule.voters):
        raise ServiceError(_("Nobody may vote under this rule yet."), field="status")
    now = now or timezone.now()
    _copy_rule(decision, rule)
    decision.status = DecisionStatus.VOTING
    decision.opened_at = now
    decision.closes_at = now + timedelta(days=rule.deadline_days)
    save_audited(
        decision,
        actor=by,
        update_fields=["status", "rule", "voters", "secret", "opened_at", "closes_at"],
    )
    notices.opened(decision, actor=by)
    return decision


def _copy_rule(decision: Decision, rule: DecisionRule) -> None:
    decision.rule = rule.as_data()
    decision.voters = rule.voters
    decision.secret = rule.secret


@transaction.atomic
def withdraw(*, by: Any, decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.PROPOSED:
        raise ServiceError(
            _("Only a proposal not yet put to the vote can be withdrawn."), field="status"
        )
    if not _may_steer(_member(by, decision.partnership), decision):
        raise ServiceError(_("The proposer or a facilitator withdraws a proposal."), field="status")
    decision.status = DecisionStatus.WITHDRAWN
    save_audited(decision, actor=by, update_fields=["status"])
    return decision


# --- Voting ----------------------------------------------------------------------------


@transaction.atomic
def vote(
    *, by: Any, decision: Decision, choice: str, reason: str = "", now: datetime | None = None
) -> Participation:
    """Cast (or change) a ballot. One counting ballot per voter: a change, or
    another representative's ballot for the same partner, replaces it; the
    same ballot again is refused, as nothing would change."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.VOTING:
        raise ServiceError(_("This decision is not open for voting."), field="choice")
    now = now or timezone.now()
    if decision.closes_at is not None and now >= decision.closes_at:
        raise ServiceError(_("The vote has closed: its deadline has passed."), field="choice")
    member = _member(by, decision.partnership)
    voter = voter_for(member, decision.voters)
    rule = decision.decision_rule
    if choice not in [c.value for c in choices_for(rule)]:
        raise ServiceError(_("Choose one of the options on the ballot."), field="choice")
    reason = (reason or "").strip()
    if choice == "object" and not reason:
        message = (
            _("A block needs its reason: say what would have to change.")
            if rule.method == Method.CONSENSUS
            else _("An objection needs its reason: say what harm it would do.")
        )
        raise ServiceError(message, field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(
            ngettext(
                "A reason has at most %(n)s character.",
                "A reason has at most %(n)s characters.",
                REASON_MAX,
            )
            % {"n": REASON_MAX},
            field="reason",
        )
    key = secret_key(decision.public_id, voter.key) if decision.secret else voter.key
    ballot = Ballot.objects.filter(decision=decision, voter=key).first()
    if ballot is not None and (ballot.choice, ballot.reason) == (choice, reason):
        raise ServiceError(
            _("This ballot is already counted as it is: one ballot per voter."), field="choice"
        )
    if ballot is None:
        ballot = Ballot(partnership=decision.partnership, decision=decision, voter=key)
    ballot.partner_type = voter.partner_type
    ballot.choice, ballot.reason = choice, reason
    if decision.secret:
        # Never audited, no time, no voter: see decisions.models.
        ballot.save()
    else:
        ballot.cast_by, ballot.partner, ballot.cast_at = member, voter.partner, now
        save_audited(ballot, actor=by)
    participation = Participation.objects.filter(decision=decision, voter=voter.key).first()
    if participation is None:
        participation = Participation(
            partnership=decision.partnership,
            decision=decision,
            voter=voter.key,
            partner_type=voter.partner_type,
            cast_by=member,
            cast_at=now,
        )
        save_audited(participation, actor=by)
    return participation


def may_vote(decision: Decision, member: Member | None) -> bool:
    """Whether ``member`` votes on ``decision`` now (the page offers the ballot)."""
    if decision.status != DecisionStatus.VOTING:
        return False
    try:
        voter_for(member, decision.voters)
    except ServiceError:
        return False
    return True


def may_record_outcome(decision: Decision) -> bool:
    """Whether the outcome can be recorded now: a closed vote's statement, or
    a facilitator-led decision's result and statement."""
    if decision.status in CLOSED:
        return True
    if decision.status != DecisionStatus.PROPOSED:
        return False
    rule = charter_link.rule_for(decision.partnership, decision.kind)
    return rule is not None and not rule.takes_ballots


def has_voted(decision: Decision, member: Member | None) -> bool:
    if member is None or decision.status != DecisionStatus.VOTING:
        return False
    try:
        key = voter_for(member, decision.voters).key
    except ServiceError:
        return False
    return Participation.objects.filter(decision=decision, voter=key).exists()


def counted_ballots(decision: Decision) -> list[Counted]:
    """The ballots as the tally reads them. For a secret vote, a ballot's
    voter is matched through the HMAC of each voter of the electorate (so the
    tally can leave out a partner that has left), and named by the key only
    inside this call."""
    rows = list(
        Ballot.objects.filter(decision=decision).values_list(
            "voter", "partner_type", "choice", "reason"
        )
    )
    if not decision.secret:
        return [Counted(*row) for row in rows]
    voters = electorate(decision.partnership, decision.voters)
    by_hmac = {secret_key(decision.public_id, key): key for key in voters}
    return [
        Counted(by_hmac[voter], kind, choice, reason)
        for voter, kind, choice, reason in rows
        if voter in by_hmac
    ]


def running_tally(decision: Decision) -> Outcome | None:
    """The tally so far, for an open vote; None for a secret one (its results
    stay hidden until the close) and for anything not being voted on."""
    if decision.status != DecisionStatus.VOTING or decision.secret:
        return None
    rule = decision.decision_rule
    return tally(rule, counted_ballots(decision), electorate(decision.partnership, rule.voters))


def turnout(decision: Decision) -> tuple[int, int]:
    """How many voters have voted, of how many (counts only, for any vote)."""
    voters = electorate(decision.partnership, decision.voters)
    voted = Participation.objects.filter(decision=decision, voter__in=list(voters)).count()
    return voted, len(voters)


# --- Closing ---------------------------------------------------------------------------


@transaction.atomic
def close(*, decision: Decision, by: Any = None, now: datetime | None = None) -> Decision:
    """Count the ballots and store the result. A secret vote's ballots are
    then sealed: their HMACs overwritten, so nothing can tie them to voters."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.VOTING:
        return decision
    rule = decision.decision_rule
    outcome = tally(rule, counted_ballots(decision), electorate(decision.partnership, rule.voters))
    if decision.secret:
        _seal(decision)
    decision.result, decision.public_tally = display.with_shown(
        outcome.as_data(), voters=decision.voters, secret=decision.secret
    )
    decision.status = {
        Result.PASSED: DecisionStatus.PASSED,
        Result.NOT_PASSED: DecisionStatus.NOT_PASSED,
        Result.QUORUM_NOT_MET: DecisionStatus.QUORUM_NOT_MET,
    }[outcome.result]
    decision.closed_at = now or timezone.now()
    save_audited(
        decision, actor=by, update_fields=["result", "public_tally", "status", "closed_at"]
    )
    if decision.status == DecisionStatus.PASSED:
        effects.apply(decision, by=by)
    notices.closed(decision)
    return decision


def _seal(decision: Decision) -> None:
    """Rewrite a secret vote's ballots so that nothing ties them to voters any
    more: new rows, in a random order, with new random ids and no HMAC, all
    written by one statement. Updating them in place would keep what the
    database itself records of each write — SQLite's rowid, PostgreSQL's
    row order and the transaction that wrote each row (``xmin``), which line
    up with the participations — while a fresh bulk insert shares one of each."""
    rows = list(Ballot.objects.filter(decision=decision).values("partner_type", "choice", "reason"))
    Ballot.objects.filter(decision=decision).delete()
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.bulk_create(
        Ballot(
            partnership_id=decision.partnership_id,
            decision=decision,
            voter=f"sealed:{secrets.token_hex(16)}",
            **row,
        )
        for row in rows
    )


def close_due_decisions(*, now: datetime | None = None) -> int:
    """Close every vote whose deadline has passed. Run periodically
    (``manage.py decisions_tick``, or the task ``decisions.tick``)."""
    now = now or timezone.now()
    due = Decision.objects.filter(status=DecisionStatus.VOTING, closes_at__lte=now)
    count = 0
    for decision in due.only("pk"):
        close(decision=decision, now=now)
        count += 1
    return count


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind those who have not voted, once, ``REMIND_BEFORE`` the close.
    Returns how many decisions reminded."""
    now = now or timezone.now()
    due = Decision.objects.filter(
        status=DecisionStatus.VOTING,
        reminded_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_BEFORE,
    )
    count = 0
    for decision in due:
        with transaction.atomic():
            locked = Decision.objects.select_for_update().get(pk=decision.pk)
            if locked.reminded_at is not None:
                continue
            voters = electorate(locked.partnership, locked.voters)
            voted = set(
                Participation.objects.filter(decision=locked).values_list("voter", flat=True)
            )
            notices.reminder(locked, set(voters) - voted)
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            count += 1
    return count


def tick(*, now: datetime | None = None) -> tuple[int, int]:
    """The periodic work: close what is due, then remind."""
    return close_due_decisions(now=now), send_reminders(now=now)


# --- The outcome -----------------------------------------------------------------------


@transaction.atomic
def record_outcome(
    *, by: Any, decision: Decision, outcome: Mapping[str, str], result: str = ""
) -> Decision:
    """The outcome statement: the text the partnership adopts with the result.
    For a facilitator-led type, the facilitator also records the result
    (``passed`` or ``not_passed``); for a vote, the tally gave it, and the
    statement is written once the vote has closed."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    member = _member(by, decision.partnership)
    if member is None or member.role != Role.FACILITATOR:
        raise ServiceError(_("A facilitator records the outcome."), field="outcome")
    texts = clean_texts(outcome)
    if not texts:
        raise ServiceError(_("Write the outcome statement."), field="outcome")
    require_first(texts, decision.partnership, prefix="outcome")
    _too_long(texts, TEXT_MAX, "outcome")
    fields = ["outcome"]
    if decision.status == DecisionStatus.PROPOSED:
        rule = charter_link.rule_for(decision.partnership, decision.kind)
        if rule is None or rule.takes_ballots:
            raise ServiceError(
                _("This decision is taken by a vote: its outcome follows the close."),
                field="result",
            )
        if result not in (DecisionStatus.PASSED, DecisionStatus.NOT_PASSED):
            raise ServiceError(_("Say whether the decision passed."), field="result")
        _copy_rule(decision, rule)
        decision.status = result
        decision.closed_at = timezone.now()
        fields += ["status", "closed_at", "rule", "voters", "secret"]
    elif decision.status not in CLOSED:
        raise ServiceError(
            _("The outcome statement is written once the vote has closed."), field="outcome"
        )
    elif result and result != decision.status:
        raise ServiceError(_("The result of a vote is the tally's, not a choice."), field="result")
    decision.outcome = texts
    save_audited(decision, actor=by, update_fields=fields)
    if "status" in fields:
        if decision.status == DecisionStatus.PASSED:
            effects.apply(decision, by=by)
        notices.closed(decision)
    return decision


# --- For the charter (decisions.hooks registers it) ------------------------------------


def passed(partnership: Partnership, reference: str, kind: str) -> bool:
    """Whether ``reference`` names a passed decision of ``kind`` in ``partnership``."""
    try:
        public_id = uuid.UUID(str(reference))
    except ValueError:  # a malformed reference is no decision
        return False
    return Decision.objects.filter(
        partnership=partnership, public_id=public_id, kind=kind, status=DecisionStatus.PASSED
    ).exists()
