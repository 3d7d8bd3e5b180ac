"""How actors appear to a given viewer. Every page, export, API answer and
picture of the map names actors through these functions, which ask
``partnerships.protection``: an actor flagged at risk appears under a
pseudonym, without contact details, locality or description, to anyone
without clearance — and nothing says it is flagged."""

from __future__ import annotations

from typing import Any

from partnerships.models import Member
from partnerships.permissions import Action, can
from partnerships.protection import has_clearance, pseudonym
from stakeholders.models import Actor


def is_hidden(actor: Actor, viewer: Member | None) -> bool:
    return actor.at_risk and not has_clearance(viewer)


def actor_name(actor: Actor, viewer: Member | None) -> str:
    return pseudonym(actor.public_id) if is_hidden(actor, viewer) else actor.name


def may_see_contacts(actor: Actor, viewer: Member | None) -> bool:
    return can(viewer, "contact", Action.VIEW) and not is_hidden(actor, viewer)


def may_see_flags(viewer: Member | None) -> bool:
    return can(viewer, "participation_risk", Action.VIEW)


def actor_public_fields(actor: Actor, viewer: Member | None) -> dict[str, Any]:
    """The fields of an actor this viewer may read, as plain values (for
    exports and the API). Identifying details of a hidden actor are blanked."""
    hidden = is_hidden(actor, viewer)
    data: dict[str, Any] = {
        "id": str(actor.public_id),
        "name": actor_name(actor, viewer),
        "kind": actor.kind,
        "partner_type": actor.partner_type,
        "partner": actor.partner.name if actor.partner_id and actor.partner and not hidden else "",
        "area_code": "" if hidden else actor.area_code,
        "locality_name": "" if hidden else actor.locality_name,
        "segments": [s.code for s in actor.segments.all()],
        "tags": [] if hidden else list(actor.tags),
        "description": "" if hidden else actor.description,
        "influence": actor.influence,
        "interest": actor.interest,
        "capacity": actor.capacity,
        "engagement": actor.engagement,
    }
    if may_see_contacts(actor, viewer):
        data.update(
            contact_email=actor.contact_email,
            contact_phone=actor.contact_phone,
            contact_notes=actor.contact_notes,
        )
    if may_see_flags(viewer):
        data["at_risk"] = actor.at_risk
    return data
