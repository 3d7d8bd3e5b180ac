"""Reciprocal commitments: made only by the partner's representative (or a
facilitator on its behalf, under a mandate); fulfilment reported with
evidence; confirmed only by a partner of another type, else it stays
"reported"; overdue ones remind the owners through the digests."""

from __future__ import annotations

import datetime

import pytest

from actions import commitments, notices
from actions.models import Commitment, CommitmentStatus
from baseline.models import Contribution
from notifications.models import Notification
from partnerships.errors import ServiceError
from partnerships.models import PartnerType, Role
from tests.actions_helpers import action
from tests.conftest import World, join, make_user

DUE = datetime.date(2027, 3, 31)


def refused(call: object, field: str | None = None, **kwargs: object) -> str:
    before = Commitment.objects.count(), list(Commitment.objects.values_list("status", flat=True))
    with pytest.raises(ServiceError) as error:
        call(**kwargs)  # type: ignore[operator]
    assert (
        Commitment.objects.count(),
        list(Commitment.objects.values_list("status", flat=True)),
    ) == before
    if field is not None:
        assert error.value.field == field
    return error.value.message


def community_rep(world: World) -> object:
    user = make_user("community-rep@example.test", display_name="Community persona")
    join(world.own, world.facilitator, user, Role.PARTNER_REPRESENTATIVE, world.community)
    return user


def money(world: World, **extra: object) -> Commitment:
    return commitments.make_commitment(
        by=world.company_rep,
        partner=world.company,
        action=extra.pop("action", None) or action(world),
        kind="money",
        amount_minor=5_000_000_00,
        currency="COP",
        due_on=DUE,
        **extra,  # type: ignore[arg-type]
    )


def test_it_lets_only_the_partners_representative_commit(world: World) -> None:
    water = action(world)
    message = refused(
        commitments.make_commitment,
        "partner",
        by=world.company_rep,
        partner=world.community,
        action=water,
        kind="land",
        description={"es": "Un lote"},
        due_on=DUE,
    )
    assert "Test community group" in message
    refused(
        commitments.make_commitment,
        "partner",
        by=world.participant,
        partner=world.company,
        action=water,
        kind="land",
        description={"es": "Un lote"},
        due_on=DUE,
    )
    commitment = money(world, action=water)
    assert (commitment.partner_type, commitment.on_behalf) == (PartnerType.COMPANY, False)


def test_it_asks_a_facilitator_for_a_mandate_on_behalf(world: World) -> None:
    water = action(world)
    refused(
        commitments.make_commitment,
        "mandate",
        by=world.facilitator,
        partner=world.community,
        action=water,
        kind="land",
        description={"es": "Un lote"},
        due_on=DUE,
    )
    commitment = commitments.make_commitment(
        by=world.facilitator,
        partner=world.community,
        action=water,
        kind="land",
        description={"es": "Un lote junto a la escuela"},
        due_on=DUE,
        mandate="Prometido en la asamblea del 3 de mayo",
    )
    assert commitment.on_behalf
    assert world.community in water.contributors.all()


def test_it_refuses_bad_money_and_a_foreign_action_or_register_entry(world: World) -> None:
    water = action(world)
    base = dict(
        by=world.company_rep, partner=world.company, kind="money", due_on=DUE, currency="COP"
    )
    refused(commitments.make_commitment, "amount", action=water, amount_minor=-5, **base)
    refused(
        commitments.make_commitment,
        "currency",
        action=water,
        amount_minor=5,
        **{**base, "currency": "XYZ"},
    )
    from actions import services
    from actions.models import Action

    other = services.add_action(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        title={"es": "Ajena"},
        kind="long_term",
        owner=world.foreign_partner,
    )
    refused(commitments.make_commitment, "action", action=other, amount_minor=5, **base)
    theirs = Contribution.objects.create(
        partnership=world.own, partner=world.community, kind="land", description="Lote"
    )
    refused(
        commitments.make_commitment,
        "contribution",
        action=water,
        amount_minor=5,
        contribution=theirs,
        **base,
    )
    assert Action.objects.filter(partnership=world.own).count() == 1


def test_it_is_confirmed_only_by_another_partner_type(world: World) -> None:
    commitment = money(world)
    refused(commitments.confirm_fulfilment, "status", by=world.facilitator, commitment=commitment)
    commitments.report_fulfilment(
        by=world.company_rep,
        commitment=commitment,
        report="Transferencia hecha",
        evidence_url="https://example.test/recibo",
    )
    # Another company's representative: the same partner type, refused.
    other_company_rep = make_user("other-company@example.test")
    from partnerships import services as partnerships

    other_company = partnerships.add_partner(
        actor=world.facilitator,
        partnership=world.own,
        name="Otra empresa",
        partner_type=PartnerType.COMPANY,
    )
    join(
        world.own, world.facilitator, other_company_rep, Role.PARTNER_REPRESENTATIVE, other_company
    )
    message = refused(
        commitments.confirm_fulfilment, "status", by=other_company_rep, commitment=commitment
    )
    assert "another type" in message
    refused(commitments.confirm_fulfilment, "status", by=world.company_rep, commitment=commitment)
    # Nobody of another type has confirmed: it stays "reported".
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.REPORTED
    confirmed = commitments.confirm_fulfilment(by=community_rep(world), commitment=commitment)
    assert (confirmed.status, confirmed.confirmed_by_type) == ("confirmed", PartnerType.COMMUNITY)
    assert confirmed.delivered_amount_minor == 5_000_000_00


def test_it_commits_to_what_another_room_names(world: World) -> None:
    import uuid

    grievance = uuid.uuid4()
    commitment = commitments.make_commitment(
        by=world.company_rep,
        partner=world.company,
        kind="policy_change",
        description={"es": "Horario de camiones fuera de la hora escolar"},
        due_on=DUE,
        source=f"grievance:{grievance}",
    )
    assert commitment.action is None and commitment.source == f"grievance:{grievance}"
    refused(
        commitments.make_commitment,
        "action",
        by=world.company_rep,
        partner=world.company,
        kind="policy_change",
        description={"es": "Algo"},
        due_on=DUE,
    )


def test_it_reminds_the_owners_of_an_overdue_commitment_once_a_week(world: World) -> None:
    commitment = money(world)
    today = DUE + datetime.timedelta(days=1)
    assert notices.remind_overdue(today) == 1
    notification = Notification.objects.get(kind="commitment_overdue")
    assert notification.recipient_id == world.company_rep.pk
    assert notices.remind_overdue(today + datetime.timedelta(days=3)) == 0
    assert notices.remind_overdue(today + datetime.timedelta(days=8)) == 1
    commitments.report_fulfilment(by=world.company_rep, commitment=commitment, report="Hecho")
    assert notices.remind_overdue(today + datetime.timedelta(days=20)) == 0
