"""hsbp import_localities <partnership-slug> --divipola <csv> [--boundaries <file>] …

A thin layer over ``baseline.localities.import_localities``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baseline.localities import DEFAULT_CODE_PROPERTY, import_localities
from partnerships.errors import ServiceError
from partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Load localities from DANE's DIVIPOLA CSV and their boundaries from TopoJSON or "
        "GeoJSON into a partnership. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the partnership's web address (slug)")
        parser.add_argument("--divipola", type=Path, help="DIVIPOLA municipalities CSV")
        parser.add_argument("--boundaries", type=Path, help="TopoJSON or GeoJSON file")
        parser.add_argument(
            "--department", action="append", default=[], help="keep only this department code"
        )
        parser.add_argument(
            "--codes", nargs="+", action="extend", default=[], help="keep only these codes"
        )
        parser.add_argument(
            "--code-property",
            default=DEFAULT_CODE_PROPERTY,
            help=f"GeoJSON property holding the code (default {DEFAULT_CODE_PROPERTY})",
        )
        parser.add_argument(
            "--skip-unknown",
            action="store_true",
            help="skip boundaries whose code is not a locality instead of refusing the file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["slug"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the address {options['slug']!r}.")
        if not options["divipola"] and not options["boundaries"]:
            raise CommandError("Give --divipola, --boundaries or both.")
        data = {}
        for name in ("divipola", "boundaries"):
            path = options[name]
            if path is not None:
                try:
                    data[name] = path.read_bytes()
                except OSError as error:
                    raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            result = import_localities(
                by=None,
                partnership=partnership,
                divipola=data.get("divipola"),
                boundaries=data.get("boundaries"),
                departments=options["department"],
                codes=options["codes"],
                code_property=options["code_property"],
                skip_unknown=options["skip_unknown"],
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"{result.created} localities created, {result.updated} updated, "
            f"{result.boundaries} boundaries stored."
        )
        if result.skipped_codes:
            shown = ", ".join(result.skipped_codes[:10])
            self.stdout.write(
                f"{len(result.skipped_codes)} boundaries skipped (no such locality): {shown}"
            )
