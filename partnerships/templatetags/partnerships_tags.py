from __future__ import annotations

from typing import Any

from django import template

from partnerships.models import PartnerType

register = template.Library()


@register.simple_tag
def min_cell() -> int:
    """The small-number threshold, for a sentence that names it:
    ``{% min_cell as n %}{% blocktranslate count n=n %}…{{ n }} people…``
    (never a 5 written into the text)."""
    from partnerships.suppression import MIN_CELL

    return MIN_CELL


@register.simple_tag
def partner_type_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every partner type with its count, zeros included, so absences show."""
    return [(str(label), counts.get(value, 0)) for value, label in PartnerType.choices]


def _rooms_in_order() -> list[Any]:
    from partnerships.models import Step
    from partnerships.stepper import ROOMS

    order = list(Step)
    return sorted(ROOMS, key=lambda room: order.index(room[0]))


@register.simple_tag
def partnership_rooms(slug: str) -> list[tuple[str, str, str]]:
    """(URL, label, URL name) of each room's main page, in the order of the steps."""
    from django.urls import reverse

    return [
        (reverse(name, args=[slug]), str(label), name.split(":")[-1])
        for _s, name, label in _rooms_in_order()
    ]


@register.filter(is_safe=True)
def people(count: float | None) -> str:
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
    from django.utils.translation import ngettext

    from partnerships.suppression import MIN_CELL

    if count is None:
        return format_html(
            '<data class="people" value="hidden"><a class="hidden-n" href="{}">{}</a></data>',
            reverse("portal:small_numbers"),
            ngettext(
                "hidden: fewer than %(n)s person, or it would reveal them",
                "hidden: fewer than %(n)s people, or it would reveal them",
                MIN_CELL,
            )
            % {"n": MIN_CELL},
        )
    # A weighted count keeps up to two decimals, and a whole one shows none.
    shown: float = count
    if isinstance(count, float):
        shown = int(count) if count.is_integer() else round(count, 2)
    return format_html(
        '<data class="people" value="{}">{}</data>',
        shown,
        number_format(shown, force_grouping=True),
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


@register.simple_tag(takes_context=True)
def short_link(context: Any, url: str, partnership: Any) -> dict[str, str]:
    """The short form of a public link of ``partnership``: its address, and
    the address of its QR code (see ``partnerships.shortlinks``)."""
    from django.urls import reverse

    from partnerships.shortlinks import short_link_for

    link = short_link_for(partnership, url)
    request = context["request"]
    return {
        "url": request.build_absolute_uri(reverse("short_link", args=[link.code])),
        "qr": reverse("short_link_qr", args=[link.code]),
        "long": url,
    }


# Pages of this room, by URL name, and the menu entry they belong to.
_OWN_ENTRIES: dict[str, str] = {
    "overview": "overview",
    "steps": "steps",
    "step": "steps",
    "partners": "partners",
    "partner": "partners",
    "partner_create": "partners",
    "partner_edit": "partners",
    "partner_delete": "partners",
    "members": "members",
    "member_role": "members",
    "member_remove": "members",
    "invite": "members",
    "invitation_revoke": "members",
    "record": "record",
    "settings": "settings",
    "membership": "membership",
    "leave": "membership",
}


@register.simple_tag(takes_context=True)
def partnership_menu(context: Any) -> dict[str, Any]:
    """The partnership's navigation: (URL, label, is current) for each entry
    the viewer may open, and the name of the current one for the menu's
    summary (a phone shows the summary only)."""
    from django.apps import apps
    from django.urls import reverse
    from django.utils.translation import gettext

    ctx = context["ctx"]
    slug = ctx.partnership.slug
    match = getattr(context.get("request"), "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    namespace = getattr(match, "namespace", "") or ""
    may = ctx.may
    own = _OWN_ENTRIES.get(name, "") if namespace == "partnerships" else ""
    entries: list[tuple[str, str, bool]] = [
        (reverse("partnerships:overview", args=[slug]), gettext("Overview"), own == "overview"),
        (reverse("partnerships:steps", args=[slug]), gettext("Steps"), own == "steps"),
    ]
    # Each room's main page; a room's other pages light up its first entry.
    full = f"{namespace}:{name}"
    rooms = _rooms_in_order()
    exact = any(url_name == full for _step, url_name, _label in rooms)
    lit: set[str] = set()
    for _step, url_name, label in rooms:
        room_namespace = url_name.split(":")[0]
        current = url_name == full or (
            not exact and room_namespace == namespace and room_namespace not in lit
        )
        if current:
            lit.add(room_namespace)
        entries.append((reverse(url_name, args=[slug]), str(label), current))
    entries.append(
        (reverse("partnerships:partners", args=[slug]), gettext("Partners"), own == "partners")
    )
    if "view" in may.get("member", ()):
        entries.append(
            (reverse("partnerships:members", args=[slug]), gettext("Members"), own == "members")
        )
    entries.append(
        (reverse("partnerships:record", args=[slug]), gettext("Record"), own == "record")
    )
    if "change" in may.get("partnership", ()):
        entries.append(
            (reverse("partnerships:settings", args=[slug]), gettext("Settings"), own == "settings")
        )
    entries.append(
        (
            reverse("partnerships:membership", args=[slug]),
            gettext("My membership"),
            own == "membership",
        )
    )
    here = next((label for _url, label, current in entries if current), "")
    if not here and namespace and namespace != "partnerships":
        try:
            here = str(apps.get_app_config(namespace).verbose_name)
        except LookupError:
            here = ""
    return {"entries": entries, "here": here}


@register.inclusion_tag("partnerships/_work_notice.html")
def work_notice(task_name: str, *args: Any) -> dict[str, Any]:
    """What a page waiting on background work says when the worker doing it
    died: restarted, or given up (``partnerships.recovery``). Nothing else."""
    from partnerships.recovery import lost_work

    if any(a in (None, "") for a in args):  # the page has no such object (yet)
        return {"lost": None}
    return {"lost": lost_work(task_name, *args)}
