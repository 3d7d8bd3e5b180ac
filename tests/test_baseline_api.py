"""/api/v1 of the baseline: the same services and permission table as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baseline import services
from baseline.models import Dimension, Locality, Threat
from tests.conftest import World
from tests.test_stakeholders_api import Api


def _threat(world: World, title: str = "Landslides", **fields: Any) -> Threat:
    fields.setdefault(
        "dimensions", [Dimension.objects.get(partnership=world.own, code="environmental")]
    )
    return services.create_threat(
        by=world.facilitator, partnership=world.own, title=title, **fields
    )


def test_it_creates_reads_and_patches_threats(world: World) -> None:
    Locality.objects.create(partnership=world.own, code="00101", name="Cerro Azulejo")
    api = Api(world, "company_rep")
    response = api.send(
        "post",
        "/threats",
        {"title": "Road blockades", "dimensions": ["economic", "personal"],
         "localities": ["00101"], "segments": ["youth"], "partner_types": ["company"],
         "trend": "worsening"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dimensions"] == ["economic", "personal"] and body["localities"] == ["00101"]
    threat_id = body["id"]
    assert api.get(f"/threats/{threat_id}").json()["title"] == "Road blockades"
    response = api.send("patch", f"/threats/{threat_id}", {"trend": "stable"})
    assert response.status_code == 200 and response.json()["trend"] == "stable"
    assert response.json()["dimensions"] == ["economic", "personal"]  # untouched


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "X", "dimensions": ["nonexistent"]}, "dimensions"),
        ({"title": "X", "dimensions": []}, "dimensions"),
        ({"title": "X", "dimensions": ["economic"], "localities": ["99999"]}, "localities"),
        ({"title": "X", "dimensions": ["economic"], "nature": "maybe"}, "nature"),
        ({"title": "X", "dimensions": ["economic"], "partner_types": ["bank"]}, "partner_types"),
    ],
)
def test_it_refuses_bad_threats_with_the_field(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = Api(world, "facilitator").send("post", "/threats", body)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not Threat.objects.filter(partnership=world.own).exists()


def test_it_rates_and_lists_ratings_with_the_current_one_marked(world: World) -> None:
    t = _threat(world)
    api = Api(world, "facilitator")
    path = f"/threats/{t.public_id}/ratings"
    first = {"partner_type": "community", "severity": 5, "likelihood": 4,
             "rated_on": "2026-01-01"}  # fmt: skip
    assert api.send("post", path, first).status_code == 201
    assert (
        api.send("post", path, {**first, "severity": 3, "rated_on": "2026-02-01"}).status_code
        == 201
    )
    assert (
        api.send("post", path, {"segment": "women", "severity": 4, "likelihood": 4}).status_code
        == 201
    )
    rows = api.get(path).json()
    assert [(r["group"], r["severity"], r["current"]) for r in rows][:2] != []
    current = {r["group"]: r["severity"] for r in rows if r["current"]}
    assert current == {"Community": 3, "Women": 4}
    t.refresh_from_db()
    assert t.severity == 3.5 and t.rating_count == 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({"partner_type": "community", "severity": 6, "likelihood": 1}, "severity"),
        ({"partner_type": "community", "severity": 3, "likelihood": 0}, "likelihood"),
        ({"partner_type": "company", "segment": "women", "severity": 3, "likelihood": 3},
         "partner_type"),
        ({"severity": 3, "likelihood": 3}, "partner_type"),
        ({"segment": "nobody", "severity": 3, "likelihood": 3}, "segment"),
    ],
)  # fmt: skip
def test_it_refuses_bad_ratings(world: World, body: dict[str, Any], field: str) -> None:
    t = _threat(world)
    response = Api(world, "facilitator").send("post", f"/threats/{t.public_id}/ratings", body)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not t.ratings.exists()


def test_it_lets_roles_do_what_the_table_says(world: World) -> None:
    t = _threat(world)
    body = {"title": "X", "dimensions": ["economic"]}
    rating = {"partner_type": "community", "severity": 3, "likelihood": 3}
    for persona in ("participant", "observer"):
        api = Api(world, persona)
        assert api.get("/threats").status_code == 200
        assert api.send("post", "/threats", body).status_code == 403
        assert api.send("post", f"/threats/{t.public_id}/ratings", rating).status_code == 403
        assert api.send("patch", f"/threats/{t.public_id}", {"trend": "stable"}).status_code == 403
    rep = Api(world, "company_rep")
    # A representative rates as their own partner's type.
    response = rep.send("post", f"/threats/{t.public_id}/ratings", rating)
    assert response.status_code == 400
    ok = rep.send("post", f"/threats/{t.public_id}/ratings", {**rating, "partner_type": "company"})
    assert ok.status_code == 201 and ok.json()["rated_by"] == str(world.company.public_id)


def test_it_answers_404_for_another_partnerships_threat_and_for_outsiders(world: World) -> None:
    foreign = services.create_threat(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        title="Theirs",
        dimensions=[Dimension.objects.get(partnership=world.foreign, code="food")],
    )
    api = Api(world, "facilitator")
    assert api.get(f"/threats/{foreign.public_id}").status_code == 404
    assert api.get(f"/threats/{foreign.public_id}/ratings").status_code == 404
    assert api.send("patch", f"/threats/{foreign.public_id}", {"title": "Mine"}).status_code == 404
    assert Api(world, "outsider").get("/threats").status_code == 404


def test_it_lists_threats_in_a_constant_number_of_queries(world: World) -> None:
    api = Api(world, "observer")

    def count() -> int:
        api.get("/threats", page_size=100)  # the token's first use is recorded once
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/threats", page_size=100).status_code == 200
        return len(queries)

    _threat(world, "One")
    small = count()
    for i in range(20):
        _threat(world, f"Threat {i}")
    assert count() == small
    assert api.get("/threats", dimension="environmental").json()["count"] == 21
    assert api.get("/threats", dimension="food").json()["count"] == 0


def test_it_gives_dimensions_localities_stress_and_mutual_risks(world: World) -> None:
    Locality.objects.create(partnership=world.own, code="00101", name="Cerro Azulejo",
                            boundary={"type": "Polygon", "coordinates": []})  # fmt: skip
    t = _threat(world)
    for partner_type in ("community", "government"):
        services.rate_threat(by=world.facilitator, threat=t, partner_type=partner_type,
                             severity=5, likelihood=2)  # fmt: skip
    api = Api(world, "participant")
    assert [d["code"] for d in api.get("/dimensions").json()][:2] == ["economic", "food"]
    localities = api.get("/localities", q="azul").json()
    assert localities["count"] == 1 and "boundary" not in localities["results"][0]
    stress = api.get("/stress").json()
    assert [g["label"] for g in stress["groups"]] == ["Community", "Government"]
    environmental = [d["code"] for d in stress["dimensions"]].index("environmental")
    assert stress["groups"][0]["cells"][environmental] == {"value": 10.0, "threats": 1}
    risks = api.get("/mutual-risks").json()
    assert risks == [
        {"threat": str(t.public_id), "title": "Landslides",
         "partner_types": ["community", "government"], "partner_type_count": 2,
         "mean_severity": 5.0, "mean_likelihood": 2.0, "dimensions": ["Environmental security"]}
    ]  # fmt: skip
