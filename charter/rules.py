"""A decision rule, as data: how one type of decision is taken.

The charter a partnership adopted holds one rule per decision type (its
versions store them as JSON, ``DecisionRule.as_data``); code reads the rule
in force and never hard-codes one. This module is pure: no database, so the
decisions room, the goals' adoption hook and the tests all read one shape.

The methods (Framework step 5, "how decisions will be taken"):

- ``consensus``: passes when no voter objects and every voting partner type
  has at least one voter in favour (abstentions do not block).
- ``consent``: passes unless a reasoned objection stands at the close.
- ``majority``: passes when, the quorum met, more than ``threshold_percent``
  of the ballots that are not abstentions are in favour.
- ``one_per_type``: each partner type present casts one vote (its partners
  agree it among themselves); passes when more than ``threshold_percent`` of
  the types vote in favour.
- ``facilitator``: operational matters; the facilitator decides and records
  the outcome; no ballot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Method(models.TextChoices):
    CONSENSUS = "consensus", gettext_lazy("Consensus")
    CONSENT = "consent", gettext_lazy("Consent (passes unless a reasoned objection stands)")
    MAJORITY = "majority", gettext_lazy("Majority with a quorum")
    ONE_PER_TYPE = "one_per_type", gettext_lazy("One vote per partner type")
    FACILITATOR = "facilitator", gettext_lazy("Facilitator-led (operational matters)")


class Voters(models.TextChoices):
    # One ballot per partner, cast by one of its representatives.
    PARTNERS = "partners", gettext_lazy("Partners (one ballot each)")
    # One ballot per partner type present.
    PARTNER_TYPES = "partner_types", gettext_lazy("Partner types (one ballot each)")
    # Every member of the partnership with a vote: facilitators, representatives, participants.
    MEMBERS = "members", gettext_lazy("Members (one ballot each)")


class DecisionKind(models.TextChoices):
    """The decision types every charter names a rule for. A charter may add
    its own types (any other code); these are the ones the platform acts on."""

    CHARTER_AMENDMENT = "charter_amendment", gettext_lazy("Amending the charter")
    GOAL_ADOPTION = "goal_adoption", gettext_lazy("Adopting a collective goal")
    PARTNER_ADMISSION = "partner_admission", gettext_lazy("Admitting a new partner")
    BUDGET = "budget", gettext_lazy("Spending from a budget")
    OPERATIONAL = "operational", gettext_lazy("Operational matters")
    GENERAL = "general", gettext_lazy("Other decisions")


# Who may put a proposal forward: role values of partnerships.models.Role.
ROLES = ("facilitator", "partner_representative", "participant", "observer")


@dataclass(frozen=True)
class DecisionRule:
    method: str = Method.CONSENSUS
    voters: str = Voters.PARTNERS
    proposers: tuple[str, ...] = ("facilitator", "partner_representative")
    # Share of the electorate that must cast a ballot (abstentions count
    # towards the quorum); 1-100.
    quorum_percent: int = 50
    # Share in favour needed by ``majority`` and ``one_per_type``, strictly
    # more than this; 50 is a simple majority.
    threshold_percent: int = 50
    # Days from the opening of the vote to its close.
    deadline_days: int = 14
    # Ballots are secret: nobody, facilitators included, sees who voted how,
    # and no result shows before the close.
    secret: bool = False
    # The tally shows each voter's ballot after the close (never with secret).
    public_by_voter: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def problems(self) -> dict[str, str]:
        """What is wrong with the rule, by field, in the reader's language."""
        found: dict[str, str] = {}
        if self.method not in Method.values:
            found["method"] = _("Unknown decision method.")
        if self.voters not in Voters.values:
            found["voters"] = _("Unknown kind of voter.")
        if not self.proposers or any(r not in ROLES for r in self.proposers):
            found["proposers"] = _("Name at least one role that may propose, and only known roles.")
        if not 1 <= self.quorum_percent <= 100:
            found["quorum_percent"] = _("The quorum is a share between 1 % and 100 %.")
        if not 0 <= self.threshold_percent <= 99:
            found["threshold_percent"] = _("The threshold is a share between 0 % and 99 %.")
        if not 1 <= self.deadline_days <= 365:
            found["deadline_days"] = _("The vote lasts between 1 and 365 days.")
        if self.secret and self.public_by_voter:
            found["public_by_voter"] = _(
                "A secret ballot cannot show how each voter voted: choose one or the other."
            )
        if self.method == Method.ONE_PER_TYPE and self.voters != Voters.PARTNER_TYPES:
            found["voters"] = _("One vote per partner type means partner types vote.")
        return found

    @property
    def takes_ballots(self) -> bool:
        return self.method != Method.FACILITATOR

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["proposers"] = list(self.proposers)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> DecisionRule:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        if "proposers" in values:
            values["proposers"] = tuple(values["proposers"])
        return cls(**values)


# A partnership with no charter in force: goals keep the strictest reading of
# "endorsed by each partner type" (goals.services), and any other decision
# needs a charter first.
