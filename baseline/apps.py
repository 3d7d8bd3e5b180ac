from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaselineConfig(AppConfig):
    name = "baseline"
    verbose_name = _("Human security baseline")

    def ready(self) -> None:
        from baseline import capabilities, hooks

        capabilities.register()
        hooks.register()
