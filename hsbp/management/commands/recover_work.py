"""``hsbp recover_work``: the maintenance a worker does now and then, once,
for a cron job or by hand — queue again (or fail) the tasks of workers that
stopped beating, and delete expired exports."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from partnerships import recovery


class Command(BaseCommand):
    help = "Recover the tasks of dead workers and delete expired exports"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--grace",
            type=float,
            default=recovery.grace_seconds(),
            help="Seconds without a sign of life after which a worker's task is lost "
            "(default: %(default)r)",
        )

    def handle(self, *args: Any, grace: float, **options: Any) -> None:
        found, expired = recovery.maintain(grace=grace)
        self.stdout.write(
            f"{found.restarted} lost task(s) queued again, {found.failed} failed; "
            f"{expired} expired export(s) deleted."
        )
