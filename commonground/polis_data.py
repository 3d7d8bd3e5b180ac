"""Read a Pol.is open-data export (https://github.com/compdemocracy/openData) into the engine.

Pure Python and numpy (no Django). An export directory holds some of:

``comments.csv``
    timestamp, [datetime,] comment-id, author-id, agrees, disagrees, moderated, [is-meta, ...]
    comment-body. ``moderated`` is −1 for a statement moderated out (zeroed by the engine), 0
    unmoderated, 1 accepted. ``is-meta`` (newer exports: ``true``/``false``) marks a statement
    about the conversation or the voter ("I am unemployed"): its votes count, but the engine
    never ranks it as representative, consensus or bridging.
``votes.csv``
    timestamp, datetime, comment-id, voter-id, vote (agree 1, disagree −1, pass 0); every vote
    ever cast, so a voter's latest vote on a comment (by timestamp) is the one that counts.
    The votes are put in a canonical order (timestamp, voter, comment, vote), so that the order
    of the file's rows never matters.
``participants-votes.csv``
    participant, [xid,] group-id, n-comments, n-votes, n-agree, n-disagree, then one column per
    comment id (empty = unseen). ``group-id`` is Pol.is's own group, used for comparison.

Anything malformed (not UTF-8, a missing column, a vote of 7, an id that is not an integer, a
truncated row) raises :class:`PolisDataError`, whose message names the file and the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from commonground.engine import VoteMatrix, build_matrix

__all__ = ["PolisComment", "PolisDataError", "PolisExport", "compare_with_polis", "read_export"]

VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
COMMENT_COLUMNS = ("comment-id", "moderated", "comment-body")
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
#: Columns of participants-votes.csv that are not comments (xid appears in newer exports).
PARTICIPANT_EXTRA_COLUMNS = ("xid",)
MODERATED_OUT = -1


class PolisDataError(ValueError):
    """A Pol.is export the reader cannot take. ``file`` and ``line`` (1-based, ``None`` when the
    problem is the file as a whole) say where; ``detail`` says what, without the place."""

    def __init__(self, detail: str, *, file: str, line: int | None = None) -> None:
        where = file if line is None else f"{file}, line {line}"
        super().__init__(f"{where}: {detail}")
        self.detail = detail
        self.file = file
        self.line = line


@dataclass(frozen=True)
class PolisComment:
    id: int
    text: str
    moderated: int
    author: int | None = None
    meta: bool = False


@dataclass(frozen=True)
class PolisExport:
    """One conversation: its votes in time order, its comments and Pol.is's own groups."""

    directory: Path
    source: str  # the file the votes came from
    votes: tuple[tuple[int, int, int], ...]  # (participant, comment, vote), oldest first
    comments: dict[int, PolisComment]
    statement_ids: tuple[int, ...]
    moderated_out: frozenset[int]
    polis_groups: dict[int, int] = field(default_factory=dict)  # participant -> Pol.is group
    meta: frozenset[int] = frozenset()  # comments marked is-meta

    @property
    def name(self) -> str:
        return self.directory.name

    def matrix(self) -> VoteMatrix:
        return build_matrix(
            self.votes,
            statements=self.statement_ids,
            moderated_out=self.moderated_out,
            meta=self.meta,
        )


def read_export(directory: Path | str) -> PolisExport:
    """Read an export directory: votes from ``votes.csv`` when present (else from
    ``participants-votes.csv``), comment texts and moderation from ``comments.csv`` when
    present, Pol.is's groups from ``participants-votes.csv`` when present."""
    folder = Path(directory)
    if not folder.is_dir():
        raise PolisDataError("is not a directory", file=str(folder))
    comments = _read_comments(folder / "comments.csv") if (folder / "comments.csv").exists() else {}
    table = folder / "participants-votes.csv"
    groups: dict[int, int] = {}
    table_votes: list[tuple[int, int, int]] = []
    if table.exists():
        table_votes, groups = _read_participants_votes(table)
    if (folder / "votes.csv").exists():
        source = "votes.csv"
        votes = _read_votes(folder / "votes.csv", comments)
    elif table.exists():
        source = "participants-votes.csv"
        votes = table_votes
        _check_known(votes, comments, table)
    else:
        raise PolisDataError("holds neither votes.csv nor participants-votes.csv", file=str(folder))
    statement_ids = sorted(set(comments) | {comment for _, comment, _ in votes})
    return PolisExport(
        directory=folder,
        source=source,
        votes=tuple(votes),
        comments=comments,
        statement_ids=tuple(statement_ids),
        moderated_out=frozenset(c.id for c in comments.values() if c.moderated == MODERATED_OUT),
        polis_groups=groups,
        meta=frozenset(c.id for c in comments.values() if c.meta),
    )


def compare_with_polis(
    groups: Mapping[Hashable, int], export: PolisExport
) -> dict[str, Any] | None:
    """How far ``groups`` (participant -> group) agree with Pol.is's own groups: the adjusted
    Rand index over the participants both place in a group (1 = the same partition, ~0 = no
    better than chance). ``None`` when the export carries no Pol.is groups."""
    if not export.polis_groups:
        return None
    both = [p for p in groups if p in export.polis_groups]
    if not both:
        return {"adjusted_rand_index": None, "participants": 0}
    ours = [groups[p] for p in both]
    theirs = [export.polis_groups[p] for p in both]
    return {
        "adjusted_rand_index": float(adjusted_rand_score(theirs, ours)),
        "participants": len(both),
        "polis_group_count": len(set(export.polis_groups.values())),
    }


def _read_comments(path: Path) -> dict[int, PolisComment]:
    comments: dict[int, PolisComment] = {}
    header, records = _records(path, COMMENT_COLUMNS)
    has_author = "author-id" in header
    has_meta = "is-meta" in header
    for line, row in records:
        comment = _int(row[header["comment-id"]], "comment-id", path, line)
        if comment in comments:
            raise PolisDataError(f"comment {comment} appears twice", file=path.name, line=line)
        moderated = _int(row[header["moderated"]], "moderated", path, line)
        if moderated not in (-1, 0, 1):
            raise PolisDataError(
                f"moderated is {moderated}, not -1, 0 or 1", file=path.name, line=line
            )
        author_text = row[header["author-id"]] if has_author else ""
        author = _int(author_text, "author-id", path, line) if author_text else None
        meta = _flag(row[header["is-meta"]], "is-meta", path, line) if has_meta else False
        comments[comment] = PolisComment(
            comment, row[header["comment-body"]], moderated, author, meta
        )
    return comments


def _read_votes(path: Path, comments: dict[int, PolisComment]) -> list[tuple[int, int, int]]:
    header, records = _records(path, VOTE_COLUMNS)
    stamped: list[tuple[int, int, int, int]] = []
    for line, row in records:
        timestamp = _int(row[header["timestamp"]], "timestamp", path, line)
        comment = _int(row[header["comment-id"]], "comment-id", path, line)
        voter = _int(row[header["voter-id"]], "voter-id", path, line)
        vote = _vote(row[header["vote"]], path, line)
        if comments and comment not in comments:
            raise PolisDataError(
                f"vote on comment {comment}, which is not in comments.csv",
                file=path.name,
                line=line,
            )
        stamped.append((timestamp, voter, comment, vote))
    # The export is not in time order. Sorting on the whole record, not the timestamp alone,
    # makes the order canonical: equal timestamps (the same voter's two votes on a comment in
    # one millisecond) are settled by the votes themselves, never by where they sit in the file,
    # so "latest" is well defined for the engine (which takes the last vote on a cell).
    stamped.sort()
    return [(voter, comment, vote) for _, voter, comment, vote in stamped]


def _read_participants_votes(path: Path) -> tuple[list[tuple[int, int, int]], dict[int, int]]:
    header, records = _records(path, PARTICIPANT_COLUMNS)
    skip = set(PARTICIPANT_COLUMNS) | set(PARTICIPANT_EXTRA_COLUMNS)
    comment_columns: list[tuple[int, int]] = []
    for name, position in header.items():
        if name in skip:
            continue
        try:
            comment_columns.append((position, int(name)))
        except ValueError:
            raise PolisDataError(
                f"column {name!r} is neither a known column nor a comment id",
                file=path.name,
                line=1,
            ) from None
    votes: list[tuple[int, int, int]] = []
    groups: dict[int, int] = {}
    seen: set[int] = set()
    for line, row in records:
        participant = _int(row[header["participant"]], "participant", path, line)
        if participant in seen:
            raise PolisDataError(
                f"participant {participant} appears twice", file=path.name, line=line
            )
        seen.add(participant)
        group_text = row[header["group-id"]]
        if group_text:
            groups[participant] = _int(group_text, "group-id", path, line)
        for position, comment in comment_columns:
            cell = row[position]
            if cell:
                votes.append((participant, comment, _vote(cell, path, line)))
    return votes, groups


def _check_known(
    votes: list[tuple[int, int, int]], comments: dict[int, PolisComment], path: Path
) -> None:
    unknown = sorted({c for _, c, _ in votes} - set(comments)) if comments else []
    if unknown:
        raise PolisDataError(
            f"has votes on comment {unknown[0]}, which is not in comments.csv",
            file=path.name,
            line=1,
        )


def _records(
    path: Path, required: tuple[str, ...]
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    """The header (column name -> position) and an iterator of (first line, fields) that
    raises :class:`PolisDataError` on any damage: undecodable bytes, broken quoting, a row
    with the wrong number of fields."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PolisDataError(f"cannot be read ({error.strerror})", file=path.name) from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from a spreadsheet is harmless
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PolisDataError(
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be decoded)",
            file=path.name,
            line=line,
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        names = next(reader)
    except StopIteration:
        raise PolisDataError("is empty (no header row)", file=path.name, line=1) from None
    except csv.Error as error:
        raise PolisDataError(f"is not valid CSV ({error})", file=path.name, line=1) from None
    header = {name.strip(): position for position, name in enumerate(names)}
    missing = [name for name in required if name not in header]
    if missing:
        raise PolisDataError(
            f"lacks the column(s) {', '.join(missing)} (found: {', '.join(header) or 'none'})",
            file=path.name,
            line=1,
        )
    if len(header) != len(names):
        raise PolisDataError("has a repeated column name", file=path.name, line=1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise PolisDataError(
                    f"is not valid CSV ({error})", file=path.name, line=reader.line_num
                ) from None
            first_line = previous + 1
            previous = reader.line_num
            if not row:
                continue  # a blank line
            if len(row) != len(names):
                raise PolisDataError(
                    f"has {len(row)} fields where the header has {len(names)} "
                    "(a truncated or damaged row)",
                    file=path.name,
                    line=first_line,
                )
            yield first_line, row

    return header, rows()


def _int(text: str, column: str, path: Path, line: int) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise PolisDataError(
            f"{column} {text!r} is not an integer", file=path.name, line=line
        ) from None


TRUE = frozenset({"true", "t", "1"})
FALSE = frozenset({"false", "f", "0", ""})


def _flag(text: str, column: str, path: Path, line: int) -> bool:
    value = text.strip().lower()
    if value in TRUE or value in FALSE:
        return value in TRUE
    raise PolisDataError(f"{column} {text!r} is neither true nor false", file=path.name, line=line)


def _vote(text: str, path: Path, line: int) -> int:
    vote = _int(text, "vote", path, line)
    if vote not in (-1, 0, 1):
        raise PolisDataError(
            f"vote {vote} is not -1 (disagree), 0 (pass) or 1 (agree)", file=path.name, line=line
        )
    return vote
