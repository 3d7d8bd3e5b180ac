"""The incremental refresh of results: after any mix of new, edited, moved
and deleted responses, the stored cube is the one a full rebuild makes, every
stored table has its numbers, and its suppression pattern (kept from the last
refresh, plus what the new counts require) obeys every rule and the LP audit;
two refreshes never fold a response twice; a refresh waits for five changes."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.core.management import call_command

from consultations import analysis
from consultations.models import Answer, QuestionKind, Response
from consultations.models_analysis import AnalysisState, FoldedResponse, ResultTable
from partnerships import suppression
from partnerships.models import PartnerType
from tests import consultations_factories as f

pytestmark = pytest.mark.django_db

GENDERS = ["woman", "man", "prefer_not_to_say", ""]
AGES = ["18-29", "30-44", ""]
TYPES = [PartnerType.COMMUNITY, PartnerType.COMPANY, ""]


@pytest.fixture
def survey(world: Any) -> Any:
    q = f.questionnaire(world.own)
    attrs = f.attributes(world.own)
    questions = {
        "need": f.question(q, "need", QuestionKind.SINGLE_CHOICE),
        "many": f.question(q, "many", QuestionKind.MULTIPLE_CHOICE),
        "safe": f.question(q, "safe", QuestionKind.SCALE),
        "people": f.question(q, "people", QuestionKind.NUMBER),
        "threats": f.question(
            q,
            "threats",
            QuestionKind.THREAT_RATING,
            options=[f.WATER, f.ROADS],
            minimum=1,
            maximum=5,
        ),
        "say": f.question(q, "say", QuestionKind.FREE_TEXT),
    }
    return q, questions, attrs


def _answers(rng: random.Random, questions: dict[str, Any]) -> dict[Any, Any]:
    codes = ["water", "roads", "jobs"]
    answers: dict[Any, Any] = {
        questions["need"]: rng.choice(codes),
        questions["many"]: rng.sample(codes, k=rng.randint(1, 3)),
        questions["safe"]: float(rng.randint(1, 5)),
        # Halves add up exactly, in any order: sums compare equal.
        questions["people"]: rng.randint(0, 16) / 2,
        questions["threats"]: {"water": float(rng.randint(1, 5)), "roads": 3.0},
        questions["say"]: "Invented",
    }
    for question in list(answers):
        if rng.random() < 0.1:
            del answers[question]  # skipped
    return answers


def _respond(rng: random.Random, q: Any, questions: dict[str, Any], attrs: dict[str, Any]) -> Any:
    return f.respond(
        q,
        _answers(rng, questions),
        gender=rng.choice(GENDERS),
        age_band=rng.choice(AGES),
        partner_type=rng.choice(TYPES),
        segment=rng.choice([*attrs["segments"].values(), None]),
        locality=rng.choice([*attrs["localities"].values(), None]),
    )


def _stored(q: Any) -> tuple[dict[Any, Any], dict[Any, Any]]:
    cube = {k: (n, total) for k, (_, n, total) in analysis._stored_cube(q).items()}
    rows = ResultTable.objects.filter(questionnaire=q)
    tables = {(t.question_key, t.item, t.variables): t.data for t in rows}
    return cube, tables


def _from_scratch(q: Any) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """What a full rebuild would store, computed beside the stored state."""
    questions = analysis._questions(q)
    cube = analysis._fold_all(q, questions, 0).cube
    tables = {
        (t.question_key, t.item, t.variables): t.data
        for built in analysis.build_tables(q, cube, questions=questions)
        for t in built.tables or ()
    }
    return cube, tables


def _numbers(tables: dict[Any, Any]) -> dict[Any, Any]:
    """The tables without their hidden marks: every count and sum."""
    return {
        key: [
            [group, n, {c: value for c, (value, _) in cells.items()}, total]
            for group, n, _, cells, total in data["groups"]
        ]
        for key, data in tables.items()
    }


def _hidden(tables: dict[Any, Any]) -> dict[Any, set[Any]]:
    """Each measure's pattern, named as ``suppress`` names cells."""
    found: dict[Any, set[Any]] = {}
    for (key, item, variables), data in tables.items():
        subset = tuple(analysis.VARIABLES.index(v) for v in variables.split(",") if v)
        hidden = found.setdefault((key, item), set())
        for group, _, group_hidden, cells, _ in data["groups"]:
            if group_hidden:
                hidden.add((subset, tuple(group), None))
            hidden |= {(subset, tuple(group), c) for c, (_, shown) in cells.items() if shown}
    return found


def _assert_equivalent(q: Any, *, audit: bool = False) -> None:
    """The stored state against a full rebuild: the same cube and the same
    numbers; the stored pattern may hide more (it keeps the last one), but
    obeys every rule of ``suppress`` (and, with ``audit``, the LP audit,
    though the family is too large for the refresh to run it)."""
    stored_cube, stored_tables = _stored(q)
    fresh_cube, fresh_tables = _from_scratch(q)
    assert stored_cube == fresh_cube
    assert _numbers(stored_tables) == _numbers(fresh_tables)
    patterns = _hidden(stored_tables)
    for measure in analysis._measures(stored_cube, analysis._questions(q)):
        pattern = patterns[(measure.question_key, measure.item)]
        found = suppression.problems(
            measure.finest, analysis.VARIABLES, measure.categories, pattern, audit=audit or None
        )
        assert not found, (measure.question_key, measure.item, found[:5])


@pytest.mark.parametrize("always_warm", [False, True])
def test_it_refreshes_random_batches_with_the_numbers_of_a_full_rebuild(
    survey, monkeypatch, always_warm
):
    # always_warm: every refresh starts from the last pattern, however much
    # changed and however long since the last search from scratch.
    if always_warm:
        monkeypatch.setattr(analysis, "WARM_GROWTH", 1000.0)
        monkeypatch.setattr(analysis, "WARM_DRIFT", 1000.0)
    q, questions, attrs = survey
    rng = random.Random(11)
    for _ in range(40):
        _respond(rng, q, questions, attrs)
    assert analysis.refresh_aggregates(q.pk) > 0
    # Four rounds: each kind of change twice (the suite's time is CI's budget).
    for round_ in range(4):
        responses = list(Response.objects.filter(questionnaire=q).order_by("pk"))
        deleted = rng.sample(responses, k=rng.randint(0, 3))
        for response in deleted:
            response.delete()
        kept = [r for r in responses if r not in deleted]
        edited = rng.sample(kept, k=rng.randint(0, 4))
        for response in edited:
            # A facilitator's correction: the answers are written again.
            Answer.objects.filter(response=response).delete()
            Answer.objects.bulk_create(
                row
                for question, value in _answers(rng, questions).items()
                for row in f._answer_rows(response, question, value)
            )
        analysis.answers_edited(q.pk, [r.pk for r in edited])
        for response in rng.sample(kept, k=rng.randint(0, 3)):
            Response.objects.filter(pk=response.pk).update(gender=rng.choice(GENDERS))
        if round_ == 2:
            # A group deleted: its responses lose their segment (SET NULL).
            attrs["segments"].pop("youth").delete()
        for _ in range(len(deleted) + rng.randint(5, 12)):
            _respond(rng, q, questions, attrs)
        q.refresh_from_db()
        assert analysis.due(q)
        assert analysis.refresh_aggregates(q.pk) > 0
        _assert_equivalent(q, audit=round_ == 3)
        folded = FoldedResponse.objects.filter(questionnaire=q)
        assert folded.count() == Response.objects.filter(questionnaire=q).count()
        assert not folded.filter(stale=True).exists()


def _hidden_count(tables: dict[Any, Any]) -> int:
    return sum(map(len, _hidden(tables).values()))


@pytest.mark.parametrize("always_warm", [False, True])
def test_it_lets_breakdowns_out_of_hiding_when_a_small_first_publication_grows(
    survey, monkeypatch, always_warm
):
    # A consultation's first publication is small: nearly every group of a
    # breakdown is under 5 and hidden. Once many more have answered, the
    # breakdowns show as a search from scratch shows them, whether the
    # refresh searched afresh (a large change) or started from the last
    # pattern (always_warm).
    if always_warm:
        monkeypatch.setattr(analysis, "WARM_GROWTH", 1000.0)
        monkeypatch.setattr(analysis, "WARM_DRIFT", 1000.0)
    q, questions, attrs = survey
    rng = random.Random(13)
    for _ in range(10):
        _respond(rng, q, questions, attrs)
    analysis.refresh_aggregates(q.pk)
    first = _stored(q)[1]
    for _ in range(150):
        _respond(rng, q, questions, attrs)
    q.refresh_from_db()
    analysis.refresh_aggregates(q.pk)
    _assert_equivalent(q)
    stored, fresh = _stored(q)[1], _from_scratch(q)[1]

    def hidden_groups(tables: dict[Any, Any], variables: str) -> set[Any]:
        return {
            (key, tuple(group))
            for (key, _item, by), data in tables.items()
            if by == variables
            for group, _, group_hidden, _, _ in data["groups"]
            if group_hidden
        }

    for variables in ("gender", "age_band", "gender,age_band"):
        assert hidden_groups(first, variables)  # the first publication hid groups
        assert hidden_groups(stored, variables) == hidden_groups(fresh, variables)
    assert _hidden_count(stored) <= 1.02 * _hidden_count(fresh)


def test_it_keeps_the_tables_of_questions_whose_answers_did_not_change(survey):
    q, questions, attrs = survey
    rng = random.Random(5)
    for _ in range(30):
        _respond(rng, q, questions, attrs)
    analysis.refresh_aggregates(q.pk)
    before = dict(ResultTable.objects.filter(questionnaire=q).values_list("pk", "question_key"))
    corrected = list(Response.objects.filter(questionnaire=q).order_by("pk")[:5])
    for response in corrected:
        Answer.objects.filter(response=response, question=questions["safe"]).delete()
        Answer.objects.create(response=response, question=questions["safe"], number=5.0)
    analysis.answers_edited(q.pk, [r.pk for r in corrected])
    analysis.refresh_aggregates(q.pk)
    after = dict(ResultTable.objects.filter(questionnaire=q).values_list("pk", "question_key"))
    rewritten = {key for pk, key in after.items() if pk not in before}
    assert rewritten <= {"safe"}
    assert {key for pk, key in after.items() if pk in before} >= {"need", "many", "threats"}
    _assert_equivalent(q)


def test_it_waits_for_five_changes_of_any_kind_before_publishing_again(survey):
    q, questions, attrs = survey
    rng = random.Random(9)
    for _ in range(25):
        _respond(rng, q, questions, attrs)
    analysis.refresh_aggregates(q.pk)
    published = _stored(q)
    responses = list(Response.objects.filter(questionnaire=q).order_by("pk"))
    # Four changes, one of each kind: results that differ by them would tell
    # whoever knows who changed their answers what those answers are.
    corrected = responses[0]
    Answer.objects.filter(response=corrected, question=questions["safe"]).update(number=1.0)
    analysis.answers_edited(q.pk, [corrected.pk])
    Response.objects.filter(pk=responses[1].pk).update(gender="man")
    responses[2].delete()
    _respond(rng, q, questions, attrs)
    q.refresh_from_db()
    assert not analysis.due(q)
    assert analysis.refresh_aggregates(q.pk) == 0
    assert analysis.refresh_aggregates(q.pk, rebuild=True) == 0
    assert _stored(q) == published
    # The fifth change makes a batch: everything is published at once.
    responses[3].delete()
    q.refresh_from_db()
    assert analysis.due(q)
    assert analysis.refresh_aggregates(q.pk) > 0
    _assert_equivalent(q)
    _respond(rng, q, questions, attrs)
    assert not analysis.due(q)  # a new batch starts


def test_it_never_folds_a_response_twice_when_two_refreshes_overlap(survey):
    q, questions, attrs = survey
    rng = random.Random(7)
    for _ in range(20):
        _respond(rng, q, questions, attrs)
    analysis.refresh_aggregates(q.pk)
    for _ in range(6):
        _respond(rng, q, questions, attrs)
    # The first refresh reads; meanwhile a second reads, writes, and five more arrive.
    state = AnalysisState.objects.get(questionnaire=q)
    slow = analysis._fold_new(q, analysis._questions(q), state.generation)
    slow_tables = analysis.build_tables(q, slow.cube)
    analysis.refresh_aggregates(q.pk)
    late = [_respond(rng, q, questions, attrs) for _ in range(5)]
    assert not analysis._write(q, slow, slow_tables, state.structure)
    assert not FoldedResponse.objects.filter(pk__in=[r.pk for r in late]).exists()
    assert _stored(q)[0] != _from_scratch(q)[0]  # the late ones wait for the next refresh
    q.refresh_from_db()
    analysis.refresh_aggregates(q.pk)
    _assert_equivalent(q)
    q.refresh_from_db()
    assert q.aggregated_responses == 31


def test_it_rebuilds_in_full_when_a_question_changes_kind_or_when_asked(survey):
    q, questions, attrs = survey
    rng = random.Random(3)
    for _ in range(20):
        _respond(rng, q, questions, attrs)
    analysis.refresh_aggregates(q.pk)
    questions["people"].kind = QuestionKind.SCALE
    questions["people"].save(update_fields=["kind"])
    for _ in range(5):
        _respond(rng, q, questions, attrs)
    q.refresh_from_db()
    analysis.refresh_aggregates(q.pk)
    assert _stored(q) == _from_scratch(q)
    assert AnalysisState.objects.get(questionnaire=q).structure == analysis._structure(
        analysis._questions(q)
    )
    # Stored rows damaged by hand: the command rebuilds them from the answers.
    ResultTable.objects.filter(questionnaire=q).delete()
    call_command("rebuild_results", str(q.public_id))
    assert _stored(q) == _from_scratch(q)


def test_it_searches_from_scratch_after_a_large_change_or_a_tenth_of_growth():
    # Warm patterns drift a little from round to round: a measure is searched
    # from scratch again once respondents moved a tenth since its last search
    # from scratch, and whenever they moved a quarter since the last publication.
    assert analysis._close(analysis.Last(people=40_000, fresh=40_000), 41_000)
    assert analysis._close(analysis.Last(people=43_000, fresh=40_000), 44_000)
    assert not analysis._close(analysis.Last(people=43_500, fresh=40_000), 44_500)
    assert not analysis._close(analysis.Last(people=10, fresh=10), 15)
    assert not analysis._close(analysis.Last(), 15)  # stored before patterns were
