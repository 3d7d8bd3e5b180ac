"""Pages of the analysis: results per question, disaggregated and suppressed,
the map by locality, exports, and the facilitator's "refresh now". Thin: they
read only the stored tables (``consultations.analysis_results``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from consultations import analysis, analysis_export
from consultations.analysis_results import (
    ITEM_KINDS,
    Labels,
    Result,
    Row,
    question_results,
    variable_choices,
)
from consultations.models import Answer, Question, QuestionKind, Questionnaire
from partnerships import charts, exports
from partnerships.audit import record_event
from partnerships.models import AuditAction
from partnerships.paging import paged
from partnerships.permissions import Action, Ctx, get_owned_or_404, partnership_view
from partnerships.suppression import MIN_CELL, Refused
from partnerships.templatetags.partnerships_tags import people

ROWS_PER_PAGE = 60
CHART_TTL = 24 * 3600
INLINE_REFRESH = 2000  # responses; above, "refresh now" queues the task
# Responses above which a whole-questionnaire export is written in the
# background ("My exports") rather than while the request waits: a reverse
# proxy gives a request about 60 s, and by three variables the export of a
# large questionnaire has hundreds of thousands of lines.
BACKGROUND_EXPORT = 20000
TEXTS_SHOWN = 200
POST = ("POST",)


def may_see_raw(ctx: Ctx, questionnaire: Questionnaire) -> bool:
    """The raw (unsuppressed) view: a facilitator (who may see single
    responses), on an identified questionnaire only."""
    return not questionnaire.is_anonymous and ctx.can("response", Action.VIEW)


def _questions(questionnaire: Questionnaire) -> list[Question]:
    version = questionnaire.current_version_id
    return list(Question.objects.filter(version_id=version).order_by("position"))


def _question(questionnaire: Questionnaire, key: str) -> Question:
    question: Question | None = (
        Question.objects.filter(version__questionnaire=questionnaire, key=key)
        .order_by("-version__number")
        .first()
    )
    if question is None:
        raise Http404
    return question


def hidden_marker() -> SafeString:
    """What a hidden cell shows: the same words and link as every hidden count
    of people (``{{ n|people }}``), made once per page."""
    return mark_safe(people(None))  # noqa: S308 — built by format_html, escaped there


def _overview(q: Questionnaire, hidden: SafeString) -> list[dict[str, Any]]:
    """Each question's overall row ("everyone"): the page opens on the
    results, not on a choice of breakdown. A grid or a ranking shows its
    means by item. One query per question."""
    labels = Labels(q, [])
    entries = []
    for question in _questions(q):
        try:
            results = question_results(q, question, [], labels=labels)
        except Refused:
            results = []
        result = results[0] if results else None
        overall = result.overall if result is not None else None
        entries.append(
            {
                "question": question,
                "result": result,
                "overall": _texts_of(result, overall, hidden) if result and overall else None,
            }
        )
    return entries


def _freshness(questionnaire: Questionnaire) -> dict[str, Any]:
    waiting = questionnaire.response_count - questionnaire.aggregated_responses
    return {
        "aggregated_at": questionnaire.aggregated_at,
        "pending": analysis.refresh_pending(questionnaire.pk),
        # Newer responses wait for a batch: say so, without saying how many.
        "batching": 0 < waiting < MIN_CELL,
        "min_cell": MIN_CELL,
    }


@partnership_view("results", Action.VIEW)
def results_index(request: HttpRequest, ctx: Ctx, questionnaire_id: Any) -> HttpResponse:
    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    return render(
        request,
        "consultations/analysis.html",
        {
            "ctx": ctx,
            "q": q,
            "overview": _overview(q, hidden_marker()),
            "may_export": ctx.can("results_export", Action.VIEW),
            "may_refresh": ctx.can("questionnaire", Action.CHANGE),
            **_freshness(q),
        },
    )


@partnership_view("questionnaire", Action.CHANGE, methods=POST)
def results_refresh(request: HttpRequest, ctx: Ctx, questionnaire_id: Any) -> HttpResponse:
    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    if not analysis.due(q):
        messages.info(
            request,
            ngettext(
                "The results already hold every batch of answers: the newest answers "
                "are added once at least %(n)s has arrived.",
                "The results already hold every batch of answers: the newest answers "
                "are added once at least %(n)s have arrived.",
                MIN_CELL,
            )
            % {"n": MIN_CELL},
        )
    elif q.response_count <= INLINE_REFRESH:
        analysis.refresh_aggregates(q.pk)
        messages.success(request, _("The results are up to date."))
    else:  # large: in the background, like after responses
        analysis.refresh_aggregates_later(q.pk)
        messages.success(request, _("The results are being refreshed; this page shows when."))
    return redirect("consultations:results", ctx.partnership.slug, q.public_id)


def _chart(q: Questionnaire, result: Result, raw: bool) -> str:
    """The overall distribution (or the means by item), as inline SVG; cached
    until the next refresh (drawing costs more than the rest of the page)."""
    stamp = q.aggregated_at.timestamp() if q.aggregated_at else 0
    parts = (q.pk, stamp, result.question.key, result.item, result.means_only, raw, get_language())
    key = "analysis-chart:" + ":".join(str(p) for p in parts)
    cached = cache.get(key)
    if not isinstance(cached, str):
        cached = _draw(result)
        cache.set(key, cached, CHART_TTL)
    return mark_safe(cached)  # noqa: S308 — built by our own charts module, text escaped there


def _draw(result: Result) -> str:
    row = result.overall
    if row is None:
        return ""
    title = result.item_label or result.question.label
    hidden = _("hidden")
    if result.means_only:
        values = [c.count for c in row.cells]
        svg = charts.bar_chart(
            [label for _, label in result.columns], values, title=title, hidden_label=hidden
        )
    else:
        shares = [c.share if c.count is not None else None for c in row.cells]
        svg = charts.bar_chart(
            [label for _, label in result.columns],
            shares,
            title=title,
            unit="%",
            hidden_label=hidden,
        )
    return svg


def _window(page: str | None) -> slice:
    try:
        number = max(int(page or 1), 1)
    except ValueError:
        number = 1
    return slice((number - 1) * ROWS_PER_PAGE, number * ROWS_PER_PAGE)


def _number(value: float, decimals: int) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True)


def _texts_of(result: Result, row: Row, hidden: str) -> list[str]:
    """A row's cells as shown: respondents, each answer's count (and share of
    the group), and the mean; where suppressed, ``hidden`` (the words and the
    link that say why). Formatted here, once, rather than by filters in a
    template loop."""
    extra = result.has_mean and not result.means_only
    if row.hidden:
        return [hidden] * (1 + len(result.columns) + (1 if extra else 0))
    texts = [_number(row.total or 0, 0)]
    for cell in row.cells:
        if cell.count is None:
            texts.append(hidden)
        elif result.means_only:
            texts.append(_number(cell.count, 2))
        else:
            count = cell.count
            text = _number(count, 0 if float(count).is_integer() else 2)
            if cell.share is not None:
                text += f" ({_number(round(cell.share), 0)}%)"
            texts.append(text)
    if extra:
        texts.append(hidden if row.mean is None else _number(row.mean, 2))
    return texts


def _body(result: Result, rows: list[Row], hidden: str) -> SafeString:
    """A breakdown's table rows as HTML. Built here rather than in the template:
    a page of three variables has a thousand cells, and the template engine
    took longer over them than everything else on the page together. Every
    label and text is escaped (labels are names partners typed)."""
    lines = []
    for row in rows:
        labels = row.labels
        cells = [f'<th scope="row">{conditional_escape(str(labels[0]))}</th>'] if labels else []
        cells.extend(f"<td>{conditional_escape(str(label))}</td>" for label in labels[1:])
        cells.extend(
            f"<td>{conditional_escape(text)}</td>" for text in _texts_of(result, row, hidden)
        )
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 — every part escaped above


@partnership_view("results", Action.VIEW)
def question_results_page(
    request: HttpRequest, ctx: Ctx, questionnaire_id: Any, question_key: str
) -> HttpResponse:
    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    question = _question(q, question_key)
    raw_allowed = may_see_raw(ctx, q)
    raw = raw_allowed and request.GET.get("raw") == "1"
    by = request.GET.getlist("by")
    chosen = [v for v in by if v]
    refusal = ""
    results: list[Result] = []
    # Rows are built and formatted for the page's window only: a breakdown by
    # three variables has hundreds of groups per item.
    window = _window(request.GET.get("page"))
    # A grid or a ranking: its means by item, or one item's answers, a table
    # at a time (every item's full distribution at once would make a page of
    # thousands of cells, and one item needs only that item's table).
    items: list[tuple[str, str]] = []
    item = request.GET.get("item", "")
    if question.kind in ITEM_KINDS:
        codes = [str(o.get("code")) for o in question.options]
        items = [("", _("Mean by item")), *((c, question.option_label(c)) for c in codes)]
        item = item if item in codes else ""
    one = item or None

    def read(window: slice) -> list[Result]:
        results = question_results(q, question, by, raw=raw, window=window, item=one)
        return results[:1] if question.kind in ITEM_KINDS and one is None else results

    try:
        results = read(window)
        longest = max((r.row_count for r in results), default=0)
        listing = paged(request, range(longest), ROWS_PER_PAGE)
        if listing["page"].object_list != range(longest)[window]:  # out of range: the last page
            results = read(
                slice(listing["page"].object_list.start, listing["page"].object_list.stop)
            )
    except Refused as exc:
        refusal = str(exc)
        listing = paged(request, range(0), ROWS_PER_PAGE)
    hidden = hidden_marker()
    shown = [
        {
            "result": r,
            "overall": _texts_of(r, r.overall, hidden) if r.overall else None,
            "body": _body(r, r.rows, hidden) if chosen else "",
            "chart": _chart(q, r, raw),
        }
        for r in results
    ]
    context = {
        "ctx": ctx,
        "q": q,
        "question": question,
        "results": shown,
        "refusal": refusal,
        "chosen": chosen,
        "slots": [chosen[i] if i < len(chosen) else "" for i in range(3)],
        "variables": variable_choices(),
        "raw": raw,
        "raw_allowed": raw_allowed,
        "may_export": ctx.can("results_export", Action.VIEW),
        "texts": _texts(ctx, q, question),
        "by_query": "&".join(f"by={v}" for v in chosen),
        "items": items,
        "item": item,
        **listing,
        **_freshness(q),
    }
    return render(request, "consultations/analysis_question.html", context)


def _texts(ctx: Ctx, q: Questionnaire, question: Question) -> list[str]:
    """Free text: only facilitators read it, never with who wrote it or their
    attributes (Django escapes it on the page)."""
    if question.kind != QuestionKind.FREE_TEXT or not ctx.can("questionnaire", Action.CHANGE):
        return []
    answers = Answer.objects.filter(response__questionnaire=q, question__key=question.key)
    answers = answers.exclude(text="").order_by("?")[:TEXTS_SHOWN]
    return [a for a in answers.values_list("text", flat=True)]


def _indicator_choices(question: Question) -> list[tuple[str, str]]:
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return [
            (str(o.get("code")), question.option_label(str(o.get("code"))))
            for o in question.options
        ]
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        return [("mean", _("Mean"))]
    if question.kind in (QuestionKind.RANKING, QuestionKind.THREAT_RATING):
        return [
            (str(o.get("code")), question.option_label(str(o.get("code"))))
            for o in question.options
        ]
    return []


def locality_values(
    q: Questionnaire, question: Question, indicator: str, *, raw: bool = False
) -> tuple[dict[str, float | None], str]:
    """The chosen indicator by locality id: share choosing an option, or a
    mean; ``None`` where suppressed. Returns the values and the legend."""
    values: dict[str, float | None] = {}
    try:
        results = question_results(q, question, ["locality"], raw=raw)
    except Refused:
        return values, ""  # every locality too small to show: the map shows none
    if not results:
        return values, ""
    result = results[0]
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        codes = [c for c, _ in result.columns]
        index = codes.index(indicator) if indicator in codes else 0
        for row in result.rows:
            cell = row.cells[index]
            values[row.values[0]] = cell.share if cell.count is not None else None
        legend = _("%% choosing “%(option)s”") % {
            "option": question.option_label(codes[index] if codes else "")
        }
    elif result.means_only:
        codes = [c for c, _ in result.columns]
        index = codes.index(indicator) if indicator in codes else 0
        for row in result.rows:
            values[row.values[0]] = row.cells[index].count
        legend = _("Mean of “%(item)s”") % {
            "item": question.option_label(codes[index] if codes else "")
        }
    else:
        for row in result.rows:
            values[row.values[0]] = row.mean
        legend = _("Mean")
    return values, legend


def _map_svg(
    ctx: Ctx,
    q: Questionnaire,
    question: Question,
    indicator: str,
    values: dict[str, float | None],
    legend: str,
) -> str:
    """The choropleth as inline SVG, cached until the next refresh like the
    charts (drawing the boundaries costs far more than reading the numbers);
    the boundaries are loaded only to draw it."""
    from baseline.localities import maps_version
    from baseline.models import Locality

    stamp = q.aggregated_at.timestamp() if q.aggregated_at else 0
    version = maps_version(q.partnership_id)
    parts = (q.pk, stamp, version, question.key, indicator, get_language())
    key = "analysis-map:" + ":".join(str(p) for p in parts)
    cached = cache.get(key)
    if not isinstance(cached, str):
        shapes, by_code = [], {}
        found = Locality.objects.filter(partnership=ctx.partnership, boundary__isnull=False)
        for loc in found.only("code", "boundary"):
            shapes.append((loc.code, loc.boundary))
            by_code[loc.code] = values.get(str(loc.pk))
        cached = ""
        if shapes:
            cached = charts.choropleth(
                shapes,
                by_code,
                title=question.label,
                legend=legend,
                no_data_label=_("hidden or no data"),
            )
        cache.set(key, cached, CHART_TTL)
    return mark_safe(cached)  # noqa: S308 — our own charts module, text escaped there


@partnership_view("results", Action.VIEW)
def results_map(request: HttpRequest, ctx: Ctx, questionnaire_id: Any) -> HttpResponse:
    from baseline.models import Locality

    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    questions = [x for x in _questions(q) if _indicator_choices(x)]
    key = request.GET.get("question") or (questions[0].key if questions else "")
    question = next((x for x in questions if x.key == key), None)
    svg, rows, legend, indicators = "", [], "", []
    indicator = request.GET.get("indicator", "")
    if question is not None:
        indicators = _indicator_choices(question)
        if indicator not in {c for c, _ in indicators}:
            indicator = indicators[0][0]
        values, legend = locality_values(q, question, indicator)
        localities = list(
            Locality.objects.filter(partnership=ctx.partnership).only("code", "name", "parent_name")
        )
        svg = _map_svg(ctx, q, question, indicator, values, legend)
        rows = [
            {"name": str(loc), "value": values.get(str(loc.pk)), "known": str(loc.pk) in values}
            for loc in localities
        ]
    context = {
        "ctx": ctx,
        "q": q,
        "questions": questions,
        "question": question,
        "indicators": indicators,
        "indicator": indicator,
        "svg": svg,
        "rows": rows,
        "legend": legend,
        "hidden": hidden_marker(),
        **_freshness(q),
    }
    return render(request, "consultations/analysis_map.html", context)


@partnership_view("results_export", Action.VIEW)
def export_question(
    request: HttpRequest, ctx: Ctx, questionnaire_id: Any, question_key: str, fmt: str
) -> HttpResponse:
    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    question = _question(q, question_key)
    return _export(request, ctx, q, [question], fmt, question.key)


@partnership_view("results_export", Action.VIEW)
def export_all(request: HttpRequest, ctx: Ctx, questionnaire_id: Any, fmt: str) -> HttpResponse:
    q = get_owned_or_404(Questionnaire, ctx.partnership, public_id=questionnaire_id)
    return _export(
        request, ctx, q, _questions(q), fmt, "results", later=q.response_count > BACKGROUND_EXPORT
    )


def _export(
    request: HttpRequest,
    ctx: Ctx,
    q: Questionnaire,
    questions: list[Question],
    fmt: str,
    name: str,
    *,
    later: bool = False,
) -> HttpResponse:
    if fmt not in analysis_export.FORMATS:
        raise Http404
    raw = may_see_raw(ctx, q) and request.GET.get("raw") == "1"
    try:
        by = analysis.parse_by(request.GET.getlist("by"))
    except Refused as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    about_url = request.build_absolute_uri(reverse("portal:small_numbers"))
    title = f"{q.label}: {analysis_export.filename(name, by, fmt)}"
    if later:
        exports.request_export(
            actor=ctx.member.user,
            partnership=ctx.partnership,
            kind=analysis_export.EXPORT_KIND,
            title=title,
            parameters=analysis_export.parameters(
                q, by, fmt=fmt, raw=raw, name=name, about_url=about_url
            ),
        )
        messages.success(
            request,
            _(
                "This export is large, so it is being prepared in the background. "
                "This page shows how far it has got, and offers it for download when it is ready."
            ),
        )
        return redirect("partnerships:exports", ctx.partnership.slug)
    record_event(
        actor=ctx.member.user,
        partnership=ctx.partnership,
        kind="results_export",
        action=AuditAction.EXPORT,
        label=title,
        details={"questions": len(questions), "by": list(by), "raw": raw},
    )
    labels = Labels(q, by)
    # Streamed (a StreamingHttpResponse or FileResponse): an HttpResponse to the decorator.
    return cast(
        HttpResponse,
        analysis_export.response(
            q,
            questions,
            by,
            fmt=fmt,
            raw=raw,
            labels=labels,
            name=name,
            about_url=about_url,
        ),
    )
