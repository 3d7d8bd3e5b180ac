"""The analysis of consultations: the precomputed cube, the suppressed tables,
and what pages, exports, the API and the portal read. No views here.

``refresh_aggregates`` rebuilds, for one questionnaire, the cube (``Aggregate``:
respondents per question, item, answer and combination of the five attributes,
by set-based SQL) and, from it, every table a viewer may ask for
(``ResultTable``: each *measure* — a question, or one item of a grid or one
option of a multiple choice — by each subset of at most three attributes),
suppressed as one family by ``partnerships.suppression``. Pages read only
``ResultTable`` rows: one query, whatever the number of responses.

Every respondent of the questionnaire is in exactly one category of every
measure ("no answer" included), so every question's group totals are the
questionnaire's respondents, hidden alike for all questions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consultations.models import Answer, Question, QuestionKind, Questionnaire, Response
from consultations.models_analysis import Aggregate, ResultTable
from partnerships import background, suppression
from partnerships.suppression import MAX_BY, Refused

VARIABLES: tuple[str, ...] = ("segment", "gender", "age_band", "locality", "partner_type")
VARIABLE_LABELS = {
    "segment": gettext_lazy("Group"),
    "gender": gettext_lazy("Gender"),
    "age_band": gettext_lazy("Age band"),
    "locality": gettext_lazy("Locality"),
    "partner_type": gettext_lazy("Partner type"),
}
_FIELDS = ("segment_id", "gender", "age_band", "locality_id", "partner_type")
NO_ANSWER = ""
CHOSE, NOT_CHOSEN, ANSWERED = "1", "0", "answered"
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
VALUE_KINDS = {QuestionKind.SCALE, QuestionKind.RANKING, QuestionKind.THREAT_RATING}
SUM_KINDS = {QuestionKind.NUMBER, QuestionKind.FREE_TEXT}
LOCK_TTL = 15 * 60
BULK = 2000

GroupKey = tuple[str, ...]


def _group_of(row: dict[str, Any]) -> GroupKey:
    return tuple("" if row[f] is None else str(row[f]) for f in _FIELDS)


def _value_code(number: float | None) -> str:
    if number is None:
        return NO_ANSWER
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


# --- Refreshing ----------------------------------------------------------------------


def _questions(questionnaire: Questionnaire) -> dict[str, Question]:
    """The latest version's question for each key (its kind and options)."""
    latest: dict[str, Question] = {}
    questions = Question.objects.filter(version__questionnaire=questionnaire)
    for q in questions.select_related("version").order_by("version__number", "position"):
        latest[q.key] = q
    return latest


def _cube_rows(questionnaire: Questionnaire, questions: dict[str, Question]) -> list[Aggregate]:
    """The cube, by three grouped queries (choices, discrete values, sums)."""
    attrs = list(_FIELDS)
    answers = Answer.objects.filter(response__questionnaire=questionnaire)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for key, q in questions.items():
        by_kind[q.kind].append(key)
    rows: list[Aggregate] = []
    people = Response.objects.filter(questionnaire=questionnaire).values(*attrs)
    for r in people.annotate(n=Count("id")).order_by():
        rows.append(Aggregate(question_key="", respondents=r["n"], **{f: r[f] for f in attrs}))
    prefixed = [f"response__{f}" for f in attrs]

    def unprefix(r: dict[str, Any]) -> dict[str, Any]:
        return {f: r[f"response__{f}"] for f in attrs}

    choice_keys = [k for kind in CHOICE_KINDS for k in by_kind.get(kind, [])]
    grouped = answers.filter(question__key__in=choice_keys)
    grouped = grouped.values("question__key", "choice", *prefixed).annotate(n=Count("id"))
    for r in grouped.order_by():
        rows.append(
            Aggregate(
                question_key=r["question__key"],
                choice=r["choice"],
                respondents=r["n"],
                **unprefix(r),
            )
        )
    value_keys = [k for kind in VALUE_KINDS for k in by_kind.get(kind, [])]
    grouped = answers.filter(question__key__in=value_keys, number__isnull=False)
    grouped = grouped.values("question__key", "item", "number", *prefixed).annotate(n=Count("id"))
    for r in grouped.order_by():
        rows.append(
            Aggregate(
                question_key=r["question__key"],
                item=r["item"],
                choice=_value_code(r["number"]),
                respondents=r["n"],
                total=r["number"] * r["n"],
                **unprefix(r),
            )
        )
    sum_keys = [k for kind in SUM_KINDS for k in by_kind.get(kind, [])]
    grouped = answers.filter(question__key__in=sum_keys).values("question__key", *prefixed)
    grouped = grouped.annotate(n=Count("response", distinct=True), s=Sum("number"))
    for r in grouped.order_by():
        rows.append(
            Aggregate(
                question_key=r["question__key"],
                choice=ANSWERED,
                respondents=r["n"],
                total=r["s"] or 0,
                **unprefix(r),
            )
        )
    for row in rows:
        row.questionnaire = questionnaire
    return rows


@dataclass
class Measure:
    """What one family of tables counts: one question, or one item of it."""

    question_key: str
    item: str
    categories: list[str]
    finest: dict[GroupKey, dict[str, int]] = field(default_factory=dict)
    sums: dict[GroupKey, float] = field(default_factory=dict)


def _measures(cube: list[Aggregate], questions: dict[str, Question]) -> list[Measure]:
    people: dict[GroupKey, int] = defaultdict(int)
    cells: dict[tuple[str, str], dict[GroupKey, dict[str, int]]] = defaultdict(dict)
    sums: dict[tuple[str, str], dict[GroupKey, float]] = defaultdict(lambda: defaultdict(float))
    for row in cube:
        group = _group_of(row.__dict__)
        if not row.question_key:
            people[group] += row.respondents
            continue
        q = questions.get(row.question_key)
        if q is None:
            continue
        # A multiple choice is one yes/no measure per option.
        if q.kind == QuestionKind.MULTIPLE_CHOICE:
            measure, category = (row.question_key, row.choice), CHOSE
        else:
            measure, category = (row.question_key, row.item), row.choice
        by = cells[measure].setdefault(group, {})
        by[category] = by.get(category, 0) + row.respondents
        sums[measure][group] += row.total
    measures: list[Measure] = []
    for key, q in questions.items():
        items = _items(q, cells)
        for item in items:
            found = cells.get((key, item), {})
            categories = _categories(q, found)
            finest: dict[GroupKey, dict[str, int]] = {}
            for group, n in people.items():
                counts = dict(found.get(group, {}))
                rest = n - sum(counts.values())
                counts[NOT_CHOSEN if q.kind == QuestionKind.MULTIPLE_CHOICE else NO_ANSWER] = max(
                    rest, 0
                )
                finest[group] = counts
            measures.append(Measure(key, item, categories, finest, dict(sums.get((key, item), {}))))
    return measures


def _items(q: Question, cells: dict[tuple[str, str], Any]) -> list[str]:
    seen = sorted(item for (key, item) in cells if key == q.key)
    if q.kind == QuestionKind.MULTIPLE_CHOICE or q.kind in (
        QuestionKind.RANKING,
        QuestionKind.THREAT_RATING,
    ):
        codes = [str(o.get("code")) for o in q.options if o.get("code")]
        return codes + [i for i in seen if i not in codes]
    return [""]


def _categories(q: Question, found: dict[GroupKey, dict[str, int]]) -> list[str]:
    seen = {c for by in found.values() for c in by}
    if q.kind == QuestionKind.MULTIPLE_CHOICE:
        return [CHOSE, NOT_CHOSEN]
    if q.kind == QuestionKind.SINGLE_CHOICE:
        codes = [str(o.get("code")) for o in q.options if o.get("code")]
    elif q.kind in SUM_KINDS:
        codes = [ANSWERED]
    else:
        low, high = q.minimum, q.maximum
        if q.kind in (QuestionKind.RANKING, QuestionKind.THREAT_RATING) and high is None:
            high = float(len(q.options)) if q.kind == QuestionKind.RANKING else 5.0
        low = 1.0 if low is None else low
        codes = [_value_code(v) for v in _frange(low, high)] if high is not None else []
        codes += sorted((c for c in seen if c not in codes and c), key=_numeric)
    return codes + [c for c in sorted(seen) if c not in codes and c] + [NO_ANSWER]


def _frange(low: float, high: float) -> Iterable[float]:
    value = low
    while value <= high and value - low < 100:
        yield value
        value += 1


def _numeric(code: str) -> float:
    try:
        return float(code)
    except ValueError:
        return float("inf")


def _payload(measure: Measure, table: suppression.Table) -> dict[str, Any]:
    groups = []
    sums: dict[GroupKey, float] = defaultdict(float)
    for finest, total in measure.sums.items():
        sums[tuple(finest[i] for i in table.variables)] += total
    for group, n in sorted(table.raw_totals.items()):
        hidden = table.totals.get(group) is None
        cells = {
            c: [table.raw_cells.get((group, c), 0), table.cells.get((group, c), 0) is None]
            for c in measure.categories
        }
        groups.append([list(group), n, hidden, cells, round(sums.get(group, 0.0), 6)])
    return {"categories": measure.categories, "groups": groups}


def _variables_name(subset: Sequence[int]) -> str:
    return ",".join(VARIABLES[i] for i in subset)


def build_tables(questionnaire: Questionnaire, cube: list[Aggregate]) -> list[ResultTable]:
    """Suppress every measure's family. Group totals are hidden alike across
    measures: what one measure hides, all hide (until nothing changes)."""
    questions = _questions(questionnaire)
    measures = _measures(cube, questions)
    # Start from the pattern of the respondents alone (the groups' totals), so
    # that usually one pass over the measures suffices.
    people = {
        group: {"all": sum(by.values())}
        for group, by in (measures[0].finest if measures else {}).items()
    }
    base = suppression.suppress(people, VARIABLES, ["all"])
    hidden_groups: set[suppression.Cell] = {c for c in base.hidden if c[2] is None}
    published: list[suppression.Publication | None] = [None] * len(measures)
    while True:
        for i, m in enumerate(measures):
            # A pattern that already hides every shared group total is one the
            # next pass would accept as it is: only the others are suppressed again.
            earlier = published[i]
            if earlier is None or not hidden_groups <= earlier.hidden:
                published[i] = suppression.suppress(
                    m.finest, VARIABLES, m.categories, hidden_groups=hidden_groups
                )
        found = {c for p in published if p is not None for c in p.hidden if c[2] is None}
        if found <= hidden_groups:
            break
        hidden_groups |= found
    suppression.forget_structures()
    tables = []
    for measure, publication in zip(measures, published, strict=True):
        assert publication is not None  # every measure was suppressed at least once
        for subset, table in publication.tables.items():
            tables.append(
                ResultTable(
                    questionnaire=questionnaire,
                    question_key=measure.question_key,
                    item=measure.item,
                    variables=_variables_name(subset),
                    data=_payload(measure, table),
                )
            )
    return tables


def due(questionnaire: Questionnaire, responses: int | None = None) -> bool:
    """Whether the published results may be rebuilt: once at least
    ``MIN_CELL`` responses have arrived since the last rebuild (or none has,
    when only the questions changed). Rebuilt after every single response,
    two successive results would differ by one person's answers: whoever
    knows who answered in between would read them (a difference attack)."""
    if responses is None:
        responses = Response.objects.filter(questionnaire=questionnaire).count()
    new = responses - questionnaire.aggregated_responses
    return not 0 < new < suppression.MIN_CELL


def refresh_aggregates(questionnaire_id: int) -> int:
    """Rebuild the cube and the tables of one questionnaire, when it is
    ``due``; returns the number of cube rows (0 for an unknown questionnaire,
    or when the rebuild waits for more responses)."""
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None or not due(questionnaire):
        return 0
    questions = _questions(questionnaire)
    cube = _cube_rows(questionnaire, questions)
    tables = build_tables(questionnaire, cube)
    with transaction.atomic():
        Aggregate.objects.filter(questionnaire=questionnaire).delete()
        ResultTable.objects.filter(questionnaire=questionnaire).delete()
        Aggregate.objects.bulk_create(cube, batch_size=BULK)
        ResultTable.objects.bulk_create(tables, batch_size=200)
        respondents = sum(r.respondents for r in cube if not r.question_key)
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            aggregated_at=timezone.now(),
            response_count=respondents,
            aggregated_responses=respondents,
        )
    return len(cube)


def lock_key(questionnaire_id: int) -> str:
    return f"consultations:refresh:{questionnaire_id}"


def refresh_aggregates_later(questionnaire_id: int) -> bool:
    """Queue a refresh unless one is queued already (a burst of responses makes
    one refresh). The task releases the lock as it starts, so responses that
    arrive during a refresh queue the next one."""
    if not cache.add(lock_key(questionnaire_id), True, LOCK_TTL):
        return False
    try:
        background.enqueue("consultations.refresh_results", questionnaire_id)
    except Exception:
        cache.delete(lock_key(questionnaire_id))
        raise
    return True


def refresh_pending(questionnaire_id: int) -> bool:
    return bool(cache.get(lock_key(questionnaire_id)))


# --- Reading -------------------------------------------------------------------------


def parse_by(values: Iterable[str]) -> list[str]:
    """The variables asked for, in the canonical order; refused beyond three,
    twice the same, or unknown."""
    chosen = [v for v in values if v]
    if len(chosen) > MAX_BY:
        raise Refused(
            ngettext("At most %(n)s variable at once.", "At most %(n)s variables at once.", MAX_BY)
            % {"n": MAX_BY}
        )
    if len(set(chosen)) != len(chosen):
        raise Refused(_("Each variable may be chosen once."))
    unknown = [v for v in chosen if v not in VARIABLES]
    if unknown:
        raise Refused(_("Unknown variable: %(name)s.") % {"name": unknown[0]})
    return [v for v in VARIABLES if v in chosen]


def tables_for(
    questionnaire: Questionnaire,
    question_key: str,
    by: Sequence[str],
    *,
    item: str | None = None,
) -> list[ResultTable]:
    """The stored tables of a question (one per item, or the one ``item``) for
    these variables: one query."""
    rows = ResultTable.objects.filter(
        questionnaire=questionnaire, question_key=question_key, variables=",".join(by)
    )
    if item is not None:
        rows = rows.filter(item=item)
    return list(rows.order_by("id"))
