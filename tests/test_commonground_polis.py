"""The engine on real Pol.is conversations, the open-data reader and the ``commonground`` command.

The three conversations under ``tests/data/polis`` are extracts of Pol.is open data (CC BY 4.0,
The Computational Democracy Project; attribution in ``tests/data/polis/LICENSE-DATA.txt``), so
these tests run in a clone with nothing beside it. The comparison on all six development
conversations, which are not copied into the repository, is ``tests/polis_conversations.py``,
run on demand (``docs/commonground.md``).
"""

from __future__ import annotations

import csv
import json
import shutil
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from commonground.engine import Analysis, VoteMatrix, analyse
from commonground.polis_data import PolisDataError, compare_with_polis, read_export

# Pure computation, no database: CI runs it once, on SQLite, not again on PostgreSQL.
pytestmark = pytest.mark.database_free

DATA = Path(__file__).resolve().parent / "data" / "polis"

#: The adjusted Rand index red-dwarf 0.4.0 reaches against Pol.is's own groups, over the
#: participants both place in groups (benchmarks/commonground_reddwarf.py; deterministic,
#: red-dwarf starts k-means from the first distinct points whatever the seed).
RED_DWARF = {
    "15-per-hour-seattle": 0.459448,
    "brexit-consensus": 0.635514,
    "london.youth.policing": 0.121849,
}
#: Equal partitions can differ in the last digits of the index.
TOLERANCE = 1e-5


def comparable(analysis: Analysis) -> dict[str, object]:
    """Everything the analysis says, but how long it took."""
    found = analysis.to_dict()
    found.pop("elapsed_ms")
    return found


@pytest.mark.parametrize("name", sorted(RED_DWARF))
def test_it_matches_pol_is_groups_at_least_as_well_as_red_dwarf(name: str) -> None:
    export = read_export(DATA / name)
    analysis = analyse(export.matrix(), seed=0)
    comparison = compare_with_polis(analysis.groups, export)
    assert comparison is not None
    ari = comparison["adjusted_rand_index"]
    assert ari >= RED_DWARF[name] - TOLERANCE, f"{name}: {ari:.4f} < red-dwarf's {RED_DWARF[name]}"
    if name == "brexit-consensus":
        assert ari >= 0.85
    # Both tools place nearly the same people: everyone with 7+ votes (Pol.is more, see docs).
    assert comparison["participants"] >= 0.7 * len(export.polis_groups)
    assert analysis.reason == "" and 2 <= analysis.group_count <= 5
    assert all(analysis.representative[g] for g in range(analysis.group_count))
    json.dumps(analysis.to_dict(), allow_nan=False)


def cells(matrix: VoteMatrix) -> dict[tuple[object, object], int]:
    rows, columns = matrix.entry_rows().tolist(), matrix.indices.tolist()
    return {
        (matrix.participants[r], matrix.statements[c]): v
        for r, c, v in zip(rows, columns, matrix.data.tolist(), strict=True)
    }


def copy_export(source: Path, target: Path, *files: str) -> Path:
    target.mkdir()
    for name in files:
        shutil.copy(source / name, target / name)
    return target


@pytest.mark.parametrize("name", sorted(RED_DWARF))
def test_it_reads_the_same_votes_and_groups_from_either_vote_file(
    tmp_path: Path, name: str
) -> None:
    """participants-votes.csv holds each voter's final vote per comment, votes.csv every vote
    cast: the latest vote of each cell is the same, so the groups are the same, label for
    label (ARI 1.0), though the rows come in another order."""
    table_only = copy_export(DATA / name, tmp_path / name, "comments.csv", "participants-votes.csv")
    full, table = read_export(DATA / name), read_export(table_only)
    assert full.source == "votes.csv" and table.source == "participants-votes.csv"
    assert full.matrix().participants != table.matrix().participants  # another order
    assert cells(full.matrix()) == cells(table.matrix())
    assert full.polis_groups == table.polis_groups
    assert comparable(analyse(full.matrix())) == comparable(analyse(table.matrix()))


def shuffle_rows(path: Path, seed: int, *, columns_from: int | None = None) -> None:
    """Shuffle the records of a CSV file (header first; quoted texts may span lines) and,
    from ``columns_from`` on, its columns too."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    rng = np.random.default_rng(seed)
    rng.shuffle(body)  # type: ignore[arg-type]
    order = list(range(len(header)))
    if columns_from is not None:
        order[columns_from:] = (columns_from + rng.permutation(len(header) - columns_from)).tolist()
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            [row[i] for i in order] for row in [header, *body]
        )


def test_it_gives_the_same_groups_whatever_the_order_of_the_rows(tmp_path: Path) -> None:
    """The engine puts participants and statements in canonical order (by id) and the reader
    puts votes in canonical order, so shuffling the files changes nothing, bit for bit."""
    source = DATA / "15-per-hour-seattle"  # re-votes and 23 moderated-out comments
    expected = comparable(analyse(read_export(source).matrix(), seed=0))
    for seed in range(3):
        folder = copy_export(source, tmp_path / f"votes-{seed}", "comments.csv", "votes.csv")
        shuffle_rows(folder / "votes.csv", seed)
        shuffle_rows(folder / "comments.csv", seed)
        assert comparable(analyse(read_export(folder).matrix(), seed=0)) == expected
    folder = copy_export(source, tmp_path / "table", "comments.csv", "participants-votes.csv")
    shuffle_rows(folder / "participants-votes.csv", 7, columns_from=6)
    assert comparable(analyse(read_export(folder).matrix(), seed=0)) == expected


def test_it_zeroes_comments_pol_is_moderated_out() -> None:
    export = read_export(DATA / "15-per-hour-seattle")
    assert len(export.moderated_out) == 23
    assert all(export.comments[c].moderated == -1 for c in export.moderated_out)
    analysis = analyse(export.matrix())
    shown = {r.statement for items in analysis.representative.values() for r in items}
    shown |= {c.statement for c in analysis.consensus} | {b.statement for b in analysis.bridging}
    assert not shown & export.moderated_out


#: The comments.csv of newer exports (bg2050-volunteers and later): no datetime, and is-meta.
NEWER_COMMENTS = (
    "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,"
    "group-informed-consensus,comment-body\n"
)


def test_it_never_ranks_a_comment_pol_is_marks_as_meta(tmp_path: Path) -> None:
    """A demographic comment everyone agrees with is consensus and bridging, until the export
    marks it is-meta: then its votes still place people, but it is never ranked."""
    comments = NEWER_COMMENTS + "".join(
        f"{c},{c},0,0,0,1,{'true' if c == 0 else 'false'},true,0.5,Comment {c}\n" for c in range(8)
    )
    rows = [VOTES_HEADER]
    for voter in range(40):
        for comment in range(8):
            vote = 1 if comment == 0 else (1 if (voter < 20) == (comment % 2 == 0) else -1)
            rows.append(f"{voter * 10 + comment},x,{comment},{voter},{vote}\n")
    folder = export_dir(tmp_path, "".join(rows), comments=comments)
    export = read_export(folder)
    assert export.meta == {0} and export.comments[0].meta and not export.comments[1].meta
    analysis = analyse(export.matrix())
    assert analysis.group_count == 2 and analysis.meta == (0,)
    ranked = {r.statement for items in analysis.representative.values() for r in items}
    ranked |= {c.statement for c in analysis.consensus} | {b.statement for b in analysis.bridging}
    assert 0 not in ranked and 0 not in analysis.group_aware_consensus
    assert analysis.per_group_counts[0]  # still counted, for the record
    unmarked = read_export(export_dir(tmp_path, "".join(rows), comments=COMMENTS_EIGHT))
    plain = analyse(unmarked.matrix())
    assert plain.groups == analysis.groups  # the meta comment's votes placed people alike
    assert 0 in {c.statement for c in plain.consensus} | {b.statement for b in plain.bridging}
    comments = comments.replace(",false,true,0.5,Comment 5", ",maybe,true,0.5,Comment 5")
    error = problem(export_dir(tmp_path, "".join(rows), comments=comments))
    assert (error.file, error.line) == ("comments.csv", 7) and "is-meta 'maybe'" in str(error)


# Malformed exports: one exception, naming the file and the line ------------------------------

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    '1,x,0,1,1,0,1,"First, with a comma"\n'
    "2,x,1,1,0,1,-1,Moderated out\n"
    "3,x,2,1,0,0,1,Third\n"
)
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"
COMMENTS_EIGHT = COMMENTS.splitlines(keepends=True)[0] + "".join(
    f"{c},x,{c},1,0,0,1,Comment {c}\n" for c in range(8)
)


def export_dir(tmp_path: Path, votes: str | bytes, comments: str = COMMENTS) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    (folder / "comments.csv").write_text(comments, encoding="utf-8")
    data = votes if isinstance(votes, bytes) else votes.encode("utf-8")
    (folder / "votes.csv").write_bytes(data)
    return folder


def problem(folder: Path) -> PolisDataError:
    with pytest.raises(PolisDataError) as caught:
        read_export(folder)
    return caught.value


def test_it_keeps_each_voters_latest_vote_by_timestamp(tmp_path: Path) -> None:
    votes = VOTES_HEADER + "20,x,0,7,1\n10,x,0,7,-1\n15,x,1,7,0\n"
    export = read_export(export_dir(tmp_path, votes))
    assert export.votes == ((7, 0, -1), (7, 1, 0), (7, 0, 1))  # sorted by timestamp
    np.testing.assert_array_equal(export.matrix().values, [[1, 0, np.nan]])
    assert export.moderated_out == {1}
    assert export.comments[0].text == "First, with a comma"


def test_it_settles_equal_timestamps_by_the_votes_not_the_file_order(tmp_path: Path) -> None:
    one_way = read_export(export_dir(tmp_path, VOTES_HEADER + "10,x,0,7,1\n10,x,0,7,-1\n"))
    other_way = read_export(export_dir(tmp_path, VOTES_HEADER + "10,x,0,7,-1\n10,x,0,7,1\n"))
    assert one_way.votes == other_way.votes == ((7, 0, -1), (7, 0, 1))


def test_it_names_the_line_of_a_vote_of_seven(tmp_path: Path) -> None:
    error = problem(export_dir(tmp_path, VOTES_HEADER + "1,x,0,1,1\n2,x,1,1,7\n"))
    assert (error.file, error.line) == ("votes.csv", 3)
    assert "line 3" in str(error) and "vote 7" in str(error) and "votes.csv" in str(error)


def test_it_names_the_line_of_an_id_that_is_not_an_integer(tmp_path: Path) -> None:
    error = problem(export_dir(tmp_path, VOTES_HEADER + "1,x,0,1,1\n2,x,0,abc,1\n"))
    assert error.line == 3 and "voter-id 'abc' is not an integer" in str(error)
    comments = COMMENTS + "4,x,three,1,0,0,1,Bad id\n"
    error = problem(export_dir(tmp_path, VOTES_HEADER, comments=comments))
    assert (error.file, error.line) == ("comments.csv", 5)


def test_it_names_the_line_of_a_truncated_row(tmp_path: Path) -> None:
    error = problem(export_dir(tmp_path, VOTES_HEADER + "1,x,0,1,1\n2,x,0\n"))
    assert error.line == 3 and "3 fields where the header has 5" in str(error)


def test_it_names_the_line_of_an_unclosed_quote(tmp_path: Path) -> None:
    error = problem(export_dir(tmp_path, VOTES_HEADER + '1,x,0,1,1\n2,"x,0,1,1\n'))
    assert error.file == "votes.csv" and error.line is not None and error.line >= 3


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    data = (VOTES_HEADER + "1,x,0,1,1\n").encode() + "2,é,0,2,1\n".encode("latin-1")
    error = problem(export_dir(tmp_path, data))
    assert error.line == 3 and "not UTF-8" in str(error)


def test_it_names_missing_columns(tmp_path: Path) -> None:
    error = problem(export_dir(tmp_path, "timestamp;comment-id;voter-id;vote\n1;0;1;1\n"))
    assert error.line == 1 and "comment-id" in str(error) and "votes.csv" in str(error)


def test_it_refuses_a_vote_on_a_comment_it_does_not_know(tmp_path: Path) -> None:
    error = problem(export_dir(tmp_path, VOTES_HEADER + "1,x,0,1,1\n2,x,9,1,1\n"))
    assert error.line == 3 and "comment 9" in str(error)


def test_it_refuses_an_empty_file_and_a_directory_without_votes(tmp_path: Path) -> None:
    assert problem(export_dir(tmp_path, "")).detail.startswith("is empty")
    (tmp_path / "export" / "votes.csv").unlink()
    assert "neither votes.csv nor participants-votes.csv" in str(problem(tmp_path / "export"))
    assert "is not a directory" in str(problem(tmp_path / "nowhere"))


def test_it_checks_participants_votes_csv(tmp_path: Path) -> None:
    folder = tmp_path / "table"
    folder.mkdir()
    header = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
    (folder / "participants-votes.csv").write_text(header + "1,0,0,2,1,1,1,-1\n2,,0,1,0,0,,0\n")
    export = read_export(folder)
    assert export.polis_groups == {1: 0}
    np.testing.assert_array_equal(export.matrix().values, [[1, -1], [np.nan, 0]])
    (folder / "participants-votes.csv").write_text(header + "1,0,0,2,1,1,1,2\n")
    error = problem(folder)
    assert (error.file, error.line) == ("participants-votes.csv", 2) and "vote 2" in str(error)
    (folder / "participants-votes.csv").write_text(
        header.replace(",1\n", ",x\n") + "1,0,0,0,0,0,,\n"
    )
    assert "'x'" in str(problem(folder))


# The command ----------------------------------------------------------------------------------


def small_export(tmp_path: Path) -> Path:
    rows = [VOTES_HEADER]
    for voter in range(40):
        for comment in (0, 2):
            vote = 1 if (voter < 20) == (comment == 0) else -1
            rows.append(f"{voter * 10 + comment},x,{comment},{voter},{vote}\n")
    return export_dir(tmp_path, "".join(rows))


def test_it_writes_groups_and_statements_as_json(tmp_path: Path) -> None:
    out = StringIO()
    call_command("commonground", str(small_export(tmp_path)), "--seed", "3", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["conversation"] == "export" and result["seed"] == 3
    assert result["group_count"] == 2 and result["reason"] == ""
    item = result["representative"]["0"][0]
    assert item["text"] in {"First, with a comma", "Third"}
    assert result["polis_comparison"] is None  # no participants-votes.csv here


def test_it_prints_a_summary_to_read_and_ranks_bridging_statements_in_the_json(
    tmp_path: Path,
) -> None:
    out = StringIO()
    target = tmp_path / "out.json"
    folder = DATA / "brexit-consensus"
    call_command("commonground", str(folder), "--output", str(target), stdout=out)
    text = out.getvalue()
    result = json.loads(target.read_text(encoding="utf-8"))
    sizes = result["group_sizes"]
    assert result["group_count"] == 2 and sum(sizes) == result["participants_in"]
    # Groups with their sizes, what sets each apart and the consensus, with their text.
    assert "brexit-consensus" in text and str(target) in text
    for index, size in enumerate(sizes):
        assert f"{chr(ord('A') + index)}: {size} " in text
    first = result["representative"]["0"][0]
    assert first["text"][:40] in text
    # Bridging statements, best first, numbered, with their text, in both.
    bridging = result["bridging"]
    assert bridging and [b["rank"] for b in bridging] == list(range(1, len(bridging) + 1))
    assert [b["score"] for b in bridging] == sorted((b["score"] for b in bridging), reverse=True)
    assert all(b["text"] and min(b["agree"]) > 0.5 for b in bridging)
    shown = text[text.index("\n  1. ") :]
    assert f"#{bridging[0]['statement']}" in shown.splitlines()[1]
    assert bridging[0]["text"][:40] in shown
    assert "ARI" not in text and "0.896" in text  # the agreement with Pol.is, in words


def test_it_never_ranks_statements_given_as_meta(tmp_path: Path) -> None:
    """london.youth.policing opens with demographic statements (0-14: age, gender, ethnicity),
    which its export does not mark is-meta; --meta says so."""
    out = StringIO()
    folder = DATA / "london.youth.policing"
    call_command("commonground", str(folder), "--json", stdout=out)
    plain = json.loads(out.getvalue())
    ranked = {c["statement"] for c in plain["consensus"]}
    ranked |= {i["statement"] for items in plain["representative"].values() for i in items}
    assert ranked & set(range(15))  # "I identify as female" sets a group apart, and so on
    out = StringIO()
    call_command("commonground", str(folder), "--json", "--meta", "0-9, 10-14", stdout=out)
    result = json.loads(out.getvalue())
    assert result["meta"] == list(range(15))
    ranked = {c["statement"] for c in result["consensus"]} | {
        b["statement"] for b in result["bridging"]
    }
    ranked |= {i["statement"] for items in result["representative"].values() for i in items}
    assert ranked and not ranked & set(range(15))
    with pytest.raises(CommandError, match="Statement 40, given to --meta"):
        call_command("commonground", str(folder), "--meta", "40")
    with pytest.raises(CommandError, match="as in 0-14,20; not 'x'"):
        call_command("commonground", str(folder), "--meta", "1,x")


def test_it_writes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    out = StringIO()
    call_command("commonground", str(small_export(tmp_path)), "--output", str(target), stdout=out)
    assert json.loads(target.read_text(encoding="utf-8"))["group_count"] == 2
    assert str(target) in out.getvalue()


def test_it_reports_a_bad_export_as_a_command_error(tmp_path: Path) -> None:
    folder = export_dir(tmp_path, VOTES_HEADER + "1,x,0,1,1\n2,x,0,1,7\n")
    with pytest.raises(CommandError, match=r"votes\.csv, line 3: vote 7"):
        call_command("commonground", str(folder))
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("commonground", str(tmp_path / "nowhere"))


def test_it_runs_on_a_real_export() -> None:
    out = StringIO()
    call_command("commonground", str(DATA / "london.youth.policing"), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["source"] == "votes.csv"
    assert result["polis_comparison"]["participants"] == 24
    texts = [i["text"] for items in result["representative"].values() for i in items]
    assert texts and all(texts)
