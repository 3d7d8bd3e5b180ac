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
