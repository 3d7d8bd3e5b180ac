"""Steps 1 and 2: the human security baseline.

The dimensions of human security a partnership works on, the localities
(administrative areas) it covers, the age bands and gender options its
consultations ask about, the threat register with each group's own rating of
every threat, the needs / vulnerabilities / capacities matrix, and the
capacity register of what each partner can contribute.

A *group* is either a partner type (a company, a community…) or a segment of
the population (women, youth…): ratings and matrix entries name exactly one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships import languages
from partnerships.labels import Coded, Labelled
from partnerships.models import Partner, PartnershipOwned, PartnerType
from stakeholders.models import Segment

# The seven dimensions of the UNDP 1994 Human Development Report, which the
# UN Human Security Framework adopts; every partnership starts with them.
DEFAULT_DIMENSIONS: tuple[tuple[str, Any, Any], ...] = (
    (
        "economic",
        _("Economic security"),
        _("An assured basic income: productive and paid work, or a public safety net."),
    ),
    (
        "food",
        _("Food security"),
        _("Physical and economic access to basic food at all times."),
    ),
    (
        "health",
        _("Health security"),
        _("Freedom from disease and infection, and access to health care."),
    ),
    (
        "environmental",
        _("Environmental security"),
        _("A healthy physical environment: clean water, air and land, safety from disasters."),
    ),
    (
        "personal",
        _("Personal security"),
        _("Safety from physical violence, whether from the state, armed groups or crime."),
    ),
    (
        "community",
        _("Community security"),
        _("Safety through membership of a group: family, community, organisation, identity."),
    ),
    (
        "political",
        _("Political security"),
        _("Living in a society that honours basic human rights and freedoms."),
    ),
)
_DEFAULT_DIMENSION_TEXT = {code: (name, text) for code, name, text in DEFAULT_DIMENSIONS}

DEFAULT_AGE_BANDS: tuple[tuple[str, Any, int | None, int | None], ...] = (
    ("under_18", _("Under 18"), None, 17),
    ("18_29", _("18 to 29"), 18, 29),
    ("30_44", _("30 to 44"), 30, 44),
    ("45_59", _("45 to 59"), 45, 59),
    ("60_plus", _("60 and over"), 60, None),
)
_DEFAULT_AGE_LABELS = {code: label for code, label, _lo, _hi in DEFAULT_AGE_BANDS}

DEFAULT_GENDERS: tuple[tuple[str, Any], ...] = (
    ("woman", _("Woman")),
    ("man", _("Man")),
    ("non_binary", _("Non-binary or another identity")),
    ("prefer_not_to_say", _("Prefer not to say")),
)
_DEFAULT_GENDER_LABELS = dict(DEFAULT_GENDERS)


def in_language(texts: dict[str, str], fallback: str = "") -> str:
    """The text of a multilingual field in the reader's language, else the
    partnership's working languages (``partnerships.languages``, where the one
    rule lives), else any language it has — never English by default."""
    return languages.in_language(texts, fallback)


class Dimension(Labelled, PartnershipOwned):
    code = models.SlugField(_("code"), max_length=40)
    # Empty for the seven default dimensions, which speak the reader's language;
    # a partnership's own dimensions carry a text per language: {"en": …, "es": …}.
    names = models.JSONField(_("names"), default=dict, blank=True)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    audit_fields: ClassVar[tuple[str, ...]] = ("code", "names", "descriptions", "position")

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="dimension_unique_code"),
        ]

    @property
    def label(self) -> str:
        default = _DEFAULT_DIMENSION_TEXT.get(self.code)
        return in_language(self.names) or (str(default[0]) if default else self.code)

    @property
    def description(self) -> str:
        default = _DEFAULT_DIMENSION_TEXT.get(self.code)
        return in_language(self.descriptions) or (str(default[1]) if default else "")


class LocalityKind(models.TextChoices):
    DEPARTMENT = "department", _("Department or province")
    MUNICIPALITY = "municipality", _("Municipality or district")
    OTHER = "other", _("Other area")


class Locality(PartnershipOwned):
    """An administrative area the partnership covers, by its official code
    (DIVIPOLA in Colombia), with its boundary when one has been imported."""

    code = models.CharField(_("official code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of area"),
        max_length=20,
        choices=LocalityKind.choices,
        default=LocalityKind.MUNICIPALITY,
    )
    parent_code = models.CharField(_("code of the larger area"), max_length=20, blank=True)
    parent_name = models.CharField(_("larger area"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # A GeoJSON geometry (Polygon or MultiPolygon, longitude/latitude).
    boundary = models.JSONField(null=True, blank=True, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ("code", "name", "kind", "parent_code")

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["parent_name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="locality_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.parent_name})" if self.parent_name else self.name


class AgeBand(Coded):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)

    default_labels = _DEFAULT_AGE_LABELS
    audit_fields: ClassVar[tuple[str, ...]] = ("code", "name", "min_age", "max_age")

    class Meta:
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        ordering = [models.F("min_age").asc(nulls_first=True), "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="age_band_unique_code"),
        ]


class GenderOption(Coded):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    default_labels = _DEFAULT_GENDER_LABELS
    audit_fields: ClassVar[tuple[str, ...]] = ("code", "name", "position")

    class Meta:
        verbose_name = _("gender option")
        verbose_name_plural = _("gender options")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="gender_unique_code"),
        ]


class GroupOwned(PartnershipOwned):
    """A record about one group: a partner type or a segment, never both."""

    partner_type = models.CharField(
        _("partner type"), max_length=20, choices=PartnerType.choices, blank=True
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
    )

    class Meta:
        abstract = True

    @property
    def group_label(self) -> str:
        if self.segment_id and self.segment:
            return self.segment.label
        return str(PartnerType(self.partner_type).label) if self.partner_type else ""

    @property
    def group_key(self) -> str:
        """A stable key for grouping: "type:company" or "segment:<id>"."""
        return f"segment:{self.segment_id}" if self.segment_id else f"type:{self.partner_type}"


def one_group(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(segment__isnull=True) & ~Q(partner_type=""))
        | (Q(segment__isnull=False) & Q(partner_type="")),
        name=name,
    )


class Nature(models.TextChoices):
    DOWNSIDE = "downside", _("A threat to protect against")
    OPPORTUNITY = "opportunity", _("An opportunity to work towards")


class Trend(models.TextChoices):
    WORSENING = "worsening", _("Worsening")
    STABLE = "stable", _("Stable")
    IMPROVING = "improving", _("Improving")
    UNKNOWN = "unknown", _("Not known")


class Threat(PartnershipOwned):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    nature = models.CharField(
        _("nature"), max_length=20, choices=Nature.choices, default=Nature.DOWNSIDE
    )
    dimensions = models.ManyToManyField(
        Dimension, related_name="threats", verbose_name=_("dimensions")
    )
    localities = models.ManyToManyField(
        Locality, blank=True, related_name="threats", verbose_name=_("localities")
    )
    segments = models.ManyToManyField(
        Segment, blank=True, related_name="threats", verbose_name=_("groups affected")
    )
    partner_types = models.JSONField(_("partner types affected"), default=list, blank=True)
    root_causes = models.TextField(_("root causes"), blank=True)
    trend = models.CharField(
        _("trend"), max_length=20, choices=Trend.choices, default=Trend.UNKNOWN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Kept current by the services from the latest rating of each group, so
    # the register, the stress map and the mutual-risk view need no aggregation.
    severity = models.FloatField(null=True, editable=False)
    likelihood = models.FloatField(null=True, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "nature",
        "partner_types",
        "root_causes",
        "trend",
    )

    class Meta:
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        ordering = ["title"]
        indexes = [models.Index(fields=["partnership", "title"])]

    def __str__(self) -> str:
        return self.title


class RatingSource(models.TextChoices):
    PARTNER = "partner", _("A partner's own rating")
    CONSULTATION = "consultation", _("Consultation results")
    WORKSHOP = "workshop", _("A facilitated workshop")


class ThreatRating(GroupOwned):
    """How one group perceives a threat, on a given day. Every rating is kept
    (the baseline is revisited); the latest per group is the current one."""

    threat = models.ForeignKey(
        Threat, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("threat")
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    source = models.CharField(
        _("source"), max_length=20, choices=RatingSource.choices, default=RatingSource.PARTNER
    )
    rated_by = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by partner"),
    )
    rated_on = models.DateField(_("rated on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "threat",
        "partner_type",
        "segment",
        "severity",
        "likelihood",
        "source",
        "rated_by",
        "rated_on",
        "note",
    )

    class Meta:
        verbose_name = _("threat rating")
        verbose_name_plural = _("threat ratings")
        ordering = ["-rated_on", "-created_at"]
        constraints = [one_group("threat_rating_one_group")]
        indexes = [models.Index(fields=["threat", "partner_type", "segment", "rated_on"])]


class EvidenceKind(models.TextChoices):
    LINK = "link", _("Web link")
    DOCUMENT = "document", _("Document")
    CONSULTATION = "consultation", _("Consultation results")
    DATA = "data", _("Official data")


class Evidence(PartnershipOwned):
    threat = models.ForeignKey(
        Threat, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("threat")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ("threat", "kind", "title", "url", "note")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at"]


class ConditionKind(models.TextChoices):
    NEED = "need", _("Need")
    VULNERABILITY = "vulnerability", _("Vulnerability")
    CAPACITY = "capacity", _("Capacity")


class Condition(GroupOwned):
    """One cell entry of the needs / vulnerabilities / capacities matrix: what
    a group needs, where it is vulnerable, or what it can do, on a dimension."""

    kind = models.CharField(_("kind"), max_length=20, choices=ConditionKind.choices)
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        related_name="conditions",
        verbose_name=_("dimension"),
    )
    locality = models.ForeignKey(
        Locality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locality"),
    )
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=300)
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "kind",
        "partner_type",
        "segment",
        "dimension",
        "locality",
        "description",
        "source",
        "recorded_on",
    )

    class Meta:
        verbose_name = _("need, vulnerability or capacity")
        verbose_name_plural = _("needs, vulnerabilities and capacities")
        ordering = ["dimension__position", "kind", "-recorded_on"]
        constraints = [one_group("condition_one_group")]


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    STAFF_TIME = "staff_time", _("Staff time")
    EQUIPMENT = "equipment", _("Equipment")
    LAND = "land", _("Land")
    LOCAL_KNOWLEDGE = "local_knowledge", _("Local knowledge")
    NETWORKS = "networks", _("Networks")
    SKILLS = "skills", _("Skills")
    OTHER = "other", _("Other")


class Contribution(PartnershipOwned):
    """An entry of the capacity register: what a partner can put in."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("partner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    description = models.TextField(_("description"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. COP, hours per month, hectares")
    )
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="contributions", verbose_name=_("dimensions")
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = (
        "partner",
        "kind",
        "description",
        "quantity",
        "unit",
        "available_from",
        "available_until",
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("capacity register")
        ordering = ["partner__name", "kind"]


class BaselineSettings(PartnershipOwned):
    """Per-partnership state of the baseline: whether its summary is public."""

    published_at = models.DateTimeField(_("published on the portal"), null=True, blank=True)

    audit_fields: ClassVar[tuple[str, ...]] = ("published_at",)

    class Meta:
        verbose_name = _("baseline settings")
        verbose_name_plural = _("baseline settings")
        constraints = [
            models.UniqueConstraint(fields=["partnership"], name="baseline_settings_once"),
        ]

    def __str__(self) -> str:
        return str(_("Baseline settings"))
