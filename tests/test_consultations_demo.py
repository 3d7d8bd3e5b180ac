"""The demo consultation: a completed questionnaire of every kind of question,
a few thousand synthetic responses that differ by group, two sessions."""

from __future__ import annotations

from django.db.models import Avg, Count

from baseline.models import Threat
from consultations.demo import SESSIONS, WEB_RESPONSES, extend_demo
from consultations.models import (
    Answer,
    Channel,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    Session,
)
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from tests.conftest import World


def test_it_loads_a_completed_consultation_once(world: World) -> None:
    assert DEMO_EXTENSIONS.count(extend_demo) == 1
    for i in range(6):
        Threat.objects.create(partnership=world.own, title=f"Demo threat {i}")
    extend_demo(world.own, {"facilitadora": world.facilitator})
    extend_demo(world.own, {"facilitadora": world.facilitator})
    q = Questionnaire.objects.get(partnership=world.own)
    assert q.status == "closed"
    kinds = set(Question.objects.filter(version=q.current_version).values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)
    assert Question.objects.filter(version=q.current_version).count() == 12
    total = WEB_RESPONSES + sum(forms for _p, forms, _g in SESSIONS)
    q.refresh_from_db()
    assert q.response_count == total == Response.objects.filter(questionnaire=q).count()
    assert Session.objects.filter(questionnaire=q).count() == 2
    assert (
        Response.objects.filter(questionnaire=q, channel=Channel.FACILITATED).count()
        == total - WEB_RESPONSES
    )
    assert not Response.objects.filter(questionnaire=q, member__isnull=False).exists()
    # Women feel less safe than men: the groups differ.
    safety = dict(
        Answer.objects.filter(question__key="safety", response__questionnaire=q)
        .values_list("response__gender")
        .annotate(a=Avg("number"))
    )
    assert safety["woman"] < safety["man"] - 0.3
    heard = set(Response.objects.filter(questionnaire=q).values_list("segment__code", flat=True))
    assert "migrants" not in heard and "women" in heard
    grid = Answer.objects.filter(question__key="threats", response__questionnaire=q).aggregate(
        n=Count("id")
    )
    assert grid["n"] > total * 4
