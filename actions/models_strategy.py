"""Protection and empowerment strategies (Framework step 5).

A strategy answers threats of the baseline (step 1), the groups and the
vulnerabilities or needs mapped for them (step 2: segments, partner types and
the matrix's conditions) and collective goals (step 3). It names the partners
that lead it and the human security dimensions it serves. Protection shields
people from threats from above (norms, institutions, early warning);
empowerment builds their own ability to act from below (capacities,
livelihoods, voice).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baseline.models import Condition, Dimension, Threat
from goals.models import CollectiveGoal
from partnerships.labels import Titled
from partnerships.languages import in_language
from partnerships.models import Member, Partner
from stakeholders.models import Segment


class StrategyKind(models.TextChoices):
    PROTECTION = "protection", pgettext_lazy("strategy", "Protection")
    EMPOWERMENT = "empowerment", pgettext_lazy("strategy", "Empowerment")


class Strategy(Titled):
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    kind = models.CharField(_("kind of strategy"), max_length=20, choices=StrategyKind.choices)
    threats = models.ManyToManyField(
        Threat, blank=True, related_name="+", verbose_name=_("threats it answers")
    )
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="+", verbose_name=_("groups it serves")
    )
    # Partner types it serves as groups ("company", "community", …).
    partner_types = models.JSONField(_("partner types it serves"), default=list, blank=True)
    conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="+",
        verbose_name=_("needs and vulnerabilities it answers"),
    )
    goals = models.ManyToManyField(
        CollectiveGoal, blank=True, related_name="+", verbose_name=_("collective goals")
    )
    lead_partners = models.ManyToManyField(
        Partner, blank=True, related_name="+", verbose_name=_("partners that lead it")
    )
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="+", verbose_name=_("human security dimensions")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_fields: ClassVar[tuple[str, ...]] = ("title", "description", "kind", "partner_types")

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["kind", "created_at", "pk"]

    @property
    def description_text(self) -> str:
        return in_language(self.description)
