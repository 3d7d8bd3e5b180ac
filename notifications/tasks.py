"""Background work of this room. A task loads by id and calls a service."""

from django_tasks import task

from notifications import digests, emails
from partnerships import background


@background.provides("notifications.send_emails")
@task()
def send_emails(notification_ids: list[int]) -> int:
    return emails.send_emails(notification_ids=notification_ids)


@background.provides("notifications.send_digests")
@task()
def send_digests(frequency: str) -> int:
    return digests.send_digests(frequency=frequency).sent
