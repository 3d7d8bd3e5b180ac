from __future__ import annotations

from django import template

from partnerships.models import PartnerType

register = template.Library()


@register.simple_tag
def partner_type_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every partner type with its count, zeros included, so absences show."""
    return [(str(label), counts.get(value, 0)) for value, label in PartnerType.choices]
