"""The analysis of consultations: the cube, the suppressed tables, freshness,
and who sees what."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import analysis
from consultations.analysis_results import question_results
from consultations.models import Mode, QuestionKind
from consultations.models_analysis import Aggregate, ResultTable
from partnerships.suppression import Refused
from tests import consultations_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    q = f.questionnaire(world.own)
    attrs = f.attributes(world.own)
    farmers, youth = attrs["segments"]["farmers"], attrs["segments"]["youth"]
    rio, loma = attrs["localities"]["05001"], attrs["localities"]["05002"]
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    safety = f.question(q, "feel_safe", QuestionKind.SCALE)
    # 12 women farmers in Río Claro, 9 of them want water; 2 young men in Loma Alta.
    f.many(
        q,
        9,
        {need: "water", safety: 4},
        gender="woman",
        age_band="18-29",
        segment=farmers,
        locality=rio,
    )
    f.many(
        q,
        3,
        {need: "roads", safety: 2},
        gender="woman",
        age_band="30-44",
        segment=farmers,
        locality=rio,
    )
    f.many(
        q,
        10,
        {need: "jobs", safety: 3},
        gender="man",
        age_band="30-44",
        segment=farmers,
        locality=rio,
    )
    f.many(
        q,
        2,
        {need: "jobs", safety: 1},
        gender="man",
        age_band="18-29",
        segment=youth,
        locality=loma,
    )
    analysis.refresh_aggregates(q.pk)
    q.refresh_from_db()
    return q, need, safety


def test_it_rebuilds_the_cube_and_the_tables(survey):
    q, need, _safety = survey
    assert q.aggregated_at is not None and q.response_count == 24
    assert Aggregate.objects.filter(questionnaire=q, question_key="main_need").exists()
    assert (
        ResultTable.objects.filter(questionnaire=q, question_key="main_need", variables="").count()
        == 1
    )
    [overall] = question_results(q, need, [])
    row = overall.rows[0]
    assert row.total == 24
    counts = dict(zip([c for c, _ in overall.columns], [c.count for c in row.cells], strict=False))
    # Roads (3) is hidden, and water (9) with it: 24 − 12 − 9 would give 3.
    assert counts["jobs"] == 12 and counts["roads"] is None and counts["water"] is None


def test_it_hides_small_groups_and_their_complements(survey):
    q, need, _safety = survey
    [by_gender] = question_results(q, need, ["gender"])
    women = next(r for r in by_gender.rows if r.values == ["woman"])
    assert women.total == 12
    roads = next(
        c for (code, _), c in zip(by_gender.columns, women.cells, strict=False) if code == "roads"
    )
    assert roads.count is None
    men = next(r for r in by_gender.rows if r.values == ["man"])
    # 12 men choose jobs; water and roads zero: nothing small is shown anywhere.
    assert all(
        c.count is None or c.count == 0 or c.count >= 5 for r in by_gender.rows for c in r.cells
    )
    assert men.total == 12


def test_it_refuses_to_break_an_anonymous_questionnaire_down_to_one_person(world):
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    attrs = f.attributes(world.own)
    for i, gender in enumerate(["woman", "man", "woman", "man", "woman", "man"]):
        f.respond(
            q,
            {need: "water"},
            gender=gender,
            age_band="18-29" if i % 2 else "30-44",
            segment=attrs["segments"]["farmers"],
            locality=attrs["localities"]["05001"],
        )
    analysis.refresh_aggregates(q.pk)
    with pytest.raises(Refused, match="fewer than 5"):
        question_results(q, need, ["gender", "age_band"])
    with pytest.raises(Refused):
        question_results(q, need, ["gender", "age_band", "segment", "locality"])


def test_it_shows_the_raw_view_only_on_identified_questionnaires(world):
    for mode, expected in ((Mode.ANONYMOUS, None), (Mode.IDENTIFIED, 3)):
        q = f.questionnaire(world.own, mode=mode)
        need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
        f.many(q, 3, {need: "water"}, gender="woman")
        f.many(q, 9, {need: "jobs"}, gender="man")
        f.many(q, 8, {need: "jobs"}, gender="prefer_not_to_say")
        analysis.refresh_aggregates(q.pk)
        [by_gender] = question_results(q, need, ["gender"], raw=True)
        women = next(r for r in by_gender.rows if r.values == ["woman"])
        assert women.total == expected


def _url(world, q, name="results", **kwargs):
    return reverse(
        f"consultations:{name}",
        kwargs={"slug": world.own.slug, "questionnaire_id": q.public_id, **kwargs},
    )


def test_it_shows_results_with_freshness_to_every_role(world, survey):
    q, _need, _safety = survey
    for persona in ("facilitator", "company_rep", "participant", "observer"):
        client = world.client_for(persona)
        page = client.get(_url(world, q))
        assert page.status_code == 200
        assert "Results as of" in page.content.decode()
        page = client.get(
            _url(world, q, "results_question", question_key="main_need") + "?by=gender"
        )
        assert page.status_code == 200, persona
        html = page.content.decode()
        assert "Results as of" in html and "<svg" in html and "hidden" in html
    assert world.client_for("outsider").get(_url(world, q)).status_code == 404


def test_it_keeps_a_foreign_questionnaire_out_of_reach(world, survey):
    q, _need, _safety = survey
    url = reverse(
        "consultations:results",
        kwargs={"slug": world.foreign.slug, "questionnaire_id": q.public_id},
    )
    assert world.client_for("foreign_facilitator").get(url).status_code == 404
    assert world.client_for("facilitator").get(url).status_code == 404


def test_it_shows_the_refusal_message_on_the_page(world):
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    for gender in ["woman", "man"] * 3:
        f.respond(
            q,
            {need: "water"},
            gender=gender,
            age_band="18-29" if gender == "man" else "30-44",
            partner_type="community",
        )
    analysis.refresh_aggregates(q.pk)
    page = world.client_for("observer").get(
        _url(world, q, "results_question", question_key="main_need")
        + "?by=gender&by=age_band&by=partner_type"
    )
    assert "This breakdown is refused" in page.content.decode()


def test_it_lets_only_facilitators_refresh_now(world, survey):
    q, _need, _safety = survey
    url = _url(world, q, "results_refresh")
    assert world.client_for("observer").post(url).status_code in (403, 404)
    assert world.client_for("facilitator").post(url).status_code == 302


def test_it_offers_the_raw_view_to_facilitators_of_identified_questionnaires_only(world):
    q = f.questionnaire(world.own, mode=Mode.IDENTIFIED)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE)
    f.many(q, 3, {need: "water"}, gender="woman")
    f.many(q, 9, {need: "jobs"}, gender="man")
    f.many(q, 8, {need: "jobs"}, gender="prefer_not_to_say")
    analysis.refresh_aggregates(q.pk)
    url = _url(world, q, "results_question", question_key="main_need") + "?by=gender&raw=1"
    raw = world.client_for("facilitator").get(url).content.decode()
    assert "Raw view: small groups" in raw
    other = world.client_for("company_rep").get(url).content.decode()
    assert "Raw view: small groups" not in other


def test_it_reads_results_in_constant_queries(world, survey):
    q, need, safety = survey
    client = world.client_for("observer")
    url = (
        _url(world, q, "results_question", question_key="feel_safe")
        + "?by=gender&by=segment&by=locality"
    )
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    f.many(q, 20, {need: "water", safety: 5}, gender="woman", age_band="30-44")
    analysis.refresh_aggregates(q.pk)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_it_queues_one_refresh_for_a_burst_of_responses(world, survey):
    from consultations.tasks import refresh_results

    q, need, _safety = survey
    assert analysis.refresh_aggregates_later(q.pk) is True
    assert analysis.refresh_aggregates_later(q.pk) is False  # already pending
    assert analysis.refresh_pending(q.pk)
    f.many(q, 5, {need: "jobs"}, gender="man")
    refresh_results.call(q.pk)  # what the worker runs
    assert not analysis.refresh_pending(q.pk)
    q.refresh_from_db()
    assert q.response_count == 29


def test_it_pages_a_breakdown_and_counts_every_group(world, survey, monkeypatch):
    from consultations import views_analysis

    q, _need, _safety = survey
    monkeypatch.setattr(views_analysis, "ROWS_PER_PAGE", 1)
    client = world.client_for("observer")
    url = _url(world, q, "results_question", question_key="feel_safe") + "?by=gender"
    first = client.get(url).content.decode()
    second = client.get(url + "&page=2").content.decode()
    beyond = client.get(url + "&page=99").content.decode()
    # One group per page: men on the first, women on the second (and on any
    # page past the end, which shows the last one).
    assert "Page 1 of 2" in first and "Page 2 of 2" in second and "Page 2 of 2" in beyond
    assert (">Man<" in first) != (">Man<" in second)
    assert (">Woman<" in second) == (">Woman<" in beyond)
    # Each group's respondents are counted on its own page.
    assert "<td>12</td>" in first and "<td>12</td>" in second


def test_it_draws_the_map_again_when_boundaries_change(
    world, survey, django_capture_on_commit_callbacks
):
    from baseline.localities import import_localities

    q, _need, _safety = survey
    client = world.client_for("facilitator")
    url = _url(world, q, "results_map") + "?question=feel_safe&indicator=mean"

    def figure() -> str:
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        return html[html.index('<figure class="chart-figure">') : html.index("</figure>")]

    before = figure()
    assert figure() == before  # served from the cache
    # A much larger Río Claro: the picture must change.
    square = [[[-77.0, 5.0], [-74.0, 5.0], [-74.0, 8.0], [-77.0, 8.0], [-77.0, 5.0]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"MPIO_CCNCT": "05001"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        import_localities(
            by=world.facilitator, partnership=world.own, boundaries=json.dumps(geojson)
        )
    assert figure() != before  # drawn anew, not the cached picture


def test_it_shows_a_grid_by_its_means_and_one_item_at_a_time(world):
    q = f.questionnaire(world.own)
    attrs = f.attributes(world.own)
    grid = f.question(q, "grid", QuestionKind.THREAT_RATING, options=[f.WATER, f.ROADS])
    codes = [str(o["code"]) for o in grid.options]
    f.many(
        q,
        12,
        {grid: {code: 4 for code in codes}},
        gender="woman",
        segment=attrs["segments"]["farmers"],
    )
    f.many(
        q,
        12,
        {grid: {code: 2 for code in codes}},
        gender="man",
        segment=attrs["segments"]["farmers"],
    )
    analysis.refresh_aggregates(q.pk)
    client = world.client_for("observer")
    url = _url(world, q, "results_question", question_key="grid") + "?by=gender"
    html = client.get(url).content.decode()
    assert "Mean by group and item" in html and "one item’s answers" in html
    assert "Respondents by group and answer" not in html
    tabs = html.split('id="items-h"')[1].split("</nav>")[0]
    assert tabs.count('aria-current="page"') == 1  # "Mean by item"
    html = client.get(url + f"&item={codes[0]}").content.decode()
    # One item's table alone: the means need every item's table, this only its own.
    assert "Mean by group and item" not in html
    assert html.count("Respondents by group and answer") == 1
    assert f'item={codes[0]}" aria-current="page"' in html
    # An item the question does not have: the means, not an error.
    html = client.get(url + "&item=nonsense").content.decode()
    assert "Mean by group and item" in html
