"""The core of every HSBP: the partnership (the unit of tenancy), its partners,
its members with their roles, invitations, the stepper's completions and the
append-only audit trail.

Every model that belongs to a partnership inherits ``PartnershipOwned``: it
carries its partnership and its manager offers ``for_partnership()``, the one
way to scope a query.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships import kinds
from partnerships.owned import PartnershipOwned as PartnershipOwned
from partnerships.owned import PartnershipOwnedQuerySet as PartnershipOwnedQuerySet


class PartnershipStatus(models.TextChoices):
    SETTING_UP = "setting_up", _("Setting up")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", pgettext_lazy("partnership status", "Closed")


class PartnerType(models.TextChoices):
    COMPANY = "company", _("Company")
    COMMUNITY = "community", _("Community")
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    # The facilitating organisation ("Entidad facilitadora"), not the role.
    FACILITATOR = "facilitator", pgettext_lazy("partner type", "Facilitator")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PARTNER_REPRESENTATIVE = "partner_representative", _("Partner representative")
    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")


class Partnership(models.Model):
    slug = models.SlugField(_("web address"), max_length=80, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # The ISO 3166 code; people choose the country by its name (see forms).
    country = models.CharField(_("country"), max_length=2)
    area_code = models.CharField(
        _("administrative area code"),
        max_length=20,
        blank=True,
        help_text=_("The official code of the municipality or district, e.g. a DIVIPOLA code."),
    )
    locality_name = models.CharField(_("locality"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("working languages"), default=list)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.SETTING_UP,
    )
    is_published = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Show this partnership's public page on the transparency portal."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    # What a facilitator edits in the settings (publishing is a capability of its own).
    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "country",
        "area_code",
        "locality_name",
        "description",
        "languages",
        "status",
    )
    # Fields the audit trail records for this model.
    audit_fields: ClassVar[tuple[str, ...]] = (*EDITABLE_FIELDS, "is_published")

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    # Addresses the portal uses for pages of its own, beside /portal/<slug>/.
    RESERVED_SLUGS: ClassVar[frozenset[str]] = frozenset({"small-numbers"})

    def _unique_slug(self) -> str:
        base = slugify(self.name)[:60] or "partnership"
        slug, n = base, 1
        while slug in self.RESERVED_SLUGS or Partnership.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def partnership(self) -> Partnership:
        # Lets the audit trail and permission checks treat the partnership like any owned record.
        return self

    @classmethod
    def audit_value(cls, field_name: str, value: Any) -> str | None:
        """The record page names countries and languages in the reader's language."""
        if field_name == "country" and isinstance(value, str) and value:
            from django_countries import countries

            return str(countries.name(value)) or value
        if field_name == "languages" and isinstance(value, list):
            from django.utils.translation import get_language_info

            names = []
            for code in value:
                try:
                    names.append(str(get_language_info(code)["name_translated"]))
                except KeyError:
                    names.append(str(code))
            return ", ".join(names)
        return None

    @property
    def country_name(self) -> str:
        """The country's name in the reader's language."""
        from django_countries import countries

        return str(countries.name(self.country)) or self.country

    @property
    def locality(self) -> str:
        code = f" ({self.area_code})" if self.area_code else ""
        return f"{self.locality_name}, {self.country_name}{code}"


class Partner(PartnershipOwned):
    name = models.CharField(_("name"), max_length=200)
    partner_type = models.CharField(_("partner type"), max_length=20, choices=PartnerType.choices)
    description = models.TextField(_("description"), blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    entry_reason = models.TextField(_("why it joined"), blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leaver_reason = models.TextField(_("why it left"), blank=True)

    audit_fields = (
        "name",
        "partner_type",
        "description",
        "joined_on",
        "entry_reason",
        "left_on",
        "leaver_reason",
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["partner_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="partner_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Member(PartnershipOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("represents"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)

    audit_fields: ClassVar[tuple[str, ...]] = ("user", "role", "partner")
    # Its name holds a translated role: the record shows it in the reader's language.
    audit_relabel: ClassVar[bool] = True

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["role", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="member_once_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_for(None)} ({self.get_role_display()})"

    def name_for(self, viewer: Member | None) -> str:
        """How this member is named to a viewer: the name they chose to show,
        and their email address only to those who manage members."""
        if self.user.display_name:
            return self.user.display_name
        if viewer is not None and viewer.role == Role.FACILITATOR:
            return self.user.email
        return str(_("Member %(n)s") % {"n": self.short_ref})

    @property
    def short_ref(self) -> str:
        """A stable, partnership-specific reference for someone with no shown
        name: not the sequential user id, and different in each partnership,
        so it cannot link a person across partnerships."""
        return f"#{self.public_id.hex[:8]}"


class InvitationQuerySet(PartnershipOwnedQuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


def _default_expiry() -> Any:
    return timezone.now() + timedelta(days=settings.HSBP_INVITATION_DAYS)


class Invitation(PartnershipOwned):
    """A single-use, expiring invitation to join as a member.

    The link carries a signed form of ``public_id`` (see ``services``), so
    nothing secret is stored here.
    """

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("represents")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # The language of the email and of the page the link opens.
    language = models.CharField(
        _("language of the invitation"), max_length=10, choices=settings.LANGUAGES, default="es"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()  # type: ignore[misc]

    audit_fields: ClassVar[tuple[str, ...]] = (
        "email",
        "role",
        "partner",
        "language",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    audit_redacted: ClassVar[tuple[str, ...]] = ("email",)
    audit_relabel: ClassVar[bool] = True

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Invitation as %(role)s") % {"role": self.get_role_display()})

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")
        EXPIRED = "expired", _("Expired")

    @property
    def state(self) -> Invitation.State:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING


class Step(models.TextChoices):
    """The preliminary step and the seven steps of the HSBP Framework, in order."""

    PRELIMINARY = "preliminary", _("Setting up the partnership")
    SITUATIONAL_ANALYSIS = "situational_analysis", _("Situational analysis")
    NEEDS_VULNERABILITIES_CAPACITIES = (
        "needs_vulnerabilities_capacities",
        _("Mapping needs, vulnerabilities and capacities"),
    )
    COLLECTIVE_GOALS = "collective_goals", _("Identifying collective goals and outcomes")
    INVOLVEMENT = "involvement", _("Who needs to be involved and how")
    STRATEGIES = "strategies", _("Protection and empowerment strategies")
    IMPLEMENTATION_TOOLS = "implementation_tools", _("Tools for implementing partnerships")
    MONITORING = "monitoring", _("Joint monitoring and evaluation")


class StepCompletion(PartnershipOwned):
    """A facilitator's record that a step is complete, with a date and a note.

    Marking a step complete while some of its checks are unmet (or while none
    shows its work) takes a reason; the checks unmet then are kept with it
    (as their English source text, shown in the reader's language)."""

    step = models.CharField(_("step"), max_length=40, choices=Step.choices)
    completed_on = models.DateField(_("completed on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    unmet_checks = models.JSONField(_("checks not met"), default=list, blank=True)
    reason = models.TextField(_("why it is complete all the same"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    audit_fields: ClassVar[tuple[str, ...]] = (
        "step",
        "completed_on",
        "note",
        "unmet_checks",
        "reason",
    )
    audit_relabel: ClassVar[bool] = True

    class Meta:
        verbose_name = _("step completion")
        verbose_name_plural = _("step completions")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "step"], name="step_completed_once"),
        ]

    def __str__(self) -> str:
        return str(self.get_step_display())

    @property
    def unmet_labels(self) -> list[str]:
        from django.utils.translation import gettext

        return [gettext(label) for label in self.unmet_checks]

    @classmethod
    def audit_value(cls, field_name: str, value: Any) -> str | None:
        """The record page shows the unmet checks in the reader's language."""
        if field_name == "unmet_checks" and isinstance(value, list):
            from django.utils.translation import gettext

            return "; ".join(gettext(str(label)) for label in value)
        return None


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")


class AuditQuerySet(PartnershipOwnedQuerySet):
    """Append-only: no bulk update or delete through the ORM."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class AuditEntry(models.Model):
    """One create, change or delete of partnership data: who, when, which fields
    from what to what. Written only by ``partnerships.audit``."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="audit_entries"
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept as text too, so the record still says who acted after an account is deleted.
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    kind = models.CharField(_("kind of record"), max_length=40)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(default=dict)
    # The people or actors this entry is about (their public ids), so that
    # protection can mask the entry if any of them is protected now.
    subjects = models.JSONField(default=list, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partnership", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")

    @property
    def kind_label(self) -> str:
        return kinds.kind_label(self.kind)

    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field name, before, after) for each change, as the reader reads
        them: field names and values in the reader's language."""
        model = kinds.model_of_kind(self.kind)
        rows = []
        # PostgreSQL's jsonb does not keep key order: show fields in the model's order.
        order = list(getattr(model, "audit_fields", ()))
        items = sorted(
            self.changes.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
        )
        for name, (before, after) in items:
            label: Any = name
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                    label = getattr(field, "verbose_name", name)
                except FieldDoesNotExist:  # a field since removed from the model
                    pass
            rows.append(
                (
                    str(label),
                    _shown_value(model, field, name, before),
                    _shown_value(model, field, name, after),
                )
            )
        return rows


def _in_reader_language(value: dict[str, Any]) -> str:
    """A multilingual text ({"es": ..., "en": ...}) in the reader's language,
    else its first language; any other mapping as it was stored."""
    from django.utils.translation import get_language

    texts = {k: v for k, v in value.items() if isinstance(v, str) and v}
    if texts and all(len(k) <= 7 for k in texts):
        language = (get_language() or "").split("-")[0]
        return str(texts.get(language) or next(iter(texts.values())))
    return str(value)


def _shown_value(model: Any, field: Any, name: str, value: Any) -> Any:
    """A stored value of the audit trail as the reader reads it: a choice's
    name, yes or no, a date in the reader's format, a list as words."""
    import datetime as dt

    from django.utils import formats
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.translation import gettext

    if value is None or value == "":
        return None
    shown = getattr(model, "audit_value", None)
    if shown is not None:
        custom = shown(name, value)
        if custom is not None:
            return custom
    names = dict(getattr(field, "flatchoices", None) or [])
    if names and not isinstance(value, list | dict):
        return names.get(value, value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if isinstance(day, dt.date):
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, dict):
        return _in_reader_language(value)
    if isinstance(value, list):
        return ", ".join(
            _in_reader_language(v)
            if isinstance(v, dict)
            else str(names.get(v, v))
            if isinstance(v, str | int)
            else str(v)
            for v in value
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return value


def _short_code() -> str:
    import secrets

    return "".join(secrets.choice(ShortLink.ALPHABET) for _ in range(ShortLink.LENGTH))


class ShortLink(PartnershipOwned):
    """A short address (``/s/<code>/``) for a long public link of ours, to be
    read aloud, typed on a phone or printed as a QR code.

    The target is a path on this site, never another site's address, so a
    short link cannot be turned into an open redirect. Codes avoid letters
    that are easily confused (0/o, 1/l/i) when read from paper."""

    ALPHABET: ClassVar[str] = "23456789abcdefghjkmnpqrstuvwxyz"
    LENGTH: ClassVar[int] = 8

    code = models.CharField(_("code"), max_length=16, unique=True, default=_short_code)
    target = models.CharField(_("address it leads to"), max_length=1000)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "target"], name="short_link_once"),
        ]

    def __str__(self) -> str:
        return f"/s/{self.code}/"


# Background work's records live in their own module; imported here so Django finds them.
from partnerships.models_work import ExportJob as ExportJob  # noqa: E402
from partnerships.models_work import ExportStatus as ExportStatus  # noqa: E402
from partnerships.models_work import LostWork as LostWork  # noqa: E402
from partnerships.models_work import LostWorkOutcome as LostWorkOutcome  # noqa: E402
from partnerships.models_work import WorkerBeat as WorkerBeat  # noqa: E402
