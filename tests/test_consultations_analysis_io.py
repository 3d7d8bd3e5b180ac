"""Results leave the platform — exports, the API, the portal — through the same
suppressed tables as the pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import ApiToken
from consultations import analysis
from consultations.analysis_hooks import consultation_results
from consultations.models import QuestionKind
from tests import consultations_factories as f

pytestmark = pytest.mark.django_db

SNEAKY = {"code": "formula", "label": {"en": '=HYPERLINK("http://evil.example","x")'}}


@pytest.fixture
def survey(world):
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE, options=[f.WATER, f.JOBS, SNEAKY])
    f.many(q, 3, {need: "water"}, gender="woman")
    f.many(q, 9, {need: "formula"}, gender="woman")
    f.many(q, 9, {need: "jobs"}, gender="man")
    f.many(q, 8, {need: "jobs"}, gender="prefer_not_to_say")
    analysis.refresh_aggregates(q.pk)
    return q, need


def _export(world, q, fmt, persona="observer", query="?by=gender"):
    url = reverse(
        "consultations:results_export",
        kwargs={
            "slug": world.own.slug,
            "questionnaire_id": q.public_id,
            "question_key": "main_need",
            "fmt": fmt,
        },
    )
    return world.client_for(persona).get(url + query)


def test_it_exports_csv_with_the_same_suppression_and_no_formulas(world, survey):
    q, _need = survey
    response = _export(world, q, "csv")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    women = {r["answer"]: r for r in rows if r["gender"].lower() == "woman"}
    # Water (3) is hidden, and the next smallest with it; the label is neutralised.
    # A hidden number is an empty cell, and its line's note says why, with the
    # address of the page that explains it.
    for answer in ("Water", '\'=HYPERLINK("http://evil.example","x")'):
        assert women[answer]["respondents"] == ""
        assert women[answer]["note"].startswith("Hidden: fewer than 5 people")
        assert women[answer]["note"].endswith("http://testserver/portal/small-numbers/")
    assert women["Jobs"]["note"] == ""
    for row in rows:
        if row["respondents"] != "":
            assert not 0 < float(row["respondents"]) < 5
    assert all(not v.startswith("=") for row in rows for v in row.values())


def test_it_exports_xlsx_with_the_same_suppression(world, survey):
    q, _need = survey
    response = _export(world, q, "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert any(isinstance(v, str) and v.startswith("Hidden: fewer than 5") for v in values)
    about = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert book.sheetnames[1] == "Why some numbers are hidden"
    assert about[-1] == "http://testserver/portal/small-numbers/"
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert not any(
        isinstance(v, int | float) and 0 < v < 5 for v in values if not isinstance(v, bool)
    )


def test_it_refuses_exports_to_participants_and_bad_requests(world, survey):
    q, _need = survey
    assert _export(world, q, "csv", persona="participant").status_code in (403, 404)
    assert (
        _export(world, q, "csv", query="?by=gender&by=age_band&by=segment&by=locality").status_code
        == 400
    )
    assert _export(world, q, "pdf").status_code == 404


def _api(world, persona="observer"):
    client = Client()
    user = getattr(world, persona)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user=user, name='t')[1]}"
    return client


def test_it_answers_the_api_with_suppressed_results(world, survey):
    q, _need = survey
    url = f"/api/v1/partnerships/{world.own.slug}/questionnaires/{q.public_id}/results/main_need"
    body = _api(world).get(url, {"by": ["gender"]}).json()
    [result] = body["results"]
    women = next(g for g in result["groups"] if g["values"] == {"gender": "woman"})
    assert women["respondents"] == 12
    water = next(c for c in women["cells"] if c["answer"] == "water")
    assert water["respondents"] is None
    refused = _api(world).get(url, {"by": ["gender", "age_band", "segment", "locality"]})
    assert refused.status_code == 400
    foreign = (
        f"/api/v1/partnerships/{world.foreign.slug}/questionnaires/{q.public_id}/results/main_need"
    )
    assert _api(world, "foreign_facilitator").get(foreign).status_code == 404


def test_it_offers_the_portal_only_suppressed_headlines_once_the_baseline_is_published(
    world, survey
):
    _q, _need = survey
    assert consultation_results(world.own.pk) == {}
    from baseline.services import set_baseline_published

    set_baseline_published(by=world.facilitator, partnership=world.own, published=True)
    summary = consultation_results(world.own.pk)
    [entry] = summary["questionnaires"]
    assert entry["responses"] == 29
    for headline in entry["headlines"]:
        for answer in headline["answers"]:
            assert answer["respondents"] is None or not 0 < answer["respondents"] < 5
