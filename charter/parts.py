"""Adapting a draft charter, part by part, and spending under the charter in force.

Every change here is to a **draft** (``charter.services.require_draft``): a
version under adoption is what the partners are taking positions on, so it
changes only after it is taken back to draft (and asked again). Each refusal
names the field it concerns, in the reader's language, and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.text import slugify
from django.utils.translation import gettext as _

from charter.hooks import decision_passed
from charter.models import (
    ApprovalLimit,
    Audience,
    BudgetPot,
    CharterRole,
    CharterStatus,
    CharterVersion,
    CommitmentFate,
    Frequency,
    PlanRow,
    Published,
    RoleKind,
    SpendingApproval,
)
from charter.money import clean_currency, clean_minor, format_money
from charter.rules import DecisionKind, DecisionRule
from charter.services import member_of, require_draft, rule_problems, type_label
from partnerships.audit import delete_audited, save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first, working_languages
from partnerships.models import Member, Partner, PartnerType, Role

PURPOSE_MAX = 2000


def _locked(version: CharterVersion) -> CharterVersion:
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    require_draft(version)
    return version


# --- Texts and decision rules ---------------------------------------------------------


@transaction.atomic
def update_texts(
    *,
    by: Any,
    version: CharterVersion,
    title: Mapping[str, str],
    preamble: Mapping[str, str] | None = None,
) -> CharterVersion:
    version = _locked(version)
    titles = clean_texts(title)
    require_first(titles, version.partnership, prefix="title")
    version.title = titles
    version.preamble = clean_texts(preamble or {})
    save_audited(version, actor=by, update_fields=["title", "preamble"])
    return version


@transaction.atomic
def set_rule(*, by: Any, version: CharterVersion, kind: str, rule: DecisionRule) -> CharterVersion:
    """The rule of one decision type; refused, on its field, when the rule
    contradicts itself (``DecisionRule.problems``) or the charter."""
    version = _locked(version)
    if kind not in version.rules and kind not in DecisionKind.values:
        raise ServiceError(_("Unknown decision type."), field="kind")
    found = rule_problems(kind, rule)
    if found:
        field, message = next(iter(found.items()))
        raise ServiceError(message, field=field)
    version.rules = {**version.rules, kind: rule.as_data()}
    save_audited(version, actor=by, update_fields=["rules"])
    return version


@transaction.atomic
def add_decision_type(
    *, by: Any, version: CharterVersion, label: Mapping[str, str]
) -> CharterVersion:
    """A decision type of the partnership's own, named in its languages; its
    rule starts as the one for "other decisions"."""
    version = _locked(version)
    labels = clean_texts(label)
    require_first(labels, version.partnership, prefix="label")
    first = labels[working_languages(version.partnership)[0]]
    code = slugify(first).replace("-", "_")[:40] or "type"
    taken = set(version.rules)
    if code in taken or any(type_label(version, k).lower() == first.lower() for k in taken):
        raise ServiceError(
            _("The charter already has a decision type of this name."),
            field="label_" + working_languages(version.partnership)[0],
        )
    base = version.rules.get(DecisionKind.GENERAL) or DecisionRule().as_data()
    version.rules = {**version.rules, code: base}
    version.custom_types = {**version.custom_types, code: labels}
    save_audited(version, actor=by, update_fields=["rules", "custom_types"])
    return version


@transaction.atomic
def remove_decision_type(*, by: Any, version: CharterVersion, kind: str) -> CharterVersion:
    version = _locked(version)
    if kind in DecisionKind.values or kind not in version.rules:
        raise ServiceError(
            _("Only a decision type of the partnership's own can be removed."), field="kind"
        )
    if version.admission_kind == kind:
        raise ServiceError(
            _("The entry rule uses this decision type: change it first."), field="kind"
        )
    version.rules = {k: v for k, v in version.rules.items() if k != kind}
    version.custom_types = {k: v for k, v in version.custom_types.items() if k != kind}
    save_audited(version, actor=by, update_fields=["rules", "custom_types"])
    return version


# --- Entry and leaver rules -------------------------------------------------------------


@transaction.atomic
def set_entry_rules(
    *,
    by: Any,
    version: CharterVersion,
    admission_kind: str,
    handover: Mapping[str, str],
    commitments_fate: str,
) -> CharterVersion:
    version = _locked(version)
    if admission_kind and admission_kind not in version.rules:
        raise ServiceError(_("Choose a decision type the charter names."), field="admission_kind")
    if commitments_fate not in CommitmentFate.values:
        raise ServiceError(_("Choose what happens to open commitments."), field="commitments_fate")
    version.admission_kind = admission_kind
    version.handover = clean_texts(handover)
    version.commitments_fate = commitments_fate
    save_audited(
        version, actor=by, update_fields=["admission_kind", "handover", "commitments_fate"]
    )
    return version


# --- Roles ---------------------------------------------------------------------------------


@transaction.atomic
def add_role(
    *,
    by: Any,
    version: CharterVersion,
    kind: str,
    name: Mapping[str, str] | None = None,
    holder_member: Member | None = None,
    holder_partner: Partner | None = None,
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> CharterRole:
    """A role and its holder (a member or a partner, not both) for a term."""
    version = _locked(version)
    if kind not in RoleKind.values:
        raise ServiceError(_("Unknown role."), field="kind")
    names = clean_texts(name or {})
    if kind == RoleKind.CUSTOM:
        require_first(names, version.partnership, prefix="name")
    else:
        names = {}
    if holder_member is not None and holder_partner is not None:
        raise ServiceError(
            _("A role is held by a member or by a partner, not both."), field="holder_partner"
        )
    for holder, field in ((holder_member, "holder_member"), (holder_partner, "holder_partner")):
        if holder is not None and holder.partnership_id != version.partnership_id:
            raise ServiceError(_("Choose a holder from this partnership."), field=field)
    if holder_partner is not None and holder_partner.left_on is not None:
        raise ServiceError(_("This partner has left the partnership."), field="holder_partner")
    if (holder_member or holder_partner) and term_start is None:
        raise ServiceError(_("Give the date the holder's term starts."), field="term_start")
    if term_start and term_end and term_end < term_start:
        raise ServiceError(_("A term cannot end before it starts."), field="term_end")
    role = CharterRole(
        partnership_id=version.partnership_id,
        version=version,
        kind=kind,
        name=names,
        holder_member=holder_member,
        holder_partner=holder_partner,
        term_start=term_start,
        term_end=term_end,
    )
    save_audited(role, actor=by)
    return role


@transaction.atomic
def remove_role(*, by: Any, role: CharterRole) -> None:
    _locked(role.version)
    if (
        role.kind == RoleKind.FACILITATOR
        and not CharterRole.objects.filter(version=role.version, kind=RoleKind.FACILITATOR)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise ServiceError(
            _("A charter names a facilitator role: this is its only one."), field="roles"
        )
    delete_audited(role, actor=by)


# --- Budget: pots and approval limits --------------------------------------------------


@transaction.atomic
def add_pot(
    *,
    by: Any,
    version: CharterVersion,
    name: Mapping[str, str],
    currency: str,
    amount_minor: int,
) -> BudgetPot:
    version = _locked(version)
    names = clean_texts(name)
    require_first(names, version.partnership, prefix="name")
    currency = clean_currency(currency)
    amount_minor = clean_minor(amount_minor, field="amount", allow_zero=True)
    first = names[working_languages(version.partnership)[0]]
    code = slugify(first)[:40] or "pot"
    if BudgetPot.objects.filter(version=version, code=code).exists():
        raise ServiceError(
            _("The charter already has a pot of this name."),
            field=f"name_{working_languages(version.partnership)[0]}",
        )
    pot = BudgetPot(
        partnership_id=version.partnership_id,
        version=version,
        code=code,
        name=names,
        currency=currency,
        amount_minor=amount_minor,
    )
    save_audited(pot, actor=by)
    return pot


@transaction.atomic
def remove_pot(*, by: Any, pot: BudgetPot) -> None:
    _locked(pot.version)
    for limit in ApprovalLimit.objects.filter(pot=pot):
        delete_audited(limit, actor=by)
    delete_audited(pot, actor=by)


@transaction.atomic
def add_limit(
    *,
    by: Any,
    version: CharterVersion,
    pot: BudgetPot | None,
    role_kind: str = "",
    partner_type: str = "",
    limit_minor: int,
) -> ApprovalLimit:
    """Who may approve spending from a pot (a role's holders, or a partner
    type's representatives: one of the two), up to an amount."""
    version = _locked(version)
    if pot is None or pot.version_id != version.pk:
        raise ServiceError(_("Choose a pot of this charter."), field="pot")
    if bool(role_kind) == bool(partner_type):
        raise ServiceError(_("Name a role or a partner type (one of the two)."), field="role_kind")
    if role_kind and role_kind not in RoleKind.values:
        raise ServiceError(_("Unknown role."), field="role_kind")
    if partner_type and partner_type not in PartnerType.values:
        raise ServiceError(_("Unknown partner type."), field="partner_type")
    limit_minor = clean_minor(limit_minor, field="limit")
    limit = ApprovalLimit(
        partnership_id=version.partnership_id,
        version=version,
        pot=pot,
        role_kind=role_kind,
        partner_type=partner_type,
        limit_minor=limit_minor,
    )
    save_audited(limit, actor=by)
    return limit


@transaction.atomic
def remove_limit(*, by: Any, limit: ApprovalLimit) -> None:
    _locked(limit.version)
    delete_audited(limit, actor=by)


# --- Publication and communication plan -------------------------------------------------


@transaction.atomic
def add_plan_row(
    *,
    by: Any,
    version: CharterVersion,
    what: str,
    audience: str,
    languages: Collection[str],
    frequency: str,
) -> PlanRow:
    version = _locked(version)
    if what not in Published.values:
        raise ServiceError(_("Choose what is published."), field="what")
    if audience not in Audience.values:
        raise ServiceError(_("Choose to whom it is published."), field="audience")
    if frequency not in Frequency.values:
        raise ServiceError(_("Choose how often."), field="frequency")
    working = working_languages(version.partnership)
    chosen = [code for code in working if code in set(languages)]
    if not chosen or len(chosen) != len(set(languages)):
        raise ServiceError(
            _("Choose one or more of the partnership's working languages."), field="languages"
        )
    if PlanRow.objects.filter(version=version, what=what, audience=audience).exists():
        raise ServiceError(_("The plan already says how this is published to them."), field="what")
    row = PlanRow(
        partnership_id=version.partnership_id,
        version=version,
        what=what,
        audience=audience,
        languages=chosen,
        frequency=frequency,
    )
    save_audited(row, actor=by)
    return row


@transaction.atomic
def remove_plan_row(*, by: Any, row: PlanRow) -> None:
    _locked(row.version)
    delete_audited(row, actor=by)


# --- Spending ---------------------------------------------------------------------------


def approver_limit(member: Member | None, pot: BudgetPot) -> tuple[int, str] | None:
    """The highest limit ``member`` holds on ``pot`` and its basis, or None:
    through a role of the charter they hold (in person or as their partner's
    representative, within its term), or through their partner's type."""
    if member is None or member.role in (Role.OBSERVER,):
        return None
    today = datetime.date.today()
    held = set()
    for role in CharterRole.objects.filter(version_id=pot.version_id):
        in_term = (role.term_start is None or role.term_start <= today) and (
            role.term_end is None or today <= role.term_end
        )
        mine = role.holder_member_id == member.pk or (
            role.holder_partner_id is not None
            and member.role == Role.PARTNER_REPRESENTATIVE
            and role.holder_partner_id == member.partner_id
        )
        if in_term and mine:
            held.add(role.kind)
    partner_type = (
        member.partner.partner_type
        if member.role == Role.PARTNER_REPRESENTATIVE and member.partner is not None
        else None
    )
    best: tuple[int, str] | None = None
    for limit in ApprovalLimit.objects.filter(pot=pot):
        if limit.role_kind in held:
            basis = f"role:{limit.role_kind}"
        elif partner_type and limit.partner_type == partner_type:
            basis = f"type:{limit.partner_type}"
        else:
            continue
        if best is None or limit.limit_minor > best[0]:
            best = (limit.limit_minor, basis)
    return best


def spent(pot: BudgetPot) -> int:
    """What has been approved from the pot (by its code, across versions)."""
    total = SpendingApproval.objects.filter(
        partnership_id=pot.partnership_id, pot_code=pot.code, currency=pot.currency
    ).aggregate(total=Sum("amount_minor"))["total"]
    return int(total or 0)


@transaction.atomic
def approve_spending(
    *,
    by: Any,
    pot: BudgetPot,
    amount_minor: int,
    purpose: str,
    decision_reference: str = "",
) -> SpendingApproval:
    """Approve spending from a pot of the charter in force: within the
    approver's limit, or above it only with a budget decision that passed
    (the decisions room passes its reference)."""
    pot = BudgetPot.objects.select_for_update().select_related("version").get(pk=pot.pk)
    if pot.version.status != CharterStatus.IN_FORCE:
        raise ServiceError(_("Spend only from a pot of the charter in force."), field="pot")
    amount_minor = clean_minor(amount_minor, field="amount")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ServiceError(_("Say what the money is for."), field="purpose")
    if len(purpose) > PURPOSE_MAX:
        raise ServiceError(_("The purpose is too long."), field="purpose")
    member = member_of(by, pot.version.partnership)
    left = pot.amount_minor - spent(pot)
    if amount_minor > left:
        raise ServiceError(
            _("The pot has %(left)s left.") % {"left": format_money(max(left, 0), pot.currency)},
            field="amount",
        )
    basis = ""
    reference = (decision_reference or "").strip()
    if reference:
        if not decision_passed(pot.version.partnership, reference, DecisionKind.BUDGET):
            raise ServiceError(
                _("No budget decision with this reference has passed."), field="decision_reference"
            )
    else:
        found = approver_limit(member, pot)
        if found is None:
            raise ServiceError(
                _(
                    "The charter gives you no approval limit on this pot: a budget decision is needed."
                ),
                field="amount",
            )
        limit, basis = found
        if amount_minor > limit:
            raise ServiceError(
                _(
                    "Your approval limit on this pot is %(limit)s: above it, a budget decision is needed."
                )
                % {"limit": format_money(limit, pot.currency)},
                field="amount",
            )
    approval = SpendingApproval(
        partnership_id=pot.partnership_id,
        pot=pot,
        pot_code=pot.code,
        amount_minor=amount_minor,
        currency=pot.currency,
        purpose=purpose,
        approved_by=member,
        basis=basis,
        decision_reference=reference[:100],
    )
    save_audited(approval, actor=by)
    return approval
