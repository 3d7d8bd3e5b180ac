"""What people do to consultations: build questionnaires and record responses.

``record_response`` is the one entry for every channel (the web form, a
facilitated session, the API, later SMS and KoboToolbox): it validates the
answers against the questions of the version being answered and the
respondent's attributes against the partnership's configuration, freezes the
version, and writes the response and its long-format answers in one
transaction. ``record_responses_bulk`` does the same for a whole facilitated
session at once. The checking lives in ``consultations.checking``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.authoring import check_key, options_from_rows, question_key
from consultations.checking import Checker, Problem, parse_options
from consultations.models import (
    Answer,
    Channel,
    Mode,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    QuestionnaireVersion,
    RespondentProfile,
    Response,
    Session,
)
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, first_language, require_first, working_languages
from partnerships.models import Member, Partnership
from partnerships.services import only_fields


class ResponseInvalid(ServiceError):
    """Several answers or attributes are wrong at once: every problem, by field
    (a question key, an attribute name, or "consent")."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field)
        self.problems = problems

    @property
    def errors(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for problem in self.problems:
            found.setdefault(problem.field, problem.message)
        return found


class BulkInvalid(ServiceError):
    """A sheet of a facilitated session with problems: (row, column, problem)."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        n = len(problems)
        super().__init__(
            ngettext(
                "Nothing was recorded: %(n)s problem in the sheet.",
                "Nothing was recorded: %(n)s problems in the sheet.",
                n,
            )
            % {"n": n}
        )
        self.problems = problems


# --- Aggregates --------------------------------------------------------------------


def _refresh_aggregates_later(questionnaire_id: int) -> None:
    """Ask the analysis (helper module ``consultations.analysis``) to rebuild
    the questionnaire's aggregates once the transaction has committed."""
    try:
        from consultations import analysis
    except ImportError:
        return
    refresh = getattr(analysis, "refresh_aggregates_later", None)
    if refresh is not None:
        transaction.on_commit(lambda: refresh(questionnaire_id))


# --- Responses ---------------------------------------------------------------------


def _infer(
    attributes: Mapping[str, Any], member: Member | None, profile: RespondentProfile | None
) -> dict[str, Any]:
    """The attributes given, completed from the member's profile and partner."""
    found = {k: v for k, v in attributes.items() if v not in (None, "")}
    if member is not None:
        if profile is not None:
            inferred = {
                "gender": profile.gender,
                "age_band": profile.age_band,
                "segment": profile.segment.code if profile.segment else "",
                "locality": profile.locality.code if profile.locality else "",
            }
            for key, value in inferred.items():
                if value and key not in found:
                    found[key] = value
        if "partner_type" not in found and member.partner_id and member.partner:
            found["partner_type"] = member.partner.partner_type
    return found


def _profile_of(member: Member | None) -> RespondentProfile | None:
    if member is None:
        return None
    return (
        RespondentProfile.objects.filter(member=member)
        .select_related("segment", "locality")
        .first()
    )


def _require_accepting(questionnaire: Questionnaire, channel: str) -> None:
    if channel not in Channel.values:
        raise ServiceError(_("Unknown channel."), field="channel")
    if questionnaire.status == QuestionnaireStatus.OPEN:
        return
    # Paper forms of a session may be entered after the questionnaire closed.
    if channel == Channel.FACILITATED and questionnaire.status == QuestionnaireStatus.CLOSED:
        return
    raise ServiceError(_("This questionnaire is not open for answers."), field="questionnaire")


def _freeze(version: QuestionnaireVersion, when: datetime.datetime) -> None:
    QuestionnaireVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
        frozen_at=when
    )
    version.frozen_at = version.frozen_at or when


def _recorded(questionnaire: Questionnaire, key: str) -> Response | None:
    return cast(
        "Response | None",
        Response.objects.filter(questionnaire=questionnaire, idempotency_key=key).first(),
    )


def _checked(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    attributes: Mapping[str, Any],
    member: Member | None,
    consented: bool,
) -> tuple[Any, Any, list[Problem], Checker]:
    checker = Checker.for_questionnaire(questionnaire)
    attrs = _infer(attributes, member, _profile_of(member))
    rows, values, problems = checker.check(answers, attrs, consented=consented)
    return rows, values, problems, checker


def preview_response(
    *, questionnaire: Questionnaire, answers: Mapping[str, Any], consented: bool
) -> dict[str, str]:
    """What recording these answers would say, with nothing recorded: the
    facilitator tries the questionnaire as a respondent would (required
    questions, limits) before it opens."""
    problems = _checked(questionnaire, answers, {}, None, consented)[2]
    return ResponseInvalid(problems).errors if problems else {}


def record_response(
    *,
    questionnaire: Questionnaire,
    channel: str,
    idempotency_key: str,
    answers: Mapping[str, Any],
    attributes: Mapping[str, Any],
    member: Member | None = None,
    session: Session | None = None,
    language: str = "en",
    consented: bool,
) -> Response:
    """Record one response from any channel. The same idempotency key again
    returns the response already recorded (``response.replayed`` is True)."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ServiceError(
            _("Each response needs an idempotency key of at most 100 characters."),
            field="idempotency_key",
        )
    existing = _recorded(questionnaire, key)
    if existing is not None:
        existing.replayed = True
        return existing
    _require_accepting(questionnaire, channel)
    if session is not None and session.questionnaire_id != questionnaire.pk:
        raise ServiceError(_("That session is about another questionnaire."), field="session")
    if member is not None and member.partnership_id != questionnaire.partnership_id:
        raise ServiceError(_("That member is not part of this partnership."), field="member")
    rows, values, problems, checker = _checked(
        questionnaire, answers, attributes, member, consented
    )
    if problems:
        raise ResponseInvalid(problems)
    try:
        with transaction.atomic():
            response = _write(
                questionnaire=questionnaire,
                version=checker.answered_version(),
                channel=channel,
                key=key,
                values=values,
                member=member if questionnaire.mode == Mode.IDENTIFIED else None,
                session=session,
                language=language,
                consented=consented,
            )
            Answer.objects.bulk_create(_answers(response, rows))
            _counted(questionnaire, checker.answered_version(), 1)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer as a replay.
        existing = _recorded(questionnaire, key)
        if existing is None:
            raise
        existing.replayed = True
        return existing
    return response


def _write(
    *,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    channel: str,
    key: str,
    values: Mapping[str, Any],
    member: Member | None,
    session: Session | None,
    language: str,
    consented: bool,
    save: bool = True,
) -> Response:
    response = Response(
        partnership_id=questionnaire.partnership_id,
        questionnaire=questionnaire,
        version=version,
        channel=channel,
        idempotency_key=key,
        session=session,
        member=member,
        language=(language or "en")[:10],
        consented=consented,
        **values,
    )
    if save:
        response.save()
    return response


def _answers(response: Response, rows: list[dict[str, Any]]) -> list[Answer]:
    return [Answer(response=response, **row) for row in rows]


ANSWER_COLUMNS = ("question_id", "item", "choice", "number", "text")


def _insert_answers(rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Insert answer rows without the ORM. A session of 200 forms of 30
    questions holds some 15,000 answers: a model instance for each and the
    ORM's SQL per batch took more than the 1 s budget of the request; COPY on
    PostgreSQL and one prepared statement on SQLite keep it well under.
    Answers have no signals, no audit and no defaults beyond these columns."""
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ("response_id", *ANSWER_COLUMNS))
    params = [
        (
            response_id,
            row["question_id"],
            row.get("item", ""),
            row.get("choice", ""),
            row.get("number"),
            row.get("text", ""),
        )
        for response_id, row in rows
    ]
    if connection.vendor == "postgresql":
        # COPY: the fastest way in, and no statement for psycopg to parse.
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for answer in params:
                    copy.write_row(answer)
        return
    # Names come from the model's metadata, never from input; values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 6)})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _counted(questionnaire: Questionnaire, version: QuestionnaireVersion, n: int) -> None:
    _freeze(version, timezone.now())
    Questionnaire.objects.filter(pk=questionnaire.pk).update(response_count=F("response_count") + n)
    questionnaire.response_count += n
    _refresh_aggregates_later(questionnaire.pk)


@dataclass
class SheetRow:
    """One paper form of a facilitated session, by its row number in the sheet."""

    number: int
    answers: dict[str, Any]
    attributes: dict[str, Any]
    # The sheet's column of each answer, for the problem report.
    columns: dict[str, str] = field(default_factory=dict)
    # Outside a session: the response's own idempotency key.
    key: str = ""


@dataclass
class BulkResult:
    recorded: int
    already: int


def session_key(session: Session, number: int) -> str:
    """The idempotency key of a row of a session's sheet: re-posting the same
    sheet records nothing twice."""
    return f"session-{session.public_id}-row-{number}"


def record_responses_bulk(
    *,
    rows: Sequence[SheetRow],
    consented: bool,
    session: Session | None = None,
    questionnaire: Questionnaire | None = None,
    language: str = "en",
    channel: str = Channel.FACILITATED,
) -> BulkResult:
    """Record many responses in one transaction, or nothing: all rows are
    checked first and every problem is reported. A session's rows are keyed by
    their row number; other rows carry their own ``key``."""
    if session is not None:
        questionnaire = session.questionnaire
    if questionnaire is None:
        raise ServiceError(
            _("Say which questionnaire the responses answer."), field="questionnaire"
        )
    _require_accepting(questionnaire, channel)
    checker = Checker.for_questionnaire(questionnaire)
    problems: list[tuple[int, str, str]] = []
    checked: list[tuple[str, list[dict[str, Any]], dict[str, Any]]] = []
    for row in rows:
        key = session_key(session, row.number) if session is not None else row.key
        if not key:
            problems.append((row.number, "", _("Each response needs an idempotency key.")))
        answer_rows, values, found = checker.check(row.answers, row.attributes, consented=consented)
        for problem in found:
            column = row.columns.get(problem.field, problem.field)
            problems.append((row.number, column, problem.message))
        checked.append((key, answer_rows, values))
    if problems:
        raise BulkInvalid(problems)
    with transaction.atomic():
        if session is not None:
            # One sheet at a time per session, so two submissions cannot interleave.
            Session.objects.select_for_update().filter(pk=session.pk).first()
        keys = [key for key, _a, _v in checked]
        done: set[str] = set()
        for start in range(0, len(keys), 500):
            done.update(
                Response.objects.filter(
                    questionnaire=questionnaire, idempotency_key__in=keys[start : start + 500]
                ).values_list("idempotency_key", flat=True)
            )
        fresh = [(k, a, v) for k, a, v in checked if k not in done]
        responses = [
            _write(
                questionnaire=questionnaire,
                version=checker.answered_version(),
                channel=channel,
                key=key,
                values=values,
                member=None,
                session=session,
                language=language,
                consented=consented,
                save=False,
            )
            for key, _rows, values in fresh
        ]
        if responses:
            Response.objects.bulk_create(responses, batch_size=500)
            _insert_answers(
                (response.pk, row)
                for response, (_k, answer_rows, _v) in zip(responses, fresh, strict=True)
                for row in answer_rows
            )
            _counted(questionnaire, checker.answered_version(), len(responses))
    return BulkResult(recorded=len(responses), already=len(checked) - len(fresh))


# --- Questionnaires ----------------------------------------------------------------


def _mode(mode: str) -> str:
    if mode not in Mode.values:
        raise ServiceError(_("Unknown mode."), field="mode")
    return mode


def _texts(
    texts: Mapping[str, str] | None, partnership: Partnership, prefix: str, *, required: bool
) -> dict[str, str]:
    """A multilingual text, checked against the partnership's working
    languages: when it is required or given at all, it is given in the first
    one (a respondent reading another language falls back to it)."""
    found = clean_texts(texts)
    if found or required:
        require_first(found, partnership, prefix=prefix)
    return found


@transaction.atomic
def create_questionnaire(
    *,
    by: Any,
    partnership: Partnership,
    title: Mapping[str, str],
    introduction: Mapping[str, str] | None = None,
    consent: Mapping[str, str] | None = None,
    mode: str = Mode.ANONYMOUS,
    languages: Sequence[str] | None = None,
) -> Questionnaire:
    """A new questionnaire, written in the partnership's working languages
    (its title at least in the first one)."""
    titles = clean_texts(title)
    if not titles:
        raise ServiceError(
            _("Give the questionnaire a title."), field=f"title_{first_language(partnership)}"
        )
    questionnaire = Questionnaire(
        partnership=partnership,
        title=_texts(titles, partnership, "title", required=True),
        introduction=_texts(introduction, partnership, "introduction", required=False),
        consent=_texts(consent, partnership, "consent", required=False),
        mode=_mode(mode),
        languages=working_languages(list(languages) if languages else partnership),
    )
    save_audited(questionnaire, actor=by)
    version = QuestionnaireVersion(partnership=partnership, questionnaire=questionnaire, number=1)
    save_audited(version, actor=by)
    questionnaire.current_version = version
    questionnaire.save(update_fields=["current_version"])
    return questionnaire


@transaction.atomic
def update_questionnaire(*, by: Any, questionnaire: Questionnaire, **fields: Any) -> Questionnaire:
    only_fields(fields, ("title", "introduction", "consent", "mode", "languages"))
    partnership = questionnaire.partnership
    if "title" in fields and not clean_texts(fields["title"]):
        raise ServiceError(
            _("Give the questionnaire a title."), field=f"title_{first_language(partnership)}"
        )
    for name in ("title", "introduction", "consent"):
        if name in fields:
            fields[name] = _texts(fields[name], partnership, name, required=name == "title")
    if "mode" in fields and _mode(fields["mode"]) != questionnaire.mode:
        if Response.objects.filter(questionnaire=questionnaire).exists():
            # Responses given under one promise must not be read under another.
            raise ServiceError(
                _("The mode cannot change once responses have arrived."), field="mode"
            )
    if "languages" in fields:
        fields["languages"] = working_languages(list(fields["languages"]))
    for key, value in fields.items():
        setattr(questionnaire, key, value)
    save_audited(questionnaire, actor=by, update_fields=list(fields) or None)
    return questionnaire


@transaction.atomic
def set_status(*, by: Any, questionnaire: Questionnaire, status: str) -> Questionnaire:
    if status not in QuestionnaireStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    if status == QuestionnaireStatus.OPEN and not questionnaire_questions(questionnaire):
        raise ServiceError(_("Add at least one question before opening it."), field="status")
    questionnaire.status = status
    save_audited(questionnaire, actor=by, update_fields=["status"])
    return questionnaire


def questionnaire_questions(questionnaire: Questionnaire) -> list[Question]:
    if questionnaire.current_version_id is None:
        return []
    return list(
        Question.objects.filter(version_id=questionnaire.current_version_id).order_by("position")
    )


def editable_version(*, by: Any, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The version to change: the current one, or — once responses have frozen
    it — a new version with a copy of its questions. Earlier responses keep the
    version they answered."""
    current: QuestionnaireVersion = QuestionnaireVersion.objects.select_for_update().get(
        pk=questionnaire.current_version_id
    )
    if current.frozen_at is None:
        return current
    number = (
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire).aggregate(n=Max("number"))[
            "n"
        ]
        or 0
    ) + 1
    version = QuestionnaireVersion(
        partnership_id=questionnaire.partnership_id, questionnaire=questionnaire, number=number
    )
    save_audited(version, actor=by)
    copies = []
    for question in Question.objects.filter(version=current).order_by("position"):
        question.pk = None
        question.id = None
        question._state.adding = True
        question.public_id = uuid.uuid4()
        question.version = version
        copies.append(question)
    Question.objects.bulk_create(copies)
    questionnaire.current_version = version
    questionnaire.save(update_fields=["current_version"])
    return version


QUESTION_FIELDS = (
    "key",
    "kind",
    "text",
    "help_text",
    "required",
    "options",
    "minimum",
    "maximum",
    "low_label",
    "high_label",
    "max_length",
    "dimension",
)


# A question's texts and the prefix of their fields in the forms.
TEXT_FIELDS = (
    ("text", "text"),
    ("help_text", "help"),
    ("low_label", "low"),
    ("high_label", "high"),
)


def _clean_question(partnership: Partnership, fields: dict[str, Any]) -> dict[str, Any]:
    only_fields(fields, QUESTION_FIELDS)
    if fields.get("key"):
        fields["key"] = check_key(fields["key"])
    else:
        fields.pop("key", None)  # made from the text
    if "kind" in fields and fields["kind"] not in QuestionKind.values:
        raise ServiceError(_("Unknown kind of question."), field="kind")
    if "text" in fields and not clean_texts(fields["text"]):
        raise ServiceError(_("Write the question."), field=f"text_{first_language(partnership)}")
    for name, prefix in TEXT_FIELDS:
        if name in fields:
            fields[name] = _texts(fields[name], partnership, prefix, required=name == "text")
    if "options" in fields:
        options = fields["options"]
        rows = parse_options(options) if isinstance(options, str) else list(options or [])
        fields["options"] = options_from_rows(rows, working_languages(partnership))
    if fields.get("max_length") is not None:
        try:
            length = int(fields["max_length"])
        except (TypeError, ValueError):
            raise ServiceError(
                _("Give the longest answer as a number."), field="max_length"
            ) from None
        if not 1 <= length <= 10_000:
            raise ServiceError(
                _("The longest answer is from 1 to 10,000 characters."), field="max_length"
            )
        fields["max_length"] = length
    dimension = fields.get("dimension")
    if dimension is not None and dimension.partnership_id != partnership.pk:
        raise ServiceError(_("That dimension is not part of this partnership."), field="dimension")
    return fields


def _check_shape(question: Question) -> None:
    kind = question.kind
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
        if len(question.options) < 2:
            raise ServiceError(_("Give at least two options."), field="options")
    if kind == QuestionKind.THREAT_RATING and not question.options:
        raise ServiceError(
            _("The rating grid needs threats: register threats in the baseline first."),
            field="options",
        )
    codes = [o.get("code") for o in question.options]
    if len(codes) != len(set(codes)):
        raise ServiceError(_("Two options have the same code."), field="options")
    if kind == QuestionKind.SCALE:
        if question.minimum is None or question.maximum is None:
            raise ServiceError(_("A scale needs a lowest and a highest value."), field="maximum")
        if question.maximum - question.minimum > 10 or question.minimum != int(question.minimum):
            raise ServiceError(
                _("A scale goes in whole steps and has at most 11 points."), field="maximum"
            )
    if kind == QuestionKind.THREAT_RATING:
        question.minimum = 1 if question.minimum is None else question.minimum
        question.maximum = 5 if question.maximum is None else question.maximum
    if (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum >= question.maximum
    ):
        raise ServiceError(_("The lowest value must be below the highest."), field="maximum")


@transaction.atomic
def add_question(*, by: Any, questionnaire: Questionnaire, **fields: Any) -> Question:
    """A question at the end of the current version. Without a ``key``, one
    is made from the text, unique among every version's questions."""
    partnership = questionnaire.partnership
    fields = _clean_question(partnership, dict(fields))
    if not fields.get("kind"):
        raise ServiceError(_("Choose the kind of question."), field="kind")
    if not fields.get("text"):
        raise ServiceError(_("Write the question."), field=f"text_{first_language(partnership)}")
    version = editable_version(by=by, questionnaire=questionnaire)
    if not fields.get("key"):
        taken = Question.objects.filter(version__questionnaire=questionnaire)
        fields["key"] = question_key(
            fields["text"], working_languages(partnership), taken.values_list("key", flat=True)
        )
    elif Question.objects.filter(version=version, key=fields["key"]).exists():
        raise ServiceError(_("Another question already has this key."), field="key")
    last = Question.objects.filter(version=version).aggregate(p=Max("position"))["p"]
    question = Question(
        partnership_id=questionnaire.partnership_id,
        version=version,
        position=(last or 0) + 1,
        **fields,
    )
    _check_shape(question)
    save_audited(question, actor=by)
    return question


def _current_question(questionnaire: Questionnaire, key: str) -> Question:
    question: Question | None = Question.objects.filter(
        version_id=questionnaire.current_version_id, key=key
    ).first()
    if question is None:
        raise ServiceError(_("There is no question with this key."), field="key")
    return question


@transaction.atomic
def update_question(
    *, by: Any, questionnaire: Questionnaire, question_key: str, **fields: Any
) -> Question:
    key = question_key
    fields = _clean_question(questionnaire.partnership, dict(fields))
    version = editable_version(by=by, questionnaire=questionnaire)
    question = _current_question(questionnaire, key)
    if fields.get("key") and fields["key"] != key:
        if Question.objects.filter(version=version, key=fields["key"]).exists():
            raise ServiceError(_("Another question already has this key."), field="key")
        if Answer.objects.filter(
            question__version__questionnaire=questionnaire, question__key=key
        ).exists():
            # The analysis adds up answers by key across versions.
            raise ServiceError(
                _("The key cannot change once the question has answers."), field="key"
            )
    for name, value in fields.items():
        setattr(question, name, value)
    _check_shape(question)
    save_audited(question, actor=by)
    return question


@transaction.atomic
def remove_question(*, by: Any, questionnaire: Questionnaire, question_key: str) -> None:
    editable_version(by=by, questionnaire=questionnaire)
    delete_audited(_current_question(questionnaire, question_key), actor=by)


@transaction.atomic
def move_question(*, by: Any, questionnaire: Questionnaire, question_key: str, up: bool) -> None:
    key = question_key
    version = editable_version(by=by, questionnaire=questionnaire)
    questions = list(Question.objects.filter(version=version).order_by("position", "pk"))
    index = next((i for i, q in enumerate(questions) if q.key == key), None)
    if index is None:
        raise ServiceError(_("There is no question with this key."), field="key")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, question in enumerate(questions, start=1):
        if question.position != position:
            question.position = position
            save_audited(question, actor=by, update_fields=["position"])


# --- Sessions and profiles ---------------------------------------------------------


@transaction.atomic
def create_session(
    *,
    by: Any,
    questionnaire: Questionnaire,
    held_on: datetime.date,
    place: str,
    locality: Any = None,
    attendance: Mapping[str, int | None] | None = None,
    notes: str = "",
    facilitated_by: Member | None = None,
) -> Session:
    if not place.strip():
        raise ServiceError(_("Say where the session was held."), field="place")
    if held_on > timezone.localdate():
        raise ServiceError(_("A session cannot be dated in the future."), field="held_on")
    if locality is not None and locality.partnership_id != questionnaire.partnership_id:
        raise ServiceError(_("That locality is not part of this partnership."), field="locality")
    counts = {k: int(v) for k, v in (attendance or {}).items() if v is not None}
    if any(v < 0 for v in counts.values()):
        raise ServiceError(_("Attendance counts cannot be negative."), field="attendance")
    parts = sum(v for k, v in counts.items() if k != "total")
    if counts.get("total") is None:
        counts["total"] = parts
    elif parts > counts["total"]:
        raise ServiceError(
            _("The counts by gender add up to more than the total attendance."), field="total"
        )
    session = Session(
        partnership_id=questionnaire.partnership_id,
        questionnaire=questionnaire,
        held_on=held_on,
        place=place.strip(),
        locality=locality,
        attendance=counts,
        notes=notes.strip(),
        facilitated_by=facilitated_by,
    )
    save_audited(session, actor=by)
    return session


@transaction.atomic
def save_profile(
    *,
    by: Any,
    member: Member,
    gender: str = "",
    age_band: str = "",
    segment: Any = None,
    locality: Any = None,
) -> RespondentProfile:
    checker = Checker.for_partnership(member.partnership)
    problems = checker.check_attributes(
        {
            "gender": gender,
            "age_band": age_band,
            "segment": segment.code if segment else "",
            "locality": locality.code if locality else "",
        }
    )[1]
    if problems:
        raise ServiceError(problems[0].message, field=problems[0].field)
    profile = RespondentProfile.objects.filter(member=member).first() or RespondentProfile(
        partnership_id=member.partnership_id, member=member
    )
    profile.gender, profile.age_band = gender, age_band
    profile.segment, profile.locality = segment, locality
    save_audited(profile, actor=by)
    return profile


def threat_options(partnership: Partnership) -> list[dict[str, Any]]:
    """The rating grid's rows: a snapshot of the partnership's threats, by
    public id, so that later edits of the register leave answered grids intact."""
    from baseline.models import Threat

    # A threat's title is written once, in whichever language: it stands for
    # the first working language, which every reader falls back to.
    first = first_language(partnership)
    return [
        {"code": str(t.public_id), "label": {first: t.title}}
        for t in Threat.objects.filter(partnership=partnership).order_by("title")[:60]
    ]
