"""Background work of this room. A task loads by id and calls a service."""

from django_tasks import task

from partnerships import background, exports, services


@background.provides("partnerships.send_invitation_email")
@task()
def send_invitation_email(invitation_id: int) -> bool:
    return services.send_invitation_email(invitation_id=invitation_id)


@background.provides("partnerships.run_export", restartable=True)
@task()
def run_export(job_id: int) -> bool:
    return exports.run_export(job_id=job_id)
