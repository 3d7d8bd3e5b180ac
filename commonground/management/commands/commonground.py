"""hsbp commonground <export-dir> [--seed N] [--json] [--output FILE] [--top N] [--meta IDS]

Runs the common-ground engine on a Pol.is open-data export. By default prints a summary to
read: the opinion groups and their sizes, what sets each group apart, the consensus and the
bridging statements, ranked, each with its text from comments.csv. ``--json`` prints the full
result as JSON instead; ``--output`` writes that JSON to a file (and still prints the summary).
The JSON carries the texts too, and ranks the bridging statements (``bridging``, best first,
each with ``rank`` and ``text``). Statements about the conversation or the voter ("I am
unemployed") are never ranked: those comments.csv marks ``is-meta``, and those given by
``--meta`` (ids and ranges, ``0-14,20``) for exports without that column. A thin layer over ``commonground.polis_data`` and
``commonground.engine``; touches no database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, ngettext, pgettext

from commonground.engine import Analysis, VoteError, analyse
from commonground.polis_data import PolisDataError, PolisExport, compare_with_polis, read_export
from commonground.results import group_name, reason_text

#: Statements listed per group, and consensus and bridging statements, in the summary.
TOP = 5
#: A statement's text is cut to this many characters in the summary (never in the JSON).
TEXT_WIDTH = 110


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Translated when the command runs (in the active language), not at import.
        self.help = gettext(
            "Find the opinion groups, what sets each apart, the consensus and the bridging "
            "statements of a Pol.is open-data export (comments.csv with votes.csv or "
            "participants-votes.csv) and print a summary, or the whole result as JSON."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, help=gettext("the export's directory"))
        parser.add_argument(
            "--seed", type=int, default=0, help=gettext("random seed of the clustering (default 0)")
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=gettext("print the whole result as JSON instead of the summary"),
        )
        parser.add_argument(
            "--output", type=Path, help=gettext("also write the whole result as JSON to this file")
        )
        parser.add_argument(
            "--top",
            type=int,
            default=TOP,
            help=gettext("statements listed per group and per list in the summary (default 5)"),
        )
        parser.add_argument(
            "--meta",
            default="",
            help=gettext(
                "ids of statements about the conversation or the voter, never ranked (as in "
                "0-14,20), beside those comments.csv marks is-meta"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            export = read_export(options["export"])
            export = dataclasses.replace(export, meta=export.meta | _meta(options["meta"], export))
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
        if output is not None:
            try:
                output.write_text(text + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    gettext("Cannot write %(path)s: %(problem)s")
                    % {"path": output, "problem": error.strerror}
                ) from None
        if options["json"]:
            self.stdout.write(text)
            return
        self.stdout.write("\n".join(summary(analysis, result, export, top=max(options["top"], 1))))
        if output is not None:
            self.stdout.write(
                gettext("The whole result, as JSON, is in %(path)s.") % {"path": output}
            )


def summary(
    analysis: Analysis, result: dict[str, Any], export: PolisExport, *, top: int
) -> list[str]:
    """The lines of the readable summary, in the active language."""
    # Each count takes its own plural form, so the sentence is built from them.
    groups = ngettext("%(n)d group", "%(n)d groups", analysis.group_count) % {
        "n": analysis.group_count
    }
    placed = ngettext("%(n)d participant", "%(n)d participants", analysis.participants_in) % {
        "n": analysis.participants_in
    }
    lines = [
        gettext("%(conversation)s (votes from %(source)s, seed %(seed)d)")
        % {"conversation": export.name, "source": export.source, "seed": analysis.seed},
        # Translators: "3 groups among 120 participants."
        gettext("%(groups)s among %(participants)s.") % {"groups": groups, "participants": placed},
        gettext(
            "Participants with votes: %(voters)d; placed in opinion groups: %(placed)d. "
            "Statements: %(statements)d (moderated out: %(out)d; about the conversation or the "
            "voter, never ranked: %(meta)d)."
        )
        % {
            "voters": analysis.participants,
            "placed": analysis.participants_in,
            "statements": analysis.statements,
            "out": len(analysis.moderated_out),
            "meta": len(analysis.meta),
        },
    ]
    comparison = result.get("polis_comparison")
    if comparison and comparison.get("adjusted_rand_index") is not None:
        lines.append(
            gettext(
                "Agreement with Pol.is's own groups: adjusted Rand index %(ari).3f over the "
                "%(people)d participants both place in groups (1 = the same groups)."
            )
            % {"ari": comparison["adjusted_rand_index"], "people": comparison["participants"]}
        )
    lines.append("")
    if analysis.reason:
        lines.append(reason_text(analysis.reason))
    sizes: list[int] = result["group_sizes"]
    for index, size in enumerate(sizes if analysis.group_count >= 2 else []):
        people = ngettext("%(n)d participant", "%(n)d participants", size) % {"n": size}
        lines.append(f"{group_name(index)}: {people}")
        for item in result["representative"].get(str(index), [])[:top]:
            share = item["agrees" if item["side"] == "agree" else "disagrees"] / max(
                item["seen"], 1
            )
            lines.append(_line(item, _side(item["side"], share)))
        lines.append("")
    lines.append(gettext("Consensus (most of everyone agrees, or disagrees):"))
    consensus = result["consensus"]
    for side in ("agree", "disagree"):
        for item in [c for c in consensus if c["side"] == side][:top]:
            share = item["agrees" if side == "agree" else "disagrees"] / max(item["seen"], 1)
            lines.append(_line(item, _side(side, share)))
    if not consensus:
        lines.append("  " + pgettext("no statements", "none"))
    lines.append("")
    lines.append(gettext("Bridging statements (more than half of every group agrees), best first:"))
    for item in result["bridging"][:top]:
        shares = " · ".join(
            f"{chr(ord('A') + g)} {round(100 * share)}%" for g, share in enumerate(item["agree"])
        )
        lines.append(
            _line(item, f"{item['rank']}.", gettext("agree: %(shares)s") % {"shares": shares}, 4)
        )
    if not result["bridging"]:
        lines.append("  " + pgettext("no statements", "none"))
    return lines


def _meta(text: str, export: PolisExport) -> frozenset[int]:
    """The statement ids of ``--meta``: ids and ranges (``a-b``, both ends in), by commas."""
    found: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            start, stop = int(first), int(last or first)
        except ValueError:
            raise CommandError(
                gettext("--meta takes statement ids and ranges, as in 0-14,20; not %(part)r.")
                % {"part": part}
            ) from None
        found.update(range(start, stop + 1))
    unknown = sorted(found - set(export.statement_ids))
    if unknown:
        raise CommandError(
            gettext("Statement %(id)d, given to --meta, is not in the export.") % {"id": unknown[0]}
        )
    return frozenset(found)


def _side(side: str, share: float) -> str:
    percent = round(100 * share)
    if side == "agree":
        return gettext("%(percent)d%% agree") % {"percent": percent}
    return gettext("%(percent)d%% disagree") % {"percent": percent}


def _line(item: dict[str, Any], lead: str, after: str = "", width: int = 14) -> str:
    text = " ".join(str(item.get("text", "")).split())  # one line, whatever the export holds
    if len(text) > TEXT_WIDTH:
        text = text[: TEXT_WIDTH - 1].rstrip() + "…"
    tail = f" ({after})" if after else ""
    return f"  {lead:<{width}} #{item['statement']}  {text}{tail}"


def _place(error: PolisDataError) -> str:
    if error.line is None:
        return error.file
    return gettext("%(file)s, line %(line)d") % {"file": error.file, "line": error.line}


def _with_texts(result: dict[str, Any], export: PolisExport) -> dict[str, Any]:
    """Add the conversation's name, each ranked statement's text, and the bridging ranks."""

    def text_of(statement: Any) -> str:
        comment = export.comments.get(statement) if isinstance(statement, int) else None
        return comment.text if comment is not None else ""

    for items in result["representative"].values():
        for item in items:
            item["text"] = text_of(item["statement"])
    for item in result["consensus"]:
        item["text"] = text_of(item["statement"])
    for rank, item in enumerate(result["bridging"], start=1):
        item["rank"] = rank
        item["text"] = text_of(item["statement"])
    return {"conversation": export.name, "source": export.source, **result}
