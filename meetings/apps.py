"""Meetings, dialogues and trainings: agendas, invitations, attendance, minutes and materials."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from meetings import capabilities, hooks

        capabilities.register()
        hooks.register()
