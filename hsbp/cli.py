"""The ``hsbp`` console command: ``manage.py`` under the platform's name.

hsbp migrate            hsbp demo           hsbp worker
hsbp runserver          hsbp createsuperuser
"""

from __future__ import annotations

import os
import sys

# Short names for the commands people type most.
ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "hsbp"
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
        if os.environ.get("HSBP_TASK_BACKEND") == "rq":
            args[1] = "rqworker"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
