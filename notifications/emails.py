"""Email: the first channel beyond the pages. Immediate notifications go one
email per person per batch; digests are composed in ``digests``. Each email
speaks its recipient's language (``services.language_for``) and reads the
partnership's texts in its working languages."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.services import language_for
from partnerships import background
from partnerships.languages import reading


def queue_immediate(ids: Sequence[int]) -> None:
    """The email channel: ``notify()`` hands it the immediate ones."""
    background.enqueue_on_commit("notifications.send_emails", list(ids))


def absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def message_for(user_notifications: list[Notification]) -> EmailMessage:
    """One email to one person about these notifications, in their language."""
    first = user_notifications[0]
    user = first.recipient
    with translation.override(language_for(user, first.partnership)):
        items = []
        for n in user_notifications:
            with reading(n.partnership):
                items.append({"n": n, "text": n.text, "url": absolute(n.url)})
        if len(items) == 1:
            subject = items[0]["text"]
        else:
            subject = ngettext("%(n)s new notification", "%(n)s new notifications", len(items)) % {
                "n": len(items)
            }
        body = render_to_string(
            "notifications/email/notifications.txt",
            {
                "items": items,
                "preferences_url": absolute("/notifications/preferences/"),
                "greeting": _("Hello %(name)s,") % {"name": user.display_name}
                if user.display_name
                else _("Hello,"),
            },
        )
    return EmailMessage(subject=str(subject)[:200], body=body, to=[user.email])


def send_emails(*, notification_ids: Sequence[int]) -> int:
    """Send the immediate notifications not yet emailed (runs in the worker).
    Returns how many emails went. Running it again sends nothing twice."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(pk__in=list(notification_ids), emailed_at__isnull=True)
            .select_related("recipient", "partnership")
            .order_by("recipient_id", "created_at")
        )
        if not waiting:
            return 0
        by_user: dict[int, list[Notification]] = {}
        for n in waiting:
            if n.recipient.is_active and n.recipient.email:
                by_user.setdefault(n.recipient_id, []).append(n)
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            emailed_at=timezone.now()
        )
    messages = [message_for(ns) for ns in by_user.values()]
    get_connection().send_messages(messages)
    return len(messages)
