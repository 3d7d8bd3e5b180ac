"""Background work of this room. A task loads by id and calls a service."""

from django_tasks import task

from partnerships import services


@task()
def send_invitation_email(invitation_id: int) -> bool:
    return services.send_invitation_email(invitation_id=invitation_id)
