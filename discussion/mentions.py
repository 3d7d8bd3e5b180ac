"""Mentions: ``@`` followed by a member's shown name, resolved among the
partnership's members. Protected people (``partnerships.protection``) are
never resolved, so a mention can neither find nor notify them; members with
no shown name cannot be mentioned (nothing to type)."""

from __future__ import annotations

import re

from partnerships.models import Member, Partnership
from partnerships.protection import protected_among


def mentioned(partnership: Partnership, body: str) -> list[Member]:
    """The members named with ``@Name`` in ``body``: two queries (members'
    names, and the protection lookups), however long the text. The longest
    name wins where one name begins another ("@Ana María" over "@Ana")."""
    if "@" not in body:
        return []
    members = list(
        Member.objects.filter(partnership=partnership, user__is_active=True)
        .exclude(user__display_name="")
        .select_related("user")
    )
    protected = protected_among(str(m.public_id) for m in members)
    names = sorted(
        ((m.user.display_name, m) for m in members if str(m.public_id) not in protected),
        key=lambda pair: -len(pair[0]),
    )
    found: dict[int, Member] = {}
    text = body.casefold()
    taken: list[tuple[int, int]] = []
    for name, member in names:
        pattern = re.compile("@" + re.escape(name.casefold()) + r"(?!\w)")
        for match in pattern.finditer(text):
            span = match.span()
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue  # inside a longer name already found
            taken.append(span)
            found[member.pk] = member
    return list(found.values())
