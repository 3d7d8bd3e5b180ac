"""``hsbp worker``: django-tasks-db's worker, with signs of life and the
recovery of lost work (``partnerships.recovery``).

It beats from a thread of its own every ``--beat`` seconds and, at start and
then every half ``--grace``, queues again (or fails) the tasks of workers that
stopped beating; it also deletes expired exports. Every option of
``db_worker`` works here too."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from partnerships import recovery


class Command(db_worker.Command):
    help = "Run a background worker that beats, and recovers the work of dead workers"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--beat",
            type=db_worker.valid_interval,
            default=recovery.beat_seconds(),
            help="Seconds between signs of life (default: %(default)r)",
        )
        parser.add_argument(
            "--grace",
            type=db_worker.valid_interval,
            default=recovery.grace_seconds(),
            help="Seconds without a sign of life after which a worker's task is lost "
            "(default: %(default)r)",
        )

    def execute(self, *args: Any, **options: Any) -> str | None:
        # Around db_worker's handle (which ignores the two options it does not know).
        reloading = options.get("reload") and not options.get("batch")
        if reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only restarts its child, which runs the tasks and beats.
            return super().execute(*args, **options)
        heart = recovery.Heartbeat(
            worker_id=options["worker_id"], every=options["beat"], grace=options["grace"]
        )
        heart.start()
        try:
            return super().execute(*args, **options)
        finally:
            heart.stop()
