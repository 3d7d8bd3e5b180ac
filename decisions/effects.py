"""What a passed decision does, through the services of the rooms it acts on:

- a charter amendment brings the draft version it names into force
  (``charter.services.bring_into_force``, which asks this room back, through
  ``charter.hooks``, whether the decision truly passed);
- a partner admission registers the partner it describes
  (``partnerships.services.add_partner(..., admitted_by=...)``);
- a budget decision records the spending approval it describes
  (``charter.services.approve_spending(..., decision_reference=...)``).

What the proposal carries for this (``Decision.payload`` and its links) is
checked when it is proposed, so a passed decision fails to act only if the
world changed in between (a partner of that name registered since, say):
then the decision keeps its result and says why its effect was not applied
(``Decision.effect_problem``), and nothing half-done remains.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from charter.rules import DecisionKind
from decisions import effects_charter
from decisions.links import Target
from decisions.models import Decision, DecisionLink
from partnerships import services as partnership_services
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.models import Partner, Partnership, PartnerType

NAME_MAX = 200


def check_payload(
    partnership: Partnership, kind: str, payload: dict[str, Any], targets: list[Target]
) -> dict[str, Any]:
    """The payload a proposal of ``kind`` needs, cleaned, or a refusal."""
    if kind == DecisionKind.PARTNER_ADMISSION:
        return _check_admission(partnership, payload)
    if kind == DecisionKind.CHARTER_AMENDMENT:
        effects_charter.check_amendment(partnership, targets)
        return {}
    if kind == DecisionKind.BUDGET:
        return effects_charter.check_spending(partnership, payload)
    return {}


def _check_admission(partnership: Partnership, payload: dict[str, Any]) -> dict[str, Any]:
    name = str(payload.get("name") or "").strip()
    if not name:
        raise ServiceError(_("Name the partner to admit."), field="partner_name")
    if len(name) > NAME_MAX:
        raise ServiceError(_("A partner's name has at most 200 characters."), field="partner_name")
    if Partner.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise ServiceError(
            _("A partner with this name is already registered."), field="partner_name"
        )
    partner_type = str(payload.get("partner_type") or "")
    if partner_type not in PartnerType.values:
        raise ServiceError(_("Choose the new partner's type."), field="partner_type")
    description = str(payload.get("description") or "").strip()[:2000]
    return {"name": name, "partner_type": partner_type, "description": description}


def _admit(decision: Decision, by: Any) -> list[Target]:
    data = decision.payload
    partner = partnership_services.add_partner(
        actor=by,
        partnership=decision.partnership,
        name=data["name"],
        partner_type=data["partner_type"],
        description=data.get("description", ""),
        entry_reason=_("Admitted by a decision of the partnership."),
        admitted_by=decision.reference,
    )
    return [Target("partner", partner.public_id, partner.name)]


_APPLY: dict[str, Callable[[Decision, Any], list[Target]]] = {
    DecisionKind.PARTNER_ADMISSION.value: _admit,
    DecisionKind.CHARTER_AMENDMENT.value: effects_charter.bring_into_force,
    DecisionKind.BUDGET.value: effects_charter.approve_spending,
}


def apply(decision: Decision, *, by: Any) -> None:
    """Do what the passed ``decision`` asks, in a savepoint: all or nothing."""
    act = _APPLY.get(decision.kind)
    if act is None:
        return
    actor = by if getattr(by, "pk", None) else _proposer(decision)
    try:
        with transaction.atomic():
            for target in act(decision, actor):
                save_audited(
                    DecisionLink(
                        partnership=decision.partnership,
                        decision=decision,
                        kind=target.kind,
                        target=target.public_id,
                        label=target.label[:200],
                    ),
                    actor=actor,
                )
    except ServiceError as error:
        decision.effect_problem = str(error.message)
        save_audited(decision, actor=actor, update_fields=["effect_problem"])


def _proposer(decision: Decision) -> Any:
    """Who acts when the clock closes a vote: the proposer, on the partnership's behalf."""
    member = decision.proposed_by
    return member.user if member is not None else None
