"""Consultations: questionnaires, their versions and questions, facilitated
sessions, respondents' profiles, responses from any channel and their answers,
and the precomputed aggregates that the analysis reads.

A questionnaire's questions belong to a *version*. Once a response has arrived
the version is frozen: changing the questions makes a new version, and every
response keeps the version it answered. Questions keep a stable ``key`` across
versions, so the analysis can add up answers to "the same" question.

Answers are stored long: one row per response, question and, where a question
has several parts, per item (a threat of the rating grid, a ranked priority)
or per chosen option (multiple choice). Any channel — the web form, a
facilitated session, the API, later SMS and KoboToolbox — writes the same rows
through ``consultations.services.record_response``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baseline.models import Locality
from partnerships.labels import Labelled, Titled
from partnerships.languages import in_language
from partnerships.models import Member, PartnershipOwned, PartnerType
from stakeholders.models import Segment


class Mode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous: no one's answers can be traced back to them")
    IDENTIFIED = "identified", _("Identified: facilitators see who answered")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", pgettext_lazy("questionnaire status", "Closed")


class Questionnaire(Titled):
    # Multilingual texts: {"en": …, "es": …}.
    title = models.JSONField(_("title"), default=dict)
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    consent = models.JSONField(_("consent text"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.ANONYMOUS)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    # The version new responses answer; earlier versions stay for their responses.
    current_version = models.ForeignKey(
        "QuestionnaireVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the aggregates were last rebuilt (the analysis shows it).
    aggregated_at = models.DateTimeField(null=True, editable=False)
    response_count = models.PositiveIntegerField(default=0, editable=False)
    # How many responses the published results hold: they are rebuilt only once
    # MIN_CELL new responses have arrived (``consultations.analysis``).
    aggregated_responses = models.PositiveIntegerField(default=0, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "introduction",
        "consent",
        "languages",
        "mode",
        "status",
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at"]

    @property
    def introduction_text(self) -> str:
        return in_language(self.introduction)

    @property
    def is_anonymous(self) -> bool:
        return self.mode == Mode.ANONYMOUS


class QuestionnaireVersion(PartnershipOwned):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set when the first response arrives: from then on, edits make a new version.
    frozen_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    SCALE = "scale", _("Scale")
    NUMBER = "number", _("Number")
    FREE_TEXT = "free_text", _("Free text")
    RANKING = "ranking", _("Ranking of priorities")
    THREAT_RATING = "threat_rating", _("Threat-rating grid")


class Question(Labelled, PartnershipOwned):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    # Stable across versions: the analysis adds up answers by key.
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of question"), max_length=20, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=dict)
    help_text = models.JSONField(_("help"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Choices and ranking items: [{"code": "water", "label": {"en": …, "es": …}}, …].
    # Threat-rating grid: [{"code": "<threat public id>", "label": {…}}, …].
    options = models.JSONField(_("options"), default=list, blank=True)
    # Scale and number bounds; the scale's labels of its ends in ``options``' place
    # would be confusing, so they have fields of their own.
    minimum = models.FloatField(_("minimum"), null=True, blank=True)
    maximum = models.FloatField(_("maximum"), null=True, blank=True)
    low_label = models.JSONField(_("label of the low end"), default=dict, blank=True)
    high_label = models.JSONField(_("label of the high end"), default=dict, blank=True)
    max_length = models.PositiveIntegerField(_("longest answer (characters)"), default=2000)
    # The dimension a question informs (for the stress map and the baseline's evidence).
    dimension = models.ForeignKey(
        "baseline.Dimension",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    audit_fields: ClassVar[tuple[str, ...]] = (
        "key",
        "position",
        "kind",
        "text",
        "required",
        "options",
        "minimum",
        "maximum",
        "max_length",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_per_version"),
        ]

    @property
    def label(self) -> str:
        return in_language(self.text, fallback=self.key)

    def option_label(self, code: str) -> str:
        for option in self.options:
            if option.get("code") == code:
                return in_language(option.get("label") or {}, fallback=code)
        return code


class Session(PartnershipOwned):
    """A facilitated session: people answered on paper or aloud, and a
    facilitator enters their answers in bulk, with the session's attendance."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("questionnaire"),
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    place = models.CharField(_("place"), max_length=200)
    locality = models.ForeignKey(
        Locality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locality"),
    )
    facilitated_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("facilitated by"),
    )
    # Attendance: counts only, never names — {"total": 40, "woman": 22, "man": 18, …}.
    attendance = models.JSONField(_("attendance"), default=dict)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "questionnaire",
        "held_on",
        "place",
        "locality",
        "attendance",
        "notes",
    )

    class Meta:
        verbose_name = _("facilitated session")
        verbose_name_plural = _("facilitated sessions")
        ordering = ["-held_on"]


class RespondentProfile(PartnershipOwned):
    """What a member said about themselves, so their responses can be
    disaggregated without asking again each time."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="profile")
    gender = models.CharField(_("gender"), max_length=40, blank=True)
    age_band = models.CharField(_("age band"), max_length=40, blank=True)
    segment = models.ForeignKey(
        Segment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )
    locality = models.ForeignKey(
        Locality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locality"),
    )

    audit_redacted: ClassVar[tuple[str, ...]] = ("gender", "age_band", "segment", "locality")
    audit_fields: ClassVar[tuple[str, ...]] = audit_redacted

    class Meta:
        verbose_name = _("respondent profile")
        verbose_name_plural = _("respondent profiles")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    FACILITATED = "facilitated", _("Facilitated session")
    API = "api", _("API")
    SMS = "sms", _("SMS")
    KOBO = "kobo", _("KoboToolbox")


class Response(PartnershipOwned):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Sent by the channel (a form token, a Kobo submission id, a client's key):
    # the same key twice records one response.
    idempotency_key = models.CharField(max_length=100)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    # Only for identified questionnaires; anonymous responses never hold it.
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="en")
    consented = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    # The respondent's attributes, as captured or inferred from the member's profile.
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=40, blank=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_type = models.CharField(max_length=20, choices=PartnerType.choices, blank=True)

    # Not stored: set by ``record_response`` when the idempotency key had
    # already been recorded (the API answers 200 instead of 201).
    replayed: bool = False

    audit_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "idempotency_key"], name="response_idempotent"
            ),
        ]
        indexes = [models.Index(fields=["questionnaire", "submitted_at"])]


class Answer(models.Model):
    """One part of a response. Scoped through its response; never listed alone."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # A threat of the rating grid or an item being ranked; empty otherwise.
    item = models.CharField(max_length=60, blank=True)
    # The chosen option (single choice: one row; multiple choice: one row per option).
    choice = models.CharField(max_length=60, blank=True)
    # Scale, number, rank (1 = first) or severity on the rating grid.
    number = models.FloatField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "item", "choice"])]

    def __str__(self) -> str:
        return f"{self.question.key} {self.item} {self.choice}".strip()


# The analysis's precomputed cube lives beside its code.
from consultations.models_analysis import Aggregate  # noqa: E402, F401
