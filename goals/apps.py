from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Collective goals")

    def ready(self) -> None:
        from goals import capabilities, hooks, journey

        capabilities.register()
        hooks.register()
        journey.register()
