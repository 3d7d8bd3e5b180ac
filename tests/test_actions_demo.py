"""The demo partnership's actions: a strategy answers a threat; two actions
serve the adopted goal on roads, with commitments from the company, the
mayor's office and a community association; one is delivered and confirmed
by another partner type; the goal's progress and the portal show them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions import progress
from actions.models import Action, Commitment, GoalProgress, Strategy
from partnerships.management.commands.demo import MAIN
from partnerships.models import Partnership, PartnerType


@pytest.mark.usefixtures("demo_once")
@pytest.mark.django_db
def test_it_fills_the_checklist_in_the_demo() -> None:
    brumaverde = Partnership.objects.get(name=MAIN)
    protection = Strategy.objects.get(partnership=brumaverde, kind="protection")
    assert protection.threats.exists()
    goal_actions = Action.objects.filter(
        partnership=brumaverde, parent=None, goals__status="adopted"
    )
    assert goal_actions.count() == 2
    types = set(
        Commitment.objects.filter(partnership=brumaverde).values_list("partner_type", flat=True)
    )
    assert {PartnerType.COMPANY, PartnerType.GOVERNMENT, PartnerType.COMMUNITY} <= types
    confirmed = Commitment.objects.get(partnership=brumaverde, status="confirmed")
    assert confirmed.confirmed_by_type != confirmed.partner_type
    goal = goal_actions.first().goals.get()  # type: ignore[union-attr]
    kept = GoalProgress.objects.get(goal=goal)
    assert 0 < kept.progress < 1000
    progress.recompute_goals([goal.pk])
    assert GoalProgress.objects.get(goal=goal).progress == kept.progress
    if brumaverde.is_published:
        page = (
            Client(HTTP_ACCEPT_LANGUAGE="es")
            .get(reverse("portal:partnership", args=[brumaverde.slug]))
            .content.decode()
        )
        assert "Limpiar cunetas" in page
