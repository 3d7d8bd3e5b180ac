"""The analysis of consultations: the precomputed cube, the suppressed tables,
and what pages, exports, the API and the portal read. No views here.

``refresh_aggregates`` brings up to date, for one questionnaire, the cube
(``Aggregate``: respondents per question, item, answer and combination of the
five attributes, by set-based SQL — incrementally, from the responses new,
gone, moved or edited since the last refresh, see docs/consultations.md) and,
from it, every table a viewer may ask for
(``ResultTable``: each *measure* — a question, or one item of a grid or one
option of a multiple choice — by each subset of at most three attributes),
suppressed as one family by ``partnerships.suppression``. Pages read only
``ResultTable`` rows: one query, whatever the number of responses.

Every respondent of the questionnaire is in exactly one category of every
measure ("no answer" included), so every question's group totals are the
questionnaire's respondents, hidden alike for all questions.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consultations.models import Answer, Question, QuestionKind, Questionnaire, Response
from consultations.models_analysis import Aggregate, AnalysisState, FoldedResponse, ResultTable
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
_SEP = "\x1f"  # between a group's values in a stored pattern (no value holds it)
NO_ANSWER = ""
CHOSE, NOT_CHOSEN, ANSWERED = "1", "0", "answered"
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
VALUE_KINDS = {QuestionKind.SCALE, QuestionKind.RANKING, QuestionKind.THREAT_RATING}
SUM_KINDS = {QuestionKind.NUMBER, QuestionKind.FREE_TEXT}
LOCK_TTL = 15 * 60
BULK = 2000
ATTEMPTS = 3  # a refresh that finds another wrote meanwhile reads again, this often

GroupKey = tuple[str, ...]


def _value_code(number: float | None) -> str:
    if number is None:
        return NO_ANSWER
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


# --- The cube ------------------------------------------------------------------------

# A cell of the cube: (question key, item, choice, *the five attributes), as stored.
CubeKey = tuple[Any, ...]
# Respondents and the sum of their numbers.
Cube = dict[CubeKey, tuple[int, float]]
Attributes = tuple[Any, ...]  # a response's attributes, in the order of _FIELDS
CHUNK = 500  # response ids per query (well under every database's limit of parameters)


def _questions(questionnaire: Questionnaire) -> dict[str, Question]:
    """The latest version's question for each key (its kind and options)."""
    latest: dict[str, Question] = {}
    questions = Question.objects.filter(version__questionnaire=questionnaire)
    for q in questions.select_related("version").order_by("version__number", "position"):
        latest[q.key] = q
    return latest


def _structure(questions: dict[str, Question]) -> str:
    """What the cube's rows mean: which keys it counts, and how (choices,
    values or sums). Options and ranges only shape the tables, rebuilt from
    the cube each time."""
    shape = sorted((key, q.kind) for key, q in questions.items())
    return hashlib.blake2b(repr(shape).encode(), digest_size=16).hexdigest()


def _add(cube: Cube, key: CubeKey, n: int, total: float) -> None:
    old = cube.get(key, (0, 0.0))
    cube[key] = (old[0] + n, old[1] + total)


def _grouped(cube: Cube, answers: Any, questions: dict[str, Question]) -> None:
    """Add to ``cube`` the answers of ``answers`` (a query of Answer), by
    three grouped queries (choices, discrete values, sums)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for key, q in questions.items():
        by_kind[q.kind].append(key)
    prefixed = [f"response__{f}" for f in _FIELDS]

    def attrs(r: dict[str, Any]) -> Attributes:
        return tuple(r[p] for p in prefixed)

    choice_keys = [k for kind in CHOICE_KINDS for k in by_kind.get(kind, [])]
    grouped = answers.filter(question__key__in=choice_keys)
    grouped = grouped.values("question__key", "choice", *prefixed).annotate(n=Count("id"))
    for r in grouped.order_by():
        _add(cube, (r["question__key"], "", r["choice"], *attrs(r)), r["n"], 0.0)
    value_keys = [k for kind in VALUE_KINDS for k in by_kind.get(kind, [])]
    grouped = answers.filter(question__key__in=value_keys, number__isnull=False)
    grouped = grouped.values("question__key", "item", "number", *prefixed).annotate(n=Count("id"))
    for r in grouped.order_by():
        cell = (r["question__key"], r["item"], _value_code(r["number"]), *attrs(r))
        _add(cube, cell, r["n"], r["number"] * r["n"])
    sum_keys = [k for kind in SUM_KINDS for k in by_kind.get(kind, [])]
    grouped = answers.filter(question__key__in=sum_keys).values("question__key", *prefixed)
    grouped = grouped.annotate(n=Count("response", distinct=True), s=Sum("number"))
    for r in grouped.order_by():
        _add(cube, (r["question__key"], "", ANSWERED, *attrs(r)), r["n"], r["s"] or 0.0)


def _people(cube: Cube, responses: Iterable[Attributes]) -> None:
    """The respondents per group: every question's group totals."""
    for attrs in responses:
        _add(cube, ("", "", "", *attrs), 1, 0.0)


def _cube_of(questionnaire: Questionnaire, questions: dict[str, Question], ids: list[int]) -> Cube:
    """The cube of these responses alone."""
    cube: Cube = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        answers = Answer.objects.filter(
            response__questionnaire=questionnaire, response_id__in=chunk
        )
        _grouped(cube, answers, questions)
    return cube


def _snapshot(questionnaire: Questionnaire, upto: int | None = None) -> dict[int, Attributes]:
    """The questionnaire's responses and their attributes, by id."""
    rows = Response.objects.filter(questionnaire=questionnaire)
    if upto is not None:
        rows = rows.filter(pk__lte=upto)
    return {r[0]: tuple(r[1:]) for r in rows.values_list("id", *_FIELDS).order_by()}


def _stored_cube(questionnaire: Questionnaire) -> dict[CubeKey, tuple[int, int, float]]:
    """The stored cube: key → (row id, respondents, total). Read with one
    plain query: at 40,000 responses it is 800,000 rows, and the queryset's
    per-row machinery took about as long again as the database."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in Aggregate._meta.concrete_fields}
    fields = ("id", "question_key", "item", "choice", *_FIELDS, "respondents", "total")
    # Only the model's own table and column names go into the text; the id is a parameter.
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608
        ", ".join(quote(column_of[f]) for f in fields),
        quote(Aggregate._meta.db_table),
        quote(column_of["questionnaire_id"]),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [questionnaire.pk])
        return {tuple(r[1:9]): (r[0], r[9], r[10]) for r in cursor.fetchall()}


@dataclass
class Fold:
    """What one refresh read and will write: the cube after it, the folded
    responses to write (id → attributes, stale) and to forget."""

    full: bool
    generation: int
    cube: Cube
    folded: dict[int, tuple[Attributes, bool]]
    forget: list[int] = field(default_factory=list)
    stored: dict[CubeKey, tuple[int, int, float]] = field(default_factory=dict)


def _fold_all(
    questionnaire: Questionnaire, questions: dict[str, Question], generation: int
) -> Fold:
    """Every response, from the answers (a full rebuild). Only the responses
    of the snapshot are counted (ids up to its last): one that commits during
    the rebuild with a lower id may or may not be in the grouped queries, so
    it is folded as stale, and the next refresh counts its group again."""
    responses = _snapshot(questionnaire)
    upto = max(responses, default=0)
    cube: Cube = {}
    answers = Answer.objects.filter(response__questionnaire=questionnaire, response_id__lte=upto)
    _grouped(cube, answers, questions)
    _people(cube, responses.values())
    folded = {i: (attrs, False) for i, attrs in responses.items()}
    for i, attrs in _snapshot(questionnaire, upto).items():
        if i not in folded:
            folded[i] = (attrs, True)
    return Fold(True, generation, cube, folded)


Folded = dict[int, tuple[Attributes, bool]]  # response id → (attributes, stale)


def _folded(questionnaire: Questionnaire) -> Folded:
    """The responses the stored cube counts, and the group each is counted in."""
    return {
        r[0]: (tuple(r[1:6]), r[6])
        for r in FoldedResponse.objects.filter(questionnaire=questionnaire)
        .values_list("response_id", *_FIELDS, "stale")
        .order_by()
    }


def _changed(responses: dict[int, Attributes], before: Folded) -> int:
    """How many responses were added, deleted, moved to other attributes or
    edited since the cube was last written."""
    new = sum(1 for i in responses if i not in before)
    return new + sum(
        1 for i, (attrs, stale) in before.items() if stale or responses.get(i) != attrs
    )


def _fold_new(
    questionnaire: Questionnaire,
    questions: dict[str, Question],
    generation: int,
    read: tuple[dict[int, Attributes], Folded] | None = None,
) -> Fold:
    """Only what changed: the answers of new responses are added to the
    stored cube; the groups of a response deleted, moved to other attributes
    or edited (``stale``) are counted again from the answers of the
    responses now in them. Both are read for a fixed set of response ids,
    so a response arriving meanwhile is left for the next refresh.
    ``read``: the responses and folded responses, if already read."""
    responses, before = read or (_snapshot(questionnaire), _folded(questionnaire))
    stored = _stored_cube(questionnaire)
    cube: Cube = {key: (n, total) for key, (_, n, total) in stored.items()}
    touched: set[Attributes] = set()
    for i, (attrs, stale) in before.items():
        now = responses.get(i)
        if now is None or now != attrs or stale:
            touched.add(attrs)
            if now is not None:
                touched.add(now)
    new = [i for i, attrs in responses.items() if i not in before and attrs not in touched]
    if touched:
        # Counted again: every response now in a touched group, new ones too.
        again = [i for i, attrs in responses.items() if attrs in touched]
        for key in [k for k in cube if k[3:] in touched]:
            del cube[key]
        fresh = _cube_of(questionnaire, questions, again)
        _people(fresh, (responses[i] for i in again))
        for key, (n, total) in fresh.items():
            _add(cube, key, n, total)
    added = _cube_of(questionnaire, questions, new)
    _people(added, (responses[i] for i in new))
    for key, (n, total) in added.items():
        _add(cube, key, n, total)
    folded = {
        i: (attrs, False)
        for i, attrs in responses.items()
        if i not in before or before[i] != (attrs, False)
    }
    forget = [i for i in before if i not in responses]
    return Fold(False, generation, cube, folded, forget, stored)


# --- The tables ---------------------------------------------------------------------


@dataclass
class Measure:
    """What one family of tables counts: one question, or one item of it."""

    question_key: str
    item: str
    categories: list[str]
    finest: dict[GroupKey, dict[str, int]] = field(default_factory=dict)
    sums: dict[GroupKey, float] = field(default_factory=dict)


def _group_of(attrs: Sequence[Any]) -> GroupKey:
    return tuple("" if v is None else str(v) for v in attrs)


def _measures(cube: Cube, questions: dict[str, Question]) -> list[Measure]:
    people: dict[GroupKey, int] = defaultdict(int)
    cells: dict[tuple[str, str], dict[GroupKey, dict[str, int]]] = defaultdict(dict)
    sums: dict[tuple[str, str], dict[GroupKey, float]] = defaultdict(lambda: defaultdict(float))
    groups: dict[Attributes, GroupKey] = {}
    for cell, (n, total) in cube.items():
        question_key, item, choice = cell[0], cell[1], cell[2]
        attrs = cell[3:]
        group = groups.get(attrs)
        if group is None:
            group = groups[attrs] = _group_of(attrs)
        if not question_key:
            people[group] += n
            continue
        q = questions.get(question_key)
        if q is None:
            continue
        # A multiple choice is one yes/no measure per option.
        if q.kind == QuestionKind.MULTIPLE_CHOICE:
            measure, category = (question_key, choice), CHOSE
        else:
            measure, category = (question_key, item), choice
        by = cells[measure].setdefault(group, {})
        by[category] = by.get(category, 0) + n
        if total:  # only values and numbers have sums; a zero adds nothing to show
            sums[measure][group] += total
    # Every measure's groups in one sorted order, sorted once here: the digest
    # of each measure then reads them as they are (sorting each of 41 families'
    # thousands of groups again took seconds).
    ordered = sorted(people.items())
    measures: list[Measure] = []
    for key, q in questions.items():
        items = _items(q, cells)
        for item in items:
            found = cells.get((key, item), {})
            categories = _categories(q, found)
            finest: dict[GroupKey, dict[str, int]] = {}
            for group, n in ordered:
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


def _payloads(
    measure: Measure,
    publication: suppression.Publication,
    sums: dict[suppression.Subset, dict[GroupKey, float]],
    people: int,
    fresh: int,
) -> Iterable[tuple[suppression.Subset, dict[str, Any], dict[str, Any]]]:
    """The stored JSON of every table of the family (see ``ResultTable.data``)
    and its compact pattern (``ResultTable.pattern``), read from the
    publication's arrays a table at a time (through the dicts of ``Table``
    it cost seconds a refresh).
    The measure's categories come first in the publication's, in its order."""
    import numpy as np

    categories = measure.categories
    last = len(categories) + 1
    for subset, groups, values, mask in publication.blocks():
        # The hidden cells as three flat lists, made by array operations (a
        # list per cell took seconds for the 280,000 hidden at 40,000).
        rows, columns = mask[:, :last].nonzero()
        keys = np.array([_SEP.join(g) for g in groups] or [""], dtype=object)
        pattern = {
            "people": people,
            "fresh": fresh,
            "categories": categories,
            "groups": keys[rows].tolist(),
            "columns": columns.tolist(),
            "counts": values[rows, columns].tolist(),
        }
        by_group = sums.get(subset, {})
        found = []
        for group, row, hidden in zip(
            groups, values[:, :last].tolist(), mask[:, :last].tolist(), strict=True
        ):
            pairs = map(list, zip(row[1:], hidden[1:], strict=True))
            cells = dict(zip(categories, pairs, strict=True))
            found.append(
                [list(group), row[0], hidden[0], cells, round(by_group.get(group, 0.0), 6)]
            )
        yield (
            subset,
            {"categories": categories, "groups": found},
            pattern,
        )


def _variables_name(subset: Sequence[int]) -> str:
    return ",".join(VARIABLES[i] for i in subset)


@dataclass
class Kept:
    """A measure whose stored tables stand: the cells they hide."""

    hidden: set[suppression.Cell]


@dataclass
class Built:
    """A measure's tables, or ``None`` when the stored ones stand (same digest)."""

    question_key: str
    item: str
    digest: str
    tables: list[ResultTable] | None


def _digest_base(measure: Measure, counts: suppression.Counts, texts: dict[Any, bytes]) -> Any:
    """Everything a measure's tables are made of but the shared hidden group
    totals (``_digest``): its categories, groups, counts and sums. The counts
    are hashed as the array ``suppress`` reads (the ``repr`` of every
    measure's dicts took seconds), the groups' text once for all measures."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(counts.categories).encode())
    text = texts.get(counts.groups)
    if text is None:
        text = texts[counts.groups] = repr(counts.groups).encode()
    h.update(text)
    h.update(counts.matrix.astype("<i8").tobytes())
    h.update(repr(sorted(measure.sums.items())).encode())
    return h


def _digest(base: Any, hidden_groups: bytes) -> str:
    """The same digest, the same tables."""
    h = base.copy()
    h.update(hidden_groups)
    return str(h.hexdigest())


def _stored_digests(questionnaire: Questionnaire) -> dict[tuple[str, str], str]:
    rows = ResultTable.objects.filter(questionnaire=questionnaire).order_by()
    return {(k, i): d for k, i, d in rows.values_list("question_key", "item", "digest").distinct()}


@dataclass
class Last:
    """A measure's last publication, as its stored tables say: the cells
    they hide with the counts they had, how many people they counted, and
    how many the last search from scratch of that measure counted."""

    hidden: dict[suppression.Cell, int] = field(default_factory=dict)
    people: int = 0
    fresh: int = 0


def _stored_patterns(questionnaire: Questionnaire) -> dict[tuple[str, str], Last]:
    """Each measure's last publication, from its tables' compact patterns
    (``ResultTable.pattern``), named as ``suppress`` names cells. A measure
    with a table stored without one is left out: it is searched afresh."""
    patterns: dict[tuple[str, str], Last] = defaultdict(Last)
    legacy: set[tuple[str, str]] = set()
    rows = ResultTable.objects.filter(questionnaire=questionnaire).order_by()
    for key, item, variables, pattern in rows.values_list(
        "question_key", "item", "variables", "pattern"
    ):
        if pattern is None:
            legacy.add((key, item))
            continue
        subset = tuple(VARIABLES.index(v) for v in variables.split(",") if v)
        last = patterns[(key, item)]
        last.people = pattern["people"]
        last.fresh = pattern["fresh"]
        names: list[str | None] = [None, *pattern["categories"]]
        split = str.split
        last.hidden.update(
            ((subset, tuple(split(g, _SEP)) if subset else (), names[c]), n)
            for g, c, n in zip(
                pattern["groups"], pattern["columns"], pattern["counts"], strict=True
            )
        )
    return {k: v for k, v in patterns.items() if k not in legacy}


def build_tables(
    questionnaire: Questionnaire,
    cube: Cube,
    *,
    questions: dict[str, Question] | None = None,
    stored: dict[tuple[str, str], str] | None = None,
    patterns: dict[tuple[str, str], Last] | None = None,
) -> list[Built]:
    """Suppress every measure's family. Group totals are hidden alike across
    measures: what one measure hides, all hide (until nothing changes).

    ``patterns``: each measure's last publication (``_stored_patterns``).
    A changed measure starts from it (``suppress(last=...)``): the last
    pattern minus every hidden cell whose reason may be gone (a count that
    grew past 1–4, a group total nothing hides now, and the hidden cells on
    their lines), completed as from scratch and checked: a few closures
    instead of dozens, and cells do come out of hiding as counts grow. When
    the number of respondents moved by more than ``WARM_GROWTH`` of the
    last publication's (a consultation's first batches), the measure is
    searched from scratch: there the last pattern is a poor guide and the
    search is cheap; and by more than ``WARM_DRIFT`` since its last search
    from scratch, since warm patterns drift (docs/suppression.md, "Reusing
    the last pattern").

    ``stored``: the digests of the stored tables. A measure whose input
    (counts, sums, categories, the group totals hidden for all) has the
    digest of its stored tables keeps them: its stored pattern was made for
    that very input, so suppressing again from it would keep it as it is."""
    questions = _questions(questionnaire) if questions is None else questions
    measures = _measures(cube, questions)
    stored = stored or {}
    # Start from the pattern of the respondents alone (the groups' totals), so
    # that usually one pass over the measures suffices.
    people = {
        group: {"all": sum(by.values())}
        for group, by in (measures[0].finest if measures else {}).items()
    }
    base = suppression.suppress(people, VARIABLES, ["all"])
    respondents = sum(by["all"] for by in people.values())
    patterns = patterns or {}
    hidden_groups: set[suppression.Cell] = {c for c in base.hidden if c[2] is None}
    published: list[suppression.Publication | Kept | None] = [None] * len(measures)
    digests = [""] * len(measures)
    # The shared group totals each measure was last suppressed with: its digest's input.
    inputs = [b""] * len(measures)
    counted = [suppression.counts_of(m.finest, m.categories) for m in measures]
    texts: dict[Any, bytes] = {}
    bases = [_digest_base(m, c, texts) for m, c in zip(measures, counted, strict=True)]
    while True:
        shared = repr(sorted(hidden_groups)).encode()
        for i, m in enumerate(measures):
            # A pattern that already hides every shared group total is one the
            # next pass would accept as it is: only the others are suppressed again.
            earlier = published[i]
            if earlier is None or not hidden_groups <= earlier.hidden:
                inputs[i] = shared
                digests[i] = _digest(bases[i], shared) if (m.question_key, m.item) in stored else ""
                last = patterns.get((m.question_key, m.item))
                if digests[i] and stored[(m.question_key, m.item)] == digests[i]:
                    published[i] = Kept(set(last.hidden) if last else set())
                    continue
                published[i] = suppression.suppress(
                    m.finest,
                    VARIABLES,
                    m.categories,
                    hidden_groups=hidden_groups,
                    last=last.hidden if last and _close(last, respondents) else None,
                    prepared=counted[i],
                )
        found = {c for p in published if p is not None for c in p.hidden if c[2] is None}
        if found <= hidden_groups:
            break
        hidden_groups |= found
    suppression.forget_structures()
    built = []
    for i, (measure, publication) in enumerate(zip(measures, published, strict=True)):
        assert publication is not None  # every measure was suppressed at least once
        digest = digests[i] or _digest(bases[i], inputs[i])
        if isinstance(publication, Kept):
            built.append(Built(measure.question_key, measure.item, digest, None))
            continue
        sums = publication.add_up(measure.sums) if measure.sums else {}
        last = patterns.get((measure.question_key, measure.item))
        # Where the pattern was last searched from scratch: carried by warm ones.
        fresh = last.fresh if last is not None and publication.warm else respondents
        tables = [
            ResultTable(
                questionnaire=questionnaire,
                question_key=measure.question_key,
                item=measure.item,
                variables=_variables_name(subset),
                data=data,
                digest=digest,
                pattern=pattern,
            )
            for subset, data, pattern in _payloads(measure, publication, sums, respondents, fresh)
        ]
        built.append(Built(measure.question_key, measure.item, digest, tables))
    return built


WARM_GROWTH = 0.25  # beyond this change in respondents, patterns are searched from scratch
WARM_DRIFT = 0.1  # and beyond this change since the last search from scratch


def _close(last: Last, now: int) -> bool:
    """Whether a measure's last pattern is a guide for these counts: the
    respondents moved by at most ``WARM_GROWTH`` of what they were at the
    last publication, and by at most ``WARM_DRIFT`` since the measure was
    last searched from scratch. Warm patterns drift: at 40,000 responses,
    three warm rounds of 1,000 in a row hid -0.13, +0.18 and +0.64 % as
    many cells as a search from scratch, so every tenth or so of growth
    starts again from scratch."""
    then, fresh = last.people, last.fresh
    return (
        then > 0
        and fresh > 0
        and abs(now - then) <= WARM_GROWTH * then
        and abs(now - fresh) <= WARM_DRIFT * fresh
    )


def due(questionnaire: Questionnaire, responses: int | None = None) -> bool:
    """Whether the published results may be rebuilt: once at least
    ``MIN_CELL`` responses changed since they were (added, deleted, moved to
    other attributes or edited), or none did (only the questions changed).
    Rebuilt after a single new, corrected or deleted response, two successive
    results would differ by one person's answers: whoever knows whose
    response changed in between would read them (a difference attack).
    ``responses`` is accepted for callers that counted them; the changes are
    read from the folded responses."""
    del responses
    return _due(_changed(_snapshot(questionnaire), _folded(questionnaire)))


def _due(changed: int) -> bool:
    return not 0 < changed < suppression.MIN_CELL


def refresh_aggregates(questionnaire_id: int, *, rebuild: bool = False) -> int:
    """Bring the cube and the tables of one questionnaire up to date, when it
    is ``due``; returns the number of cube rows (0 for an unknown
    questionnaire, or when the refresh waits for more responses).

    Incremental: only the responses that are new, gone, moved or edited since
    the last refresh are read, and only the measures whose counts changed are
    suppressed again — the tables are those a full rebuild would make.
    ``rebuild`` (or questions of another structure): everything from the
    answers. Two refreshes at once never fold a response twice: each writes
    only if no other wrote since it read (``AnalysisState.generation``);
    the one that finds it has lost reads again."""
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None:
        return 0
    for _attempt in range(ATTEMPTS):
        questions = _questions(questionnaire)
        structure = _structure(questions)
        state, _ = AnalysisState.objects.get_or_create(questionnaire=questionnaire)
        read = (_snapshot(questionnaire), _folded(questionnaire))
        if not _due(_changed(*read)):
            return 0
        full = rebuild or state.structure != structure
        if full:
            fold = _fold_all(questionnaire, questions, state.generation)
            built = build_tables(questionnaire, fold.cube, questions=questions)
        else:
            fold = _fold_new(questionnaire, questions, state.generation, read)
            built = build_tables(
                questionnaire,
                fold.cube,
                questions=questions,
                stored=_stored_digests(questionnaire),
                patterns=_stored_patterns(questionnaire),
            )
        if _write(questionnaire, fold, built, structure):
            return len(fold.cube)
    return 0  # others kept writing: whatever this one read, they folded in


def _insert_cube(questionnaire: Questionnaire, cube: Cube, keys: Sequence[CubeKey]) -> None:
    """Insert cube rows, 500 to an ``INSERT`` of many rows: after 1,000 new
    responses tens of thousands of rows change, and building a model instance
    and Django's insert for each took seconds of a refresh (and one statement
    per row, ``executemany``, is slow on PostgreSQL)."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in Aggregate._meta.concrete_fields}
    columns = ["questionnaire_id", "question_key", "item", "choice", *_FIELDS]
    columns += ["respondents", "total"]
    pk = questionnaire.pk
    if connection.vendor == "postgresql":
        _copy(Aggregate, columns, ((pk, *k, *cube[k]) for k in keys))
        return
    row = "({})".format(", ".join(["%s"] * len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(keys), CHUNK):
            batch = keys[start : start + CHUNK]
            # Only the model's own table and column names go into the text; the values are parameters.
            sql = "INSERT INTO {} ({}) VALUES {}".format(  # noqa: S608
                quote(Aggregate._meta.db_table),
                ", ".join(quote(column_of[c]) for c in columns),
                ", ".join([row] * len(batch)),
            )
            cursor.execute(sql, [v for k in batch for v in (pk, *k, *cube[k])])


def _copy(model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: rows written with ``COPY ... FROM STDIN`` (psycopg's
    ``copy.write_row``). Django binds parameters on the client: it turned
    every multi-row ``INSERT`` into text in Python, and ``bulk_create``'s
    arrays quoted the tables' JSON character by character (a third of an
    incremental refresh on PostgreSQL)."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    # Only the model's own table and column names go into the text; the rows are data.
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(column_of[c]) for c in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _insert_tables(tables: Sequence[ResultTable]) -> None:
    if connection.vendor != "postgresql":
        ResultTable.objects.bulk_create(tables, batch_size=200)
        return
    columns = ["questionnaire_id", "question_key", "item", "variables", "data", "digest"]
    _copy(
        ResultTable,
        [*columns, "pattern"],
        (
            (
                *(getattr(t, c) for c in columns[:4]),
                json.dumps(t.data),
                t.digest,
                None if t.pattern is None else json.dumps(t.pattern),
            )
            for t in tables
        ),
    )


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _write(questionnaire: Questionnaire, fold: Fold, built: list[Built], structure: str) -> bool:
    """Store what one refresh made, if no other refresh (nor an edit) wrote
    since it read; False otherwise, and nothing is written."""
    cube = fold.cube
    with transaction.atomic():
        claimed = AnalysisState.objects.filter(
            pk=questionnaire.pk, generation=fold.generation
        ).update(generation=fold.generation + 1, structure=structure)
        if not claimed:
            return False
        if fold.full:
            Aggregate.objects.filter(questionnaire=questionnaire).delete()
            FoldedResponse.objects.filter(questionnaire=questionnaire).delete()
            changed = list(cube)
        else:
            stored = fold.stored
            changed = [k for k, v in cube.items() if stored.get(k, (0, 0, 0.0))[1:] != v]
            replaced = set(changed)
            gone = [row[0] for k, row in stored.items() if k not in cube or k in replaced]
            for ids in _chunks(gone):
                Aggregate.objects.filter(pk__in=ids).delete()
            for ids in _chunks([*fold.forget, *fold.folded]):
                FoldedResponse.objects.filter(pk__in=ids).delete()
        _insert_cube(questionnaire, cube, changed)
        FoldedResponse.objects.bulk_create(
            (
                FoldedResponse(
                    response_id=i,
                    questionnaire=questionnaire,
                    stale=stale,
                    **dict(zip(_FIELDS, attrs, strict=True)),
                )
                for i, (attrs, stale) in fold.folded.items()
            ),
            batch_size=BULK,
        )
        kept = {(b.question_key, b.item) for b in built if b.tables is None}
        rows = ResultTable.objects.filter(questionnaire=questionnaire).order_by()
        old = [
            pk for pk, k, i in rows.values_list("pk", "question_key", "item") if (k, i) not in kept
        ]
        for ids in _chunks(old):
            ResultTable.objects.filter(pk__in=ids).delete()
        tables = [t for b in built for t in b.tables or ()]
        _insert_tables(tables)
        respondents = sum(n for key, (n, _) in cube.items() if not key[0])
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            aggregated_at=timezone.now(),
            response_count=respondents,
            aggregated_responses=respondents,
        )
    return True


def answers_edited(questionnaire_id: int, response_ids: Iterable[int]) -> None:
    """Say that the answers of responses already recorded were changed (a
    facilitator's correction): the next refresh counts their groups again,
    and a refresh running now will not write what it read before. New,
    deleted responses and changed attributes are found without this."""
    ids = sorted(set(response_ids))
    for chunk in _chunks(ids):
        FoldedResponse.objects.filter(questionnaire_id=questionnaire_id, pk__in=chunk).update(
            stale=True
        )
    AnalysisState.objects.filter(pk=questionnaire_id).update(generation=F("generation") + 1)


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
