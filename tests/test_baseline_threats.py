"""The threat register: threats, each group's ratings, evidence; the stress
map and the mutual-risk view."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baseline import analysis, services
from baseline.models import Dimension, Locality, Threat, ThreatRating
from partnerships.services import ServiceError
from stakeholders.models import Segment
from tests.conftest import World


def dim(world: World, code: str = "economic", partnership: Any = None) -> Dimension:
    return Dimension.objects.get(partnership=partnership or world.own, code=code)


def threat(world: World, title: str = "Water grabbing", **fields: Any) -> Threat:
    fields.setdefault("dimensions", [dim(world, "environmental")])
    return services.create_threat(
        by=world.facilitator, partnership=world.own, title=title, **fields
    )


def rate(world: World, t: Threat, severity: int, likelihood: int = 3, **group: Any) -> ThreatRating:
    return services.rate_threat(
        by=world.facilitator, threat=t, severity=severity, likelihood=likelihood, **group
    )


# -- services ------------------------------------------------------------------------


def test_it_keeps_the_mean_of_each_groups_latest_rating(world: World) -> None:
    t = threat(world)
    women = Segment.objects.get(partnership=world.own, code="women")
    rate(world, t, 2, 2, partner_type="company")
    rate(world, t, 5, 4, partner_type="community")
    rate(world, t, 4, 4, segment=women)
    t.refresh_from_db()
    assert (t.severity, t.likelihood, t.rating_count) == (pytest.approx(11 / 3, 0.01), 3.33, 3)
    # The company revisits its rating: the latest counts, the old one stays in history.
    import datetime

    later = datetime.date.today() + datetime.timedelta(days=1)
    rate(world, t, 4, 4, partner_type="company", rated_on=later)
    t.refresh_from_db()
    assert t.severity == pytest.approx(4.33, 0.01) and t.rating_count == 3
    assert t.ratings.count() == 4
    current = services.current_ratings(t)
    assert sorted(r.severity for r in current) == [4, 4, 5]


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"severity": 0}, "from 1 to 5"),
        ({"severity": 6}, "from 1 to 5"),
        ({"likelihood": "3.5"}, "from 1 to 5"),
        ({"severity": "x"}, "from 1 to 5"),
        ({"partner_type": ""}, "not both"),
        ({"segment": "women"}, "not both"),  # with the partner type too
        ({"partner_type": "bank"}, "partner type"),
        ({"source": "rumour"}, "source"),
    ],
)
def test_it_refuses_bad_ratings(world: World, bad: dict[str, Any], message: str) -> None:
    t = threat(world)
    args: dict[str, Any] = {"severity": 3, "likelihood": 3, "partner_type": "community"}
    args.update(bad)
    if args.get("segment"):
        args["segment"] = Segment.objects.get(partnership=world.own, code="women")
    with pytest.raises(ServiceError, match=message):
        services.rate_threat(by=world.facilitator, threat=t, **args)
    assert not ThreatRating.objects.filter(threat=t).exists()


def test_it_refuses_another_partnerships_segment_dimension_or_partner(world: World) -> None:
    t = threat(world)
    foreign_segment = Segment.objects.filter(partnership=world.foreign).first()
    with pytest.raises(ServiceError, match="own segments"):
        rate(world, t, 3, segment=foreign_segment)
    with pytest.raises(ServiceError, match="own partners"):
        rate(world, t, 3, partner_type="company", rated_by=world.foreign_partner)
    with pytest.raises(ServiceError, match="own entries"):
        services.create_threat(
            by=world.facilitator,
            partnership=world.own,
            title="Leak",
            dimensions=[dim(world, partnership=world.foreign)],
        )
    with pytest.raises(ServiceError, match="at least one dimension"):
        services.create_threat(by=world.facilitator, partnership=world.own, title="No dimension")
    with pytest.raises(ServiceError, match="title"):
        services.create_threat(
            by=world.facilitator, partnership=world.own, title="  ", dimensions=[dim(world)]
        )
    assert Threat.objects.filter(partnership=world.own).count() == 1


def test_it_lets_a_representative_rate_only_for_their_own_partner(world: World) -> None:
    t = threat(world)
    member = world.member(world.company_rep)
    with pytest.raises(ServiceError, match="own partner"):
        services.rate_threat(
            by=world.company_rep, threat=t, severity=3, likelihood=3,
            partner_type="community", rated_by=world.community, member=member,
        )  # fmt: skip
    with pytest.raises(ServiceError, match="own partner's type"):
        services.rate_threat(
            by=world.company_rep, threat=t, severity=3, likelihood=3,
            partner_type="community", member=member,
        )  # fmt: skip
    rating = services.rate_threat(
        by=world.company_rep, threat=t, severity=2, likelihood=3, partner_type="company",
        member=member,
    )  # fmt: skip
    assert rating.rated_by == world.company


# -- pages ---------------------------------------------------------------------------------


def test_it_registers_a_threat_from_the_form_with_localities_and_groups(world: World) -> None:
    Locality.objects.create(partnership=world.own, code="00101", name="Cerro Azulejo")
    client = world.client_for("company_rep")
    response = client.post(
        f"/p/{world.own.slug}/baseline/threats/new/",
        {
            "title": "Road blockades",
            "nature": "downside",
            "dimensions": ["economic", "personal"],
            "partner_types": ["company", "community"],
            "segments": ["youth"],
            "localities": "00101",
            "root_causes": "Land conflict",
            "trend": "worsening",
        },
    )
    assert response.status_code == 302
    t = Threat.objects.get(partnership=world.own, title="Road blockades")
    assert {d.code for d in t.dimensions.all()} == {"economic", "personal"}
    assert t.partner_types == ["company", "community"]
    assert [loc.code for loc in t.localities.all()] == ["00101"]
    page = client.post(
        f"/p/{world.own.slug}/baseline/threats/new/",
        {"title": "X", "nature": "downside", "dimensions": ["economic"], "localities": "00000"},
    ).content.decode()
    assert "Unknown locality codes: 00000" in page


@pytest.mark.parametrize("persona", ["participant", "observer"])
def test_it_refuses_creation_to_uncleared_roles(world: World, persona: str) -> None:
    client = world.client_for(persona)
    base = f"/p/{world.own.slug}/baseline/threats/"
    t = threat(world)
    assert client.get(base).status_code == 200
    assert client.get(base + "new/").status_code == 403
    assert client.post(base + f"{t.public_id}/rate/", {}).status_code == 403
    assert client.post(base + f"{t.public_id}/evidence/", {}).status_code == 403
    assert client.post(base + f"{t.public_id}/delete/").status_code == 403


def test_it_answers_404_for_another_partnerships_threat(world: World) -> None:
    foreign = services.create_threat(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        title="Theirs",
        dimensions=[dim(world, partnership=world.foreign)],
    )
    client = world.client_for("facilitator")
    base = f"/p/{world.own.slug}/baseline/threats/{foreign.public_id}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "rate/", {"partner_type": "company"}).status_code == 404
    assert client.post(base + "delete/").status_code == 404
    assert Threat.objects.filter(pk=foreign.pk).exists()


def test_it_shows_each_groups_rating_the_history_and_the_disagreement(world: World) -> None:
    t = threat(world, title="Mercury in the river")
    rate(world, t, 5, 4, partner_type="community")
    rate(world, t, 2, 2, partner_type="company")
    services.add_evidence(
        by=world.facilitator,
        threat=t,
        kind="data",
        title="Water tests",
        url="https://example.org/t",
    )
    client = world.client_for("observer")
    page = client.get(f"/p/{world.own.slug}/baseline/threats/{t.public_id}/").content.decode()
    assert "Community rates its severity 5, Company rates it 2" in page
    assert "Water tests" in page and 'rel="noopener noreferrer nofollow"' in page
    assert "Add a rating" not in page  # an observer only reads


def test_it_records_a_rating_from_the_page_and_refuses_one_with_both_groups(world: World) -> None:
    t = threat(world)
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/baseline/threats/{t.public_id}/rate/"
    good = {"partner_type": "government", "severity": 4, "likelihood": 2, "source": "workshop",
            "rated_on": "2026-01-10"}  # fmt: skip
    assert client.post(url, good).status_code == 302
    both = {**good, "segment": "women"}
    response = client.post(url, both, follow=True)
    assert "not both" in response.content.decode()
    out_of_range = {**good, "severity": 7, "note": "Typed at the workshop"}
    response = client.post(url, out_of_range)
    # The threat's page again: the error on the severity, what was typed kept.
    page = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in page
    assert 'value="2026-01-10"' in page and "Typed at the workshop" in page
    assert t.ratings.count() == 1


def test_it_filters_the_register_in_a_constant_number_of_queries(world: World) -> None:
    client = world.client_for("participant")
    url = f"/p/{world.own.slug}/baseline/threats/"

    def count(params: dict[str, str]) -> int:
        client.get(url, params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    threat(world, "Fewest risks")
    small = count({})
    for i in range(30):
        threat(world, f"Threat {i}", dimensions=[dim(world), dim(world, "food")],
               partner_types=["company"])  # fmt: skip
    assert count({}) == small
    page = client.get(url, {"dimension": "food"}).content.decode()
    assert "Threat 7" in page and "Fewest risks" not in page
    page = client.get(url, {"group": "type:company"}).content.decode()
    assert "Threat 7" in page and "Fewest risks" not in page
    page = client.get(url, {"q": "few"}).content.decode()
    assert "Fewest risks" in page and "Threat 7" not in page


# -- analysis --------------------------------------------------------------------


def test_it_computes_the_stress_matrix_from_current_ratings(world: World) -> None:
    water = threat(world, "Water", dimensions=[dim(world, "environmental"), dim(world, "health")])
    jobs = threat(world, "Jobs", dimensions=[dim(world, "economic")])
    chance = threat(world, "Tourism", dimensions=[dim(world, "economic")], nature="opportunity")
    rate(world, water, 5, 4, partner_type="community")  # 20
    rate(world, jobs, 3, 2, partner_type="community")  # 6
    rate(world, water, 2, 1, partner_type="company")  # 2
    rate(world, chance, 5, 5, partner_type="company")  # an opportunity: not stress
    matrix = analysis.stress_matrix(world.own)
    cells = {(g.label, code): c.value for g, row in matrix.rows()
             for (code, _l), c in zip(matrix.dimensions, row, strict=True)}  # fmt: skip
    assert cells[("Community", "environmental")] == 20
    assert cells[("Community", "health")] == 20
    assert cells[("Community", "economic")] == 6
    assert cells[("Company", "environmental")] == 2
    assert cells[("Company", "economic")] is None
    client = world.client_for("observer")
    page = client.get(f"/p/{world.own.slug}/baseline/stress/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "<caption" in page and '20.0 (<data class="count" value="1">1</data>)' in page


def test_it_ranks_mutual_risks_by_partner_types_then_severity(world: World) -> None:
    a = threat(world, "Armed groups")
    b = threat(world, "Drought")
    c = threat(world, "Only the community")
    d = threat(world, "Floods")
    for t, ratings in (
        (a, {"community": 5, "company": 4, "government": 4}),
        (b, {"community": 5, "company": 5}),
        (c, {"community": 5, "company": 2}),
        (d, {"community": 4, "government": 4}),
    ):
        for partner_type, severity in ratings.items():
            rate(world, t, severity, partner_type=partner_type)
    women = Segment.objects.get(partnership=world.own, code="women")
    rate(world, c, 5, segment=women)  # segments do not make a risk mutual
    risks = analysis.mutual_risks(world.own)
    assert [r.title for r in risks] == ["Armed groups", "Drought", "Floods"]
    assert risks[0].partner_types == ["community", "company", "government"]
    assert risks[1].mean_severity == 5
    assert analysis.mutual_risks(world.foreign) == []
