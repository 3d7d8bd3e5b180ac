"""The engine on real Pol.is conversations, the open-data reader and the ``commonground`` command.

The six conversations are Pol.is open data (CC BY 4.0, The Computational Democracy Project;
attribution in LICENSE-DATA.txt beside them). They are read where they lie, never copied
into the repository; the tests that need them skip when they are absent.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from commonground.engine import VoteMatrix, analyse
from commonground.polis_data import PolisDataError, compare_with_polis, read_export

# Pure computation, no database: CI runs it once, on SQLite, not again on PostgreSQL.
pytestmark = pytest.mark.database_free

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"

#: The adjusted Rand index red-dwarf 0.4.0 reaches against Pol.is's own groups, over the
#: participants both place in groups (benchmarks/commonground_reddwarf.py; deterministic,
#: red-dwarf starts k-means from the first distinct points whatever the seed).
RED_DWARF = {
    "15-per-hour-seattle": 0.459448,
    "brexit-consensus": 0.635514,
    "london.youth.policing": 0.121849,
    "scoop-hivemind.freshwater": 0.131617,
    "scoop-hivemind.ubi": 0.094670,
    "vtaiwan.uberx": 0.825904,
}
#: Equal partitions can differ in the last digits of the index.
TOLERANCE = 1e-5

needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the Pol.is open-data conversations are not at {DATA}"
)


@needs_data
@pytest.mark.parametrize("name", sorted(RED_DWARF))
def test_it_matches_pol_is_groups_at_least_as_well_as_red_dwarf(name: str) -> None:
    export = read_export(DATA / name)
    analysis = analyse(export.matrix(), seed=0)
    comparison = compare_with_polis(analysis.groups, export)
    assert comparison is not None
    ari = comparison["adjusted_rand_index"]
    assert ari >= RED_DWARF[name] - TOLERANCE, f"{name}: {ari:.4f} < red-dwarf's {RED_DWARF[name]}"
    if name == "vtaiwan.uberx":
        assert ari >= 0.8
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


@needs_data
def test_it_reads_the_same_votes_from_votes_csv_and_participants_votes_csv(tmp_path: Path) -> None:
    source = DATA / "brexit-consensus"
    table_only = tmp_path / "table-only"
    table_only.mkdir()
    for name in ("comments.csv", "participants-votes.csv"):
        (table_only / name).write_bytes((source / name).read_bytes())
    full, table = read_export(source), read_export(table_only)
    assert full.source == "votes.csv" and table.source == "participants-votes.csv"
    # Rows come in a different order (first vote vs file order); the cells are the same.
    assert cells(full.matrix()) == cells(table.matrix())
    assert full.polis_groups == table.polis_groups and len(full.polis_groups) == 197


@needs_data
def test_it_zeroes_comments_pol_is_moderated_out() -> None:
    export = read_export(DATA / "vtaiwan.uberx")
    assert len(export.moderated_out) == 78
    assert all(export.comments[c].moderated == -1 for c in export.moderated_out)
    analysis = analyse(export.matrix())
    shown = {r.statement for items in analysis.representative.values() for r in items}
    shown |= {c.statement for c in analysis.consensus}
    assert not shown & export.moderated_out


# Malformed exports: one exception, naming the file and the line ------------------------------

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    '1,x,0,1,1,0,1,"First, with a comma"\n'
    "2,x,1,1,0,1,-1,Moderated out\n"
    "3,x,2,1,0,0,1,Third\n"
)
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


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
    call_command("commonground", str(small_export(tmp_path)), "--seed", "3", stdout=out)
    result = json.loads(out.getvalue())
    assert result["conversation"] == "export" and result["seed"] == 3
    assert result["group_count"] == 2 and result["reason"] == ""
    item = result["representative"]["0"][0]
    assert item["text"] in {"First, with a comma", "Third"}
    assert result["polis_comparison"] is None  # no participants-votes.csv here


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


@needs_data
def test_it_runs_on_a_real_export(tmp_path: Path) -> None:
    out = StringIO()
    call_command("commonground", str(DATA / "london.youth.policing"), stdout=out)
    result = json.loads(out.getvalue())
    assert result["source"] == "votes.csv"
    assert result["polis_comparison"]["participants"] == 24
    texts = [i["text"] for items in result["representative"].values() for i in items]
    assert texts and all(texts)
