"""What people do to the baseline. ``by`` is the person acting. Every write is
audited and atomic; bad input is a ``ServiceError`` and nothing is written."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from baseline.models import (
    DEFAULT_AGE_BANDS,
    DEFAULT_DIMENSIONS,
    DEFAULT_GENDERS,
    AgeBand,
    BaselineSettings,
    Condition,
    ConditionKind,
    Contribution,
    ContributionKind,
    Dimension,
    Evidence,
    EvidenceKind,
    GenderOption,
    Locality,
    Nature,
    RatingSource,
    Threat,
    ThreatRating,
    Trend,
)
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, first_language, require_first
from partnerships.models import Member, Partner, Partnership, PartnerType, Role
from partnerships.services import only_fields
from stakeholders.models import Segment

LANGUAGES = ("en", "es")
MAX_TEXT = 5000

# -- set-up --------------------------------------------------------------------


def ensure_defaults(*, partnership: Partnership, by: Any = None) -> None:
    """Give a partnership the seven dimensions, the age bands and the gender
    options it lacks (idempotent; a partnership's own additions stay)."""
    have = set(Dimension.objects.filter(partnership=partnership).values_list("code", flat=True))
    for position, (code, _name, _text) in enumerate(DEFAULT_DIMENSIONS):
        if code not in have:
            save_audited(Dimension(partnership=partnership, code=code, position=position), actor=by)
    have = set(AgeBand.objects.filter(partnership=partnership).values_list("code", flat=True))
    for code, _label, low, high in DEFAULT_AGE_BANDS:
        if code not in have:
            save_audited(
                AgeBand(partnership=partnership, code=code, min_age=low, max_age=high), actor=by
            )
    have = set(GenderOption.objects.filter(partnership=partnership).values_list("code", flat=True))
    for position, (code, _label) in enumerate(DEFAULT_GENDERS):
        if code not in have:
            save_audited(
                GenderOption(partnership=partnership, code=code, position=position), actor=by
            )


def _code(partnership: Partnership, model: Any, text: str, field: str) -> str:
    code = slugify(text)[:40]
    if not code:
        raise ServiceError(_("Give it a name."), field=field)
    if model.objects.filter(partnership=partnership, code=code).exists():
        raise ServiceError(_("There is already one with this name."), field=field)
    return code


@transaction.atomic
def add_dimension(
    *, by: Any, partnership: Partnership, names: dict[str, str], descriptions: dict[str, str]
) -> Dimension:
    """A partnership's own dimension, after the seven."""
    # Named in the partnership's working languages, the first one at least.
    clean_names = clean_texts(names)
    require_first(clean_names, partnership, prefix="name")
    clean_descriptions = clean_texts(descriptions)
    first = first_language(partnership)
    code = _code(partnership, Dimension, clean_names[first], f"name_{first}")
    last = Dimension.objects.filter(partnership=partnership).aggregate(m=Max("position"))["m"]
    dimension = Dimension(
        partnership=partnership,
        code=code,
        names=clean_names,
        descriptions=clean_descriptions,
        position=(last or 0) + 1,
    )
    save_audited(dimension, actor=by)
    return dimension


def check_band(min_age: int | None, max_age: int | None) -> None:
    """The same rules for a new age band and a changed one."""
    if min_age is None and max_age is None:
        raise ServiceError(_("Give at least one end of the band."), field="min_age")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ServiceError(_("The band must start before it ends."), field="max_age")


@transaction.atomic
def add_age_band(
    *, by: Any, partnership: Partnership, name: str, min_age: int | None, max_age: int | None
) -> AgeBand:
    check_band(min_age, max_age)
    code = _code(partnership, AgeBand, name or f"{min_age}-{max_age}", "name")
    band = AgeBand(
        partnership=partnership, code=code, name=name.strip(), min_age=min_age, max_age=max_age
    )
    save_audited(band, actor=by)
    return band


@transaction.atomic
def add_gender_option(*, by: Any, partnership: Partnership, name: str) -> GenderOption:
    code = _code(partnership, GenderOption, name, "name")
    last = GenderOption.objects.filter(partnership=partnership).aggregate(m=Max("position"))["m"]
    option = GenderOption(
        partnership=partnership, code=code, name=name.strip(), position=(last or 0) + 1
    )
    save_audited(option, actor=by)
    return option


# -- threats ---------------------------------------------------------------------

THREAT_FIELDS = (
    "title",
    "description",
    "nature",
    "partner_types",
    "root_causes",
    "trend",
    "dimensions",
    "localities",
    "segments",
)


def _owned(partnership: Partnership, items: Iterable[Any], field: str) -> list[Any]:
    """Objects of this partnership only: an id of another one is refused."""
    items = list(items or [])
    if any(getattr(item, "partnership_id", partnership.pk) != partnership.pk for item in items):
        raise ServiceError(_("Choose among this partnership's own entries."), field=field)
    return items


def _clean_threat(partnership: Partnership, fields: dict[str, Any]) -> dict[str, Any]:
    only_fields(fields, THREAT_FIELDS)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise ServiceError(_("Give the threat a title."), field="title")
        if len(fields["title"]) > 200:
            raise ServiceError(_("The title is too long (200 characters at most)."), field="title")
    for name in ("description", "root_causes"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
            if len(fields[name]) > MAX_TEXT:
                raise ServiceError(_("This text is too long."), field=name)
    if "nature" in fields and fields["nature"] not in Nature.values:
        raise ServiceError(_("Choose whether it is a threat or an opportunity."), field="nature")
    if "trend" in fields and fields["trend"] not in Trend.values:
        raise ServiceError(_("Choose a trend from the list."), field="trend")
    if "partner_types" in fields:
        types = list(dict.fromkeys(fields["partner_types"] or []))
        if any(t not in PartnerType.values for t in types):
            raise ServiceError(_("Choose partner types from the list."), field="partner_types")
        fields["partner_types"] = types
    if "dimensions" in fields:
        fields["dimensions"] = _owned(partnership, fields["dimensions"], "dimensions")
        if not fields["dimensions"]:
            raise ServiceError(_("Choose at least one dimension."), field="dimensions")
    for name in ("localities", "segments"):
        if name in fields:
            fields[name] = _owned(partnership, fields[name], name)
    return fields


_RELATIONS = ("dimensions", "localities", "segments")


@transaction.atomic
def create_threat(*, by: Any, partnership: Partnership, **fields: Any) -> Threat:
    fields.setdefault("dimensions", [])
    fields = _clean_threat(partnership, fields)
    if "title" not in fields:
        raise ServiceError(_("Give the threat a title."), field="title")
    relations = {name: fields.pop(name) for name in _RELATIONS if name in fields}
    threat = Threat(partnership=partnership, **fields)
    save_audited(threat, actor=by)
    for name, items in relations.items():
        getattr(threat, name).set(items)
    return threat


@transaction.atomic
def update_threat(*, by: Any, threat: Threat, **fields: Any) -> Threat:
    fields = _clean_threat(threat.partnership, fields)
    relations = {name: fields.pop(name) for name in _RELATIONS if name in fields}
    for name, value in fields.items():
        setattr(threat, name, value)
    save_audited(threat, actor=by)
    for name, items in relations.items():
        getattr(threat, name).set(items)
    return threat


@transaction.atomic
def delete_threat(*, by: Any, threat: Threat) -> None:
    delete_audited(threat, actor=by)


def _score(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if str(value).strip() != str(number) or not 1 <= number <= 5:
        raise ServiceError(_("Give a score from 1 to 5."), field=field)
    return number


def _rating_partner(member: Member | None, rated_by: Partner | None) -> Partner | None:
    """A representative rates on behalf of their own partner only."""
    if member is not None and member.role == Role.PARTNER_REPRESENTATIVE:
        if rated_by is not None and rated_by.pk != member.partner_id:
            raise ServiceError(
                _("You can rate only on behalf of your own partner."), field="rated_by"
            )
        return member.partner
    return rated_by


@transaction.atomic
def rate_threat(
    *,
    by: Any,
    threat: Threat,
    severity: Any,
    likelihood: Any,
    partner_type: str = "",
    segment: Segment | None = None,
    source: str = RatingSource.PARTNER,
    rated_by: Partner | None = None,
    rated_on: datetime.date | None = None,
    note: str = "",
    member: Member | None = None,
) -> ThreatRating:
    """One group's rating of a threat: a partner type or a segment, not both.
    A representative's rating is entered on behalf of their partner, and a
    partner rating as a partner type is that partner's own type."""
    partner_type = partner_type or ""
    if bool(partner_type) == bool(segment):
        raise ServiceError(
            _("Say which group this rating is from: a partner type or a segment, not both."),
            field="partner_type",
        )
    if partner_type and partner_type not in PartnerType.values:
        raise ServiceError(_("Choose a partner type from the list."), field="partner_type")
    if segment is not None and segment.partnership_id != threat.partnership_id:
        raise ServiceError(_("Choose among this partnership's own segments."), field="segment")
    if source not in RatingSource.values:
        raise ServiceError(_("Choose a source from the list."), field="source")
    rated_by = _rating_partner(member, rated_by)
    if rated_by is not None and rated_by.partnership_id != threat.partnership_id:
        raise ServiceError(_("Choose among this partnership's own partners."), field="rated_by")
    if (
        member is not None
        and member.role == Role.PARTNER_REPRESENTATIVE
        and partner_type
        and rated_by is not None
        and partner_type != rated_by.partner_type
    ):
        raise ServiceError(
            _("A representative rates as their own partner's type."), field="partner_type"
        )
    if len(note or "") > MAX_TEXT:
        raise ServiceError(_("This text is too long."), field="note")
    rating = ThreatRating(
        partnership_id=threat.partnership_id,
        threat=threat,
        partner_type=partner_type,
        segment=segment,
        severity=_score(severity, "severity"),
        likelihood=_score(likelihood, "likelihood"),
        source=source,
        rated_by=rated_by,
        rated_on=rated_on or timezone.localdate(),
        note=(note or "").strip(),
    )
    save_audited(rating, actor=by)
    refresh_threat(threat)
    return rating


@transaction.atomic
def delete_rating(*, by: Any, rating: ThreatRating) -> None:
    threat = rating.threat
    delete_audited(rating, actor=by)
    refresh_threat(threat)


def current_ratings(threat: Threat) -> list[ThreatRating]:
    """The latest rating of each group (one query)."""
    latest: dict[str, ThreatRating] = {}
    ratings = threat.ratings.select_related("segment", "rated_by").order_by(
        "-rated_on", "-created_at", "-id"
    )
    for rating in ratings:
        latest.setdefault(rating.group_key, rating)
    return sorted(latest.values(), key=lambda r: r.group_label)


def refresh_threat(threat: Threat) -> None:
    """Keep the threat's mean severity and likelihood (over each group's
    latest rating) and its count of rating groups current."""
    current = current_ratings(threat)
    count = len(current)
    threat.severity = round(sum(r.severity for r in current) / count, 2) if count else None
    threat.likelihood = round(sum(r.likelihood for r in current) / count, 2) if count else None
    threat.rating_count = count
    Threat.objects.filter(pk=threat.pk).update(
        severity=threat.severity, likelihood=threat.likelihood, rating_count=count
    )


@transaction.atomic
def add_evidence(
    *, by: Any, threat: Threat, kind: str, title: str, url: str = "", note: str = ""
) -> Evidence:
    if kind not in EvidenceKind.values:
        raise ServiceError(_("Choose a kind of evidence from the list."), field="kind")
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the evidence a title."), field="title")
    url = (url or "").strip()
    if url and not url.lower().startswith(("https://", "http://")):
        raise ServiceError(_("The address must start with https:// or http://."), field="url")
    evidence = Evidence(
        partnership_id=threat.partnership_id,
        threat=threat,
        kind=kind,
        title=title[:200],
        url=url,
        note=(note or "").strip()[:MAX_TEXT],
    )
    save_audited(evidence, actor=by)
    return evidence


@transaction.atomic
def delete_evidence(*, by: Any, evidence: Evidence) -> None:
    delete_audited(evidence, actor=by)


# -- needs, vulnerabilities and capacities ----------------------------------------

# What people may write about a condition is what the audit trail tracks: one list.
CONDITION_FIELDS = Condition.audit_fields


def _clean_condition(partnership: Partnership, fields: dict[str, Any]) -> dict[str, Any]:
    only_fields(fields, CONDITION_FIELDS)
    if fields.get("kind") not in ConditionKind.values:
        raise ServiceError(_("Choose need, vulnerability or capacity."), field="kind")
    fields["partner_type"] = fields.get("partner_type") or ""
    if bool(fields["partner_type"]) == bool(fields.get("segment")):
        raise ServiceError(
            _("Say which group this is about: a partner type or a segment, not both."),
            field="partner_type",
        )
    if fields["partner_type"] and fields["partner_type"] not in PartnerType.values:
        raise ServiceError(_("Choose a partner type from the list."), field="partner_type")
    for name in ("segment", "dimension", "locality"):
        item = fields.get(name)
        if item is not None and item.partnership_id != partnership.pk:
            raise ServiceError(_("Choose among this partnership's own entries."), field=name)
    if fields.get("dimension") is None:
        raise ServiceError(_("Choose a dimension."), field="dimension")
    for name in ("description", "source"):
        fields[name] = (fields.get(name) or "").strip()
        if not fields[name]:
            raise ServiceError(_("This field is required."), field=name)
    if len(fields["description"]) > MAX_TEXT or len(fields["source"]) > 300:
        raise ServiceError(_("This text is too long."), field="description")
    if not fields.get("recorded_on"):
        fields["recorded_on"] = timezone.localdate()
    return fields


@transaction.atomic
def record_condition(*, by: Any, partnership: Partnership, **fields: Any) -> Condition:
    fields = _clean_condition(partnership, fields)
    condition = Condition(partnership=partnership, **fields)
    save_audited(condition, actor=by)
    return condition


@transaction.atomic
def update_condition(*, by: Any, condition: Condition, **fields: Any) -> Condition:
    current = {name: getattr(condition, name) for name in CONDITION_FIELDS}
    fields = _clean_condition(condition.partnership, {**current, **fields})
    for name, value in fields.items():
        setattr(condition, name, value)
    save_audited(condition, actor=by)
    return condition


@transaction.atomic
def delete_condition(*, by: Any, condition: Condition) -> None:
    delete_audited(condition, actor=by)


CONTRIBUTION_FIELDS = (
    "partner",
    "kind",
    "description",
    "quantity",
    "unit",
    "dimensions",
    "available_from",
    "available_until",
)


def may_edit_contribution(member: Member | None, partner: Partner) -> bool:
    """Facilitators keep every entry; a representative only their partner's."""
    if member is None:
        return True  # the system (imports, demo)
    if member.role == Role.FACILITATOR:
        return True
    return member.role == Role.PARTNER_REPRESENTATIVE and member.partner_id == partner.pk


def _clean_contribution(
    partnership: Partnership, fields: dict[str, Any], member: Member | None
) -> dict[str, Any]:
    only_fields(fields, CONTRIBUTION_FIELDS)
    partner = fields.get("partner")
    if partner is None or partner.partnership_id != partnership.pk:
        raise ServiceError(_("Choose one of this partnership's partners."), field="partner")
    if not may_edit_contribution(member, partner):
        raise ServiceError(
            _("You can keep only your own partner's entries of the capacity register."),
            field="partner",
        )
    if fields.get("kind") not in ContributionKind.values:
        raise ServiceError(_("Choose a kind of contribution from the list."), field="kind")
    fields["description"] = (fields.get("description") or "").strip()
    if not fields["description"]:
        raise ServiceError(_("Say what the partner can contribute."), field="description")
    if len(fields["description"]) > MAX_TEXT:
        raise ServiceError(_("This text is too long."), field="description")
    quantity = fields.get("quantity")
    if quantity is not None:
        try:
            quantity = Decimal(str(quantity))
        except ArithmeticError:
            raise ServiceError(_("Give the quantity as a number."), field="quantity") from None
        if not quantity.is_finite() or quantity < 0 or quantity >= Decimal("1e12"):
            raise ServiceError(_("Give a positive quantity."), field="quantity")
        fields["quantity"] = quantity.quantize(Decimal("0.01"))
    fields["unit"] = (fields.get("unit") or "").strip()[:40]
    start, end = fields.get("available_from"), fields.get("available_until")
    if start and end and start > end:
        raise ServiceError(_("The period must start before it ends."), field="available_until")
    if "dimensions" in fields:
        fields["dimensions"] = _owned(partnership, fields["dimensions"], "dimensions")
    return fields


@transaction.atomic
def add_contribution(
    *, by: Any, partnership: Partnership, member: Member | None = None, **fields: Any
) -> Contribution:
    fields = _clean_contribution(partnership, fields, member)
    dimensions = fields.pop("dimensions", [])
    contribution = Contribution(partnership=partnership, **fields)
    save_audited(contribution, actor=by)
    contribution.dimensions.set(dimensions)
    return contribution


@transaction.atomic
def update_contribution(
    *, by: Any, contribution: Contribution, member: Member | None = None, **fields: Any
) -> Contribution:
    if not may_edit_contribution(member, contribution.partner):
        raise ServiceError(
            _("You can keep only your own partner's entries of the capacity register.")
        )
    current = {n: getattr(contribution, n) for n in CONTRIBUTION_FIELDS if n != "dimensions"}
    fields = _clean_contribution(contribution.partnership, {**current, **fields}, member)
    dimensions = fields.pop("dimensions", None)
    for name, value in fields.items():
        setattr(contribution, name, value)
    save_audited(contribution, actor=by)
    if dimensions is not None:
        contribution.dimensions.set(dimensions)
    return contribution


@transaction.atomic
def delete_contribution(
    *, by: Any, contribution: Contribution, member: Member | None = None
) -> None:
    if not may_edit_contribution(member, contribution.partner):
        raise ServiceError(
            _("You can keep only your own partner's entries of the capacity register.")
        )
    delete_audited(contribution, actor=by)


# -- publication ------------------------------------------------------------------


def baseline_settings(partnership: Partnership) -> BaselineSettings:
    found = BaselineSettings.objects.filter(partnership=partnership).first()
    return found or BaselineSettings(partnership=partnership)


def is_baseline_published(partnership: Partnership | int) -> bool:
    pk = partnership if isinstance(partnership, int) else partnership.pk
    return BaselineSettings.objects.filter(partnership_id=pk, published_at__isnull=False).exists()


@transaction.atomic
def set_baseline_published(
    *, by: Any, partnership: Partnership, published: bool
) -> BaselineSettings:
    """Show or hide the baseline summary on the public portal (aggregates only)."""
    settings = baseline_settings(partnership)
    if published and settings.published_at is None:
        settings.published_at = timezone.now()
    elif not published:
        settings.published_at = None
    save_audited(settings, actor=by)
    return settings


def dimensions_of(partnership: Partnership) -> QuerySet[Dimension]:
    return Dimension.objects.filter(partnership=partnership)


def localities_of(partnership: Partnership) -> QuerySet[Locality]:
    return Locality.objects.filter(partnership=partnership)
