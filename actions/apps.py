from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Actions")

    def ready(self) -> None:
        # The room plugs into the shared mechanisms here (capabilities, hooks,
        # tasks), as charter/apps.py does.
        pass
