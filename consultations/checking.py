"""Checking answers and respondent attributes, for every channel.

A ``Checker`` is built once per questionnaire (its current version's
questions, the partnership's gender options, age bands, segments and
localities) and then checks any number of responses without a query, which
is what makes a facilitated session of hundreds of paper forms fast.
Every message names the question or the attribute it is about.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline.models import DEFAULT_AGE_BANDS, DEFAULT_GENDERS, AgeBand, GenderOption, Locality
from consultations.models import Question, QuestionKind, Questionnaire, QuestionnaireVersion
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts
from partnerships.models import Partnership, PartnerType
from stakeholders.models import Segment

ATTRIBUTES = ("gender", "age_band", "segment", "locality", "partner_type")
EMPTY: tuple[Any, ...] = (None, "", [], {}, ())


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def parse_options(text: str) -> list[dict[str, Any]]:
    """Options typed one per line, ``code | English label | etiqueta en español``
    (the builder's old text format, still taken from importers and the demo).
    A line with only a label gets a code made from it."""
    from django.utils.text import slugify

    options: list[dict[str, Any]] = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 1:
            code, labels = slugify(parts[0]).replace("-", "_")[:60], [parts[0]]
        else:
            code, labels = parts[0], parts[1:]
        label = clean_texts(dict(zip(("en", "es"), labels, strict=False)))
        options.append({"code": code[:60], "label": label})
    for option in options:
        if not option["code"] or not re.match(r"^[\w.-]{1,60}$", option["code"]):
            raise ServiceError(
                _("“%(code)s” is not a valid option code: letters, digits, _ . - only.")
                % {"code": option["code"]},
                field="options",
            )
    return options


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class Checker:
    def __init__(
        self,
        *,
        partnership_id: int,
        version: QuestionnaireVersion | None,
        questions: list[Question],
        consent_needed: bool,
        genders: set[str],
        age_bands: set[str],
        segments: dict[str, int],
        localities: dict[str, int],
    ) -> None:
        self.partnership_id = partnership_id
        self.version = version
        self.questions = {q.key: q for q in questions}
        self.consent_needed = consent_needed
        self.genders, self.age_bands = genders, age_bands
        self.segments, self.localities = segments, localities

    @classmethod
    def for_partnership(
        cls, partnership: Partnership, version: QuestionnaireVersion | None = None, **kw: Any
    ) -> Checker:
        genders = set(
            GenderOption.objects.filter(partnership=partnership).values_list("code", flat=True)
        )
        bands = set(AgeBand.objects.filter(partnership=partnership).values_list("code", flat=True))
        # A partnership that has not set its own options yet uses the defaults.
        genders = genders or {code for code, _label in DEFAULT_GENDERS}
        bands = bands or {code for code, *_rest in DEFAULT_AGE_BANDS}
        return cls(
            partnership_id=partnership.pk,
            version=version,
            questions=kw.get("questions", []),
            consent_needed=kw.get("consent_needed", False),
            genders=genders,
            age_bands=bands,
            segments=dict(
                Segment.objects.filter(partnership=partnership).values_list("code", "id")
            ),
            localities=dict(
                Locality.objects.filter(partnership=partnership).values_list("code", "id")
            ),
        )

    @classmethod
    def for_questionnaire(cls, questionnaire: Questionnaire) -> Checker:
        if questionnaire.current_version_id is None:
            raise ServiceError(_("This questionnaire has no questions yet."), field="questionnaire")
        version = QuestionnaireVersion.objects.get(pk=questionnaire.current_version_id)
        questions = list(Question.objects.filter(version=version).order_by("position"))
        return cls.for_partnership(
            questionnaire.partnership,
            version,
            questions=questions,
            consent_needed=any(v.strip() for v in questionnaire.consent.values() if v),
        )

    def answered_version(self) -> QuestionnaireVersion:
        """The version responses checked here answer."""
        if self.version is None:
            raise LookupError("A checker for a partnership has no questionnaire version.")
        return self.version

    # --- attributes --------------------------------------------------------------

    def check_attributes(
        self, attributes: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Problem]]:
        """The response's attribute fields (ids for segment and locality)."""
        problems = []
        unknown = set(attributes) - set(ATTRIBUTES)
        for name in sorted(unknown):
            problems.append(
                Problem(name, _("“%(name)s” is not a respondent attribute.") % {"name": name})
            )
        values: dict[str, Any] = {}

        def text(name: str) -> str:
            value = attributes.get(name)
            return "" if value is None else str(value).strip()

        gender, band, segment, locality, ptype = (text(n) for n in ATTRIBUTES)
        if gender and gender not in self.genders:
            problems.append(
                Problem("gender", _("Gender: “%(v)s” is not one of the options.") % {"v": gender})
            )
        if band and band not in self.age_bands:
            problems.append(
                Problem("age_band", _("Age band: “%(v)s” is not one of the bands.") % {"v": band})
            )
        if segment and segment not in self.segments:
            problems.append(
                Problem(
                    "segment",
                    _("Group: “%(v)s” is not a segment of this partnership.") % {"v": segment},
                )
            )
        if locality and locality not in self.localities:
            problems.append(
                Problem(
                    "locality",
                    _("Locality: “%(v)s” is not a locality of this partnership.") % {"v": locality},
                )
            )
        if ptype and ptype not in PartnerType.values:
            problems.append(
                Problem("partner_type", _("Partner type: “%(v)s” is unknown.") % {"v": ptype})
            )
        values["gender"], values["age_band"], values["partner_type"] = gender, band, ptype
        values["segment_id"] = self.segments.get(segment)
        values["locality_id"] = self.localities.get(locality)
        return values, problems

    # --- answers -----------------------------------------------------------------

    def check(
        self, answers: Mapping[str, Any], attributes: Mapping[str, Any], *, consented: bool
    ) -> tuple[list[dict[str, Any]], dict[str, Any], list[Problem]]:
        """(answer rows, response attribute values, problems)."""
        problems: list[Problem] = []
        if self.consent_needed and not consented:
            problems.append(
                Problem("consent", _("The respondent's consent is needed to record answers."))
            )
        rows: list[dict[str, Any]] = []
        for key in answers:
            if key not in self.questions:
                problems.append(
                    Problem(
                        key, _("“%(key)s” is not a question of this questionnaire.") % {"key": key}
                    )
                )
        for key, question in self.questions.items():
            value = answers.get(key)
            if value in EMPTY or (
                isinstance(value, str)
                and not value.strip()
                and question.kind != QuestionKind.FREE_TEXT
            ):
                if question.required:
                    problems.append(
                        Problem(key, _("“%(q)s”: an answer is required.") % {"q": question.label})
                    )
                continue
            found, message = self._answer(question, value)
            if message:
                problems.append(Problem(key, message))
            else:
                rows.extend(found)
        values, attribute_problems = self.check_attributes(attributes)
        return rows, values, problems + attribute_problems

    def _answer(self, q: Question, value: Any) -> tuple[list[dict[str, Any]], str]:
        codes = [o.get("code") for o in q.options]
        name = q.label
        kind = q.kind
        if kind == QuestionKind.SINGLE_CHOICE:
            if isinstance(value, list | tuple):
                if len(value) != 1:
                    return [], _("“%(q)s”: choose only one option.") % {"q": name}
                value = value[0]
            code = str(value).strip()
            if code not in codes:
                return [], _("“%(q)s”: “%(v)s” is not one of the options.") % {
                    "q": name,
                    "v": code[:60],
                }
            return [{"question_id": q.pk, "choice": code}], ""
        if kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = _as_list(value)
            bad = [c for c in chosen if c not in codes]
            if bad:
                return [], _("“%(q)s”: “%(v)s” is not one of the options.") % {
                    "q": name,
                    "v": bad[0][:60],
                }
            return [{"question_id": q.pk, "choice": c} for c in dict.fromkeys(chosen)], ""
        if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            number = _number(value)
            if number is None:
                return [], _("“%(q)s”: give a number.") % {"q": name}
            if kind == QuestionKind.SCALE and number != int(number):
                return [], _("“%(q)s”: give a whole number.") % {"q": name}
            if (q.minimum is not None and number < q.minimum) or (
                q.maximum is not None and number > q.maximum
            ):
                return [], self._range(q)
            return [{"question_id": q.pk, "number": number}], ""
        if kind == QuestionKind.FREE_TEXT:
            text = str(value)
            if len(text) > q.max_length:
                return [], ngettext(
                    "“%(q)s”: at most %(n)s character (this answer has %(m)s).",
                    "“%(q)s”: at most %(n)s characters (this answer has %(m)s).",
                    q.max_length,
                ) % {
                    "q": name,
                    "n": q.max_length,
                    "m": len(text),
                }
            if not text.strip():
                return [], ""
            # Stored as typed; every page escapes it when it is shown.
            return [{"question_id": q.pk, "text": text}], ""
        if kind == QuestionKind.RANKING:
            return self._ranking(q, value, codes)
        if kind == QuestionKind.THREAT_RATING:
            return self._grid(q, value, codes)
        return [], _("“%(q)s”: this kind of question cannot be answered.") % {"q": name}

    def _range(self, q: Question) -> str:
        low = "" if q.minimum is None else f"{q.minimum:g}"
        high = "" if q.maximum is None else f"{q.maximum:g}"
        if low and high:
            return _("“%(q)s”: give a value from %(low)s to %(high)s.") % {
                "q": q.label,
                "low": low,
                "high": high,
            }
        if low:
            return _("“%(q)s”: give a value of at least %(low)s.") % {"q": q.label, "low": low}
        return _("“%(q)s”: give a value of at most %(high)s.") % {"q": q.label, "high": high}

    def _ranking(
        self, q: Question, value: Any, codes: list[Any]
    ) -> tuple[list[dict[str, Any]], str]:
        """A list of items, first priority first; or a mapping item → rank."""
        if isinstance(value, Mapping):
            ranks: dict[str, float] = {}
            for item, rank in value.items():
                if rank in EMPTY:
                    continue
                number = _number(rank)
                if number is None or number != int(number) or not 1 <= number <= len(codes):
                    return [], _("“%(q)s”: a rank is a whole number from 1 to %(n)s.") % {
                        "q": q.label,
                        "n": len(codes),
                    }
                ranks[str(item)] = number
            if len(set(ranks.values())) != len(ranks):
                return [], _("“%(q)s”: give each priority a different rank.") % {"q": q.label}
            items = sorted(ranks, key=lambda k: ranks[k])
        else:
            items = _as_list(value)
        bad = [i for i in items if i not in codes]
        if bad:
            return [], _("“%(q)s”: “%(v)s” is not one of the items to rank.") % {
                "q": q.label,
                "v": bad[0][:60],
            }
        if len(set(items)) != len(items):
            return [], _("“%(q)s”: an item is ranked twice.") % {"q": q.label}
        return [
            {"question_id": q.pk, "item": item, "number": float(n)}
            for n, item in enumerate(items, 1)
        ], ""

    def _grid(self, q: Question, value: Any, codes: list[Any]) -> tuple[list[dict[str, Any]], str]:
        """A mapping threat code → severity (or "code=severity;…" from a sheet)."""
        if isinstance(value, str):
            pairs: dict[str, Any] = {}
            for part in _as_list(value):
                item, sep, severity = part.partition("=")
                if not sep:
                    return [], _("“%(q)s”: write each rating as threat=severity.") % {"q": q.label}
                pairs[item.strip()] = severity.strip()
            value = pairs
        if not isinstance(value, Mapping):
            return [], _("“%(q)s”: rate each threat with a number.") % {"q": q.label}
        low = 1 if q.minimum is None else q.minimum
        high = 5 if q.maximum is None else q.maximum
        rows = []
        for item, severity in value.items():
            item = str(item).strip()
            if item not in codes:
                return [], _("“%(q)s”: “%(v)s” is not a threat of this grid.") % {
                    "q": q.label,
                    "v": item[:60],
                }
            if severity in EMPTY:
                continue
            number = _number(severity)
            if number is None or number != int(number) or not low <= number <= high:
                return [], _("“%(q)s”: rate each threat from %(low)s to %(high)s.") % {
                    "q": q.label,
                    "low": f"{low:g}",
                    "high": f"{high:g}",
                }
            rows.append({"question_id": q.pk, "item": item, "number": number})
        return rows, ""
