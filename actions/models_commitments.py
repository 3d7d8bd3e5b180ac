"""The one Commitment model: what a partner promises, by when, and whether it
was delivered.

A commitment is made by a partner (through its representative, or by a
facilitator on its behalf under a stated mandate). It commits to an action of
the checklist, or to something another room names (``source``: a grievance's
resolution, "grievance:<uuid>"; a review, "review:<uuid>"; a meeting,
"meeting:<uuid>"), or both; at least one of the two. It may be drawn from the
capacity register (``baseline.Contribution``).

Its life: **promised** → fulfilment **reported** with evidence → **confirmed**
by a member of a partner of *another* partner type. A report nobody confirms
stays "reported". A promise may be **withdrawn** with a reason.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actions.models_actions import Action
from baseline.models import Contribution, ContributionKind
from charter.money import format_money
from partnerships.languages import in_language
from partnerships.models import Member, Partner, PartnershipOwned, PartnerType

YES_NO = [(True, _("yes")), (False, _("no"))]


class CommitmentKind(models.TextChoices):
    # The capacity register's kinds (baseline.ContributionKind), plus a policy change.
    MONEY = ContributionKind.MONEY.value, _("Money")
    STAFF_TIME = ContributionKind.STAFF_TIME.value, _("Staff time")
    EQUIPMENT = ContributionKind.EQUIPMENT.value, _("Equipment")
    LAND = ContributionKind.LAND.value, _("Land")
    LOCAL_KNOWLEDGE = ContributionKind.LOCAL_KNOWLEDGE.value, _("Local knowledge")
    NETWORKS = ContributionKind.NETWORKS.value, _("Networks")
    SKILLS = ContributionKind.SKILLS.value, _("Skills")
    POLICY_CHANGE = "policy_change", _("Policy change")
    OTHER = ContributionKind.OTHER.value, _("Other")


class CommitmentStatus(models.TextChoices):
    PROMISED = "promised", pgettext_lazy("commitment status", "Promised")
    REPORTED = "reported", pgettext_lazy("commitment status", "Reported, awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("commitment status", "Delivered and confirmed")
    WITHDRAWN = "withdrawn", pgettext_lazy("commitment status", "Withdrawn")


class Commitment(PartnershipOwned):
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    # The partner's type when it committed (the sharing view counts by it).
    partner_type = models.CharField(_("partner type"), max_length=20, choices=PartnerType.choices)
    action = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("action"),
    )
    # What else it commits to, as "<kind>:<public id>" (see the module's docstring).
    source = models.CharField(_("committed in"), max_length=100, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    description = models.JSONField(_("what is committed"), default=dict)
    # Money: an amount in minor units and its currency; any other kind: a
    # quantity and its unit (staff days, hectares), both optional.
    amount_minor = models.BigIntegerField(_("amount"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    due_on = models.DateField(_("due on"))
    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the capacity register"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PROMISED,
    )
    made_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(_("committed on"), default=timezone.now)
    on_behalf = models.BooleanField(
        _("recorded on behalf of the partner"), default=False, choices=YES_NO
    )
    mandate = models.TextField(_("mandate"), blank=True)
    # Fulfilment, as reported by the partner.
    reported_at = models.DateTimeField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.TextField(_("what was delivered"), blank=True)
    evidence_url = models.URLField(_("evidence (a link)"), max_length=500, blank=True)
    delivered_amount_minor = models.BigIntegerField(_("amount delivered"), null=True, blank=True)
    delivered_quantity = models.DecimalField(
        _("quantity delivered"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Confirmation, by a member of a partner of another type.
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by_type = models.CharField(
        _("confirmed by a partner of type"), max_length=20, choices=PartnerType.choices, blank=True
    )
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)
    # When the owners were last reminded that it is overdue.
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "partner",
        "action",
        "source",
        "kind",
        "description",
        "amount_minor",
        "currency",
        "quantity",
        "unit",
        "due_on",
        "contribution",
        "status",
        "on_behalf",
        "mandate",
        "report",
        "evidence_url",
        "delivered_amount_minor",
        "delivered_quantity",
        "confirmed_by_type",
        "withdrawn_reason",
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"], name="commitment_due"),
            models.Index(
                fields=["partnership", "partner_type", "made_at"], name="commitment_sharing"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action__isnull=True, source=""),
                name="commitment_to_something",
            ),
        ]

    def __str__(self) -> str:
        return in_language(self.description, fallback=str(self.get_kind_display()))

    @property
    def label(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status == CommitmentStatus.PROMISED

    @property
    def amount_text(self) -> str:
        if self.amount_minor is None or not self.currency:
            return ""
        return format_money(self.amount_minor, self.currency)

    def is_overdue(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.is_open and self.due_on < day  # type: ignore[operator]
