"""The charter governs (issue 12, §1 and §5): goal adoption under each rule
and under none; rules that contradict themselves; a charter without a
facilitator; entry rules applied to partners; spending within limits. Every
refusal names its field and writes nothing."""

from __future__ import annotations

import pytest

from charter import parts, services
from charter.models import (
    ApprovalLimit,
    BudgetPot,
    CharterPosition,
    CharterRole,
    CharterStatus,
    RoleKind,
    SpendingApproval,
)
from charter.rules import DecisionKind, DecisionRule, Method, Voters
from goals import services as goals
from goals.models import CollectiveGoal, GoalStatus
from partnerships import services as partnership_services
from partnerships.audit import AuditEntry  # noqa: F401  (the trail is checked below)
from partnerships.errors import ServiceError
from partnerships.models import Partner, PartnerType
from tests.charter_factories import MANDATE, adopt, adopt_first, community_rep, decisions
from tests.conftest import World

__all__ = ["decisions"]  # a fixture

GOAL = DecisionKind.GOAL_ADOPTION


def open_goal(world: World) -> CollectiveGoal:
    goal = goals.create_goal(
        by=world.facilitator, partnership=world.own, title={"es": "Vías seguras a la escuela"}
    )
    goals.open_endorsement(by=world.facilitator, goal=goal)
    return goal


def government(world: World) -> Partner:
    return partnership_services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Test mayor's office",
        partner_type=PartnerType.GOVERNMENT,
    )


def position(world: World, goal: CollectiveGoal, partner: Partner, stance: str) -> None:
    reason = "" if stance == "endorse" else "Our reason"
    if partner == world.company:
        goals.endorse(
            by=world.company_rep, goal=goal, partner=partner, position=stance, reason=reason
        )
    else:
        goals.endorse(
            by=world.facilitator,
            goal=goal,
            partner=partner,
            position=stance,
            reason=reason,
            mandate=MANDATE,
        )


def status(goal: CollectiveGoal) -> str:
    goal.refresh_from_db()
    return goal.status


# --- Goal adoption reads the charter's rule ---------------------------------------------


def test_it_keeps_the_strict_rule_without_a_charter(world: World) -> None:
    goal = open_goal(world)
    position(world, goal, world.company, "endorse")
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT
    position(world, goal, world.community, "reservations")
    assert status(goal) == GoalStatus.ADOPTED


def test_it_adopts_a_goal_under_consensus_only_when_every_partner_endorses(world: World) -> None:
    adopt_first(world, "consensus")
    goal = open_goal(world)
    position(world, goal, world.company, "endorse")
    position(world, goal, world.community, "object")
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT
    position(world, goal, world.community, "endorse")
    assert status(goal) == GoalStatus.ADOPTED


def test_it_adopts_a_goal_under_consent_once_every_type_has_spoken_without_objection(
    world: World,
) -> None:
    mayor = government(world)
    second_company = partnership_services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Second company",
        partner_type=PartnerType.COMPANY,
    )
    adopt_first(world, "consent")
    goal = open_goal(world)
    position(world, goal, world.company, "endorse")
    position(world, goal, world.community, "object")
    position(world, goal, mayor, "endorse")
    # An objection stands: not adopted, though every type has spoken.
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT
    position(world, goal, world.community, "reservations")
    # Every type has spoken, no objection: adopted, the second company silent.
    assert status(goal) == GoalStatus.ADOPTED
    assert second_company.pk


def test_it_adopts_a_goal_under_majority_with_its_quorum(world: World) -> None:
    mayor = government(world)
    adopt_first(
        world,
        "consensus",
        goal_adoption=DecisionRule(
            method=Method.MAJORITY, voters=Voters.PARTNERS, quorum_percent=75, threshold_percent=50
        ),
    )
    goal = open_goal(world)
    position(world, goal, world.company, "endorse")
    position(world, goal, world.community, "endorse")
    # 2 of 3 partners have spoken: under the 75 % quorum.
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT
    position(world, goal, mayor, "object")
    # Quorum met, 2 of 3 in favour: more than half.
    assert status(goal) == GoalStatus.ADOPTED


def test_it_refuses_a_majority_that_does_not_pass_its_threshold(world: World) -> None:
    adopt_first(
        world,
        "consensus",
        goal_adoption=DecisionRule(
            method=Method.MAJORITY, voters=Voters.PARTNERS, quorum_percent=50, threshold_percent=50
        ),
    )
    goal = open_goal(world)
    position(world, goal, world.company, "object")
    position(world, goal, world.community, "endorse")
    # Half in favour is not more than half.
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT


def test_it_adopts_a_goal_with_one_vote_per_partner_type(world: World) -> None:
    mayor = government(world)
    adopt_first(world, "majority")  # goals: one per type, quorum 75 %, more than 50 %
    goal = open_goal(world)
    position(world, goal, world.company, "endorse")
    position(world, goal, mayor, "endorse")
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT  # 2 of 3 types: under the quorum
    position(world, goal, world.community, "object")
    assert status(goal) == GoalStatus.ADOPTED  # 3 of 3 types spoke, 2 in favour


def test_it_lets_no_one_adopt_a_goal_outside_the_rule(world: World) -> None:
    adopt_first(world, "consensus")
    goal = open_goal(world)
    with pytest.raises(ServiceError):
        goals.update_goal(by=world.facilitator, goal=goal, status=GoalStatus.ADOPTED)
    position(world, goal, world.company, "endorse")
    assert status(goal) == GoalStatus.UNDER_ENDORSEMENT


# --- Rules that contradict themselves ----------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (DecisionRule(quorum_percent=0), "quorum_percent"),
        (DecisionRule(quorum_percent=101), "quorum_percent"),
        (DecisionRule(secret=True, public_by_voter=True), "public_by_voter"),
        (DecisionRule(method=Method.ONE_PER_TYPE, voters=Voters.PARTNERS), "voters"),
        (DecisionRule(proposers=()), "proposers"),
        (DecisionRule(method=Method.FACILITATOR), "method"),
    ],
)
def test_it_refuses_a_rule_that_contradicts_itself(
    world: World, rule: DecisionRule, field: str
) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    before = dict(version.rules)
    with pytest.raises(ServiceError) as refused:
        parts.set_rule(by=world.facilitator, version=version, kind=GOAL, rule=rule)
    assert refused.value.field == field
    version.refresh_from_db()
    assert version.rules == before


def test_it_says_why_in_spanish(world: World) -> None:
    from django.utils import translation

    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    with translation.override("es"), pytest.raises(ServiceError) as refused:
        parts.set_rule(
            by=world.facilitator, version=version, kind=GOAL, rule=DecisionRule(quorum_percent=0)
        )
    assert "quórum" in refused.value.message


def test_it_refuses_a_charter_without_a_facilitator_role(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consent"
    )
    role = CharterRole.objects.get(version=version, kind=RoleKind.FACILITATOR)
    with pytest.raises(ServiceError) as refused:
        parts.remove_role(by=world.facilitator, role=role)
    assert refused.value.field == "roles"
    # Even when the row goes another way (an import, the admin): put to adoption refuses.
    role.delete()
    with pytest.raises(ServiceError) as refused:
        services.put_to_adoption(by=world.facilitator, version=version)
    assert "facilitator" in refused.value.message
    version.refresh_from_db()
    assert version.status == CharterStatus.DRAFT


def test_it_changes_only_a_draft(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consent"
    )
    services.put_to_adoption(by=world.facilitator, version=version)
    with pytest.raises(ServiceError):
        parts.set_rule(by=world.facilitator, version=version, kind=GOAL, rule=DecisionRule())
    services.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    services.back_to_draft(by=world.facilitator, version=version)
    parts.set_rule(by=world.facilitator, version=version, kind=GOAL, rule=DecisionRule())
    # The position stays in the history, no longer counting.
    history = services.position_history([version])[version.pk]
    assert [p.current for p in history] == [False]


def test_it_adds_a_decision_type_of_the_partnership_with_its_label(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consent"
    )
    parts.add_decision_type(
        by=world.facilitator, version=version, label={"es": "Uso del salón comunal"}
    )
    version.refresh_from_db()
    assert services.type_label(version, "uso_del_salon_comunal") == "Uso del salón comunal"
    with pytest.raises(ServiceError):
        parts.add_decision_type(
            by=world.facilitator, version=version, label={"es": "Uso del salón comunal"}
        )
    with pytest.raises(ServiceError) as refused:
        parts.add_decision_type(by=world.facilitator, version=version, label={"en": "English only"})
    assert refused.value.field == "label_es"


# --- Entry and leaver rules ----------------------------------------------------------


def test_it_refuses_registering_a_partner_directly_under_an_entry_rule(
    world: World, decisions: set[tuple[int, str, str]]
) -> None:
    adopt_first(world, "consensus")
    count = Partner.objects.count()
    with pytest.raises(ServiceError) as refused:
        government(world)
    assert "Admitting a new partner" in refused.value.message
    with pytest.raises(ServiceError):
        partnership_services.add_partner(
            actor=world.facilitator,
            partnership=world.own,
            name="Test mayor's office",
            partner_type=PartnerType.GOVERNMENT,
            admitted_by="D-1",
        )
    assert Partner.objects.count() == count
    decisions.add((world.own.pk, "D-1", DecisionKind.PARTNER_ADMISSION))
    partner = partnership_services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Test mayor's office",
        partner_type=PartnerType.GOVERNMENT,
        admitted_by="D-1",
    )
    assert partner.partner_type == PartnerType.GOVERNMENT
    # The other partnership has no charter: registered directly as before.
    partnership_services.add_partner(
        actor=world.foreign_facilitator,
        partnership=world.foreign,
        name="Another company",
        partner_type=PartnerType.COMPANY,
    )


def test_it_registers_directly_when_the_charter_says_so(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consent"
    )
    parts.set_entry_rules(
        by=world.facilitator,
        version=version,
        admission_kind="",
        handover={"es": "Las llaves del salón"},
        commitments_fate="closed",
    )
    services.put_to_adoption(by=world.facilitator, version=version)
    for partner in (world.company, world.community):
        services.record_position(
            by=world.company_rep if partner == world.company else world.facilitator,
            version=version,
            partner=partner,
            position="endorse",
            mandate=MANDATE,
        )
    assert services.in_force(world.own) is not None
    government(world)
    assert partnership_services.leaving_terms(world.own) == [
        "Las llaves del salón",
        "Its open commitments: Closed with a note.",
    ]


# --- Budget ------------------------------------------------------------------------------


def budget(world: World, decisions_: object = None) -> BudgetPot:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    pot = parts.add_pot(
        by=world.facilitator,
        version=version,
        name={"es": "Fondo semilla"},
        currency="COP",
        amount_minor=100_000_000,  # 1.000.000,00 COP
    )
    parts.add_limit(
        by=world.facilitator,
        version=version,
        pot=pot,
        partner_type=PartnerType.COMPANY,
        limit_minor=5_000_000,
    )
    adopt(world, version)
    return pot


def test_it_refuses_spending_over_the_approvers_limit(
    world: World, decisions: set[tuple[int, str, str]]
) -> None:
    pot = budget(world)
    approval = parts.approve_spending(
        by=world.company_rep, pot=pot, amount_minor=5_000_000, purpose="Seeds for the nursery"
    )
    assert approval.basis == "type:company" and approval.currency == "COP"
    with pytest.raises(ServiceError) as refused:
        parts.approve_spending(
            by=world.company_rep, pot=pot, amount_minor=5_000_001, purpose="Tools"
        )
    assert refused.value.field == "amount"
    assert "50,000.00 COP" in refused.value.message
    # No limit at all (a participant): a budget decision is needed.
    with pytest.raises(ServiceError):
        parts.approve_spending(by=world.participant, pot=pot, amount_minor=1, purpose="Tools")
    # A float is never an amount.
    with pytest.raises(ServiceError):
        parts.approve_spending(by=world.company_rep, pot=pot, amount_minor=1.5, purpose="Tools")  # type: ignore[arg-type]
    assert SpendingApproval.objects.count() == 1
    # Above the limit, a budget decision that passed.
    decisions.add((world.own.pk, "D-3", DecisionKind.BUDGET))
    parts.approve_spending(
        by=world.facilitator,
        pot=pot,
        amount_minor=20_000_000,
        purpose="Tools",
        decision_reference="D-3",
    )
    # Never more than the pot holds.
    with pytest.raises(ServiceError):
        parts.approve_spending(
            by=world.facilitator,
            pot=pot,
            amount_minor=80_000_000,
            purpose="More",
            decision_reference="D-3",
        )
    assert SpendingApproval.objects.count() == 2


def test_it_refuses_bad_budget_input_and_writes_nothing(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    for bad in (
        {"currency": "XYZ", "amount_minor": 100},
        {"currency": "COP", "amount_minor": -1},
        {"currency": "COP", "amount_minor": 10.5},
    ):
        with pytest.raises(ServiceError):
            parts.add_pot(by=world.facilitator, version=version, name={"es": "Fondo"}, **bad)  # type: ignore[arg-type]
    pot = parts.add_pot(
        by=world.facilitator, version=version, name={"es": "Fondo"}, currency="JPY", amount_minor=5
    )
    with pytest.raises(ServiceError):
        parts.add_limit(
            by=world.facilitator,
            version=version,
            pot=pot,
            role_kind="treasurer",
            partner_type="company",
            limit_minor=1,
        )
    with pytest.raises(ServiceError):
        parts.approve_spending(by=world.facilitator, pot=pot, amount_minor=1, purpose="Draft")
    assert BudgetPot.objects.count() == 1
    assert ApprovalLimit.objects.count() == 0
    assert SpendingApproval.objects.count() == 0


def test_it_lets_a_treasurer_approve_within_the_role_limit(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    import datetime

    parts.add_role(
        by=world.facilitator,
        version=version,
        kind=RoleKind.TREASURER,
        holder_member=world.member(world.participant),
        term_start=datetime.date(2026, 1, 1),
    )
    pot = parts.add_pot(
        by=world.facilitator,
        version=version,
        name={"es": "Caja"},
        currency="USD",
        amount_minor=10_000,
    )
    parts.add_limit(
        by=world.facilitator, version=version, pot=pot, role_kind="treasurer", limit_minor=2_000
    )
    adopt(world, version)
    approval = parts.approve_spending(
        by=world.participant, pot=pot, amount_minor=2_000, purpose="Stationery"
    )
    assert approval.basis == "role:treasurer"


def test_it_refuses_bad_role_input(world: World) -> None:
    import datetime

    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    count = CharterRole.objects.count()
    for bad in (
        {"kind": "king"},
        {"kind": "custom"},
        {
            "kind": "treasurer",
            "holder_partner": world.foreign_partner,
            "term_start": datetime.date(2026, 1, 1),
        },
        {"kind": "treasurer", "holder_partner": world.company},
        {
            "kind": "treasurer",
            "holder_partner": world.company,
            "term_start": datetime.date(2026, 2, 1),
            "term_end": datetime.date(2026, 1, 1),
        },
        {
            "kind": "treasurer",
            "holder_partner": world.company,
            "holder_member": world.member(world.participant),
            "term_start": datetime.date(2026, 1, 1),
        },
    ):
        with pytest.raises(ServiceError):
            parts.add_role(by=world.facilitator, version=version, **bad)  # type: ignore[arg-type]
    assert CharterRole.objects.count() == count


def test_it_records_positions_only_for_the_partner_one_speaks_for(world: World) -> None:
    mayor = government(world)  # no representative on the platform
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    services.put_to_adoption(by=world.facilitator, version=version)
    rep = community_rep(world)
    refusals = [
        # A representative speaks for its own partner only...
        dict(by=world.company_rep, partner=world.community),
        # ...a participant for none...
        dict(by=world.participant, partner=world.company),
        # ...a facilitator not for a partner with its own representative...
        dict(by=world.facilitator, partner=world.community, mandate=MANDATE),
        # ...nor without a mandate for one with none.
        dict(by=world.facilitator, partner=mayor),
    ]
    for refused in refusals:
        with pytest.raises(ServiceError):
            services.record_position(version=version, position="endorse", **refused)  # type: ignore[arg-type]
    assert not CharterPosition.objects.exists()
    services.record_position(by=rep, version=version, partner=world.community, position="endorse")
    on_behalf = services.record_position(
        by=world.facilitator, version=version, partner=mayor, position="endorse", mandate=MANDATE
    )
    assert on_behalf.on_behalf and on_behalf.mandate == MANDATE
    # The partner's own position is never replaced on its behalf.
    with pytest.raises(ServiceError):
        services.record_position(
            by=world.facilitator,
            version=version,
            partner=world.community,
            position="object",
            reason="No",
            mandate=MANDATE,
        )
    version.refresh_from_db()
    assert version.status == CharterStatus.UNDER_ADOPTION  # the company has not spoken
    services.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    version.refresh_from_db()
    assert version.status == CharterStatus.IN_FORCE


def test_it_is_adopted_by_every_partner_type(world: World) -> None:
    mayor = government(world)
    ngo = partnership_services.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Test NGO",
        partner_type=PartnerType.CIVIL_SOCIETY,
    )
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="majority"
    )
    services.put_to_adoption(by=world.facilitator, version=version)
    states = services.adoption_state(version)
    assert [s.partner_type for s in states] == [
        "company",
        "community",
        "government",
        "civil_society",
    ]
    services.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    for partner in (world.community, mayor, ngo):
        version.refresh_from_db()
        assert version.status == CharterStatus.UNDER_ADOPTION
        services.record_position(
            by=world.facilitator,
            version=version,
            partner=partner,
            position="endorse",
            mandate=MANDATE,
        )
    version.refresh_from_db()
    assert version.status == CharterStatus.IN_FORCE
    assert all(s.endorsed for s in services.adoption_state(version))


# --- The communication plan -------------------------------------------------------------


def test_it_holds_announcements_to_the_communication_plan(world: World) -> None:
    from charter.models import PlanRow
    from notifications.announcements import post_announcement
    from notifications.models import Announcement

    def announce(scope: str, **texts: str) -> Announcement:
        return post_announcement(
            by=world.facilitator,
            partnership=world.own,
            scope=scope,
            title={code: f"Aviso ({code})" for code in texts},
            body=texts,
        )

    # No charter: anything goes.
    announce("public", es="Reunión el martes")
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    public = PlanRow.objects.get(version=version, what="announcements", audience="public")
    parts.remove_plan_row(by=world.facilitator, row=public)
    adopt(world, version)
    count = Announcement.objects.count()
    with pytest.raises(ServiceError) as refused:
        announce("public", es="Reunión el martes")
    assert "publishes no announcements to" in refused.value.message
    # To members, as the plan says, in its first language: allowed.
    announce("members", es="Reunión el martes")
    assert Announcement.objects.count() == count + 1
