"""hsbp import_sdg <folder>

A thin layer over ``goals.sdg.import_sdg``: the folder holds one folder per
language (``en/``, ``es/``) of open-sdg's ``global_*.yml`` files, as in
open-sdg/sdg-translations' ``translations/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from goals.sdg import import_sdg
from partnerships.services import ServiceError


class Command(BaseCommand):
    help = (
        "Load the official titles of the SDG goals, targets and indicators (in every "
        "supported language present) from open-sdg translation files. All or nothing; "
        "importing again updates them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", type=Path, help="folder with en/, es/ … each holding global_*.yml"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_sdg(folder=options["folder"])
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            _(
                "%(goals)d goals, %(targets)d targets, %(indicators)d current indicators "
                "(%(distinct)d distinct; %(repeats)d repeat one of another target) and "
                "%(retired)d retired indicator codes, in %(languages)s."
            )
            % {
                "goals": result.goals,
                "targets": result.targets,
                "indicators": result.indicators,
                "distinct": result.distinct_indicators,
                "repeats": result.repeats,
                "retired": result.retired,
                "languages": ", ".join(result.languages),
            }
        )
        self.stdout.write(
            _("%(created)d records created, %(updated)d updated.")
            % {"created": result.created, "updated": result.updated}
        )
        if result.dropped:
            self.stdout.write(
                _(
                    "%(n)d indicators of an earlier import are no longer in the files: "
                    "they are kept, flagged as deleted."
                )
                % {"n": result.dropped}
            )
