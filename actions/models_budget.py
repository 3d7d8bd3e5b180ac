"""An action's budget: planned and spent, per partner and per budget line.

Amounts are integers in the currency's minor units (``charter.money``). A
budget line is what one partner plans to put into one line of an action
("materials", "transport") in one currency. Spending on a line is approved
under the charter's budget rules (``charter.parts.approve_spending``: the pot
of the charter in force, the approver's limit or a budget decision) and keeps
that approval. Spending beyond the planned amount is allowed once approved,
and shown as an overrun, never hidden.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models_actions import Action
from charter.models import SpendingApproval
from charter.money import format_money
from partnerships.languages import in_language
from partnerships.models import Member, Partner, PartnershipOwned


class BudgetLine(PartnershipOwned):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    code = models.SlugField(_("budget line"), max_length=40)
    name = models.JSONField(_("name"), default=dict, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    planned_minor = models.BigIntegerField(_("planned"))
    # The sum of its spending, kept with each one (never typed).
    spent_minor = models.BigIntegerField(_("spent"), default=0, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "partner",
        "code",
        "name",
        "currency",
        "planned_minor",
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["action", "partner__name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "partner", "code", "currency"], name="action_budget_line_once"
            ),
        ]

    def __str__(self) -> str:
        return in_language(self.name, fallback=self.code)

    @property
    def label(self) -> str:
        return str(self)

    @property
    def overrun_minor(self) -> int:
        return max(self.spent_minor - self.planned_minor, 0)

    @property
    def planned_text(self) -> str:
        return format_money(self.planned_minor, self.currency)

    @property
    def spent_text(self) -> str:
        return format_money(self.spent_minor, self.currency)

    @property
    def overrun_text(self) -> str:
        return format_money(self.overrun_minor, self.currency)


class Spending(PartnershipOwned):
    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="spendings",
        verbose_name=_("budget line"),
    )
    amount_minor = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    approval = models.OneToOneField(
        SpendingApproval, on_delete=models.PROTECT, related_name="+", verbose_name=_("approval")
    )
    spent_on = models.DateField(_("spent on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_fields: ClassVar[tuple[str, ...]] = (
        "line",
        "amount_minor",
        "currency",
        "spent_on",
        "note",
    )

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["-spent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.line} · {self.amount_minor} {self.currency}"
