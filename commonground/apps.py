from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommongroundConfig(AppConfig):
    name = "commonground"
    verbose_name = _("Common ground")

    def ready(self) -> None:
        # Its tasks provide themselves by name (partnerships.background), so
        # services can ask for them without importing them.
        import_module(f"{self.name}.tasks")
        from commonground import capabilities, hooks, journey

        capabilities.register()
        hooks.register()
        journey.register()
