"""``hsbp decisions_tick``: close the votes whose deadline has passed and send
the reminders due. Run it every few minutes from cron (or a systemd timer)::

    */5 * * * *  hsbp decisions_tick

or with ``--enqueue`` to hand the work to the background worker instead."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from decisions import services
from partnerships import background


class Command(BaseCommand):
    help = "Close the decisions whose vote is due and send the reminders due"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the work for the background worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            background.enqueue("decisions.tick")
            self.stdout.write("queued")
            return
        closed, reminded = services.tick()
        self.stdout.write(f"closed {closed}, reminded {reminded}")
