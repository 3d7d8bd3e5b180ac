"""The analysis's part of the public portal: once a facilitator has published
the baseline, each questionnaire's response count and its headline
distributions — suppressed by the same tables as everywhere, no free text,
no person. ``ConsultationsConfig.ready`` calls ``register()``."""

from __future__ import annotations

from typing import Any

from partnerships.languages import reading
from partnerships.publication import declare_summary
from partnerships.suppression import suppress_count

HEADLINE_QUESTIONS = 5


def consultation_results(partnership_id: int) -> dict[str, Any]:
    from baseline.services import is_baseline_published
    from partnerships.models import Partnership

    if not is_baseline_published(partnership_id):
        return {}
    languages = Partnership.objects.filter(pk=partnership_id).values_list("languages", flat=True)
    # Titles and labels fall back to the partnership's first working language.
    with reading(list(languages.first() or [])):
        return _summaries(partnership_id)


def _summaries(partnership_id: int) -> dict[str, Any]:
    from consultations.analysis_results import question_results
    from consultations.models import Question, QuestionKind, Questionnaire

    summaries = []
    questionnaires = Questionnaire.objects.filter(
        partnership_id=partnership_id, aggregated_at__isnull=False
    )
    for q in questionnaires.order_by("-created_at"):
        questions = Question.objects.filter(version_id=q.current_version_id).exclude(
            kind=QuestionKind.FREE_TEXT
        )
        headlines = []
        for question in questions.order_by("position")[:HEADLINE_QUESTIONS]:
            for result in question_results(q, question, []):
                row = result.overall
                if row is None or row.hidden:
                    continue
                headlines.append(
                    {
                        "question": question.label,
                        "item": result.item_label,
                        "answers": [
                            {"label": label, "respondents": cell.count, "share": cell.share}
                            for (code, label), cell in zip(result.columns, row.cells, strict=True)
                            if code  # "no answer" is not a headline
                        ],
                        "mean": row.mean,
                        "respondents": row.total,
                    }
                )
        # A lone count of people, like any other.
        responses = suppress_count(q.response_count)
        summaries.append({"title": q.label, "responses": responses, "headlines": headlines})
    return {"questionnaires": summaries}


def register() -> None:
    declare_summary("consultation_results", consultation_results)
