"""The ``hsbp`` console command: ``manage.py`` under the platform's name.

hsbp migrate            hsbp demo           hsbp worker
hsbp runserver          hsbp createsuperuser
hsbp help               hsbp help worker    (any command's options)
"""

from __future__ import annotations

import os
import sys


def command_name(name: str) -> str:
    """The Django command behind a name people type.

    ``hsbp worker`` is our own command (django-tasks-db's worker with signs of
    life and the recovery of lost work); with Redis queues it is RQ's worker,
    which has its own recovery."""
    if name == "worker" and os.environ.get("HSBP_TASK_BACKEND") == "rq":
        return "rqworker"
    return name


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "hsbp"
    if len(args) > 1:
        args[1] = command_name(args[1])
    # `hsbp help worker` under RQ is the help of RQ's worker.
    if len(args) > 2 and args[1] == "help":
        args[2] = command_name(args[2])
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
