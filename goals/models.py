"""Step 3: collective goals, and the UN Sustainable Development Goals they align with.

Two modules hold them, one importing the other: ``models_sdg`` (the SDG
taxonomy, shared by every partnership) and ``models_goals`` (collective goals,
their versions and endorsements, which link to SDG targets). Django looks for
an app's models here, and the rest of the code imports them from here; this
module defines nothing.
"""

from goals.models_goals import (
    CollectiveGoal,
    Endorsement,
    GoalStatus,
    GoalVersion,
    Position,
)
from goals.models_sdg import (
    SDG_GOALS,
    IndicatorStatus,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    indicator_position,
    target_position,
)

__all__ = [
    "SDG_GOALS",
    "CollectiveGoal",
    "Endorsement",
    "GoalStatus",
    "GoalVersion",
    "IndicatorStatus",
    "Position",
    "SdgGoal",
    "SdgIndicator",
    "SdgTarget",
    "indicator_position",
    "target_position",
]
