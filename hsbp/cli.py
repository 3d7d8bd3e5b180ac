"""The ``hsbp`` console command: ``manage.py`` under the platform's name.

hsbp migrate            hsbp demo           hsbp worker
hsbp runserver          hsbp createsuperuser
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "hsbp"
    # ``hsbp worker`` is our own command (db_worker with signs of life and the
    # recovery of lost work); under RQ, RQ's worker, which has its own.
    if len(args) > 1 and args[1] == "worker" and os.environ.get("HSBP_TASK_BACKEND") == "rq":
        args[1] = "rqworker"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
