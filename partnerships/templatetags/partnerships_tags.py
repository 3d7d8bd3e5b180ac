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


@register.filter(is_safe=True)
def people(count: int | None) -> str:
    """A count of people as a page shows it: the number in the reader's
    locale, or, where suppression hid it (``None``), a word that says why with
    a link to the page that explains small-number protection. Every hidden
    cell reads the same, whether it was small itself or hidden so as not to
    reveal a small one: saying which would tell the reader which is small.

    The count is wrapped in ``<data class="people" value="…">`` (the raw
    number, or ``hidden``), so that tests and machines can check every count
    of people a page publishes without guessing from its text."""
    from django.urls import reverse
    from django.utils.formats import number_format
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from partnerships.suppression import MIN_CELL

    if count is None:
        return format_html(
            '<data class="people" value="hidden"><a class="hidden-n" href="{}">{}</a></data>',
            reverse("portal:small_numbers"),
            gettext("hidden: fewer than %(n)s people, or it would reveal them") % {"n": MIN_CELL},
        )
    return format_html(
        '<data class="people" value="{}">{}</data>',
        count,  # as computed: a weighted count keeps its decimals
        number_format(count, force_grouping=True),
    )


@register.filter(is_safe=True)
def count(number: int) -> str:
    """A count of things that are not people (threats, entries, partner
    types): never suppressed, shown in the reader's locale, and marked
    ``<data class="count">`` so that a check of the counts of people on a page
    can tell it apart. Choosing this filter is a decision that the number
    reveals no one (see docs/counts-of-people.md)."""
    from django.utils.formats import number_format
    from django.utils.html import format_html

    return format_html(
        '<data class="count" value="{}">{}</data>',
        number,
        number_format(number, force_grouping=True),
    )
