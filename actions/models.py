"""The records of this room, in four modules beneath this one (so that each
stays readable); this module hands them on, to Django and to importers."""

from actions.models_actions import (
    FULL,
    MAX_DEPTH,
    MAX_WEIGHT,
    OPEN,
    WITH_REASON,
    Action,
    ActionKind,
    ActionStatus,
    GoalProgress,
    Milestone,
)
from actions.models_budget import BudgetLine, Spending
from actions.models_commitments import Commitment, CommitmentKind, CommitmentStatus
from actions.models_strategy import Strategy, StrategyKind

__all__ = [
    "FULL",
    "MAX_DEPTH",
    "MAX_WEIGHT",
    "OPEN",
    "WITH_REASON",
    "Action",
    "ActionKind",
    "ActionStatus",
    "BudgetLine",
    "Commitment",
    "CommitmentKind",
    "CommitmentStatus",
    "GoalProgress",
    "Milestone",
    "Spending",
    "Strategy",
    "StrategyKind",
]
