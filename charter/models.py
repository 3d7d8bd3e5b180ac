"""The charter: a partnership's own rules (Framework step 5, "management
protocols"), versioned, and adopted by every partner type.

A ``CharterVersion`` holds the whole text of one version: its decision rules
(one ``charter.rules.DecisionRule`` per decision type, as JSON, plus any
types the partnership adds with their own labels), its entry and leaver
rules, and its rows: roles and their holders (``CharterRole``), budget pots
(``BudgetPot``) and who may approve spending from them up to what amount
(``ApprovalLimit``), and the publication and communication plan
(``PlanRow``). A new version is a copy of the one in force: the rows belong
to their version, so a superseded version still says what it said.

The first version is adopted the way goals are: each partner's position
(``CharterPosition``, the goals' append-only shape). Later versions
(amendments) pass only through a decision under the charter then in force.

Amounts are integers in the currency's minor units (``charter.money``): never
floats.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goals.models_goals import RecordedPosition
from partnerships.labels import Titled
from partnerships.languages import in_language
from partnerships.models import Member, Partner, PartnershipOwned, PartnerType


class CharterStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("charter status", "Draft")
    UNDER_ADOPTION = "under_adoption", _("Under adoption")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    DROPPED = "dropped", pgettext_lazy("charter status", "Dropped")


class CommitmentFate(models.TextChoices):
    """What happens to a leaving partner's open commitments."""

    TRANSFERRED = "transferred", _("Transferred to another partner")
    CLOSED = "closed", _("Closed with a note")
    REVIEWED = "reviewed", _("Reviewed by the partnership")


class CharterVersion(Titled):
    number = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CharterStatus.choices, default=CharterStatus.DRAFT
    )
    # The starter it was adapted from (``charter.starters``), for the history.
    starter = models.CharField(_("adapted from"), max_length=40, blank=True)
    title = models.JSONField(_("title"), default=dict)
    preamble = models.JSONField(_("purpose"), default=dict, blank=True)
    # {decision type code: DecisionRule.as_data()}
    rules = models.JSONField(_("decision rules"), default=dict)
    # The partnership's own decision types: {code: {language: label}}.
    custom_types = models.JSONField(_("decision types of the partnership"), default=dict)
    # Entry rule: the decision type that admits a new partner ("" = the
    # facilitators register partners directly).
    admission_kind = models.CharField(_("a new partner is admitted by"), max_length=40, blank=True)
    # What a leaving partner hands over: one item a line, by language.
    handover = models.JSONField(_("what a leaving partner hands over"), default=dict, blank=True)
    commitments_fate = models.CharField(
        _("a leaving partner's open commitments are"),
        max_length=20,
        choices=CommitmentFate.choices,
        default=CommitmentFate.REVIEWED,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_force_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateTimeField(_("in force until"), null=True, blank=True)
    # The decision that brought an amendment into force (decisions room's
    # reference); empty for a first charter adopted by positions.
    decision_reference = models.CharField(_("decision"), max_length=100, blank=True)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "number",
        "status",
        "starter",
        "title",
        "preamble",
        "rules",
        "custom_types",
        "admission_kind",
        "handover",
        "commitments_fate",
        "decision_reference",
        "dropped_reason",
    )

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="charter_version_unique"
            ),
            # One charter in force at a time; one version in the making.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="in_force"),
                name="charter_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status__in=["draft", "under_adoption"]),
                name="charter_one_in_the_making",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in (CharterStatus.DRAFT, CharterStatus.UNDER_ADOPTION)

    @property
    def preamble_text(self) -> str:
        return in_language(self.preamble)

    @property
    def handover_lines(self) -> list[str]:
        """What a leaving partner hands over, one item a line."""
        return list(filter(str.strip, in_language(self.handover).splitlines()))


class RoleKind(models.TextChoices):
    FACILITATOR = "facilitator", pgettext_lazy("charter role", "Facilitator")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    GRIEVANCE_OPERATOR = "grievance_operator", _("Grievance operator")
    TREASURER = "treasurer", _("Treasurer")
    CUSTOM = "custom", _("Another role")


class CharterRole(PartnershipOwned):
    """A role the charter names, and who holds it (a member or a partner) for
    what term. A starter names the roles; the holders come when adapting it."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)
    # A custom role's name, by language (the others speak the reader's language).
    name = models.JSONField(_("name of the role"), default=dict, blank=True)
    holder_member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by (a member)"),
    )
    holder_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by (a partner)"),
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "name",
        "holder_member",
        "holder_partner",
        "term_start",
        "term_end",
    )

    class Meta:
        verbose_name = _("charter role")
        verbose_name_plural = _("charter roles")
        ordering = ["version", "kind", "pk"]

    @property
    def label(self) -> str:
        if self.kind == RoleKind.CUSTOM:
            return in_language(self.name, fallback=str(RoleKind.CUSTOM.label))
        return str(RoleKind(self.kind).label)

    @property
    def holder_label(self) -> str:
        if self.holder_partner_id:
            return self.holder_partner.name if self.holder_partner else ""
        if self.holder_member is not None:
            return self.holder_member.name_for(None)
        return ""


class BudgetPot(PartnershipOwned):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="pots")
    # The same pot across versions keeps its code (spending is counted by it).
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    currency = models.CharField(_("currency"), max_length=3)
    amount_minor = models.BigIntegerField(_("amount"))

    audit_fields: ClassVar[tuple[str, ...]] = ("code", "name", "currency", "amount_minor")

    class Meta:
        verbose_name = _("budget pot")
        verbose_name_plural = _("budget pots")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="charter_pot_code_unique"),
        ]

    @property
    def label(self) -> str:
        return in_language(self.name, fallback=self.code)

    def __str__(self) -> str:
        return self.label


class ApprovalLimit(PartnershipOwned):
    """Who may approve spending from a pot, up to what amount: the holders of
    a charter role, or the representatives of a partner type."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="limits")
    pot = models.ForeignKey(
        BudgetPot, on_delete=models.CASCADE, related_name="limits", verbose_name=_("pot")
    )
    role_kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices, blank=True)
    partner_type = models.CharField(
        _("partner type"), max_length=20, choices=PartnerType.choices, blank=True
    )
    limit_minor = models.BigIntegerField(_("up to"))

    audit_fields: ClassVar[tuple[str, ...]] = ("pot", "role_kind", "partner_type", "limit_minor")

    class Meta:
        verbose_name = _("approval limit")
        verbose_name_plural = _("approval limits")
        ordering = ["version", "pot", "pk"]

    @property
    def approver_label(self) -> str:
        if self.role_kind:
            return str(RoleKind(self.role_kind).label)
        return str(PartnerType(self.partner_type).label) if self.partner_type else ""


class SpendingApproval(PartnershipOwned):
    """Spending approved from a pot of the charter in force: within the
    approver's limit, or above it under a budget decision."""

    pot = models.ForeignKey(
        BudgetPot, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("pot")
    )
    pot_code = models.SlugField(max_length=40)
    amount_minor = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    purpose = models.TextField(_("purpose"))
    approved_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    # The limit that allowed it ("role:treasurer", "type:company"), or empty
    # when a budget decision did.
    basis = models.CharField(_("approved as"), max_length=60, blank=True)
    decision_reference = models.CharField(_("decision"), max_length=100, blank=True)
    approved_at = models.DateTimeField(_("approved on"), default=timezone.now)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "pot",
        "amount_minor",
        "currency",
        "purpose",
        "basis",
        "decision_reference",
    )

    class Meta:
        verbose_name = _("spending approval")
        verbose_name_plural = _("spending approvals")
        ordering = ["-approved_at", "-pk"]


class Published(models.TextChoices):
    DECISIONS = "decisions", _("Decisions")
    GOALS = "goals", _("Collective goals")
    CHARTER = "charter", _("The charter")
    MINUTES = "minutes", _("Minutes of meetings")
    COMMITMENTS = "commitments", _("Commitments and their progress")
    BUDGET = "budget", _("Budget and spending")
    RESULTS = "results", _("Results of consultations")
    ANNOUNCEMENTS = "announcements", _("Announcements")


class Audience(models.TextChoices):
    PUBLIC = "public", _("The public portal")
    MEMBERS = "members", _("Members of the partnership")


class Frequency(models.TextChoices):
    AS_IT_HAPPENS = "as_it_happens", _("As it happens")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every three months")
    YEARLY = "yearly", _("Yearly")


class PlanRow(PartnershipOwned):
    """One line of the publication and communication plan: what is
    published, to whom, in which languages, how often."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="plan")
    what = models.CharField(_("what"), max_length=30, choices=Published.choices)
    audience = models.CharField(_("to whom"), max_length=20, choices=Audience.choices)
    languages = models.JSONField(_("in which languages"), default=list)
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices)

    audit_fields: ClassVar[tuple[str, ...]] = ("what", "audience", "languages", "frequency")

    class Meta:
        verbose_name = _("communication plan line")
        verbose_name_plural = _("communication plan lines")
        ordering = ["version", "what", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "what", "audience"], name="charter_plan_row_unique"
            ),
        ]


class CharterPosition(RecordedPosition):
    """A partner's position on a version of the charter put to adoption (the
    first charter): the goals' append-only shape (``RecordedPosition``)."""

    version = models.ForeignKey(
        CharterVersion,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("charter version"),
    )

    audit_fields: ClassVar[tuple[str, ...]] = ("version", *RecordedPosition.position_audit_fields)

    class Meta:
        verbose_name = _("position on the charter")
        verbose_name_plural = _("positions on the charter")
        ordering = ["version", "partner_type", "partner", "-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "partner"],
                condition=models.Q(current=True),
                name="charter_position_one_counting",
            ),
        ]
