"""The charter's pages (issue 12, §1): the charter page with where adoption
stands by partner type and the history, adapting a starter through forms,
positions through the page, spending, the portal, the partner's leaving page,
the stepper and the journey. Spanish first, small, few queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse

from charter import parts, services
from charter.models import CharterPosition, CharterStatus, CharterVersion, SpendingApproval
from partnerships import services as partnership_services
from partnerships.models import Partner, Step
from tests.charter_factories import adopt, adopt_first, community_rep
from tests.conftest import World


def spanish(world: World, persona: str | Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(getattr(world, persona) if isinstance(persona, str) else persona)
    return client


def page(world: World) -> str:
    return reverse("charter:page", args=[world.own.slug])


def version_url(world: World, version: CharterVersion, name: str = "version", *extra: str) -> str:
    return reverse(f"charter:{name}", args=[world.own.slug, version.public_id, *extra])


def test_it_adapts_a_starter_through_the_pages_in_spanish(world: World) -> None:
    client = spanish(world, "facilitator")
    response = client.post(reverse("charter:start", args=[world.own.slug]), {"starter": "consent"})
    version = CharterVersion.objects.get(partnership=world.own)
    assert response.status_code == 302
    assert response["Location"] == version_url(world, version)
    # A quorum of 0: the page says why, on the quorum, in Spanish; nothing is written.
    rule_url = version_url(world, version, "rule", "goal_adoption")
    form = {
        "method": "consent",
        "voters": "partners",
        "proposers": ["facilitator"],
        "quorum_percent": "0",
        "threshold_percent": "50",
        "deadline_days": "14",
    }
    response = client.post(rule_url, form)
    assert response.status_code == 200
    assert "El quórum es una proporción entre 1 % y 100 %." in response.content.decode()
    # Secret with a public tally by voter: refused, on that field.
    response = client.post(
        rule_url, {**form, "quorum_percent": "60", "secret": "on", "public_by_voter": "on"}
    )
    assert "Una votación secreta no puede mostrar" in response.content.decode()
    version.refresh_from_db()
    assert version.rules["goal_adoption"]["quorum_percent"] == 50
    response = client.post(rule_url, {**form, "quorum_percent": "60"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.rules["goal_adoption"]["quorum_percent"] == 60
    # Each part through its form.
    assert (
        client.post(
            version_url(world, version, "pot_add"),
            {"name_es": "Fondo semilla", "currency": "COP", "amount": "1500000.50"},
        ).status_code
        == 302
    )
    pot = version.pots.get()
    assert pot.amount_minor == 150_000_050
    response = client.post(
        version_url(world, version, "pot_add"),
        {"name_es": "Fondo yen", "currency": "JPY", "amount": "10.5"},
    )
    assert "JPY tiene 0 decimales." in response.content.decode()
    assert (
        client.post(
            version_url(world, version, "limit_add"),
            {"pot": str(pot.public_id), "approver": "role:treasurer", "limit": "200000"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            version_url(world, version, "role_add"),
            {
                "kind": "treasurer",
                "holder_partner": str(world.community.public_id),
                "term_start": "2026-01-01",
                "term_end": "2027-12-31",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            version_url(world, version, "entry"),
            {
                "admission_kind": "partner_admission",
                "handover_es": "Llaves\nActas",
                "commitments_fate": "transferred",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            version_url(world, version, "plan_add"),
            {"what": "minutes", "audience": "public", "languages": ["es"], "frequency": "monthly"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            version_url(world, version, "type_add"), {"label_es": "Uso del salón comunal"}
        ).status_code
        == 302
    )
    body = client.get(version_url(world, version)).content.decode()
    assert "1\xa0500\xa0000,50 COP" in body
    assert "Uso del salón comunal" in body
    assert "Se transfieren a otro socio" in body
    assert client.post(version_url(world, version, "open")).status_code == 302
    version.refresh_from_db()
    assert version.status == CharterStatus.UNDER_ADOPTION


def test_it_records_positions_through_the_page_and_brings_the_charter_into_force(
    world: World,
) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    services.put_to_adoption(by=world.facilitator, version=version)
    rep = community_rep(world)
    body = spanish(world, rep).get(page(world)).content.decode()
    assert "Registrar la posición de Test community group" in body
    assert "Registrar esta posición" in body
    # An objection without its reason: refused, nothing written.
    response = spanish(world, "company_rep").post(
        version_url(world, version, "position"),
        {"partner": str(world.company.public_id), "position": "object"},
    )
    assert response.status_code == 302
    assert not CharterPosition.objects.exists()
    for who, partner in (("company_rep", world.company), (rep, world.community)):
        spanish(world, who).post(
            version_url(world, version, "position"),
            {"partner": str(partner.public_id), "position": "endorse"},
        )
    version.refresh_from_db()
    assert version.status == CharterStatus.IN_FORCE
    body = spanish(world, "participant").get(page(world)).content.decode()
    assert "En vigor" in body


def test_it_refuses_another_partnerships_charter(world: World) -> None:
    foreign = services.start_from_starter(
        by=world.foreign_facilitator, partnership=world.foreign, starter="consent"
    )
    client = spanish(world, "facilitator")
    for name in ("version", "texts", "entry", "role_add", "open"):
        url = reverse(f"charter:{name}", args=[world.own.slug, foreign.public_id])
        response = client.post(url) if name == "open" else client.get(url)
        assert response.status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.status == CharterStatus.DRAFT


def test_it_shows_the_charter_page_in_queries_constant_in_data_size(
    world: World, django_assert_max_num_queries: Any
) -> None:
    version = adopt_first(world, "majority")
    client = spanish(world, "participant")
    client.get(page(world))  # warm the session
    with django_assert_max_num_queries(40) as few:
        client.get(page(world))
    counted = len(few.captured_queries)
    # Much more of everything: versions, roles, pots, limits, plan, positions.
    amendment = services.start_amendment(by=world.facilitator, partnership=world.own)
    for n in range(15):
        parts.add_role(by=world.facilitator, version=amendment, kind="committee_member")
        pot = parts.add_pot(
            by=world.facilitator,
            version=amendment,
            name={"es": f"Fondo {n}"},
            currency="COP",
            amount_minor=1000,
        )
        parts.add_limit(
            by=world.facilitator, version=amendment, pot=pot, partner_type="company", limit_minor=1
        )
        parts.add_decision_type(by=world.facilitator, version=amendment, label={"es": f"Tipo {n}"})
    services.drop_draft(by=world.facilitator, version=amendment, reason="Too many pots")
    copy = services.start_amendment(by=world.facilitator, partnership=world.own)
    assert copy.number == 3 and version.number == 1
    with django_assert_max_num_queries(counted):
        response = client.get(page(world))
    assert response.status_code == 200
    # A participant's page stays small (slow connections).
    assert len(response.content) <= 50_000


def test_it_shows_the_charter_in_force_on_the_portal(world: World) -> None:
    adopt_first(world, "consent")
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    body = (
        Client(HTTP_ACCEPT_LANGUAGE="es")
        .get(reverse("portal:partnership", args=[world.own.slug]))
        .content.decode()
    )
    assert "Acuerdo de gobernanza (consentimiento)" in body
    assert "Consentimiento" in body
    # Holders are never named on the portal: roles only.
    assert "Facilitator persona" not in body


def test_it_shows_the_hand_over_list_where_a_partner_leaves(world: World) -> None:
    adopt_first(world, "consensus")
    body = (
        spanish(world, "facilitator")
        .get(reverse("partnerships:partner", args=[world.own.slug, world.company.public_id]))
        .content.decode()
    )
    assert "El acuerdo de gobernanza le pide al socio que se retira:" in body
    assert "Los bienes comprados con fondos de la alianza" in body
    assert "Los revisa la alianza" in body


def test_it_asks_the_representative_for_the_partners_position(world: World) -> None:
    from partnerships.journey import to_do

    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    assert not [i for i in to_do(world.member(world.company_rep)) if "charter" in i.url]
    services.put_to_adoption(by=world.facilitator, version=version)
    items = [i for i in to_do(world.member(world.company_rep)) if "/charter/" in i.url]
    assert [str(i.action) for i in items] == ["Record your partner's position on the charter"]
    services.record_position(
        by=world.company_rep, version=version, partner=world.company, position="endorse"
    )
    assert not [i for i in to_do(world.member(world.company_rep)) if "/charter/" in i.url]


def test_it_counts_the_charter_in_step_five(world: World) -> None:
    from charter.plugs import charter_checks

    assert [c.done for c in charter_checks(world.own)] == [False, False]
    adopt_first(world, "consensus")
    assert [c.done for c in charter_checks(world.own)] == [True, True]
    assert Step.STRATEGIES


def test_it_approves_spending_through_the_page_within_the_limit_only(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    pot = parts.add_pot(
        by=world.facilitator,
        version=version,
        name={"es": "Caja"},
        currency="COP",
        amount_minor=10_000_000,
    )
    parts.add_limit(
        by=world.facilitator, version=version, pot=pot, partner_type="company", limit_minor=100_000
    )
    adopt(world, version)
    client = spanish(world, "company_rep")
    url = reverse("charter:spending_new", args=[world.own.slug])
    response = client.post(
        url, {"pot": str(pot.public_id), "amount": "1000.01", "purpose": "Semillas"}
    )
    assert response.status_code == 200
    assert "Su límite de aprobación en este fondo es 1\xa0000,00 COP" in response.content.decode()
    assert not SpendingApproval.objects.exists()
    response = client.post(
        url, {"pot": str(pot.public_id), "amount": "1000", "purpose": "Semillas"}
    )
    assert response.status_code == 302
    body = client.get(reverse("charter:spending", args=[world.own.slug])).content.decode()
    assert "1\xa0000,00 COP aprobados de 100\xa0000,00 COP" in body


def test_it_keeps_partners_registered_before_the_charter(world: World) -> None:
    adopt_first(world, "consensus")
    # They stay, and may still leave (the page shows what the charter asks of them).
    assert Partner.objects.filter(partnership=world.own, left_on__isnull=True).count() == 2
    response = spanish(world, "facilitator").post(
        reverse("partnerships:partner_leave", args=[world.own.slug, world.company.public_id]),
        {"left_on": datetime.date.today().isoformat(), "reason": "Cierre de operaciones"},
    )
    assert response.status_code == 302
    world.company.refresh_from_db()
    assert world.company.left_on == datetime.date.today()


def test_it_offers_the_spending_form_only_to_those_with_a_limit(world: World) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    pot = parts.add_pot(
        by=world.facilitator, version=version, name={"es": "Caja"}, currency="COP", amount_minor=100
    )
    parts.add_limit(
        by=world.facilitator, version=version, pot=pot, partner_type="company", limit_minor=100
    )
    adopt(world, version)
    url = reverse("charter:spending_new", args=[world.own.slug])
    assert 'name="amount"' in spanish(world, "company_rep").get(url).content.decode()
    body = spanish(world, "participant").get(url).content.decode()
    assert 'name="amount"' not in body
    assert "no le da un límite de aprobación" in body


def test_it_shows_a_version_in_queries_constant_in_data_size(
    world: World, django_assert_max_num_queries: Any
) -> None:
    version = services.start_from_starter(
        by=world.facilitator, partnership=world.own, starter="consensus"
    )
    client = spanish(world, "facilitator")
    url = version_url(world, version)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(10):
        parts.add_role(by=world.facilitator, version=version, kind="committee_member")
        pot = parts.add_pot(
            by=world.facilitator,
            version=version,
            name={"es": f"Fondo {n}"},
            currency="COP",
            amount_minor=1000,
        )
        parts.add_limit(
            by=world.facilitator, version=version, pot=pot, partner_type="company", limit_minor=1
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
