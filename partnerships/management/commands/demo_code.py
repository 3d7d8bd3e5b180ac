from typing import Any

from django.core.management.base import BaseCommand

from accounts.totp import current_code
from partnerships.management.commands.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo facilitators and administrator."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
