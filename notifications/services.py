"""The one entry point that tells people about something: ``notify()``.

Every room calls ``notify()``; nothing else writes a ``Notification``. It
stores the kind and its parameters (the text is made when read or sent, in
the reader's language), decides per recipient how they want to hear of that
kind (their ``Preference``, else the kind's default: a digest), and hands the
ones wanted *immediately* to every channel (``channels``: email now, SMS
later). Preferences, reading and marking read are here too; digests are in
``digests``, announcements in ``announcements``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.channels import channels
from notifications.kinds import Frequency, kind_named
from notifications.models import Notification, Preference
from partnerships.errors import ServiceError
from partnerships.languages import working_languages
from partnerships.models import Member, Partnership

URL_MAX = 500


def _checked_params(kind: str, params: Mapping[str, str | int] | None) -> dict[str, str | int]:
    declared = kind_named(kind)
    if declared is None:
        raise LookupError(f"No kind of notification is registered as {kind!r}.")
    params = dict(params or {})
    undeclared = sorted(set(params) - set(declared.params))
    if undeclared:
        # The guard against names of protected people and secret-ballot choices:
        # a kind carries only what it declared safe to show.
        raise ValueError(f"Kind {kind!r} declares no parameter {', '.join(undeclared)}.")
    for name, value in params.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError(f"Parameter {name!r} of {kind!r} must be a string or a number.")
    return params


def notify(
    *,
    partnership: Partnership,
    kind: str,
    recipients: Iterable[User],
    params: Mapping[str, str | int] | None = None,
    url: str = "",
    actor: User | None = None,
) -> int:
    """Tell ``recipients`` (members of ``partnership``; anyone else is left
    out) about something of ``kind``. The actor is never told of their own
    act. Returns how many were notified (those who chose "never" are not).

    Callers pass no name of a protected person and no secret ballot's choice
    in ``params``; a parameter the kind did not declare is refused."""
    checked = _checked_params(kind, params)
    if len(url) > URL_MAX:
        raise ValueError(f"A notification's link is {URL_MAX} characters at most.")
    declared = kind_named(kind)
    assert declared is not None
    wanted = {user.pk for user in recipients if user.pk is not None}
    if actor is not None:
        wanted.discard(actor.pk)
    if not wanted:
        return 0
    members = set(
        Member.objects.filter(
            partnership=partnership, user_id__in=wanted, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    chosen = dict(
        Preference.objects.filter(user_id__in=members, kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    now = timezone.now()
    rows = [
        Notification(
            partnership=partnership,
            recipient_id=user_id,
            kind=kind,
            params=checked,
            url=url,
            delivery=chosen.get(user_id, declared.default),
            created_at=now,
        )
        for user_id in sorted(members)
    ]
    rows = [row for row in rows if row.delivery != Frequency.NEVER]
    if not rows:
        return 0
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        immediate = [n.pk for n in created if n.delivery == Frequency.IMMEDIATELY]
        if immediate:
            for deliver in channels().values():
                deliver(immediate)
    return len(created)


# --- Reading -------------------------------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: User, public_id: Any) -> bool:
    """Mark one of the user's own notifications read; another's is not found."""
    changed = Notification.objects.filter(
        recipient=user, public_id=public_id, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(changed)


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Preferences -------------------------------------------------------------------


def preferences_of(user: User) -> dict[str, str]:
    """Every registered kind's frequency for this user (theirs, else the default)."""
    from notifications.kinds import all_kinds

    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {k.code: chosen.get(k.code, k.default) for k in all_kinds()}


@transaction.atomic
def set_preferences(*, user: User, choices: Mapping[str, str]) -> int:
    """Set how often the user hears of each kind. An unknown kind or an
    unknown frequency is refused and nothing is written. Returns how many
    preferences changed."""
    for code, frequency in choices.items():
        if kind_named(code) is None:
            raise ServiceError(
                _("There is no kind of notification called “%(kind)s”.") % {"kind": code},
                field=code,
            )
        if frequency not in Frequency.values:
            raise ServiceError(
                _("“%(value)s” is not a frequency: choose immediately, daily, weekly or never.")
                % {"value": frequency},
                field=code,
            )
    current = preferences_of(user)
    changed = 0
    for code, frequency in choices.items():
        if current.get(code) == frequency:
            continue
        Preference.objects.update_or_create(user=user, kind=code, defaults={"frequency": frequency})
        changed += 1
    return changed


# --- Language of what is sent -------------------------------------------------------------


def language_for(user: User, partnership: Partnership | None = None) -> str:
    """The language an email speaks to this person: their own, else the
    partnership's first working language the platform speaks, else the
    instance's."""
    spoken = {code for code, _name in settings.LANGUAGES}
    if user.language in spoken:
        return str(user.language)
    for code in working_languages(partnership) if partnership is not None else ():
        if code in spoken:
            return code
    return str(settings.LANGUAGE_CODE).split("-")[0]
