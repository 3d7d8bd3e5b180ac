"""The sheet of a facilitated session: one row per paper form.

Columns are the respondent's attributes (gender, age_band, segment,
locality) and the question keys. A multiple choice holds its codes separated
by ";", a ranking its items in order separated by ";", a rating grid
``threat=severity`` pairs separated by ";". The header row comes first.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Question, QuestionKind
from consultations.services import SheetRow
from partnerships.text import without_controls

ATTRIBUTE_COLUMNS = ("gender", "age_band", "segment", "locality")
# Kinds whose answers are written as codes in the sheet.
CODED_KINDS = (
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.RANKING,
    QuestionKind.THREAT_RATING,
)
MAX_ROWS = 2000


def header(questions: list[Question]) -> list[str]:
    return [*ATTRIBUTE_COLUMNS, *(q.key for q in questions)]


def columns(questions: list[Question]) -> list[dict[str, Any]]:
    """The question columns of the sheet, for the session page: each
    question's column name (its key), its text, and the codes its answers are
    written with, with their labels."""
    found = []
    for q in questions:
        codes = []
        if q.kind in CODED_KINDS:
            codes = [
                (str(o.get("code", "")), q.option_label(str(o.get("code", "")))) for o in q.options
            ]
        found.append({"name": q.key, "text": q.label, "kind": q.get_kind_display(), "codes": codes})
    return found


def example_row(questions: list[Question]) -> list[str]:
    """A second line showing the shape of each answer (the facilitator deletes it)."""
    cells = ["woman", "30_44", "", ""]
    for q in questions:
        codes = [o.get("code", "") for o in q.options]
        if q.kind == QuestionKind.SINGLE_CHOICE:
            cells.append(codes[0] if codes else "")
        elif q.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
            cells.append(";".join(codes[:2]))
        elif q.kind == QuestionKind.THREAT_RATING:
            cells.append(";".join(f"{c}=3" for c in codes[:2]))
        elif q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            cells.append(f"{q.minimum:g}" if q.minimum is not None else "1")
        else:
            cells.append("")
    return cells


def template_csv(questions: list[Question]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(questions))
    return out.getvalue()


def read(text: str, questions: list[Question]) -> tuple[list[SheetRow], list[tuple[int, str, str]]]:
    """The rows of the sheet and the problems of its shape (row 1 is the header)."""
    problems: list[tuple[int, str, str]] = []
    sample = without_controls(text.lstrip("\ufeff"))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(sample), dialect)
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        return [], [(1, "", _("The sheet is empty: paste the header row and one row per form."))]
    known = set(header(questions))
    for column in columns:
        if column and column not in known:
            problems.append(
                (
                    1,
                    column,
                    _("“%(c)s” is neither a respondent attribute nor a question key.")
                    % {"c": column},
                )
            )
    if len(set(columns)) != len(columns):
        problems.append((1, "", _("A column appears twice in the header.")))
    rows: list[SheetRow] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            too_many = ngettext(
                "At most %(n)s form per sheet: split it.",
                "At most %(n)s forms per sheet: split it.",
                MAX_ROWS,
            )
            problems.append((number, "", too_many % {"n": MAX_ROWS}))
            break
        if len(cells) > len(columns):
            problems.append((number, "", _("This row has more cells than the header.")))
            continue
        row = SheetRow(number=number, answers={}, attributes={})
        for column, cell in zip(columns, cells, strict=False):
            value = cell.strip()
            if column in ATTRIBUTE_COLUMNS:
                row.attributes[column] = value
            elif column in known and value:
                row.answers[column] = value
                row.columns[column] = column
        rows.append(row)
    if not rows and not problems:
        problems.append((2, "", _("The sheet has a header but no forms.")))
    return rows, problems
