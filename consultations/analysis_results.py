"""Results as people read them: the stored, suppressed tables of a question
turned into rows with labels, counts, shares and means. Pages, exports, the
API and the portal all read through ``question_results`` — suppression is
decided once, in ``consultations.analysis.build_tables``, and only the raw
view of an identified questionnaire, for a facilitator, bypasses it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline.models import AgeBand, GenderOption, Locality
from consultations.analysis import (
    ANSWERED,
    CHOSE,
    NO_ANSWER,
    VALUE_KINDS,
    VARIABLE_LABELS,
    VARIABLES,
    parse_by,
    tables_for,
)
from consultations.models import Question, QuestionKind, Questionnaire
from consultations.models_analysis import ResultTable
from partnerships.models import PartnerType
from partnerships.suppression import Refused
from stakeholders.models import Segment

MEAN_KINDS = VALUE_KINDS | {QuestionKind.NUMBER}
# Questions with one table per item, shown by their means by item first.
ITEM_KINDS = {QuestionKind.RANKING, QuestionKind.THREAT_RATING}


@dataclass
class Cell:
    count: float | None  # None: hidden
    share: float | None = None  # of the group's respondents, 0–100


@dataclass
class Row:
    values: list[str]  # the group's values, as codes
    labels: list[str]
    total: int | None
    cells: list[Cell]
    mean: float | None = None
    hidden: bool = False


@dataclass
class Result:
    """One table: a question (or one item of it) by the chosen variables."""

    question: Question
    item: str
    item_label: str
    variables: list[str]
    columns: list[tuple[str, str]]  # (code, label)
    rows: list[Row] = field(default_factory=list)
    overall: Row | None = None
    has_mean: bool = False
    means_only: bool = False  # a grid's means by threat (columns are items)
    # Of all the groups, not only the ``rows`` of a page's window.
    row_count: int = 0
    hidden_rows: int = 0

    @property
    def variable_labels(self) -> list[str]:
        return [str(VARIABLE_LABELS[v]) for v in self.variables]


class Labels:
    """The names of the attributes' values, loaded once per request (one query
    per variable used)."""

    def __init__(self, questionnaire: Questionnaire, variables: Sequence[str]) -> None:
        partnership = questionnaire.partnership_id
        self.names: dict[str, dict[str, str]] = {}
        for v in variables:
            if v == "segment":
                rows = Segment.objects.filter(partnership_id=partnership)
                self.names[v] = {str(s.pk): s.label for s in rows}
            elif v == "locality":
                found = Locality.objects.filter(partnership_id=partnership).only(
                    "name", "parent_name"
                )
                self.names[v] = {str(loc.pk): str(loc) for loc in found}
            elif v == "gender":
                genders = GenderOption.objects.filter(partnership_id=partnership)
                self.names[v] = {g.code: g.label for g in genders}
            elif v == "age_band":
                bands = AgeBand.objects.filter(partnership_id=partnership)
                self.names[v] = {b.code: b.label for b in bands}
            elif v == "partner_type":
                self.names[v] = {str(k): str(label) for k, label in PartnerType.choices}

    def of(self, variable: str, code: str) -> str:
        if not code:
            return _("Not stated")
        return self.names.get(variable, {}).get(code, code)


def category_label(question: Question, code: str) -> str:
    if code == NO_ANSWER:
        return _("No answer")
    if code == ANSWERED:
        return _("Answered")
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return question.option_label(code)
    return code


def _mean(
    question: Question, categories: list[str], cells: dict[str, list[Any]], total: float, raw: bool
) -> float | None:
    if question.kind == QuestionKind.NUMBER:
        n, hidden = cells.get(ANSWERED, [0, False])
        if (hidden and not raw) or not n:
            return None
        return float(total) / float(n)
    values = [c for c in categories if c != NO_ANSWER]
    if not raw and any(cells.get(c, [0, False])[1] for c in values):
        return None  # derivable from the published distribution only
    n = sum(cells.get(c, [0, False])[0] for c in values)
    if not n:
        return None
    return float(sum(float(c) * cells[c][0] for c in values if c in cells)) / float(n)


def _rows(
    question: Question,
    table: ResultTable,
    labels: Labels,
    variables: list[str],
    raw: bool,
    window: slice | None = None,
) -> tuple[list[str], list[Row]]:
    categories: list[str] = table.data.get("categories", [])
    rows = []
    groups = table.data.get("groups", [])
    for values, n, hidden, cells, total in groups if window is None else groups[window]:
        hide_all = hidden and not raw
        row_cells = []
        for c in categories:
            count, cell_hidden = cells.get(c, [0, False])
            if hide_all or (cell_hidden and not raw):
                row_cells.append(Cell(None))
            else:
                row_cells.append(Cell(count, 100.0 * count / n if n else None))
        mean = None
        if question.kind in MEAN_KINDS and not hide_all:
            mean = _mean(question, categories, cells, total, raw)
        rows.append(
            Row(
                values=list(values),
                labels=[labels.of(v, code) for v, code in zip(variables, values, strict=True)],
                total=None if hide_all else n,
                cells=row_cells,
                mean=mean,
                hidden=hide_all,
            )
        )
    return categories, rows


def question_results(
    questionnaire: Questionnaire,
    question: Question,
    by: Sequence[str],
    *,
    raw: bool = False,
    labels: Labels | None = None,
    window: slice | None = None,
    item: str | None = None,
) -> list[Result]:
    """The question's results by ``by`` (at most three variables), suppressed
    unless ``raw`` (only ever for a facilitator on an identified questionnaire:
    the caller decides, ``may_see_raw``). A breakdown in which every group is
    too small to show is refused with a message, not shown as blanks.

    ``window``: the groups a page shows (rows are built for those only; the
    counts of all groups are on each result).

    ``item``: of a grid or a ranking, that item's answers alone, without the
    means by item (which need every item's table)."""
    variables = parse_by(by)
    raw = raw and not questionnaire.is_anonymous
    labels = labels or Labels(questionnaire, variables)
    one = item if item is not None and question.kind in ITEM_KINDS else None
    tables = tables_for(questionnaire, question.key, variables, item=one)
    overall = (
        {t.item: t for t in tables_for(questionnaire, question.key, [], item=one)}
        if variables
        else {}
    )
    results: list[Result] = []
    refused = bool(variables) and not raw and bool(tables)
    for table in tables:
        groups = table.data.get("groups", [])
        hidden = 0 if raw else sum(1 for g in groups if g[2])
        refused = refused and hidden == len(groups)
        categories, rows = _rows(question, table, labels, variables, raw, window)
        result = Result(
            question=question,
            item=table.item,
            item_label=question.option_label(table.item) if table.item else "",
            variables=variables,
            columns=[(c, category_label(question, c)) for c in categories],
            rows=rows,
            has_mean=question.kind in MEAN_KINDS,
            row_count=len(groups),
            hidden_rows=hidden,
        )
        # The overall row ("everyone") is every result's first line, with or
        # without a breakdown: a page opens on it, never on an empty table.
        whole = overall.get(table.item) if variables else table
        if whole is not None and whole.data.get("groups"):
            result.overall = _rows(question, whole, labels, [], raw)[1][0]
        results.append(result)
    if refused and any(res.row_count for res in results):
        raise Refused(
            ngettext(
                "This breakdown is refused: every group in it has fewer than %(n)s "
                "respondent, or would reveal one that has, so showing it could tell what "
                "a person answered. Choose fewer variables.",
                "This breakdown is refused: every group in it has fewer than %(n)s "
                "respondents, or would reveal one that has, so showing it could tell what "
                "a person answered. Choose fewer variables.",
                _min_cell(),
            )
            % {"n": _min_cell()}
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return [_combine_options(question, variables, results)] if results else []
    if question.kind in ITEM_KINDS and results and one is None:
        return [_means_by_item(question, variables, results), *results]
    return results


def _min_cell() -> int:
    from partnerships.suppression import MIN_CELL

    return MIN_CELL


def _combine_options(question: Question, variables: list[str], results: list[Result]) -> Result:
    """A multiple choice's options side by side: how many in each group chose each."""
    combined = Result(
        question=question,
        item="",
        item_label="",
        variables=variables,
        columns=[(r.item, r.item_label) for r in results],
        row_count=results[0].row_count,
        hidden_rows=results[0].hidden_rows,
    )
    for index, row in enumerate(results[0].rows):
        cells = []
        for r in results:
            cells.append(r.rows[index].cells[0])  # the "chose it" cell
        combined.rows.append(Row(row.values, row.labels, row.total, cells, hidden=row.hidden))
    if results[0].overall:
        o = results[0].overall
        combined.overall = Row(
            [],
            [],
            o.total,
            [r.overall.cells[0] if r.overall else Cell(None) for r in results],
            hidden=o.hidden,
        )
    return combined


def _means_by_item(question: Question, variables: list[str], results: list[Result]) -> Result:
    """A grid's mean (severity, rank) per item and group."""
    combined = Result(
        question=question,
        item="",
        item_label=_("Mean by item"),
        variables=variables,
        columns=[(r.item, r.item_label) for r in results],
        means_only=True,
        row_count=results[0].row_count,
        hidden_rows=results[0].hidden_rows,
    )
    for index, row in enumerate(results[0].rows):
        cells = [Cell(r.rows[index].mean) for r in results]
        combined.rows.append(Row(row.values, row.labels, row.total, cells, hidden=row.hidden))
    if all(r.overall for r in results):
        first = results[0].overall
        assert first is not None
        combined.overall = Row(
            [],
            [],
            first.total,
            [Cell(r.overall.mean if r.overall else None) for r in results],
            hidden=first.hidden,
        )
    return combined


def variable_choices() -> list[tuple[str, str]]:
    return [(v, str(VARIABLE_LABELS[v])) for v in VARIABLES]


__all__ = ["CHOSE", "Cell", "Labels", "Refused", "Result", "Row", "question_results"]
