"""Protection and empowerment strategies: add and change them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from actions.checks import member_of, owned
from actions.models import Strategy, StrategyKind
from baseline.models import Condition, ConditionKind, Dimension, Threat
from goals.models import CollectiveGoal
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Partner, Partnership, PartnerType
from partnerships.services import only_fields
from stakeholders.models import Segment

LINKS = ("threats", "segments", "conditions", "goals", "lead_partners", "dimensions")
FIELDS = ("title", "description", "kind", "partner_types", *LINKS)


def _clean(partnership: Partnership, fields: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        titles = clean_texts(fields["title"])
        if not titles:
            raise ServiceError(_("Give the strategy a title."), field="title")
        require_first(titles, partnership, prefix="title")
        cleaned["title"] = titles
    if "description" in fields:
        cleaned["description"] = clean_texts(fields["description"] or {})
    if "kind" in fields:
        if fields["kind"] not in StrategyKind.values:
            raise ServiceError(_("Choose protection or empowerment."), field="kind")
        cleaned["kind"] = fields["kind"]
    if "partner_types" in fields:
        types = list(dict.fromkeys(fields["partner_types"] or []))
        if any(t not in PartnerType.values for t in types):
            raise ServiceError(_("Unknown partner type."), field="partner_types")
        cleaned["partner_types"] = types
    models = {
        "threats": (Threat, _("Unknown threat.")),
        "segments": (Segment, _("Unknown segment.")),
        "conditions": (Condition, _("Unknown need or vulnerability.")),
        "goals": (CollectiveGoal, _("Unknown collective goal.")),
        "lead_partners": (Partner, _("Unknown partner.")),
        "dimensions": (Dimension, _("Unknown dimension.")),
    }
    for name, (model, message) in models.items():
        if name in fields:
            items = list(dict.fromkeys(fields[name] or []))
            if any(not owned(i, model, partnership) for i in items):
                raise ServiceError(message, field=name)
            cleaned[name] = items
    if any(c.kind == ConditionKind.CAPACITY for c in cleaned.get("conditions", [])):
        raise ServiceError(
            _("A strategy answers needs and vulnerabilities, not capacities."), field="conditions"
        )
    return cleaned


@transaction.atomic
def add_strategy(
    *,
    by: Any,
    partnership: Partnership,
    title: Mapping[str, str],
    kind: str,
    description: Mapping[str, str] | None = None,
    threats: Collection[Threat] = (),
    segments: Collection[Segment] = (),
    partner_types: Collection[str] = (),
    conditions: Collection[Condition] = (),
    goals: Collection[CollectiveGoal] = (),
    lead_partners: Collection[Partner] = (),
    dimensions: Collection[Dimension] = (),
) -> Strategy:
    cleaned = _clean(
        partnership,
        {
            "title": title,
            "kind": kind,
            "description": description,
            "partner_types": partner_types,
            "threats": threats,
            "segments": segments,
            "conditions": conditions,
            "goals": goals,
            "lead_partners": lead_partners,
            "dimensions": dimensions,
        },
    )
    strategy = Strategy(
        partnership=partnership,
        created_by=member_of(by, partnership),
        **{k: v for k, v in cleaned.items() if k not in LINKS},
    )
    save_audited(strategy, actor=by)
    for name in LINKS:
        getattr(strategy, name).set(cleaned[name])
    return strategy


@transaction.atomic
def update_strategy(*, by: Any, strategy: Strategy, **fields: Any) -> Strategy:
    only_fields(fields, FIELDS)
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    cleaned = _clean(strategy.partnership, fields)
    simple = [k for k in cleaned if k not in LINKS]
    for name in simple:
        setattr(strategy, name, cleaned[name])
    if simple:
        save_audited(strategy, actor=by, update_fields=simple)
    for name in LINKS:
        if name in cleaned:
            getattr(strategy, name).set(cleaned[name])
    return strategy
