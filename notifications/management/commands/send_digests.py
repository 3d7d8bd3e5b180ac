"""hsbp send_digests daily|weekly [--queue]

Compose and send this period's digests to everyone with notifications
waiting for them (``notifications.digests.send_digests``). Run it from cron
once a day (daily) and once a week (weekly); running it again in the same
period sends nothing twice. ``--queue`` hands the run to the background
worker instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notifications.digests import send_digests
from partnerships import background


class Command(BaseCommand):
    help = "Send the daily or weekly notification digests (never twice for one period)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=["daily", "weekly"])
        parser.add_argument("--queue", action="store_true", help="run it in the background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            background.enqueue("notifications.send_digests", options["frequency"])
            self.stdout.write("Queued.")
            return
        run = send_digests(frequency=options["frequency"])
        self.stdout.write(
            f"{run.frequency} digests for {run.period.isoformat()}: {run.sent} sent, "
            f"{run.already_sent} sent before, {run.notifications} notifications."
        )
