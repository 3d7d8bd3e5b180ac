from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications import announcements, capabilities, demo, hooks, tasks  # noqa: F401
        from notifications.channels import register_channel
        from notifications.emails import queue_immediate
        from partnerships import background
        from partnerships.publication import declare_summary

        capabilities.register()
        demo.register()
        hooks.register()
        declare_summary("announcements", announcements.portal_announcements)
        # Email is the first channel; SMS registers the same way, later.
        register_channel("email", queue_immediate)
        # Digests go out from the workers' heartbeat: each run sends only the
        # period's digests not yet claimed, so an hourly turn sends each once.
        background.every("notifications.send_digests", seconds=3600, args=("daily",))
        background.every("notifications.send_digests", seconds=3600, args=("weekly",))
