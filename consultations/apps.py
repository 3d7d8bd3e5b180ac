from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        # Its tasks provide themselves by name (partnerships.background), so
        # services can ask for them without importing them.
        import_module(f"{self.name}.tasks")
        from consultations import analysis_export, analysis_hooks, capabilities, hooks, journey

        capabilities.register()
        hooks.register()
        analysis_hooks.register()
        journey.register()
        analysis_export.register()
