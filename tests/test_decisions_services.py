"""A decision's life through its services: propose, open, vote, close, the
outcome; every refusal with its message and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from charter import services as charter
from charter.models import CharterStatus, CharterVersion
from charter.rules import DecisionKind, DecisionRule, Method, Voters
from decisions import services
from decisions.models import Ballot, Decision, DecisionLink, DecisionStatus, Participation
from notifications.models import Notification
from partnerships import services as partnership_services
from partnerships.errors import ServiceError
from partnerships.models import AuditEntry, Partner, PartnerType
from tests.conftest import World
from tests.decisions_helpers import (
    GENERAL,
    charter_in_force,
    community_rep,
    partners_rule,
    proposal,
    rep_of,
)


def refused(call: object, field: str | None = None, **kwargs: object) -> str:
    """Call a service expecting a refusal; nothing of the room written meanwhile."""
    counts = (Decision.objects.count(), Ballot.objects.count(), Participation.objects.count())
    with pytest.raises(ServiceError) as error:
        call(**kwargs)  # type: ignore[operator]
    assert (
        Decision.objects.count(),
        Ballot.objects.count(),
        Participation.objects.count(),
    ) == counts
    if field is not None:
        assert error.value.field == field
    return str(error.value.message)


# --- Proposing -------------------------------------------------------------------------


def test_it_needs_a_charter_in_force_to_propose(world: World) -> None:
    message = refused(
        services.propose,
        "kind",
        by=world.facilitator,
        partnership=world.own,
        kind=GENERAL,
        title={"es": "Algo"},
    )
    assert "charter" in message


def test_it_lets_only_the_roles_the_rule_names_propose(world: World) -> None:
    charter_in_force(world, general=partners_rule(proposers=("facilitator",)))
    message = refused(
        services.propose,
        "kind",
        by=world.company_rep,
        partnership=world.own,
        kind=GENERAL,
        title={"es": "Algo"},
    )
    assert "role" in message
    assert proposal(world).status == DecisionStatus.PROPOSED


def test_it_asks_for_the_title_in_the_first_working_language(world: World) -> None:
    charter_in_force(world)
    refused(
        services.propose,
        "title_es",
        by=world.facilitator,
        partnership=world.own,
        kind=GENERAL,
        title={"en": "Only English"},
    )
    refused(
        services.propose,
        "kind",
        by=world.facilitator,
        partnership=world.own,
        kind="no_such_type",
        title={"es": "Algo"},
    )


def test_it_refuses_to_link_another_partnerships_record(world: World) -> None:
    charter_in_force(world)
    refused(
        services.propose,
        "links",
        by=world.facilitator,
        partnership=world.own,
        kind=GENERAL,
        title={"es": "Algo"},
        link_to=[("partner", world.foreign_partner.public_id)],
    )
    decision = proposal(world, link_to=[("partner", world.community.public_id)])
    assert DecisionLink.objects.get(decision=decision).label == "Test community group"


# --- Opening ---------------------------------------------------------------------------


def test_it_opens_the_vote_for_the_proposer_or_a_facilitator_only(world: World) -> None:
    charter_in_force(world, general=partners_rule())
    decision = proposal(world, by=world.company_rep)
    refused(services.open_vote, "status", by=world.participant, decision=decision)
    opened = services.open_vote(by=world.company_rep, decision=decision)
    assert opened.status == DecisionStatus.VOTING
    assert opened.closes_at - opened.opened_at == timedelta(days=14)


def test_it_keeps_the_rule_of_the_opening_when_the_charter_changes(world: World) -> None:
    version = charter_in_force(world, general=partners_rule(deadline_days=3, quorum_percent=50))
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    rules = dict(version.rules)
    rules[GENERAL] = partners_rule(deadline_days=30, quorum_percent=100, secret=True).as_data()
    CharterVersion.objects.filter(pk=version.pk).update(rules=rules)
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    decision.refresh_from_db()
    assert decision.decision_rule.quorum_percent == 50 and not decision.secret
    closed = services.close(decision=decision)
    # One of two partners voted: 50 % meets the quorum copied at the opening.
    assert closed.status == DecisionStatus.PASSED


def test_it_records_a_facilitator_led_outcome_without_a_ballot(world: World) -> None:
    charter_in_force(world)
    decision = proposal(world, kind=DecisionKind.OPERATIONAL)
    refused(services.open_vote, "status", by=world.facilitator, decision=decision)
    refused(
        services.record_outcome,
        "result",
        by=world.facilitator,
        decision=decision,
        outcome={"es": "Se hará."},
    )
    done = services.record_outcome(
        by=world.facilitator, decision=decision, outcome={"es": "Se hará."}, result="passed"
    )
    assert done.status == DecisionStatus.PASSED and done.outcome == {"es": "Se hará."}
    assert not Ballot.objects.exists()


# --- Voting ----------------------------------------------------------------------------


@pytest.fixture
def voting(world: World) -> Decision:
    charter_in_force(world, general=partners_rule(Method.CONSENT))
    return services.open_vote(by=world.facilitator, decision=proposal(world))


def test_it_refuses_a_vote_after_the_deadline(world: World, voting: Decision) -> None:
    late = voting.closes_at + timedelta(seconds=1)
    message = refused(
        services.vote, "choice", by=world.company_rep, decision=voting, choice="agree", now=late
    )
    assert "deadline" in message


def test_it_refuses_a_vote_from_a_non_member(world: World, voting: Decision) -> None:
    assert "members" in refused(
        services.vote, "choice", by=world.outsider, decision=voting, choice="agree"
    )
    assert "vote" in refused(
        services.vote, "choice", by=world.foreign_facilitator, decision=voting, choice="agree"
    )


def test_it_refuses_roles_the_rule_does_not_let_vote(world: World, voting: Decision) -> None:
    assert "Observers" in refused(
        services.vote, "choice", by=world.observer, decision=voting, choice="agree"
    )
    assert "representatives" in refused(
        services.vote, "choice", by=world.participant, decision=voting, choice="agree"
    )


def test_it_refuses_a_vote_from_a_partner_that_has_left(world: World, voting: Decision) -> None:
    partnership_services.record_partner_leaving(
        actor=world.facilitator, partner=world.company, left_on=timezone.localdate(), reason="Sold"
    )
    assert "left" in refused(
        services.vote, "choice", by=world.company_rep, decision=voting, choice="agree"
    )


def test_it_keeps_one_counting_ballot_per_voter(world: World, voting: Decision) -> None:
    services.vote(by=world.company_rep, decision=voting, choice="agree")
    assert "already" in refused(
        services.vote, "choice", by=world.company_rep, decision=voting, choice="agree"
    )
    # A change replaces the ballot; another representative of the same partner too.
    services.vote(by=world.company_rep, decision=voting, choice="disagree")
    second = rep_of(world, world.company, "second-company-rep@example.test")
    services.vote(by=second, decision=voting, choice="abstain")
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["abstain"]
    assert Participation.objects.count() == 1


def test_it_asks_an_objection_for_its_reason(world: World, voting: Decision) -> None:
    message = refused(
        services.vote, "reason", by=world.company_rep, decision=voting, choice="object"
    )
    assert "reason" in message
    refused(
        services.vote, "reason", by=world.company_rep, decision=voting, choice="object",
        reason="x" * 2001,
    )  # fmt: skip
    refused(services.vote, "choice", by=world.company_rep, decision=voting, choice="maybe")


def test_it_lets_a_member_change_their_vote_until_the_close(world: World, voting: Decision) -> None:
    community = community_rep(world)
    services.vote(by=world.company_rep, decision=voting, choice="agree")
    services.vote(by=community, decision=voting, choice="object", reason="It floods the school.")
    services.vote(by=community, decision=voting, choice="agree")
    closed = services.close(decision=voting)
    assert closed.status == DecisionStatus.PASSED
    refused(services.vote, "choice", by=community, decision=closed, choice="disagree")


# --- Closing ---------------------------------------------------------------------------


def test_it_says_when_the_quorum_was_not_met(world: World) -> None:
    charter_in_force(world, general=partners_rule(quorum_percent=100))
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    closed = services.close(decision=decision)
    assert closed.status == DecisionStatus.QUORUM_NOT_MET
    assert closed.result["quorum_met"] is False
    assert str(closed.get_status_display()) == "Quorum not met"


def test_it_closes_due_votes_on_time_only(world: World, voting: Decision) -> None:
    assert services.close_due_decisions(now=voting.closes_at - timedelta(minutes=1)) == 0
    assert services.close_due_decisions(now=voting.closes_at) == 1
    voting.refresh_from_db()
    assert voting.status == DecisionStatus.QUORUM_NOT_MET
    assert services.close_due_decisions(now=voting.closes_at + timedelta(days=1)) == 0


def test_it_stores_the_tally_by_partner_type(world: World) -> None:
    charter_in_force(world, general=partners_rule(Method.MAJORITY, quorum_percent=50))
    other = Partner.objects.create(
        partnership=world.own, name="Second company", partner_type=PartnerType.COMPANY
    )
    other_rep = rep_of(world, other, "other-company@example.test")
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    services.vote(by=other_rep, decision=decision, choice="agree")
    services.vote(by=community_rep(world), decision=decision, choice="disagree")
    closed = services.close(decision=decision)
    assert closed.status == DecisionStatus.PASSED
    rows = {r["partner_type"]: r for r in closed.result["by_type"]}
    assert (rows["company"]["agree"], rows["community"]["disagree"]) == (2, 1)


# --- Reminders -------------------------------------------------------------------------


def test_it_reminds_only_those_who_have_not_voted_once(world: World, voting: Decision) -> None:
    community = community_rep(world)
    services.vote(by=world.company_rep, decision=voting, choice="agree")
    early = voting.closes_at - timedelta(days=5)
    assert services.send_reminders(now=early) == 0
    soon = voting.closes_at - timedelta(hours=47)
    assert services.send_reminders(now=soon) == 1
    reminded = Notification.objects.filter(kind="decision_reminder")
    assert list(reminded.values_list("recipient", flat=True)) == [community.pk]
    assert services.send_reminders(now=soon + timedelta(hours=1)) == 0
    assert reminded.count() == 1


def test_it_tells_the_electorate_when_a_vote_opens_and_closes(world: World) -> None:
    charter_in_force(world, general=partners_rule())
    community = community_rep(world)
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    opened = Notification.objects.filter(kind="decision_opened")
    assert set(opened.values_list("recipient", flat=True)) == {world.company_rep.pk, community.pk}
    services.close(decision=decision)
    closed = Notification.objects.get(kind="decision_closed", recipient=community)
    assert closed.params == {"title": "Arreglar la vía a Nogalito", "result": "quorum_not_met"}


# --- What a passed decision does -------------------------------------------------------


def test_it_brings_an_amendment_into_force_only_when_it_passes(world: World) -> None:
    charter_in_force(world, charter_amendment=partners_rule(Method.CONSENT, quorum_percent=50))
    draft = charter.start_amendment(by=world.facilitator, partnership=world.own)
    decision = proposal(
        world, kind=DecisionKind.CHARTER_AMENDMENT, link_to=[("charter_version", draft.public_id)]
    )
    # The bypass: no passed decision, or one of another type, brings nothing into force.
    with pytest.raises(ServiceError):
        charter.bring_into_force(
            by=world.facilitator, version=draft, decision_reference=decision.reference
        )
    general = services.open_vote(by=world.facilitator, decision=proposal(world))
    services.vote(by=world.company_rep, decision=general, choice="agree")
    assert services.close(decision=general).status == DecisionStatus.PASSED
    with pytest.raises(ServiceError):
        charter.bring_into_force(
            by=world.facilitator, version=draft, decision_reference=general.reference
        )
    draft.refresh_from_db()
    assert draft.status == CharterStatus.DRAFT
    services.open_vote(by=world.facilitator, decision=decision)
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    services.close(decision=decision)
    draft.refresh_from_db()
    assert draft.status == CharterStatus.IN_FORCE
    assert draft.decision_reference == decision.reference


def test_it_refuses_an_amendment_naming_no_draft(world: World) -> None:
    charter_in_force(world)
    refused(
        services.propose,
        "charter_version",
        by=world.facilitator,
        partnership=world.own,
        kind=DecisionKind.CHARTER_AMENDMENT,
        title={"es": "Cambiar la carta"},
    )


def test_it_admits_the_partner_a_passed_admission_names(world: World) -> None:
    charter_in_force(world, partner_admission=partners_rule(Method.CONSENT, quorum_percent=50))
    refused(
        services.propose,
        "partner_type",
        by=world.facilitator,
        partnership=world.own,
        kind=DecisionKind.PARTNER_ADMISSION,
        title={"es": "Admitir a la asociación"},
        payload={"name": "Asociación de Productoras", "partner_type": "nobody"},
    )
    decision = proposal(
        world,
        kind=DecisionKind.PARTNER_ADMISSION,
        payload={"name": "Asociación de Productoras", "partner_type": "community"},
    )
    assert not Partner.objects.filter(name="Asociación de Productoras").exists()
    services.open_vote(by=world.facilitator, decision=decision)
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    services.close(decision=decision)
    admitted = Partner.objects.get(name="Asociación de Productoras")
    link = DecisionLink.objects.get(decision=decision, kind="partner")
    assert link.target == admitted.public_id


def test_it_answers_the_charters_check_only_for_passed_decisions(world: World) -> None:
    charter_in_force(world, general=partners_rule())
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    assert not services.passed(world.own, decision.reference, GENERAL)
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    services.close(decision=decision)
    assert services.passed(world.own, decision.reference, GENERAL)
    assert not services.passed(world.foreign, decision.reference, GENERAL)
    assert not services.passed(world.own, decision.reference, DecisionKind.BUDGET)
    assert not services.passed(world.own, "not-a-uuid", GENERAL)
    assert AuditEntry.objects.filter(kind="decision").exists()


def test_it_counts_members_when_the_rule_says_members_vote(world: World) -> None:
    charter_in_force(
        world,
        general=DecisionRule(method=Method.MAJORITY, voters=Voters.MEMBERS, quorum_percent=25),
    )
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    services.vote(by=world.participant, decision=decision, choice="agree")
    services.vote(by=world.facilitator, decision=decision, choice="agree")
    assert "Observers" in refused(
        services.vote, "choice", by=world.observer, decision=decision, choice="agree"
    )
    closed = services.close(decision=decision)
    assert closed.status == DecisionStatus.PASSED


def test_it_records_the_spending_a_passed_budget_decision_approves(world: World) -> None:
    from charter.models import BudgetPot, SpendingApproval

    version = charter_in_force(world, budget=partners_rule(Method.CONSENT, quorum_percent=50))
    pot = BudgetPot.objects.create(
        partnership=world.own,
        version=version,
        code="fondo-semilla",
        name={"es": "Fondo semilla"},
        currency="COP",
        amount_minor=500_000_000,  # 5,000,000.00 pesos
    )
    refused(
        services.propose,
        "amount",
        by=world.facilitator,
        partnership=world.own,
        kind=DecisionKind.BUDGET,
        title={"es": "Gasto"},
        payload={"pot": str(pot.public_id), "amount": "mucho", "purpose": "Semillas"},
    )
    decision = proposal(
        world,
        kind=DecisionKind.BUDGET,
        payload={"pot": str(pot.public_id), "amount": "1200000", "purpose": "Semillas de aguacate"},
    )
    assert decision.payload["amount_minor"] == 120_000_000
    too_much = proposal(
        world,
        kind=DecisionKind.BUDGET,
        payload={"pot": str(pot.public_id), "amount": "9000000", "purpose": "Un tractor"},
    )
    services.open_vote(by=world.facilitator, decision=decision)
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    closed = services.close(decision=decision)
    assert closed.status == DecisionStatus.PASSED and not closed.effect_problem
    approval = SpendingApproval.objects.get()
    assert approval.decision_reference == decision.reference
    assert DecisionLink.objects.filter(decision=decision, kind="spending_approval").exists()
    # Passed, but more than the pot holds: the decision says why nothing was spent.
    services.open_vote(by=world.facilitator, decision=too_much)
    services.vote(by=world.company_rep, decision=too_much, choice="agree")
    closed = services.close(decision=too_much)
    assert closed.status == DecisionStatus.PASSED and "left" in closed.effect_problem
    assert SpendingApproval.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_closes_and_reminds_from_the_command_and_the_task(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    from partnerships import background

    charter_in_force(world, general=partners_rule(deadline_days=1))
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    out = StringIO()
    call_command("decisions_tick", stdout=out)
    # A one-day vote is within 48 hours of its close from the start: reminded once.
    assert out.getvalue().strip() == "closed 0, reminded 1"
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    result = background.enqueue("decisions.tick")
    # The real worker runs it (it closes the connection between tasks: a transactional test).
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    result.refresh()
    assert result.return_value == [1, 0]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.QUORUM_NOT_MET
