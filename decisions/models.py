"""Decisions taken under the charter: a proposal, its vote, its outcome.

A **decision** is first a proposal (a title and a text in the partnership's
working languages, a decision type of the charter in force). It is discussed
(the discussion room's thread), then put to the vote: at that moment the
type's rule is copied onto the decision (``rule``), with the close it gives,
so that an amendment of the charter later does not change a running vote.
At the close the tally (``decisions.tally``) says passed, not passed or
quorum not met, and is stored whole with the decision (``result``); the
outcome statement is the text the partnership adopts with that result.
Facilitator-led types have no ballot: the facilitator records the outcome.

**Ballots and secrecy.** Who has voted and how are kept in two tables:

- ``Participation``: that a voter (a partner, a partner type or a member) has
  voted, and who cast it and when — what reminders and the turnout need;
- ``Ballot``: the choice. For an open vote it names its voter and is audited
  like any record. For a **secret** vote it names nobody: its voter column
  holds an HMAC of the decision and the voter under the server's secret (so a
  change of vote finds and replaces it), it has no time, its primary key is
  random (no order of insertion to line up with the participations), it never
  enters the audit trail, and at the close the HMACs are overwritten, so that
  afterwards not even the server can tie a choice to a voter.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from charter.rules import DecisionRule
from decisions.tally import Choice
from partnerships.labels import Titled
from partnerships.languages import in_language
from partnerships.models import Member, Partner, PartnershipOwned


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("decision status", "Proposed, under discussion")
    VOTING = "voting", pgettext_lazy("decision status", "Voting")
    PASSED = "passed", pgettext_lazy("decision status", "Passed")
    NOT_PASSED = "not_passed", pgettext_lazy("decision status", "Not passed")
    QUORUM_NOT_MET = "quorum_not_met", pgettext_lazy("decision status", "Quorum not met")
    WITHDRAWN = "withdrawn", pgettext_lazy("decision status", "Withdrawn")


CLOSED = (DecisionStatus.PASSED, DecisionStatus.NOT_PASSED, DecisionStatus.QUORUM_NOT_MET)


class BallotChoice(models.TextChoices):
    AGREE = Choice.AGREE.value, pgettext_lazy("ballot", "Agree")
    ABSTAIN = Choice.ABSTAIN.value, pgettext_lazy("ballot", "Abstain")
    DISAGREE = Choice.DISAGREE.value, pgettext_lazy("ballot", "Disagree")
    OBJECT = Choice.OBJECT.value, pgettext_lazy("ballot", "Object")


class Decision(Titled):
    title = models.JSONField(_("title"), default=dict)
    body = models.JSONField(_("proposal"), default=dict, blank=True)
    # A decision type of the charter in force (a DecisionKind or the charter's own code).
    kind = models.CharField(_("decision type"), max_length=60)
    # The type's name when proposed, in the proposer's words (a charter's own types).
    kind_label = models.CharField(_("decision type name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    # The rule, copied from the charter in force when the vote opened.
    rule = models.JSONField(_("rule"), default=dict, blank=True)
    # Three of the rule's fields again, as columns: the journey and the log filter on them.
    voters = models.CharField(_("who votes"), max_length=20, blank=True)
    secret = models.BooleanField(_("secret ballot"), default=False)
    # On the portal's decision log (the charter's communication plan, when proposed).
    public = models.BooleanField(_("public"), default=False)
    opened_at = models.DateTimeField(_("vote opened"), null=True, blank=True)
    closes_at = models.DateTimeField(_("vote closes"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The tally at the close (decisions.tally.Outcome.as_data): counts only.
    result = models.JSONField(default=dict, blank=True, editable=False)
    # What the portal shows of that tally, suppressed once at the close
    # (``decisions.display.with_shown``): a secret vote's totals only.
    public_tally = models.JSONField(default=dict, blank=True, editable=False)
    outcome = models.JSONField(_("outcome statement"), default=dict, blank=True)
    # What the decision asks to be done on passing (a partner to admit, a spending).
    payload = models.JSONField(_("what passing it would do"), default=dict, blank=True)
    # Why the passed decision's effect could not be applied, if it could not.
    effect_problem = models.TextField(_("why it was not applied"), blank=True, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "body",
        "kind",
        "status",
        "rule",
        "public",
        "opened_at",
        "closes_at",
        "closed_at",
        # Not "result": a secret vote's counts by type would reach every
        # reader of the trail unsuppressed (a type of one partner would show
        # that partner's choice). The decision page shows it, suppressed.
        "outcome",
        "payload",
        "effect_problem",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "status", "kind"], name="decision_log"),
            models.Index(fields=["status", "closes_at"], name="decision_due"),
        ]

    @property
    def body_text(self) -> str:
        return in_language(self.body)

    @property
    def outcome_text(self) -> str:
        return in_language(self.outcome)

    @property
    def decision_rule(self) -> DecisionRule:
        return DecisionRule.from_data(self.rule)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def reference(self) -> str:
        """How other rooms name this decision (the charter's ``decision_reference``)."""
        return str(self.public_id)


class Participation(PartnershipOwned):
    """That a voter has voted: never how."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participations")
    # "partner:<public id>", "type:<code>" or "member:<public id>".
    voter = models.CharField(_("voter"), max_length=80)
    partner_type = models.CharField(max_length=20, blank=True)
    cast_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast by"),
    )
    cast_at = models.DateTimeField(_("cast on"), default=timezone.now)

    audit_fields: ClassVar[tuple[str, ...]] = ("voter", "cast_by")

    class Meta:
        verbose_name = _("participation in a vote")
        verbose_name_plural = _("participations in votes")
        constraints = [
            models.UniqueConstraint(fields=["decision", "voter"], name="participation_once"),
        ]

    def __str__(self) -> str:
        return str(_("Ballot cast"))


class Ballot(PartnershipOwned):
    """A voter's counting choice: one per voter and decision (a change replaces it)."""

    # Random, so that the rows' order says nothing of when they were written.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    # Open vote: the voter's key (as Participation). Secret vote: an HMAC of
    # it, overwritten with a random value at the close.
    voter = models.CharField(_("voter"), max_length=80)
    partner_type = models.CharField(_("partner type"), max_length=20, blank=True)
    choice = models.CharField(
        pgettext_lazy("ballot", "vote"), max_length=10, choices=BallotChoice.choices
    )
    reason = models.TextField(_("reason"), blank=True)
    # Open votes only: who cast it and when (a secret ballot has neither).
    cast_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast by"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cast_at = models.DateTimeField(null=True, blank=True)

    # Audited for open votes only (decisions.services never audits a secret one).
    audit_fields: ClassVar[tuple[str, ...]] = ("voter", "choice", "reason", "cast_by")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["decision", "voter"], name="ballot_once_per_voter"),
        ]

    def __str__(self) -> str:
        return str(_("Ballot"))

    def __repr__(self) -> str:
        # Never the choice: a repr ends up in logs and tracebacks.
        return f"<Ballot of decision {self.decision_id}>"


class DecisionLink(PartnershipOwned):
    """What a decision decided: a record of another room, named by its kind and public id
    (resolved through that room: ``decisions.links``)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind of record"), max_length=40)
    target = models.UUIDField(_("record"))
    # The record's name when linked: shown if the record is gone since.
    label = models.CharField(_("name when linked"), max_length=200, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = ("kind", "target", "label")

    class Meta:
        verbose_name = _("link of a decision")
        verbose_name_plural = _("links of decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind", "target"], name="decision_link_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label or str(self.target)
