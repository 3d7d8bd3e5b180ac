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
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.analysis import VARIABLES
from consultations.analysis_results import Labels, question_results
from consultations.models import Question, Questionnaire
from partnerships import exports, spreadsheet
from partnerships.languages import reading
from partnerships.models_work import ExportJob
from partnerships.permissions import Action, Ctx
from partnerships.suppression import MIN_CELL, Refused
from stakeholders.io_export import neutralise

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# The kind under which results exports run in the background (partnerships.exports).
EXPORT_KIND = "consultations.results"


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
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[list[Any]]:
    """The export's rows, question by question (one query each); ``progress``
    hears how many questions are done."""
    hidden = hidden_note(about_url)
    for number, question in enumerate(questions):
        if progress is not None:
            progress(number, len(questions))
        key, text = question.key, question.label  # once: a label is looked up by language
        try:
            results = question_results(questionnaire, question, by, raw=raw, labels=labels)
        except Refused as exc:
            yield [key, text, "", *[""] * len(by), "", "", "", "", "", str(exc)]
            continue
        for result in results:
            lines = result.rows if by else ([result.overall] if result.overall else result.rows[:1])
            for row in lines:
                labels_ = row.labels if by else []
                mean = "" if row.mean is None else round(row.mean, 3)
                if row.hidden:
                    yield [
                        key,
                        text,
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
                            key,
                            text,
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
                            key,
                            text,
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
    """The XLSX file: the results sheet, and the sheet about hidden numbers.
    Through ``partnerships.spreadsheet`` (a row is one string), not openpyxl,
    which spent 35 s on the cells of a 200,000-response export."""
    results = itertools.chain([columns], ([neutralise(v) for v in line] for line in lines))
    sheets: list[tuple[str, Iterable[Sequence[Any]]]] = [(title[:31] or "results", results)]
    if about:
        sheets.append((str(about[0]), ([neutralise(text)] for text in about)))
    spreadsheet.write(target, sheets)


def write(
    questionnaire: Questionnaire,
    questions: Sequence[Question],
    by: Sequence[str],
    *,
    fmt: str,
    raw: bool,
    labels: Labels,
    target: Any,
    name: str = "results",
    about_url: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the export to ``target`` (a binary file): what a background
    export job keeps in storage."""
    columns = header([str(v) for v in by])
    lines = _reading(
        questionnaire,
        rows(
            questionnaire,
            questions,
            by,
            raw=raw,
            labels=labels,
            about_url=about_url,
            progress=progress,
        ),
    )
    if fmt == "csv":
        for text in _csv_stream(lines, columns):
            target.write(text.encode("utf-8"))
        return
    write_xlsx(lines, columns, target, name, about=about_lines(about_url))
    if progress is not None:
        progress(len(questions), len(questions))


def filename(name: str, by: Sequence[str], fmt: str) -> str:
    return f"{name}{'-' + '-'.join(by) if by else ''}.{fmt}"


def parameters(
    questionnaire: Questionnaire,
    by: Sequence[str],
    *,
    fmt: str,
    raw: bool,
    name: str,
    about_url: str,
    question: str = "",
) -> dict[str, Any]:
    """What a background export job needs to write the same file later."""
    return {
        "questionnaire": questionnaire.pk,
        "question": question,
        "by": list(by),
        "fmt": fmt,
        "raw": raw,
        "name": name,
        "about_url": about_url,
    }


def write_job(
    job: ExportJob, target: IO[bytes], progress: Callable[[int, int], None]
) -> tuple[str, str]:
    """The background export job's work (``partnerships.exports``)."""
    given = job.parameters
    q = Questionnaire.objects.select_related("partnership").get(
        pk=given["questionnaire"], partnership_id=job.partnership_id
    )
    questions = Question.objects.filter(version_id=q.current_version_id).order_by("position")
    if given.get("question"):
        questions = questions.filter(key=given["question"])
    by = [str(v) for v in given.get("by", [])]
    fmt = str(given.get("fmt", "csv"))
    write(
        q,
        list(questions),
        by,
        fmt=fmt,
        raw=bool(given.get("raw")),
        labels=Labels(q, by),
        target=target,
        name=str(given.get("name", "results")),
        about_url=str(given.get("about_url", "")),
        progress=progress,
    )
    return filename(str(given.get("name", "results")), by, fmt), XLSX if fmt == "xlsx" else CSV


def _may_download(ctx: Ctx, job: ExportJob) -> bool:
    # Raw (unsuppressed) numbers: only who may read single responses, as on the page.
    return not job.parameters.get("raw") or ctx.can("response", Action.VIEW)


def register() -> None:
    exports.register(
        exports.Exporter(
            kind=EXPORT_KIND,
            capability="results_export",
            write=write_job,
            allowed=_may_download,
        )
    )


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
    called = filename(name, by, fmt)
    if fmt == "csv":
        streamed = StreamingHttpResponse(_csv_stream(lines, columns), content_type=CSV)
        streamed["Content-Disposition"] = f'attachment; filename="{called}"'
        return streamed
    spool = tempfile.TemporaryFile()
    write_xlsx(lines, columns, spool, name, about=about_lines(about_url))
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=called, content_type=XLSX)


__all__ = ["FORMATS", "VARIABLES", "response", "rows"]
