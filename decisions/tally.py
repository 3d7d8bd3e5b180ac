"""The tally: a rule, the ballots and the electorate in, an outcome out.

Pure: no database, no request, no clock. The services hand it what they read
and store what it says; the tests call it directly, method by method. It
counts **by partner type** first, because that is what the partnership reads
(a majority that every community member voted against must be visible as
such), and derives the totals from those rows.

What each method asks (``charter.rules`` holds the words; this is the sum):

- every method with ballots first needs its **quorum**: the ballots cast,
  abstentions included, are at least ``quorum_percent`` of the electorate. A
  vote that misses it is "quorum not met", never "not passed": the two mean
  different things to the partners (nobody came / they came and said no);
- ``consensus``: no objection (a block), and every partner type in the
  electorate has at least one voter in favour; abstaining and disagreeing do
  not block;
- ``consent``: no objection stands (objections always carry a reason);
- ``majority``: agree is more than ``threshold_percent`` of the ballots that
  are not abstentions (abstention is counted apart, not as a no);
- ``one_per_type``: the same, over the partner types' ballots.

Only ballots of voters still in the electorate at the close count: a partner
that left after voting no longer decides for the partnership.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from charter.rules import DecisionRule, Method

# A member who represents no partner is counted under this partner type key.
NO_PARTNER = ""


class Choice(enum.StrEnum):
    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    OBJECT = "object"


class Result(enum.StrEnum):
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    QUORUM_NOT_MET = "quorum_not_met"


CHOICES = tuple(Choice)
_VALUES = frozenset(c.value for c in Choice)


def choices_for(rule: DecisionRule) -> tuple[Choice, ...]:
    """The choices a ballot offers under ``rule``: an objection (a block) only
    where the method gives it weight of its own (consensus, consent)."""
    if rule.method in (Method.CONSENSUS, Method.CONSENT):
        return CHOICES
    return (Choice.AGREE, Choice.ABSTAIN, Choice.DISAGREE)


@dataclass(frozen=True)
class Ballot:
    voter: str  # the voter's key (a partner, a partner type or a member)
    partner_type: str
    choice: str
    reason: str = ""


@dataclass
class TypeRow:
    partner_type: str
    electorate: int = 0
    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    object: int = 0

    @property
    def cast(self) -> int:
        return self.agree + self.abstain + self.disagree + self.object

    def as_data(self) -> dict[str, Any]:
        return {
            "partner_type": self.partner_type,
            "electorate": self.electorate,
            **{c.value: getattr(self, c.value) for c in CHOICES},
        }


@dataclass
class Outcome:
    result: Result
    quorum_met: bool
    electorate: int
    cast: int
    by_type: list[TypeRow] = field(default_factory=list)
    # The objections' reasons (never who wrote them).
    objections: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.result == Result.PASSED

    def total(self, choice: str) -> int:
        return sum(getattr(row, choice) for row in self.by_type)

    def as_data(self) -> dict[str, Any]:
        return {
            "result": self.result.value,
            "quorum_met": self.quorum_met,
            "electorate": self.electorate,
            "cast": self.cast,
            "by_type": [row.as_data() for row in self.by_type],
            "objections": list(self.objections),
        }


def tally(rule: DecisionRule, ballots: Iterable[Ballot], electorate: Mapping[str, str]) -> Outcome:
    """``electorate``: voter key -> partner type, everyone who may vote at
    the close. ``ballots``: at most one per voter (the service keeps one
    counting ballot per voter; a later one of the same voter here wins)."""
    counting: dict[str, Ballot] = {}
    for ballot in ballots:
        if ballot.voter in electorate and ballot.choice in _VALUES:
            counting[ballot.voter] = ballot
    rows: dict[str, TypeRow] = {}
    for partner_type in electorate.values():
        rows.setdefault(partner_type, TypeRow(partner_type)).electorate += 1
    for ballot in counting.values():
        # Counted under the type the electorate gives now, not the one voted under.
        row = rows[electorate[ballot.voter]]
        setattr(row, ballot.choice, getattr(row, ballot.choice) + 1)
    by_type = [rows[k] for k in sorted(rows, key=_type_order)]
    size, cast = len(electorate), len(counting)
    quorum_met = size > 0 and cast * 100 >= rule.quorum_percent * size
    # Sorted: the order of the ballots must say nothing of who wrote which.
    objections = sorted(b.reason for b in counting.values() if b.choice == Choice.OBJECT)
    outcome = Outcome(Result.QUORUM_NOT_MET, quorum_met, size, cast, by_type, objections)
    if quorum_met:
        outcome.result = Result.PASSED if _passes(rule, outcome) else Result.NOT_PASSED
    return outcome


def _passes(rule: DecisionRule, outcome: Outcome) -> bool:
    agree, objected = outcome.total(Choice.AGREE), outcome.total(Choice.OBJECT)
    if rule.method == Method.CONSENSUS:
        return objected == 0 and all(row.agree > 0 for row in outcome.by_type)
    if rule.method == Method.CONSENT:
        return objected == 0
    if rule.method in (Method.MAJORITY, Method.ONE_PER_TYPE):
        deciding = agree + outcome.total(Choice.DISAGREE) + objected
        return deciding > 0 and agree * 100 > rule.threshold_percent * deciding
    return False  # facilitator-led decisions have no tally: the facilitator records them


# Partner types in the order the platform lists them; members without a partner last.
_ORDER = ("company", "community", "government", "civil_society", "facilitator")


def _type_order(partner_type: str) -> tuple[int, str]:
    if partner_type in _ORDER:
        return (_ORDER.index(partner_type), partner_type)
    return (len(_ORDER) + (1 if partner_type == NO_PARTNER else 0), partner_type)
