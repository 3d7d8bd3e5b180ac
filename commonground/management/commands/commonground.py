"""hsbp commonground <export-dir> [--seed N] [--output FILE]

Runs the common-ground engine on a Pol.is open-data export and writes the groups, each
group's representative statements and the consensus statements (with their text from
comments.csv when present) as JSON. A thin layer over ``commonground.polis_data`` and
``commonground.engine``; touches no database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, ngettext

from commonground.engine import VoteError, analyse
from commonground.polis_data import PolisDataError, PolisExport, compare_with_polis, read_export


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Translated when the command runs (in the active language), not at import.
        self.help = gettext(
            "Find the opinion groups, representative statements and common ground of a Pol.is "
            "open-data export (comments.csv with votes.csv or participants-votes.csv) and write "
            "them as JSON."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, help=gettext("the export's directory"))
        parser.add_argument(
            "--seed", type=int, default=0, help=gettext("random seed of the clustering (default 0)")
        )
        parser.add_argument(
            "--output", type=Path, help=gettext("write the JSON to this file instead of the screen")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            export = read_export(options["export"])
            matrix = export.matrix()
        except PolisDataError as error:
            raise CommandError(
                gettext("Cannot read the Pol.is export %(place)s: %(problem)s")
                % {"place": _place(error), "problem": error.detail}
            ) from None
        except VoteError as error:
            raise CommandError(
                gettext("The Pol.is export has a vote the engine cannot take: %(problem)s")
                % {"problem": error}
            ) from None
        analysis = analyse(matrix, seed=options["seed"])
        result = _with_texts(analysis.to_dict(), export)
        result["polis_comparison"] = compare_with_polis(analysis.groups, export)
        text = json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False)
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text)
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(
                gettext("Cannot write %(path)s: %(problem)s")
                % {"path": output, "problem": error.strerror}
            ) from None
        # Each count takes its own plural form, so the sentence is built from them.
        groups = ngettext("%(n)d group", "%(n)d groups", analysis.group_count) % {
            "n": analysis.group_count
        }
        participants = ngettext(
            "%(n)d participant", "%(n)d participants", analysis.participants_in
        ) % {"n": analysis.participants_in}
        self.stdout.write(
            # Translators: "3 groups among 120 participants; written to out.json."
            gettext("%(groups)s among %(participants)s; written to %(path)s.")
            % {"groups": groups, "participants": participants, "path": output}
        )


def _place(error: PolisDataError) -> str:
    if error.line is None:
        return error.file
    return gettext("%(file)s, line %(line)d") % {"file": error.file, "line": error.line}


def _with_texts(result: dict[str, Any], export: PolisExport) -> dict[str, Any]:
    """Add the conversation's name and each picked statement's text."""

    def text_of(statement: Any) -> str:
        comment = export.comments.get(statement) if isinstance(statement, int) else None
        return comment.text if comment is not None else ""

    for items in result["representative"].values():
        for item in items:
            item["text"] = text_of(item["statement"])
    for item in result["consensus"]:
        item["text"] = text_of(item["statement"])
    return {"conversation": export.name, "source": export.source, **result}
