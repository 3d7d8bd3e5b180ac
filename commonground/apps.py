from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommongroundConfig(AppConfig):
    name = "commonground"
    verbose_name = _("Common ground")

    def ready(self) -> None:
        from commonground import capabilities, hooks, journey

        capabilities.register()
        hooks.register()
        journey.register()
