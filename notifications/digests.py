"""Daily and weekly digests: one email per person per period, composed for
every member in one background run (``send_digests``).

Bounded work: people are taken in batches (``BATCH``), and each batch costs
the same four queries however many notifications it holds — read the waiting
notifications with their partnerships and recipients, claim the digests,
read which were claimed, mark the notifications emailed. Memory holds one
batch.

Never twice: a ``SentDigest`` row (unique per person, frequency and period)
is claimed *before* the email goes, marked with this run's id, and a run
sends only the digests it claimed. A second run for the same period, or two
at once, finds them claimed. The price is that an email lost by the mail
server is not sent again; the notifications stay on the platform's page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.emails import absolute
from notifications.kinds import Frequency
from notifications.models import Notification, SentDigest
from notifications.services import language_for
from partnerships.languages import reading

BATCH = 500
# A digest lists this many notifications at most and says how many more wait.
SHOWN = 50
# What a digest reads of a notification, its recipient and its partnership.
READ = (
    "kind",
    "params",
    "url",
    "created_at",
    "recipient__email",
    "recipient__display_name",
    "recipient__language",
    "recipient__is_active",
    "partnership__name",
    "partnership__languages",
)


@dataclass
class DigestRun:
    frequency: str
    period: date
    sent: int = 0
    already_sent: int = 0
    notifications: int = 0


def period_of(frequency: str, day: date) -> date:
    """A daily digest's period is its day; a weekly one's, the Monday."""
    if frequency == Frequency.WEEKLY:
        return day - timedelta(days=day.weekday())
    return day


def _waiting(frequency: str, now: datetime) -> Any:
    return Notification.objects.filter(
        delivery=frequency, emailed_at__isnull=True, created_at__lte=now
    )


def send_digests(*, frequency: str, now: datetime | None = None, batch: int = BATCH) -> DigestRun:
    """Compose and send this period's ``frequency`` digest to everyone who has
    notifications waiting for it."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValueError(f"No digest is sent {frequency!r}.")
    now = now or timezone.now()
    result = DigestRun(frequency=frequency, period=period_of(frequency, timezone.localdate(now)))
    people = list(
        _waiting(frequency, now)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    connection = get_connection()
    for start in range(0, len(people), batch):
        _send_batch(people[start : start + batch], result, now, connection)
    return result


def _send_batch(user_ids: list[int], result: DigestRun, now: datetime, connection: Any) -> None:
    run = uuid.uuid4()
    with transaction.atomic():
        waiting = _waiting(result.frequency, now).filter(recipient_id__in=user_ids)
        by_user: dict[int, list[Notification]] = {}
        rows = (
            waiting.select_related("recipient", "partnership")
            .only(*READ)
            .order_by("recipient_id", "partnership_id", "created_at")
        )
        for n in rows:
            by_user.setdefault(n.recipient_id, []).append(n)
        # Claim this period's digest of each person; one claimed already (by
        # an earlier run, or one running now) is not ours to send.
        SentDigest.objects.bulk_create(
            [
                SentDigest(
                    user_id=user_id,
                    frequency=result.frequency,
                    period=result.period,
                    run=run,
                    notifications=len(found),
                )
                for user_id, found in by_user.items()
            ],
            ignore_conflicts=True,
        )
        claimed = set(
            SentDigest.objects.filter(run=run, user_id__in=list(by_user)).values_list(
                "user_id", flat=True
            )
        )
        result.already_sent += len(by_user) - len(claimed)
        if not claimed:
            return
        waiting.filter(recipient_id__in=list(claimed)).update(emailed_at=now)
    mine = [found for user_id, found in by_user.items() if user_id in claimed]
    messages = [_digest(result.frequency, found) for found in mine if found[0].recipient.is_active]
    connection.send_messages(messages)
    result.sent += len(messages)
    result.notifications += sum(len(found) for found in mine)


def _digest(frequency: str, notifications: list[Notification]) -> EmailMessage:
    user = notifications[0].recipient
    with translation.override(language_for(user, notifications[0].partnership)):
        groups: list[dict[str, Any]] = []
        for n in notifications[:SHOWN]:
            if not groups or groups[-1]["partnership"] != n.partnership:
                groups.append({"partnership": n.partnership, "items": []})
            with reading(n.partnership):
                groups[-1]["items"].append({"text": n.text, "url": absolute(n.url)})
        subject = (
            _("Your daily digest") if frequency == Frequency.DAILY else _("Your weekly digest")
        )
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "groups": groups,
                "more": max(0, len(notifications) - SHOWN),
                "all_url": absolute("/notifications/"),
                "preferences_url": absolute("/notifications/preferences/"),
                "greeting": _("Hello %(name)s,") % {"name": user.display_name}
                if user.display_name
                else _("Hello,"),
            },
        )
    return EmailMessage(subject=str(subject), body=body, to=[user.email])
