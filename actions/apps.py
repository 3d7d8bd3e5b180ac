"""Step 5-6: protection and empowerment strategies, the action checklist, budgets, and the one Commitment model."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Actions")

    def ready(self) -> None:
        from actions import capabilities, hooks, tasks  # noqa: F401
        from partnerships import background

        capabilities.register()
        hooks.register()
        # Overdue commitments are looked for from the workers' heartbeat.
        background.every("actions.remind", seconds=6 * 3600)
