"""Protection: the one place that decides whether a viewer may see a protected
person, and what they see instead.

A protected person is anyone whose identification could put them at risk: an
actor flagged "at risk if identified" today; anonymous participants and
grievance reporters as those rooms arrive. Rooms tell this module which of a
set of subject ids are protected (``register_lookup``); pages, exports, the
API and the audit trail ask it before showing a name.

Clearance is a capability in the permission table (kind ``protected_person``,
action view): facilitators have it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from partnerships.permissions import Action, can

if TYPE_CHECKING:
    from partnerships.models import AuditEntry, Member

REDACTED = "•••"
_LOOKUPS: list[Callable[[list[str]], set[str]]] = []


def register_lookup(lookup: Callable[[list[str]], set[str]]) -> None:
    """``lookup(ids)`` returns those of the public ids that are protected now."""
    _LOOKUPS.append(lookup)


def has_clearance(member: Member | None) -> bool:
    return can(member, "protected_person", Action.VIEW)


def protected_among(ids: Iterable[str]) -> set[str]:
    wanted = [str(i) for i in ids]
    found: set[str] = set()
    if wanted:
        for lookup in _LOOKUPS:
            found |= lookup(wanted)
    return found


def pseudonym(public_id: Any) -> str:
    """A stable stand-in that reveals neither the name nor that a flag exists
    beyond the fact that the name is withheld."""
    ref = str(public_id).replace("-", "")[:6].upper()
    return _("Protected actor %(ref)s") % {"ref": ref}


def mask_audit_entries(entries: Iterable[AuditEntry], member: Member | None) -> list[AuditEntry]:
    """The entries as this viewer may read them: an entry about a protected
    subject shows a pseudonym and no values to someone without clearance."""
    entries = list(entries)
    if has_clearance(member):
        return entries
    protected = protected_among({s for e in entries for s in e.subjects})
    for entry in entries:
        hidden = [s for s in entry.subjects if s in protected]
        if hidden:
            entry.object_label = pseudonym(hidden[0])
            entry.changes = {field: [REDACTED, REDACTED] for field in entry.changes}
    return entries
