"""hsbp import_sdg [folder]

A thin layer over ``goals.sdg.import_sdg``: the folder holds one folder per
language (``en/``, ``es/``) of open-sdg's ``global_*.yml`` files, as in
open-sdg/sdg-translations' ``translations/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.sdg import SHIPPED, import_sdg
from partnerships.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Load the official titles of the SDG goals, targets and indicators (in every "
        "supported language present) from open-sdg translation files. All or nothing; "
        "importing again updates them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder",
            type=Path,
            nargs="?",
            default=None,
            help="folder with en/, es/ … each holding global_*.yml (default: the copy shipped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_sdg(folder=options["folder"] or SHIPPED)
        except ServiceError as error:
            raise CommandError(error.message) from None
        # Each count takes its own plural form, so the sentence is built from them.
        goals, targets, indicators = result.goals, result.targets, result.indicators
        distinct, repeats, retired = result.distinct_indicators, result.repeats, result.retired
        said = {
            "goals": ngettext("%(n)d goal", "%(n)d goals", goals) % {"n": goals},
            "targets": ngettext("%(n)d target", "%(n)d targets", targets) % {"n": targets},
            "indicators": ngettext(
                "%(n)d current indicator", "%(n)d current indicators", indicators
            )
            % {"n": indicators},
            "distinct": ngettext("%(n)d distinct", "%(n)d distinct", distinct) % {"n": distinct},
            "repeats": ngettext(
                "%(n)d repeats one of another target", "%(n)d repeat one of another target", repeats
            )
            % {"n": repeats},
            "retired": ngettext(
                "%(n)d retired indicator code", "%(n)d retired indicator codes", retired
            )
            % {"n": retired},
        }
        self.stdout.write(
            # Translators: "17 goals, 169 targets, 247 current indicators (231 distinct;
            # 16 repeat one of another target) and 5 retired indicator codes, in en, es."
            _(
                "%(goals)s, %(targets)s, %(indicators)s (%(distinct)s; %(repeats)s) and "
                "%(retired)s, in %(languages)s."
            )
            % {**said, "languages": ", ".join(result.languages)}
        )
        created = ngettext("%(n)d record created", "%(n)d records created", result.created)
        updated = ngettext("%(n)d updated", "%(n)d updated", result.updated)
        self.stdout.write(
            # Translators: "421 records created, 17 updated."
            _("%(created)s, %(updated)s.")
            % {
                "created": created % {"n": result.created},
                "updated": updated % {"n": result.updated},
            }
        )
        if result.dropped:
            self.stdout.write(
                ngettext(
                    "%(n)d indicator of an earlier import is no longer in the files: "
                    "it is kept, flagged as deleted.",
                    "%(n)d indicators of an earlier import are no longer in the files: "
                    "they are kept, flagged as deleted.",
                    result.dropped,
                )
                % {"n": result.dropped}
            )
