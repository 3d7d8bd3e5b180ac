"""Reciprocal commitments: a partner commits resources to an action (or to
what another room names) by a date; reports its fulfilment with evidence;
a member of a partner of *another* type confirms it. Overdue commitments
remind their partner's representatives through the digests (``remind_overdue``).

Who speaks for a partner: its own representatives, or a facilitator on its
behalf under a stated mandate (the goals' rule for positions, without the
"no representative" condition: a pledge made aloud at a meeting is recorded
by whoever keeps the minutes, and says so).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.checks import member_of, owned
from actions.models import Action, ActionStatus, Commitment, CommitmentKind, CommitmentStatus
from actions.services import clean_source
from baseline.models import Contribution
from charter.money import clean_currency, clean_minor
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Member, Partner, Role

TEXT_MAX = 2000


def _speaker(by: Any, partner: Partner, mandate: str) -> tuple[Member, bool, str]:
    """The member recording for ``partner``: its representative (on_behalf
    False), or a facilitator on its behalf with a mandate."""
    member = member_of(by, partner.partnership)
    if member is not None and member.role == Role.PARTNER_REPRESENTATIVE:
        if member.partner_id == partner.pk:
            return member, False, ""
    if member is None or member.role != Role.FACILITATOR:
        raise ServiceError(
            _("Only a representative of %(partner)s can commit it or report for it.")
            % {"partner": partner.name},
            field="partner",
        )
    mandate = (mandate or "").strip()
    if not mandate:
        raise ServiceError(
            _(
                "Say under what mandate you record this for %(partner)s "
                "(for example: pledged aloud at the meeting of 3 May)."
            )
            % {"partner": partner.name},
            field="mandate",
        )
    if len(mandate) > TEXT_MAX:
        raise ServiceError(_("The mandate is too long."), field="mandate")
    return member, True, mandate


def _clean_quantity(value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        quantity = Decimal(str(value))
    except ArithmeticError:
        raise ServiceError(_("Enter a number."), field=field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ServiceError(_("The quantity must be more than zero."), field=field)
    if quantity >= Decimal("1e12") or quantity != quantity.quantize(Decimal("0.01")):
        raise ServiceError(_("Enter a number with at most two decimals."), field=field)
    return quantity


@transaction.atomic
def make_commitment(
    *,
    by: Any,
    partner: Partner,
    action: Action | None = None,
    kind: str,
    due_on: datetime.date | None,
    description: Mapping[str, str] | None = None,
    amount_minor: int | None = None,
    currency: str = "",
    quantity: Decimal | int | str | None = None,
    unit: str = "",
    source: str = "",
    contribution: Contribution | None = None,
    mandate: str = "",
) -> Commitment:
    """``partner`` commits ``kind`` of resource to ``action`` (or to what
    ``source`` names, "grievance:<uuid>") by ``due_on``. Money is an amount in
    minor units with its currency; any other kind a quantity and unit, both
    optional. ``contribution``: the capacity register's entry it draws on."""
    if not isinstance(partner, Partner):
        raise ServiceError(_("Unknown partner."), field="partner")
    partnership = partner.partnership
    if partner.left_on is not None:
        raise ServiceError(
            _("%(partner)s has left the partnership.") % {"partner": partner.name},
            field="partner",
        )
    member, on_behalf, mandate = _speaker(by, partner, mandate)
    if action is not None:
        if not owned(action, Action, partnership):
            raise ServiceError(_("Unknown action."), field="action")
        if action.status in (ActionStatus.DONE, ActionStatus.DROPPED):
            raise ServiceError(
                _("This action is %(status)s: it takes no new commitments.")
                % {"status": action.get_status_display().lower()},
                field="action",
            )
    source = clean_source(source)
    if action is None and not source:
        raise ServiceError(_("Say what the commitment is for."), field="action")
    if kind not in CommitmentKind.values:
        raise ServiceError(_("Choose what kind of resource is committed."), field="kind")
    if due_on is None:
        raise ServiceError(_("Say by when it will be delivered."), field="due_on")
    texts = clean_texts(description or {})
    if texts:
        require_first(texts, partnership, prefix="description")
    if kind == CommitmentKind.MONEY:
        if amount_minor is None:
            raise ServiceError(_("Say how much money is committed."), field="amount")
        amount_minor = clean_minor(amount_minor, field="amount")
        currency = clean_currency(currency)
        quantity, unit = None, ""
    else:
        if not texts:
            raise ServiceError(
                _("Say what is committed."), field=f"description_{_first(partnership)}"
            )
        amount_minor, currency = None, ""
        quantity = _clean_quantity(quantity, field="quantity")
        unit = (unit or "").strip()[:40]
    if contribution is not None:
        if (
            not owned(contribution, Contribution, partnership)
            or contribution.partner_id != partner.pk
        ):
            raise ServiceError(
                _("Choose an entry of %(partner)s's own capacity register.")
                % {"partner": partner.name},
                field="contribution",
            )
    commitment = Commitment(
        partnership=partnership,
        partner=partner,
        partner_type=partner.partner_type,
        action=action,
        source=source,
        kind=kind,
        description=texts,
        amount_minor=amount_minor,
        currency=currency,
        quantity=quantity,
        unit=unit,
        due_on=due_on,
        contribution=contribution,
        made_by=member,
        on_behalf=on_behalf,
        mandate=mandate,
    )
    save_audited(commitment, actor=by)
    if action is not None and not action.contributors.filter(pk=partner.pk).exists():
        if partner.pk != action.owner_id:
            action.contributors.add(partner)
    return commitment


def _first(partnership: Any) -> str:
    from partnerships.languages import first_language

    return first_language(partnership)


@transaction.atomic
def report_fulfilment(
    *,
    by: Any,
    commitment: Commitment,
    report: str,
    evidence_url: str = "",
    delivered_amount_minor: int | None = None,
    delivered_quantity: Decimal | int | str | None = None,
    mandate: str = "",
) -> Commitment:
    """The partner says what it delivered, with evidence (a link here; files
    and photos through the attachments of the action). It stays "reported"
    until a partner of another type confirms it."""
    commitment = (
        Commitment.objects.select_for_update().select_related("partner").get(pk=commitment.pk)
    )
    if commitment.status not in (CommitmentStatus.PROMISED, CommitmentStatus.REPORTED):
        raise ServiceError(
            _("This commitment is %(status)s.")
            % {"status": commitment.get_status_display().lower()},
            field="report",
        )
    member, _on_behalf, _mandate = _speaker(by, commitment.partner, mandate)
    report = (report or "").strip()
    if not report:
        raise ServiceError(_("Say what was delivered."), field="report")
    if len(report) > TEXT_MAX:
        raise ServiceError(_("The report is too long."), field="report")
    evidence_url = (evidence_url or "").strip()
    if evidence_url and not evidence_url.startswith(("https://", "http://")):
        raise ServiceError(_("Enter a web address (https://…)."), field="evidence_url")
    if commitment.kind == CommitmentKind.MONEY:
        if delivered_amount_minor is None:
            delivered_amount_minor = commitment.amount_minor
        commitment.delivered_amount_minor = clean_minor(delivered_amount_minor, field="amount")
    else:
        commitment.delivered_quantity = _clean_quantity(delivered_quantity, field="quantity")
    commitment.status = CommitmentStatus.REPORTED
    commitment.report = report
    commitment.evidence_url = evidence_url[:500]
    commitment.reported_at = timezone.now()
    commitment.reported_by = member
    save_audited(
        commitment,
        actor=by,
        update_fields=[
            "status",
            "report",
            "evidence_url",
            "reported_at",
            "reported_by",
            "delivered_amount_minor",
            "delivered_quantity",
        ],
    )
    return commitment


@transaction.atomic
def confirm_fulfilment(*, by: Any, commitment: Commitment) -> Commitment:
    """A member of a partner of another type confirms the delivery: a
    partner's own type never confirms it (nor does anyone without a partner)."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.REPORTED:
        raise ServiceError(_("Only a delivery that was reported can be confirmed."), field="status")
    member = member_of(by, commitment.partnership)
    partner = member.partner if member is not None else None
    if member is None or partner is None or member.role == Role.OBSERVER:
        raise ServiceError(
            _("A delivery is confirmed by a member of a partner of another type."),
            field="status",
        )
    if partner.partner_type == commitment.partner_type:
        raise ServiceError(
            _(
                "%(type)s partners cannot confirm a commitment of a %(type_lower)s partner: "
                "a partner of another type confirms it."
            )
            % {
                "type": partner.get_partner_type_display(),
                "type_lower": partner.get_partner_type_display().lower(),
            },
            field="status",
        )
    commitment.status = CommitmentStatus.CONFIRMED
    commitment.confirmed_at = timezone.now()
    commitment.confirmed_by = member
    commitment.confirmed_by_type = partner.partner_type
    save_audited(
        commitment,
        actor=by,
        update_fields=["status", "confirmed_at", "confirmed_by", "confirmed_by_type"],
    )
    return commitment


@transaction.atomic
def withdraw_commitment(
    *, by: Any, commitment: Commitment, reason: str, mandate: str = ""
) -> Commitment:
    commitment = (
        Commitment.objects.select_for_update().select_related("partner").get(pk=commitment.pk)
    )
    if commitment.status != CommitmentStatus.PROMISED:
        raise ServiceError(_("Only a promise not yet delivered can be withdrawn."), field="reason")
    _speaker(by, commitment.partner, mandate)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why it is withdrawn."), field="reason")
    commitment.status = CommitmentStatus.WITHDRAWN
    commitment.withdrawn_reason = reason[:TEXT_MAX]
    save_audited(commitment, actor=by, update_fields=["status", "withdrawn_reason"])
    return commitment
