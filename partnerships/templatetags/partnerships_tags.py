from __future__ import annotations

from django import template

from partnerships.models import PartnerType

register = template.Library()


@register.simple_tag
def partner_type_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every partner type with its count, zeros included, so absences show."""
    return [(str(label), counts.get(value, 0)) for value, label in PartnerType.choices]


@register.simple_tag
def partnership_rooms(slug: str) -> list[tuple[str, str, str]]:
    """(URL, label, URL name) of each room's main page, in the order of the steps."""
    from django.urls import reverse

    from partnerships.models import Step
    from partnerships.stepper import ROOMS

    order = list(Step)
    rooms = sorted(ROOMS, key=lambda room: order.index(room[0]))
    return [
        (reverse(name, args=[slug]), str(label), name.split(":")[-1]) for _s, name, label in rooms
    ]
