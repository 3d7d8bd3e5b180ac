"""Step 4, "who needs to be involved and how": the joint stakeholder map.

Actors (organisations, groups, individuals), the segments they belong to or
represent, dated assessments attributed to the partner who made them,
relations between actors, and participation-risk flags. Actors flagged at risk
are shown only through ``partnerships.protection``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.labels import Coded
from partnerships.models import Partner, PartnershipOwned, PartnerType

# The segments every partnership starts with; a partnership may add its own.
DEFAULT_SEGMENTS: tuple[tuple[str, Any], ...] = (
    ("women", _("Women")),
    ("youth", _("Youth")),
    ("older_people", _("Older people")),
    ("indigenous", _("Indigenous peoples")),
    ("afro_descendant", _("Afro-descendant communities")),
    ("displaced", _("Displaced people")),
    ("victims", _("Victims of the conflict")),
    ("former_combatants", _("Former combatants")),
    ("disability", _("People with disabilities")),
    ("rural_producers", _("Rural producers")),
    ("migrants", _("Migrants")),
)
_DEFAULT_LABELS = dict(DEFAULT_SEGMENTS)


class Segment(Coded):
    """A population group used to check inclusion and to disaggregate data."""

    code = models.SlugField(_("code"), max_length=40)
    # Blank for the default segments, which then speak the reader's language.
    name = models.CharField(_("name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    default_labels = _DEFAULT_LABELS
    audit_fields: ClassVar[tuple[str, ...]] = ("code", "name", "description")

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="segment_unique_code"),
        ]


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    GROUP = "group", _("Group")
    INDIVIDUAL = "individual", _("Individual")


class Engagement(models.TextChoices):
    """The spectrum of engagement, weakest first (the order matters)."""

    NONE = "none", _("Not engaged")
    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value) if value in cls.values else 0

    @classmethod
    def engaged_values(cls) -> list[str]:
        """Involve and beyond count as engaged; being informed or consulted does not."""
        return [cls.INVOLVE, cls.COLLABORATE, cls.EMPOWER]


class Stance(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive")
    NEUTRAL = "neutral", _("Neutral")
    SCEPTICAL = "sceptical", _("Sceptical")
    OPPOSED = "opposed", _("Opposed")
    UNKNOWN = "unknown", _("Unknown")


class Actor(PartnershipOwned):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of actor"), max_length=20, choices=ActorKind.choices)
    partner_type = models.CharField(
        _("partner type"),
        max_length=20,
        choices=PartnerType.choices,
        blank=True,
        help_text=_("Which kind of partner this actor is or would be."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actors",
        verbose_name=_("joined as partner"),
    )
    area_code = models.CharField(_("administrative area code"), max_length=20, blank=True)
    locality_name = models.CharField(_("locality"), max_length=200, blank=True)
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="actors", verbose_name=_("segments")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Contact details are protected: only roles with the "contact" capability see them.
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_notes = models.TextField(_("contact notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Derived from the latest assessment of each partner (services keep them
    # current), so the register, the grid and the filters need no aggregation.
    influence = models.FloatField(null=True, editable=False)
    interest = models.FloatField(null=True, editable=False)
    capacity = models.FloatField(null=True, editable=False)
    engagement = models.CharField(
        max_length=20, choices=Engagement.choices, default=Engagement.NONE, editable=False
    )
    disagreement = models.FloatField(default=0, editable=False)
    assessment_count = models.PositiveIntegerField(default=0, editable=False)
    # The cell of the 5 × 5 influence/interest grid (0: not assessed), indexed so
    # the grid reads a few rows per cell instead of sorting the whole map.
    grid_cell = models.PositiveSmallIntegerField(default=0, editable=False)
    # Set by the participation-risk flag (its own audited record); never in this
    # model's audit fields, so the trail does not reveal it.
    at_risk = models.BooleanField(default=False, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "kind",
        "partner_type",
        "partner",
        "area_code",
        "locality_name",
        "tags",
        "description",
        "contact_email",
        "contact_phone",
        "contact_notes",
    )
    audit_redacted: ClassVar[tuple[str, ...]] = ("contact_email", "contact_phone", "contact_notes")

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["partnership", "name"]),
            models.Index(fields=["partnership", "kind", "name"]),
            models.Index(fields=["partnership", "partner_type", "name"]),
            models.Index(fields=["partnership", "engagement", "name"]),
            # The register of those without clearance lists hidden actors last.
            models.Index(fields=["partnership", "at_risk", "name"]),
            # The grid's first names per cell, for viewers with and without clearance.
            models.Index(fields=["partnership", "grid_cell", "name"], name="actor_grid_cell"),
            models.Index(
                fields=["partnership", "grid_cell", "at_risk", "name"],
                name="actor_grid_cell_hidden",
            ),
            models.Index(fields=["partnership", "disagreement"], name="actor_disagreement"),
        ]
        # No unique name: see services._duplicate (a hidden actor's name must not
        # be discoverable by trying to add it).

    def __str__(self) -> str:
        return self.name

    def audit_subjects(self) -> list[str]:
        return [str(self.public_id)]

    @staticmethod
    def cell_of(influence: float | None, interest: float | None) -> int:
        """1–25 for (influence, interest) rounded half up; 0 when not assessed."""
        if influence is None or interest is None:
            return 0
        return (int(influence + 0.5) - 1) * 5 + int(interest + 0.5)

    @staticmethod
    def cell_coordinates(cell: int) -> tuple[int, int]:
        """(influence, interest) of a grid cell."""
        return (cell - 1) // 5 + 1, (cell - 1) % 5 + 1


class Assessment(PartnershipOwned):
    """One partner's view of one actor at one date. The history is kept; the
    latest assessment of each partner is the current one."""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("actor")
    )
    assessed_by = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    influence = models.PositiveSmallIntegerField(
        _("influence"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    influence_note = models.CharField(_("why this influence"), max_length=500, blank=True)
    interest = models.PositiveSmallIntegerField(
        _("interest"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    interest_note = models.CharField(_("why this interest"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity and resources"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    capacity_note = models.CharField(_("why this capacity"), max_length=500, blank=True)
    stance = models.CharField(
        _("stance toward the partnership"),
        max_length=20,
        choices=Stance.choices,
        default=Stance.UNKNOWN,
    )
    engagement = models.CharField(
        _("engagement level"), max_length=20, choices=Engagement.choices, default=Engagement.NONE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "actor",
        "assessed_by",
        "assessed_on",
        "influence",
        "interest",
        "capacity",
        "stance",
        "engagement",
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["actor", "assessed_by", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__range=(1, 5))
                & Q(interest__range=(1, 5))
                & Q(capacity__range=(1, 5)),
                name="assessment_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_by} · {self.assessed_on}"

    def audit_subjects(self) -> list[str]:
        return [str(self.actor.public_id)]


class RelationType(models.TextChoices):
    MEMBER_OF = "member_of", _("is a member of")
    REPRESENTS = "represents", _("represents")
    WORKS_WITH = "works_with", _("works with")
    FUNDS = "funds", _("funds")
    SUPPLIES = "supplies", _("supplies")
    IN_CONFLICT_WITH = "in_conflict_with", _("is in conflict with")
    INFLUENCES = "influences", _("influences")


class Relation(PartnershipOwned):
    source = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("to")
    )
    relation_type = models.CharField(_("relation"), max_length=20, choices=RelationType.choices)
    directed = models.BooleanField(_("directed"), default=True)
    strength = models.PositiveSmallIntegerField(
        _("strength"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "source",
        "target",
        "relation_type",
        "directed",
        "strength",
        "note",
    )

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        # The relations table pages through a partnership's relations in creation order.
        indexes = [models.Index(fields=["partnership", "id"], name="relation_in_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relation_not_self"
            ),
            models.UniqueConstraint(
                fields=["source", "target", "relation_type"], name="relation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_relation_type_display()} {self.target}"

    def audit_subjects(self) -> list[str]:
        return [str(self.source.public_id), str(self.target.public_id)]


class RiskFlag(PartnershipOwned):
    """ "At risk if identified": who flagged the actor, when and why. Only
    facilitators see flags; everyone else sees a pseudonym instead of the actor."""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="risk_flags", verbose_name=_("actor")
    )
    reason = models.TextField(_("why"))
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    flagged_at = models.DateTimeField(default=timezone.now, editable=False)
    cleared_at = models.DateTimeField(_("cleared on"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    audit_fields: ClassVar[tuple[str, ...]] = ("actor", "reason", "cleared_at")

    class Meta:
        verbose_name = _("participation-risk flag")
        verbose_name_plural = _("participation-risk flags")
        ordering = ["-flagged_at"]

    def __str__(self) -> str:
        return str(_("Participation-risk flag"))

    def audit_subjects(self) -> list[str]:
        return [str(self.actor.public_id)]
