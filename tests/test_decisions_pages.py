"""The decisions' pages: the log and its filters, a proposal through its
form, voting and the outcome through the pages, another partnership's ids,
query counts constant in data size, the journey, the step's checks, the
public log and its feed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from charter.rules import DecisionKind, Method
from decisions import services
from decisions.models import Decision, DecisionStatus
from partnerships import services as partnership_services
from partnerships.journey import results, to_do
from partnerships.models import Member, Step
from partnerships.stepper import step_checks
from tests.conftest import World
from tests.decisions_helpers import (
    charter_in_force,
    community_rep,
    partners_rule,
    proposal,
)


def url(world: World, name: str, *args: Any) -> str:
    return reverse(f"decisions:{name}", args=[world.own.slug, *args])


@pytest.fixture
def charter(world: World) -> None:
    charter_in_force(world, general=partners_rule(Method.CONSENT))


def test_it_proposes_through_the_page_in_the_first_working_language(
    world: World, charter: None
) -> None:
    client = world.client_for("company_rep")
    page = client.get(url(world, "create"))
    assert page.status_code == 200
    refused = client.post(url(world, "create"), {"kind": "general", "title_en": "Only English"})
    assert refused.status_code == 200 and not Decision.objects.exists()
    assert "title_es" in refused.context["form"].errors
    done = client.post(
        url(world, "create"),
        {"kind": "general", "title_es": "Un puesto de salud", "body_es": "En Nogalito."},
    )
    decision = Decision.objects.get()
    assert done["Location"] == url(world, "detail", decision.public_id)
    assert decision.title == {"es": "Un puesto de salud"} and decision.body == {
        "es": "En Nogalito."
    }


def test_it_tells_a_participant_their_role_may_not_propose(world: World, charter: None) -> None:
    page = world.client_for("participant").get(url(world, "create")).content.decode()
    assert "your role may not propose" in page and '<form method="post"' not in page


def test_it_runs_a_vote_through_the_pages(world: World, charter: None) -> None:
    decision = proposal(world)
    facilitator, rep = world.client_for("facilitator"), world.client_for("company_rep")
    facilitator.post(url(world, "open", decision.public_id))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.VOTING
    # An objection without its reason: a message, nothing counted.
    response = rep.post(url(world, "vote", decision.public_id), {"choice": "object"}, follow=True)
    assert "needs its reason" in response.content.decode()
    assert not decision.ballots.exists()
    rep.post(url(world, "vote", decision.public_id), {"choice": "agree"})
    page = rep.get(url(world, "detail", decision.public_id)).content.decode()
    assert "Your ballot is counted" in page and "Change my vote" in page
    # Observers and participants (partners vote here) get no ballot.
    page = world.client_for("participant").get(url(world, "detail", decision.public_id))
    assert 'name="choice"' not in page.content.decode()
    services.close(decision=decision)
    outcome = facilitator.post(
        url(world, "outcome", decision.public_id), {"outcome_es": "Se construirá en 2027."}
    )
    assert outcome.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == {"es": "Se construirá en 2027."}
    page = rep.get(url(world, "detail", decision.public_id)).content.decode()
    assert "Se construirá en 2027." in page and "Ballots by partner type" in page


def test_it_answers_another_partnerships_decision_with_a_404(world: World, charter: None) -> None:
    decision = proposal(world)
    foreign = world.client_for("foreign_facilitator")
    slug = world.foreign.slug
    for name in ("detail", "outcome"):
        assert (
            foreign.get(reverse(f"decisions:{name}", args=[slug, decision.public_id])).status_code
            == 404
        )
    for name in ("open", "vote", "withdraw"):
        response = foreign.post(reverse(f"decisions:{name}", args=[slug, decision.public_id]))
        assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED


def test_it_filters_the_log_by_status_and_type(world: World, charter: None) -> None:
    first = proposal(world)
    services.open_vote(by=world.facilitator, decision=proposal(world))
    services.record_outcome(
        by=world.facilitator,
        decision=proposal(world, kind=DecisionKind.OPERATIONAL),
        outcome={"es": "Hecho."},
        result="passed",
    )
    client = world.client_for("observer")
    voting = client.get(url(world, "list"), {"status": "voting"})
    assert voting.context["page"].paginator.count == 1
    operational = client.get(url(world, "list"), {"kind": "operational"})
    assert [d.kind for d in operational.context["page"]] == ["operational"]
    assert client.get(url(world, "list")).context["page"].paginator.count == 3
    assert first.label in client.get(url(world, "list")).content.decode()


def _queries(world: World, path: str, django_assert_max_num_queries: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for("company_rep")
    client.get(path)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_it_reads_the_log_and_a_decision_in_queries_constant_in_data_size(
    world: World, charter: None, django_assert_max_num_queries: Any
) -> None:
    from discussion import services as talk

    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    detail = url(world, "detail", decision.public_id)
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    talk.post_comment(by=world.facilitator, partnership=world.own, target=decision, body="Uno")
    small = (_queries(world, url(world, "list"), None), _queries(world, detail, None))
    community = community_rep(world)
    for n in range(12):
        services.propose(
            by=world.facilitator, partnership=world.own, kind="general", title={"es": f"Más {n}"}
        )
    services.vote(by=community, decision=decision, choice="agree")
    for n in range(6):
        talk.post_comment(
            by=world.facilitator, partnership=world.own, target=decision, body=f"Comentario {n}"
        )
    big = (_queries(world, url(world, "list"), None), _queries(world, detail, None))
    assert big == small
    assert big[1] <= 20


def test_it_asks_a_representative_to_vote_on_their_journey_until_they_have(
    world: World, charter: None
) -> None:
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    rep = Member.objects.get(partnership=world.own, user=world.company_rep)
    participant = Member.objects.get(partnership=world.own, user=world.participant)
    assert [item.action for item in to_do(rep) if "Vote" in item.action] == [
        "Vote on this proposal"
    ]
    assert not [item for item in to_do(participant) if "Vote" in item.action]
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    assert not [item for item in to_do(rep) if "Vote" in item.action]
    services.close(decision=decision)
    assert any(item.title == decision.label for item in results(rep))


def test_it_checks_step_five_from_the_decisions_taken(world: World, charter: None) -> None:
    def decision_checks() -> list[bool]:
        return [
            c.done for c in step_checks(world.own, Step.STRATEGIES) if "ecision" in str(c.label)
        ]

    assert decision_checks() == [False, False]
    services.record_outcome(
        by=world.facilitator,
        decision=proposal(world, kind=DecisionKind.OPERATIONAL),
        outcome={"es": "Hecho."},
        result="passed",
    )
    # The starter's communication plan publishes the decision log.
    assert decision_checks() == [True, True]


def test_it_publishes_the_log_and_its_feed_only_for_a_published_partnership(
    world: World, charter: None
) -> None:
    services.record_outcome(
        by=world.facilitator,
        decision=proposal(world, kind=DecisionKind.OPERATIONAL),
        outcome={"es": "Se arregla la vía."},
        result="passed",
    )
    kept = services.propose(  # still under discussion: never public
        by=world.facilitator, partnership=world.own, kind="general", title={"es": "Sin votar"}
    )
    public = Client()
    log = reverse("decisions:public_log", args=[world.own.slug])
    feed = reverse("decisions:public_feed", args=[world.own.slug])
    assert public.get(log).status_code == 404 and public.get(feed).status_code == 404
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    page = public.get(log).content.decode()
    assert "Se arregla la vía." in page and kept.label not in page
    atom = public.get(feed)
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Se arregla la vía." in atom.content.decode()
    assert kept.label not in atom.content.decode()
    portal = public.get(reverse("portal:partnership", args=[world.own.slug])).content.decode()
    assert "Fix the road to Nogalito" in portal  # the reader's language where written


def test_it_keeps_the_log_inside_when_the_charter_does_not_publish_it(
    world: World, charter: None
) -> None:
    from charter.models import PlanRow

    PlanRow.objects.filter(partnership=world.own, what="decisions").delete()
    services.record_outcome(
        by=world.facilitator,
        decision=proposal(world, kind=DecisionKind.OPERATIONAL),
        outcome={"es": "Interno."},
        result="passed",
    )
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    page = Client().get(reverse("decisions:public_log", args=[world.own.slug])).content.decode()
    assert "Interno." not in page and "No decision has been published yet." in page


def test_it_speaks_spanish(world: World, charter: None) -> None:
    from django.utils import translation

    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    client = world.client_for("company_rep")
    with translation.override("es"):
        page = client.get(url(world, "detail", decision.public_id), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert "Arreglar la vía a Nogalito" in text
    assert "Emitir mi voto" in text


def test_it_gives_the_demo_its_decisions_once(world: World, charter: None) -> None:
    from decisions.demo import extend_demo

    users = {"facilitadora": world.facilitator, "empresa": world.company_rep}
    extend_demo(world.own, users)
    statuses = sorted(Decision.objects.values_list("status", flat=True))
    assert statuses == ["passed", "passed", "proposed", "voting"]
    taken = Decision.objects.get(title__es="Mantenimiento compartido de la vía a Nogalito")
    assert taken.outcome_text and taken.result["by_type"]
    extend_demo(world.own, users)
    assert Decision.objects.count() == 4
