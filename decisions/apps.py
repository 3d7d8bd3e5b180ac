from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from decisions import capabilities, hooks, journey, tasks  # noqa: F401
        from partnerships import background

        capabilities.register()
        hooks.register()
        journey.register()
        # Votes close on time and reminders go out from the workers' heartbeat.
        background.every("decisions.tick", seconds=300)
