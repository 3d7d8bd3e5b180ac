"""The demo partnership's step 3: a conversation whose opinion groups are the
company's and the community's camps, with statements that bridge them, and
goals in each state of endorsement."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from commonground.analysis import latest
from commonground.models import Conversation
from goals.demo import PARTICIPANTS, extend_demo
from goals.models import CollectiveGoal, GoalStatus, SdgTarget
from partnerships.management.commands.demo import DEMO_EXTENSIONS, MAIN
from tests.sample_data import TEST_DATA


@pytest.mark.django_db
def test_it_loads_a_conversation_and_goals_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The SDG titles the demo loads when the sample data is there: the test copy.
    monkeypatch.setenv("HSBP_SAMPLE_DATA", str(TEST_DATA))
    assert DEMO_EXTENSIONS.count(extend_demo) == 1
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # idempotent
    conversation = Conversation.objects.get(partnership__name=MAIN)
    assert conversation.participant_count == PARTICIPANTS
    found = latest(conversation)
    assert found is not None and found.data["engine"]["group_count"] >= 2
    assert found.data["bridging"], "the camps share some statements"
    statuses = sorted(CollectiveGoal.objects.values_list("status", flat=True))
    assert statuses == sorted([GoalStatus.ADOPTED, GoalStatus.UNDER_ENDORSEMENT, GoalStatus.DRAFT])
    assert SdgTarget.objects.count() == 169
    adopted = CollectiveGoal.objects.get(status=GoalStatus.ADOPTED)
    assert {t.code for t in adopted.sdg_targets.all()} == {"9.1", "11.2"}
