"""The charter's one registry: whether a decision passed.

The decisions room stands a floor above the charter, so the charter cannot
ask it directly. It registers a check here from its ``AppConfig.ready()``:
``fn(partnership, decision_reference, kind) -> bool``, true when that
decision exists in that partnership, is of that decision type and passed.
An amendment of the charter, a partner's admission under an entry rule and
spending above an approver's limit need such a decision: with no check
registered, or none confirming, they are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DecisionCheck = Callable[[Any, str, str], bool]
_DECISION_CHECKS: list[DecisionCheck] = []


def register_decision_check(fn: DecisionCheck) -> DecisionCheck:
    _DECISION_CHECKS.append(fn)
    return fn


def decision_passed(partnership: Any, decision_reference: str, kind: str) -> bool:
    reference = (decision_reference or "").strip()
    return bool(reference) and any(fn(partnership, reference, kind) for fn in _DECISION_CHECKS)
