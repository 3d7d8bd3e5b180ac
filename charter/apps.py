from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charter")

    def ready(self) -> None:
        from charter import capabilities, plugs, wiring

        capabilities.register()
        wiring.register()
        plugs.register()
