"""Statement conversations: short statements that participants agree with,
disagree with or pass on, and the opinion groups the engine finds in the votes.

A conversation may hang off a threat of the baseline or a question of a
consultation (it digs into what that question found). Statements come from
the facilitator (seeds) and from participants (moderated). A participant is
one voter in one conversation: a member, or someone who came through the
public link; their partner type and segment are copied onto each vote when
known, so the results can say who an opinion group is made of. A vote is one
row per participant and statement: voting again changes it (the latest
counts). The engine's results are stored as a numbered ``Analysis``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baseline.models import Threat, in_language
from partnerships.labels import Labelled, Titled
from partnerships.models import Member, PartnershipOwned, PartnerType
from stakeholders.models import Segment

STATEMENT_MAX_LENGTH = 280  # short, like Pol.is: one idea a person can vote on


class ConversationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for votes")
    CLOSED = "closed", pgettext_lazy("conversation status", "Closed")


class Conversation(Titled):
    # Multilingual texts: {"en": …, "es": …}.
    title = models.JSONField(_("title"), default=dict)
    prompt = models.JSONField(_("what the conversation is about"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConversationStatus.choices,
        default=ConversationStatus.DRAFT,
    )
    # Anonymous: votes are never tied to who cast them, not even for facilitators.
    anonymous = models.BooleanField(_("anonymous participation"), default=True)
    allow_statements = models.BooleanField(_("participants may submit statements"), default=True)
    # Anyone with this link may vote without an account (always anonymous).
    public_link = models.BooleanField(_("open to anyone with the link"), default=False)
    threat = models.ForeignKey(
        Threat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about the threat"),
    )
    question = models.ForeignKey(
        "consultations.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about the consultation question"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Live counters kept by the voting service, for the service itself (never
    # shown: a count that moves with each vote says how the last voter voted).
    vote_count = models.PositiveIntegerField(default=0, editable=False)
    participant_count = models.PositiveIntegerField(default=0, editable=False)
    # The published snapshot (``commonground.analysis``): what every page, the
    # API and the stepper show, suppressed (None: hidden), and when it was taken.
    published_at = models.DateTimeField(
        _("counts published at"), null=True, blank=True, editable=False
    )
    published_votes = models.PositiveIntegerField(
        _("published votes"), null=True, default=0, editable=False
    )
    published_participants = models.PositiveIntegerField(
        _("published participants"), null=True, default=0, editable=False
    )
    # When votes were last released into the published set (an analysis older
    # than this has not seen them).
    released_at = models.DateTimeField(_("votes released at"), null=True, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "prompt",
        "status",
        "anonymous",
        "allow_statements",
        "public_link",
        "threat",
        "question",
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at"]

    @property
    def prompt_text(self) -> str:
        return in_language(self.prompt)

    @property
    def is_open(self) -> bool:
        return self.status == ConversationStatus.OPEN


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    # About the conversation itself ("these statements are all about roads"):
    # kept for the record, never voted on or counted.
    META = "meta", _("About the conversation")


class Statement(Labelled, PartnershipOwned):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # A small number within the conversation, shown to people ("statement 12").
    number = models.PositiveIntegerField(editable=False)
    text = models.JSONField(_("statement"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatementStatus.choices,
        default=StatementStatus.PENDING,
    )
    # Who wrote it: the facilitator's seeds, or a participant. Never shown on
    # an anonymous conversation.
    author = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seed = models.BooleanField(_("written by the facilitators"), default=False)
    threats = models.ManyToManyField(
        Threat, blank=True, related_name="+", verbose_name=_("threats it concerns")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept by the voting service: routing reads them on every vote.
    agree_count = models.PositiveIntegerField(default=0, editable=False)
    disagree_count = models.PositiveIntegerField(default=0, editable=False)
    pass_count = models.PositiveIntegerField(default=0, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ("text", "status")

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="statement_number_per_conversation"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "status"])]

    @property
    def label(self) -> str:
        return in_language(self.text, fallback=f"#{self.number}")

    @property
    def seen_count(self) -> int:
        return self.agree_count + self.disagree_count + self.pass_count


class Participant(PartnershipOwned):
    """One voter in one conversation.

    ``key`` identifies the voter within the conversation without saying who
    they are: on an anonymous conversation it is a keyed hash of the member
    (``services.voter_key``: one participant per member, and no column that
    joins back to the member), and for someone who came through the public
    link a random key kept in their cookie. ``member`` is set only on
    identified conversations."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    key = models.CharField(max_length=64)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_type = models.CharField(max_length=20, choices=PartnerType.choices, blank=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "key"], name="participant_once_per_conversation"
            ),
        ]


class Choice(models.IntegerChoices):
    # The numbers are the engine's (Pol.is's open data uses the same signs).
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """A participant's current vote on a statement. Scoped through its
    conversation; never listed with who cast it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    choice = models.SmallIntegerField(choices=Choice.choices)
    # Who the voter is, as known when voting (the composition of opinion groups).
    partner_type = models.CharField(max_length=20, choices=PartnerType.choices, blank=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voted_at = models.DateTimeField(default=timezone.now)
    # How many times this participant changed it (the latest counts).
    changes = models.PositiveSmallIntegerField(default=0)
    # The vote as the published counts and opinion groups know it: it catches
    # up with ``choice`` only in batches of at least MIN_CELL people per
    # statement (``analysis.release``), so that no two snapshots differ by
    # one person's vote. None: not published yet.
    published_choice = models.SmallIntegerField(
        _("published vote"), choices=Choice.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="vote_once_per_statement"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "voted_at"])]

    def __str__(self) -> str:
        return f"{self.get_choice_display()} #{self.statement_id}"


class AnalysisState(models.TextChoices):
    # Not "groups found": too few people, statements or votes to split anyone.
    TOO_FEW = "too_few_votes", _("Too few votes to form groups")
    # Enough votes, but they do not split people (everyone votes alike, or passes).
    ONE_GROUP = "one_group", _("One group: the votes do not split people")
    GROUPS = "groups", _("Opinion groups found")


class Analysis(PartnershipOwned):
    """One run of the engine over a conversation's published votes: opinion
    groups, their make-up, representative, consensus and bridging statements,
    and the published (suppressed) counts of every statement."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="analyses"
    )
    version = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    votes_seen = models.PositiveIntegerField(default=0)
    participants_seen = models.PositiveIntegerField(default=0)
    elapsed_ms = models.FloatField(default=0)
    state = models.CharField(
        _("state"), max_length=20, choices=AnalysisState.choices, default=AnalysisState.TOO_FEW
    )
    # How many statements bridge the groups (majority agreement in every group).
    bridging_count = models.PositiveIntegerField(_("bridging statements"), default=0)
    # What the pages read: group sizes and make-up, representative, consensus
    # and bridging statements, each statement's counts by group.
    data = models.JSONField(default=dict)
    # Who is in which group and their place on the opinion map: one entry per
    # participant (keys are participant ids, never people), read only by the
    # next run (Pol.is keeps a participant once included).
    membership = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("opinion analysis")
        verbose_name_plural = _("opinion analyses")
        ordering = ["conversation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "version"], name="analysis_version_per_conversation"
            ),
        ]
