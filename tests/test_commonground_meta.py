"""A statement about the conversation itself ("meta", issue 11) is never ranked: not as
what sets a group apart, not as consensus, not as bridging, even when everyone agrees."""

from __future__ import annotations

from commonground import analysis, services
from commonground.models import AnalysisState, Statement, StatementStatus
from tests.conftest import World
from tests.test_commonground_groups import UNITE, split_conversation


def test_it_never_ranks_a_meta_statement_as_consensus_or_bridging(world: World) -> None:
    c = split_conversation(world)
    before = analysis.analyse(c.pk)
    assert before is not None and before.state == AnalysisState.GROUPS
    numbers = {s.pk: s.number for s in Statement.objects.filter(conversation=c)}
    assert {numbers[b["statement"]] for b in before.data["bridging"]} == set(UNITE)
    # The facilitator sets aside the statement everyone agrees with as about the conversation.
    meta = Statement.objects.get(conversation=c, number=UNITE[0])
    services.moderate(by=world.facilitator, statement=meta, status=StatementStatus.META)
    after = analysis.analyse(c.pk)
    assert after is not None and after.state == AnalysisState.GROUPS
    engine = after.data["engine"]
    assert engine["meta"] == [meta.pk]
    ranked = {b["statement"] for b in after.data["bridging"]}
    ranked |= {b["statement"] for b in engine["bridging"]}
    ranked |= {item["statement"] for item in engine["consensus"]}
    ranked |= {item["statement"] for group in engine["representative"].values() for item in group}
    ranked |= {item["statement"] for item in after.data["published"]["consensus"]}
    assert meta.pk not in ranked
    assert {numbers[b["statement"]] for b in after.data["bridging"]} == set(UNITE[1:])
