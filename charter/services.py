"""The charter's life: which version governs, and how a version comes into force.

A version is a **draft** (started from a starter, or as an amendment: a copy
of the charter in force), then **under adoption**, then **in force**; the
version it replaces is **superseded**. A draft, or a version under adoption,
may be **dropped**. One version is in force at a time, and one is in the
making (both are database constraints).

How a version comes into force:

- the **first** charter (none in force yet) is adopted the way goals are:
  each partner records its position on it (``record_position``, through the
  goals' own checks, ``goals.services.clean_position``), and it is in force
  once every partner of every type present has endorsed it (the strict rule:
  there is no charter yet to say otherwise);
- an **amendment** (a charter is in force) passes only through a decision of
  type ``charter_amendment`` under the charter then in force: the decisions
  room calls ``bring_into_force`` with the decision's reference, which a
  check it registered (``charter.hooks.register_decision_check``) confirms.
  No position, and no facilitator, brings an amendment into force.

The rest of the platform reads the charter in force through ``in_force``,
``rule_for`` and ``decision_types``; editing a draft's parts is
``charter.parts``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from charter.hooks import decision_passed
from charter.models import (
    ApprovalLimit,
    BudgetPot,
    CharterPosition,
    CharterRole,
    CharterStatus,
    CharterVersion,
    PlanRow,
    RoleKind,
)
from charter.rules import DecisionKind, DecisionRule, Method, Voters
from charter.starters import STARTERS
from goals.services import TypeState, take_position, type_states, verdict
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import in_language, working_languages
from partnerships.models import Member, Partner, Partnership, PartnerType

REASON_MAX = 2000
# Decision types a facilitator alone may never decide: they are the partners'.
NOT_FACILITATOR_LED = (
    DecisionKind.CHARTER_AMENDMENT,
    DecisionKind.GOAL_ADOPTION,
    DecisionKind.PARTNER_ADMISSION,
)


# --- Reading the charter --------------------------------------------------------------


def in_force(partnership: Partnership) -> CharterVersion | None:
    """The version in force, or None (one query)."""
    found: CharterVersion | None = CharterVersion.objects.filter(
        partnership=partnership, status=CharterStatus.IN_FORCE
    ).first()
    return found


def in_the_making(partnership: Partnership) -> CharterVersion | None:
    """The draft or the version under adoption, or None (one query)."""
    found: CharterVersion | None = CharterVersion.objects.filter(
        partnership=partnership,
        status__in=(CharterStatus.DRAFT, CharterStatus.UNDER_ADOPTION),
    ).first()
    return found


def rule_of(version: CharterVersion, kind: str) -> DecisionRule | None:
    data = (version.rules or {}).get(kind)
    return DecisionRule.from_data(data) if data is not None else None


def rule_for(partnership: Partnership, kind: str) -> DecisionRule | None:
    """The rule of the charter in force for a decision type (None without a
    charter in force, or for a type it does not name)."""
    version = in_force(partnership)
    return rule_of(version, kind) if version is not None else None


@dataclass(frozen=True)
class DecisionType:
    code: str
    label: str
    rule: DecisionRule

    @property
    def own(self) -> bool:
        """A type the partnership added (the platform's own cannot be removed)."""
        return self.code not in DecisionKind.values

    @property
    def method_label(self) -> str:
        return str(Method(self.rule.method).label)

    @property
    def voters_label(self) -> str:
        return str(Voters(self.rule.voters).label)


def type_label(version: CharterVersion, code: str) -> str:
    """A decision type's name in the reader's language: the platform's own
    types from the catalogue, the partnership's own from its texts."""
    if code in DecisionKind.values:
        return str(DecisionKind(code).label)
    return in_language((version.custom_types or {}).get(code), fallback=code)


def types_of(version: CharterVersion) -> list[DecisionType]:
    """Every decision type the version names, the platform's first (in their
    order), then the partnership's own."""
    codes = [k for k in DecisionKind.values if k in version.rules]
    codes += [k for k in version.rules if k not in DecisionKind.values]
    return [DecisionType(k, type_label(version, k), rule_of_data(version, k)) for k in codes]


def rule_of_data(version: CharterVersion, code: str) -> DecisionRule:
    return DecisionRule.from_data(version.rules[code])


def decision_types(partnership: Partnership) -> list[DecisionType]:
    """The decision types of the charter in force (empty without one)."""
    version = in_force(partnership)
    return types_of(version) if version is not None else []


# --- Checks -----------------------------------------------------------------------------


def rule_problems(kind: str, rule: DecisionRule) -> dict[str, str]:
    """What is wrong with a rule for a decision type: the rule's own problems
    (``DecisionRule.problems``) and the charter's: a facilitator alone never
    decides the charter, a goal or an admission."""
    found = rule.problems()
    if rule.method == Method.FACILITATOR and kind in NOT_FACILITATOR_LED:
        found.setdefault(
            "method",
            _("The partners decide this type of decision: the facilitator alone cannot."),
        )
    return found


def problems(version: CharterVersion) -> list[tuple[str, str]]:
    """Why the version cannot be put to adoption, as (field, message): every
    platform decision type has a valid rule, the entry rule names a known
    type, and there is a facilitator role. Two queries."""
    found: list[tuple[str, str]] = []
    for kind in DecisionKind.values:
        if kind not in version.rules:
            found.append(
                ("rules", _("Give a rule for “%(type)s”.") % {"type": type_label(version, kind)})
            )
    for code in version.rules:
        for _field, message in rule_problems(code, rule_of_data(version, code)).items():
            found.append(("rules", f"{type_label(version, code)}: {message}"))
    if version.admission_kind and version.admission_kind not in version.rules:
        found.append(
            ("admission_kind", _("A new partner is admitted by a decision type the charter names."))
        )
    if not CharterRole.objects.filter(version=version, kind=RoleKind.FACILITATOR).exists():
        found.append(("roles", _("A charter names a facilitator role.")))
    return found


def _require_complete(version: CharterVersion) -> None:
    found = problems(version)
    if found:
        field, message = found[0]
        raise ServiceError(message, field=field)


def require_draft(version: CharterVersion) -> None:
    if version.status != CharterStatus.DRAFT:
        raise ServiceError(
            _("Only a draft charter can be changed: take it back from adoption first."),
            field="status",
        )


def member_of(by: Any, partnership: Partnership) -> Member | None:
    if getattr(by, "pk", None) is None:
        return None
    member: Member | None = Member.objects.filter(partnership=partnership, user_id=by.pk).first()
    return member


# --- Drafts ------------------------------------------------------------------------------


def _next_number(partnership: Partnership) -> int:
    last = CharterVersion.objects.filter(partnership=partnership).order_by("-number").first()
    return last.number + 1 if last else 1


def _refuse_second_draft(partnership: Partnership) -> None:
    if in_the_making(partnership) is not None:
        raise ServiceError(
            _("A charter is already being drafted or adopted: continue it, or drop it first."),
            field="starter",
        )


@transaction.atomic
def start_from_starter(*, by: Any, partnership: Partnership, starter: str) -> CharterVersion:
    """A draft adapted from a starter charter, in the partnership's working
    languages (the starter's texts in those it has)."""
    chosen = STARTERS.get(starter)
    if chosen is None:
        raise ServiceError(_("Choose one of the starter charters."), field="starter")
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    _refuse_second_draft(partnership)
    languages = working_languages(partnership)

    def texts(values: dict[str, str]) -> dict[str, str]:
        kept = {code: text for code, text in values.items() if code in languages}
        return kept or values

    version = CharterVersion(
        partnership=partnership,
        number=_next_number(partnership),
        starter=chosen.code,
        title=texts(chosen.title),
        preamble=texts(chosen.preamble),
        rules={kind: rule.as_data() for kind, rule in chosen.rules.items()},
        admission_kind=chosen.admission_kind,
        handover=texts(chosen.handover),
        commitments_fate=chosen.commitments_fate,
        created_by=member_of(by, partnership),
    )
    save_audited(version, actor=by)
    for kind in chosen.roles:
        save_audited(CharterRole(partnership=partnership, version=version, kind=kind), actor=by)
    for what, audience, frequency in chosen.plan:
        row = PlanRow(
            partnership=partnership,
            version=version,
            what=what,
            audience=audience,
            languages=languages,
            frequency=frequency,
        )
        save_audited(row, actor=by)
    return version


@transaction.atomic
def start_amendment(*, by: Any, partnership: Partnership) -> CharterVersion:
    """A draft amendment: a copy of the charter in force, rows included."""
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    current = in_force(partnership)
    if current is None:
        raise ServiceError(_("There is no charter in force to amend."), field="starter")
    _refuse_second_draft(partnership)
    version = CharterVersion(
        partnership=partnership,
        number=_next_number(partnership),
        starter=current.starter,
        title=current.title,
        preamble=current.preamble,
        rules=current.rules,
        custom_types=current.custom_types,
        admission_kind=current.admission_kind,
        handover=current.handover,
        commitments_fate=current.commitments_fate,
        created_by=member_of(by, partnership),
    )
    save_audited(version, actor=by)
    for role in current.roles.all():
        role.pk, role.version = None, version
        role._state.adding = True
        _fresh_id(role)
        save_audited(role, actor=by)
    pots: dict[int, BudgetPot] = {}
    for pot in current.pots.all():
        old = pot.pk
        pot.pk, pot.version = None, version
        pot._state.adding = True
        _fresh_id(pot)
        save_audited(pot, actor=by)
        pots[old] = pot
    for limit in current.limits.all():
        limit.pk, limit.version, limit.pot = None, version, pots[limit.pot_id]
        limit._state.adding = True
        _fresh_id(limit)
        save_audited(limit, actor=by)
    for row in current.plan.all():
        row.pk, row.version = None, version
        row._state.adding = True
        _fresh_id(row)
        save_audited(row, actor=by)
    return version


def _fresh_id(record: CharterRole | BudgetPot | ApprovalLimit | PlanRow) -> None:
    record.public_id = uuid.uuid4()


# --- Adoption ---------------------------------------------------------------------------


@transaction.atomic
def put_to_adoption(*, by: Any, version: CharterVersion) -> CharterVersion:
    """A complete draft goes to adoption: to every partner's position (a first
    charter) or to a charter-amendment decision (an amendment)."""
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    require_draft(version)
    _require_complete(version)
    if in_force(version.partnership) is None and not present_partners(version.partnership):
        raise ServiceError(
            _("Register the partners first: the charter is adopted by each partner type."),
            field="status",
        )
    version.status = CharterStatus.UNDER_ADOPTION
    save_audited(version, actor=by, update_fields=["status"])
    return version


@transaction.atomic
def back_to_draft(*, by: Any, version: CharterVersion) -> CharterVersion:
    """Take a version back from adoption to change it: the positions taken on
    it stop counting (they stay in its history); it goes to adoption again."""
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != CharterStatus.UNDER_ADOPTION:
        raise ServiceError(_("This charter is not under adoption."), field="status")
    for position in CharterPosition.objects.counting().filter(version=version):
        position.current = False
        save_audited(position, actor=by, update_fields=["current"])
    version.status = CharterStatus.DRAFT
    save_audited(version, actor=by, update_fields=["status"])
    return version


@transaction.atomic
def drop_draft(*, by: Any, version: CharterVersion, reason: str) -> CharterVersion:
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_open:
        raise ServiceError(_("Only a charter in the making can be dropped."), field="status")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the charter is dropped."), field="reason")
    version.status = CharterStatus.DROPPED
    version.dropped_reason = reason[:REASON_MAX]
    save_audited(version, actor=by, update_fields=["status", "dropped_reason"])
    return version


def present_partners(partnership: Partnership) -> list[Partner]:
    """The partners who adopt a first charter: current ones, facilitating
    organisations aside (as for goals)."""
    return list(
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .exclude(partner_type=PartnerType.FACILITATOR)
        .order_by("name")
    )


def adoption_state(version: CharterVersion) -> list[TypeState]:
    """Each partner type present and its partners' counting positions on the
    version (the goals' shape). Two queries."""
    positions = {
        p.partner_id: p
        for p in CharterPosition.objects.counting()
        .filter(version=version)
        .select_related("recorded_by__user")
    }
    return type_states(present_partners(version.partnership), positions)


def is_amendment(version: CharterVersion) -> bool:
    """Whether the version would replace a charter in force (one query)."""
    return in_force(version.partnership) not in (None, version)


@transaction.atomic
def record_position(
    *,
    by: Any,
    version: CharterVersion,
    partner: Partner | None,
    position: str,
    reason: str = "",
    mandate: str = "",
) -> CharterPosition:
    """A partner's position on a first charter under adoption: a new row (the
    earlier one stays in the history), under the goals' rules of who records
    what. The last endorsement needed brings the charter into force."""
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != CharterStatus.UNDER_ADOPTION:
        raise ServiceError(_("This charter is not under adoption."), field="position")
    if is_amendment(version):
        raise ServiceError(
            _(
                "An amendment passes only through a charter-amendment decision under the "
                "charter in force, not by positions."
            ),
            field="position",
        )
    if partner is None or partner.partnership_id != version.partnership_id or partner.left_on:
        raise ServiceError(_("Unknown partner."), field="partner")
    if partner.partner_type == PartnerType.FACILITATOR:
        raise ServiceError(_("Facilitators do not adopt the charter."), field="partner")
    recorded = take_position(
        CharterPosition,
        by=by,
        member=member_of(by, version.partnership),
        partner=partner,
        position=position,
        reason=reason,
        mandate=mandate,
        version=version,
    )
    # No charter yet: the strict rule (``verdict`` with no rule).
    if verdict(adoption_state(version), None):
        _put_in_force(version, by, "")
    return recorded


@transaction.atomic
def bring_into_force(
    *, by: Any, version: CharterVersion, decision_reference: str
) -> CharterVersion:
    """Bring an amendment into force: the decisions room calls this when a
    decision of type ``charter_amendment`` passes under the charter in force.
    Refused unless a registered check confirms that decision passed."""
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_open:
        raise ServiceError(_("Only a charter in the making can come into force."), field="status")
    if in_force(version.partnership) is None:
        raise ServiceError(
            _("The first charter is adopted by every partner type's position, not by a decision."),
            field="decision_reference",
        )
    _require_complete(version)
    if not decision_passed(version.partnership, decision_reference, DecisionKind.CHARTER_AMENDMENT):
        raise ServiceError(
            _(
                "An amendment comes into force only through a charter-amendment decision "
                "that passed under the charter in force."
            ),
            field="decision_reference",
        )
    _put_in_force(version, by, decision_reference.strip())
    return version


def _put_in_force(version: CharterVersion, by: Any, reference: str) -> None:
    now = timezone.now()
    current = in_force(version.partnership)
    if current is not None:
        current.status = CharterStatus.SUPERSEDED
        current.in_force_until = now
        save_audited(current, actor=by, update_fields=["status", "in_force_until"])
    version.status = CharterStatus.IN_FORCE
    version.in_force_from = now
    version.decision_reference = reference[:100]
    save_audited(version, actor=by, update_fields=["status", "in_force_from", "decision_reference"])


def position_history(versions: list[CharterVersion]) -> dict[int, list[CharterPosition]]:
    """Every position recorded on these versions, replaced ones included, by
    version id. One query."""
    found: dict[int, list[CharterPosition]] = {}
    rows = (
        CharterPosition.objects.filter(version__in=[v.pk for v in versions])
        .select_related("partner", "recorded_by__user")
        .order_by("version", "partner__name", "-recorded_at", "-pk")
    )
    for row in rows:
        found.setdefault(row.version_id, []).append(row)
    return found
