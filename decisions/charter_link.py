"""What this room reads from the charter in force, in one place: the decision
types and their rules, and whether the communication plan publishes the log.

The charter room (floor 8) is below this one, so it is imported directly; the
charter learns of decisions only through the check this room registers in
``charter.hooks`` (``decisions.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass

from charter import services as charter
from charter.models import Audience, CharterStatus, PlanRow, Published
from charter.rules import DecisionRule, Method, Voters
from partnerships.models import Partnership


@dataclass(frozen=True)
class DecisionType:
    code: str
    label: str
    rule: DecisionRule

    @property
    def method_label(self) -> str:
        return method_label(self.rule)


def decision_types(partnership: Partnership) -> list[DecisionType]:
    """The charter in force's decision types (none without a charter)."""
    return [DecisionType(t.code, str(t.label), t.rule) for t in charter.decision_types(partnership)]


def rule_for(partnership: Partnership, kind: str) -> DecisionRule | None:
    return charter.rule_for(partnership, kind)


def publishes_decisions(partnership: Partnership) -> bool:
    """Whether the communication plan of the charter in force puts the
    decision log on the public portal. One query."""
    return PlanRow.objects.filter(
        partnership=partnership,
        version__status=CharterStatus.IN_FORCE,
        what=Published.DECISIONS,
        audience=Audience.PUBLIC,
    ).exists()


def method_label(rule: DecisionRule) -> str:
    try:
        return str(Method(rule.method).label)
    except ValueError:
        return rule.method


def voters_label(rule: DecisionRule) -> str:
    try:
        return str(Voters(rule.voters).label)
    except ValueError:
        return rule.voters
