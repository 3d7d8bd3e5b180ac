from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # The room plugs into the shared mechanisms here (capabilities, hooks,
        # tasks), as charter/apps.py does.
        pass
