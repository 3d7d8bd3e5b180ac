"""Export of results to CSV and XLSX: the same suppressed tables as the pages
(``analysis_results.question_results``), one row per question, item, group and
answer, streamed — CSV row by row, XLSX through openpyxl's write-only mode to a
temporary file — so memory stays flat however many responses there are. Text
a spreadsheet would take for a formula gets a leading quote
(``stakeholders.io_export.neutralise``).

A hidden number is an empty cell, never a word in a number column, and the
line's ``note`` says why, with the address of the page that explains small
numbers; the XLSX file also has a sheet of its own about them."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.analysis import VARIABLES
from consultations.analysis_results import Labels, question_results
from consultations.models import Question, Questionnaire
from partnerships.languages import reading
from partnerships.suppression import MIN_CELL, Refused
from stakeholders.io_export import neutralise

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(by: Sequence[str]) -> list[str]:
    return [
        "question",
        "question_text",
        "item",
        *by,
        "answer",
        "respondents",
        "share",
        "group_respondents",
        "mean",
        "note",
    ]


def hidden_note(about_url: str) -> str:
    return ngettext(
        "Hidden: fewer than %(n)s person, or a number that would reveal them. Why: %(url)s",
        "Hidden: fewer than %(n)s people, or a number that would reveal them. Why: %(url)s",
        MIN_CELL,
    ) % {"n": MIN_CELL, "url": about_url}


def about_lines(about_url: str) -> list[str]:
    """The XLSX file's sheet about hidden numbers."""
    return [
        _("Why some numbers are hidden"),
        ngettext(
            "An empty number is hidden: it counts fewer than %(n)s person, or it would "
            "reveal such a number by subtraction from a total or from other numbers.",
            "An empty number is hidden: it counts fewer than %(n)s people, or it would "
            "reveal such a number by subtraction from a total or from other numbers.",
            MIN_CELL,
        )
        % {"n": MIN_CELL},
        _("Zero is shown: it tells that nobody is in a group, which singles out no one."),
        _("The same rule applies on every page, in every export and in the API."),
        about_url,
    ]


def rows(
    questionnaire: Questionnaire,
    questions: Sequence[Question],
    by: Sequence[str],
    *,
    raw: bool,
    labels: Labels,
    about_url: str = "",
) -> Iterator[list[Any]]:
    """The export's rows, question by question (one query each)."""
    hidden = hidden_note(about_url)
    for question in questions:
        try:
            results = question_results(questionnaire, question, by, raw=raw, labels=labels)
        except Refused as exc:
            yield [question.key, question.label, "", *[""] * len(by), "", "", "", "", "", str(exc)]
            continue
        for result in results:
            lines = result.rows if by else ([result.overall] if result.overall else result.rows[:1])
            for row in lines:
                labels_ = row.labels if by else []
                mean = "" if row.mean is None else round(row.mean, 3)
                if row.hidden:
                    yield [
                        question.key,
                        question.label,
                        result.item_label,
                        *labels_,
                        "",
                        "",
                        "",
                        "",
                        "",
                        hidden,
                    ]
                    continue
                for (_code, label), cell in zip(result.columns, row.cells, strict=True):
                    count: Any = "" if cell.count is None else _number(cell.count)
                    note = hidden if cell.count is None else ""
                    share: Any = (
                        "" if cell.share is None or cell.count is None else round(cell.share, 1)
                    )
                    if result.means_only:
                        yield [
                            question.key,
                            question.label,
                            label,
                            *labels_,
                            "",
                            "",
                            "",
                            row.total,
                            count,
                            note,
                        ]
                    else:
                        yield [
                            question.key,
                            question.label,
                            result.item_label,
                            *labels_,
                            label,
                            count,
                            share,
                            row.total,
                            mean,
                            note,
                        ]


def _number(value: float) -> Any:
    return int(value) if float(value).is_integer() else round(value, 3)


def _reading(questionnaire: Questionnaire, lines: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """The lines, with texts falling back to the partnership's working
    languages: a streamed export is written after its view has returned, out
    of the request's reading context."""
    languages = list(questionnaire.partnership.languages or [])
    with reading(languages):
        yield from lines


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(lines: Iterator[list[Any]], columns: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)  # with a BOM, spreadsheets read UTF-8
    for line in lines:
        yield writer.writerow([neutralise(v) for v in line])


def write_xlsx(
    lines: Iterator[list[Any]],
    columns: list[str],
    target: Any,
    title: str,
    about: Sequence[str] = (),
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "results")
    sheet.append(columns)
    for line in lines:
        cells = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in line]
        sheet.append([neutralise(c) for c in cells])
    if about:
        notes = book.create_sheet(str(about[0])[:31])
        for text in about:
            notes.append([neutralise(text)])
    book.save(target)


def response(
    questionnaire: Questionnaire,
    questions: Sequence[Question],
    by: Sequence[str],
    *,
    fmt: str,
    raw: bool,
    labels: Labels,
    name: str,
    about_url: str = "",
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    columns = header([str(v) for v in by])
    lines = _reading(
        questionnaire,
        rows(questionnaire, questions, by, raw=raw, labels=labels, about_url=about_url),
    )
    filename = f"{name}{'-' + '-'.join(by) if by else ''}.{fmt}"
    if fmt == "csv":
        streamed = StreamingHttpResponse(
            _csv_stream(lines, columns), content_type="text/csv; charset=utf-8"
        )
        streamed["Content-Disposition"] = f'attachment; filename="{filename}"'
        return streamed
    spool = tempfile.TemporaryFile()
    write_xlsx(lines, columns, spool, name, about=about_lines(about_url))
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)


__all__ = ["FORMATS", "VARIABLES", "response", "rows"]
