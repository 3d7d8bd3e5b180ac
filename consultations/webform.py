"""The web form of a questionnaire, without JavaScript: what the template
draws for each question (in the respondent's language, with the answers
typed so far and the problems beside them), and the answers read back from
the posted form in the shape ``record_response`` takes.

Inputs are named ``q-<key>`` (and ``q-<key>-<item>`` for the parts of a
ranking or a rating grid); attributes are ``a-<name>``.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from baseline.models import DEFAULT_AGE_BANDS, DEFAULT_GENDERS, AgeBand, GenderOption, Locality
from consultations.models import Question, QuestionKind, Questionnaire
from partnerships.languages import in_language, working_languages
from partnerships.models import Partnership
from stakeholders.models import Segment

# Beyond this many localities a select list would weigh too much for a cheap
# phone (the page budget is 50 KB): the respondent types the locality's code.
MAX_LOCALITY_CHOICES = 60
ATTRIBUTE_NAMES = ("segment", "gender", "age_band", "locality")


def text_in(texts: dict[str, str], language: str, fallback: str = "") -> str:
    """A text in the respondent's language, else the partnership's working
    languages in order (set by the page: ``partnerships.languages.reading``),
    else any language it has."""
    return in_language(texts, fallback, reader=language)


def offered_languages(questionnaire: Questionnaire) -> list[str]:
    """The languages a respondent may read the questionnaire in: the
    partnership's working languages, first one first."""
    return working_languages(questionnaire.partnership)


def respondent_language(questionnaire: Questionnaire, asked: str | None, active: str) -> str:
    """The language asked for (``?lang=``) or the reader's own, when the
    questionnaire is written in it; else the partnership's first working
    language — never English by default."""
    offered = offered_languages(questionnaire)
    for code in (asked, (active or "").split("-")[0]):
        if code and code in offered:
            return code
    return offered[0]


def genders_of(partnership: Partnership) -> list[tuple[str, str]]:
    options = [(g.code, g.label) for g in GenderOption.objects.filter(partnership=partnership)]
    return options or [(code, str(label)) for code, label in DEFAULT_GENDERS]


def age_bands_of(partnership: Partnership) -> list[tuple[str, str]]:
    bands = [(b.code, b.label) for b in AgeBand.objects.filter(partnership=partnership)]
    return bands or [(code, str(label)) for code, label, *_rest in DEFAULT_AGE_BANDS]


def attribute_fields(
    partnership: Partnership, values: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """The respondent's attributes section: segment, gender (with "prefer not
    to say"), age band and locality."""
    from django.utils.translation import gettext as _

    segments = [(s.code, s.label) for s in Segment.objects.filter(partnership=partnership)]
    locality_qs = Locality.objects.filter(partnership=partnership).only(
        "code", "name", "parent_name"
    )
    localities = [(loc.code, str(loc)) for loc in locality_qs[: MAX_LOCALITY_CHOICES + 1]]
    fields = [
        ("segment", _("The group you belong to"), segments),
        ("gender", _("Gender"), genders_of(partnership)),
        ("age_band", _("Age"), age_bands_of(partnership)),
        ("locality", _("Where you live"), localities),
    ]
    rows = []
    for name, label, choices in fields:
        rows.append(
            {
                "name": name,
                "label": label,
                "choices": choices,
                "typed": len(choices) > MAX_LOCALITY_CHOICES,
                "value": values.get(name, ""),
                "error": errors.get(name, ""),
            }
        )
    return rows


def question_fields(
    questions: list[Question],
    language: str,
    data: QueryDict | None,
    errors: dict[str, str],
) -> list[dict[str, Any]]:
    rows = []
    for number, q in enumerate(questions, start=1):
        name = f"q-{q.key}"
        options = [
            {
                "code": o.get("code", ""),
                "label": text_in(o.get("label") or {}, language, o.get("code", "")),
            }
            for o in q.options
        ]
        row: dict[str, Any] = {
            "number": number,
            "key": q.key,
            "name": name,
            "kind": q.kind,
            "text": text_in(q.text, language, q.key),
            "help": text_in(q.help_text, language),
            "required": q.required,
            "error": errors.get(q.key, ""),
            "options": options,
        }
        chosen = data.getlist(name) if data is not None else []
        if q.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            for option in options:
                option["checked"] = option["code"] in chosen
        elif q.kind == QuestionKind.SCALE:
            low, high = int(q.minimum or 0), int(q.maximum if q.maximum is not None else 5)
            row["points"] = [
                {"value": str(v), "checked": str(v) in chosen} for v in range(low, high + 1)
            ]
            row["low"], row["high"] = low, high
            row["low_label"] = text_in(q.low_label, language)
            row["high_label"] = text_in(q.high_label, language)
        elif q.kind in (QuestionKind.RANKING, QuestionKind.THREAT_RATING):
            if q.kind == QuestionKind.RANKING:
                scale = [str(v) for v in range(1, len(options) + 1)]
            else:
                scale = [str(v) for v in range(int(q.minimum or 1), int(q.maximum or 5) + 1)]
            row["scale"] = scale
            row["low_label"] = text_in(q.low_label, language)
            row["high_label"] = text_in(q.high_label, language)
            for option in options:
                option["name"] = f"{name}-{option['code']}"
                option["value"] = data.get(option["name"], "") if data is not None else ""
        else:
            row["value"] = data.get(name, "") if data is not None else ""
            row["minimum"] = "" if q.minimum is None else f"{q.minimum:g}"
            row["maximum"] = "" if q.maximum is None else f"{q.maximum:g}"
            row["max_length"] = q.max_length
        rows.append(row)
    return rows


def read_answers(questions: list[Question], data: QueryDict) -> dict[str, Any]:
    """The posted answers, keyed by question, in the shapes the service takes."""
    answers: dict[str, Any] = {}
    for q in questions:
        name = f"q-{q.key}"
        if q.kind == QuestionKind.MULTIPLE_CHOICE:
            answers[q.key] = data.getlist(name)
        elif q.kind in (QuestionKind.RANKING, QuestionKind.THREAT_RATING):
            parts = {
                o.get("code", ""): data.get(f"{name}-{o.get('code', '')}", "") for o in q.options
            }
            answers[q.key] = {k: v for k, v in parts.items() if v}
        elif q.kind == QuestionKind.FREE_TEXT:
            # Browsers send line breaks as CRLF; count them as typed, once.
            answers[q.key] = data.get(name, "").replace("\r\n", "\n")
        else:
            answers[q.key] = data.get(name, "")
    return answers


def read_attributes(data: QueryDict) -> dict[str, str]:
    return {name: data.get(f"a-{name}", "").strip() for name in ATTRIBUTE_NAMES}


def profile_values(member: Any) -> dict[str, str]:
    """What a member said about themselves, as the form's attribute values."""
    from consultations.models import RespondentProfile

    if member is None:
        return {}
    profile = (
        RespondentProfile.objects.filter(member=member)
        .select_related("segment", "locality")
        .first()
    )
    if profile is None:
        return {}
    return {
        "gender": profile.gender,
        "age_band": profile.age_band,
        "segment": profile.segment.code if profile.segment else "",
        "locality": profile.locality.code if profile.locality else "",
    }
