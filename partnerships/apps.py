from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Its tasks provide themselves by name (partnerships.background), so
        # services can ask for them without importing them.
        import_module(f"{self.name}.tasks")
        from partnerships import capabilities, journey, publication_rules, stepper_progress

        capabilities.register()
        publication_rules.register()
        stepper_progress.register()
        journey.register()
        self._recovery()

    def _recovery(self) -> None:
        # Pages that wait on work learn when a dead worker's run was restarted
        # or given up; a new request for the same work clears that news.
        from django_tasks.signals import task_enqueued, task_finished

        from partnerships import exports, recovery

        task_enqueued.connect(recovery.on_enqueued, dispatch_uid="hsbp-lost-work-enqueued")
        task_finished.connect(recovery.on_finished, dispatch_uid="hsbp-lost-work-finished")
        recovery.when_given_up("partnerships.run_export", exports.given_up)
