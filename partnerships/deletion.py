"""What still refers to a record, so that deleting it can be refused with a
message that names it — before the database refuses with ``ProtectedError``
or ``RestrictedError`` (which the API and the pages would otherwise answer
with a 500).

Only kinds of record are named, never how many: some are people.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import router
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _


def referring(instance: Model) -> list[Model]:
    """The records whose protected or restricted reference stops ``instance``
    from being deleted (empty: it can be deleted)."""
    collector = Collector(using=router.db_for_write(type(instance), instance=instance))
    try:
        collector.collect([instance])
    except ProtectedError as error:
        return list(error.protected_objects)
    except RestrictedError as error:
        return list(error.restricted_objects)
    return []


def in_use_message(found: Iterable[Model]) -> str:
    """ "Other records still refer to it: assessments, members.", in the reader's language."""
    names = sorted({str(obj._meta.verbose_name_plural) for obj in found})
    return _("It cannot be deleted: other records still refer to it (%(kinds)s).") % {
        "kinds": ", ".join(names)
    }


def why_in_use(instance: Model) -> str | None:
    """The refusal to show, or None when nothing refers to ``instance``."""
    found = referring(instance)
    return in_use_message(found) if found else None
