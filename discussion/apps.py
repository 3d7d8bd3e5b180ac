from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from discussion import capabilities, demo, hooks

        capabilities.register()
        demo.register()
        hooks.register()
