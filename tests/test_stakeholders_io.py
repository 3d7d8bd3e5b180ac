"""Import and export of the stakeholder map (CSV and XLSX): the validation
report, all-or-nothing writes, protection of actors at risk, and formula
injection."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from partnerships.models import AuditEntry, Partnership
from partnerships.protection import pseudonym
from partnerships.services import ServiceError
from stakeholders import services
from stakeholders.models import Actor, Relation, Segment
from tests.conftest import World


class Contains:
    """Equal to any text holding ``part``."""

    def __init__(self, part: str) -> None:
        self.part = part

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.part in other

    def __repr__(self) -> str:
        return f"Contains({self.part!r})"


FORMULA = '=HYPERLINK("http://x","y")'
ACTOR_HEADER = "name,kind,partner_type,area_code,locality_name,segments,tags,description,contact_email,contact_phone"


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(
    world: World,
    data: bytes,
    *,
    name: str = "map.csv",
    what: str = "actors",
    valid_only: bool = False,
    persona: str = "facilitator",
    partnership: Partnership | None = None,
) -> Any:
    slug = (partnership or world.own).slug
    body: dict[str, Any] = {"what": what, "file": SimpleUploadedFile(name, data)}
    if valid_only:
        body["valid_only"] = "on"
    return world.client_for(persona).post(reverse("stakeholders:import", args=[slug]), body)


def _problems(response: Any) -> list[tuple[Any, str, str]]:
    """The report as (row, column, problem), read back from the page context."""
    return [(p.row, p.column, p.message) for p in response.context["problems"]]


def _counts(world: World) -> tuple[int, int, int]:
    return (
        Actor.objects.filter(partnership=world.own).count(),
        Relation.objects.filter(partnership=world.own).count(),
        AuditEntry.objects.filter(partnership=world.own).count(),
    )


def _actors(world: World, *names: str, partnership: Partnership | None = None) -> list[Actor]:
    p = partnership or world.own
    by = world.facilitator if p == world.own else world.foreign_facilitator
    return [services.create_actor(by=by, partnership=p, name=n) for n in names]


def _export(client: Client, slug: str, what: str, fmt: str) -> Any:
    return client.get(reverse(f"stakeholders:export_{what}", args=[slug, fmt]))


def _csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _exported(
    world: World, persona: str, what: str = "actors", fmt: str = "csv"
) -> list[dict[str, Any]]:
    response = _export(world.client_for(persona), world.own.slug, what, fmt)
    return _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)


# --- Importing ------------------------------------------------------------------------


def test_it_shows_the_import_form_to_those_who_may_import(world: World) -> None:
    for persona in ("facilitator", "company_rep"):
        response = world.client_for(persona).get(
            reverse("stakeholders:import", args=[world.own.slug])
        )
        assert response.status_code == 200
        assert b'enctype="multipart/form-data"' in response.content


def test_it_refuses_import_to_participants_observers_and_outsiders(world: World) -> None:
    data = _csv("name", "Someone")
    assert _post(world, data, persona="participant").status_code == 403
    assert _post(world, data, persona="observer").status_code == 403
    assert _post(world, data, persona="outsider").status_code == 404
    assert _post(world, data, persona="facilitator", partnership=world.foreign).status_code == 404
    assert _post(world, data, persona="anonymous").status_code == 302
    assert not Actor.objects.exists()


def test_it_imports_valid_actors_from_csv(world: World) -> None:
    before = _counts(world)
    data = _csv(
        ACTOR_HEADER,
        "Women's cooperative,group,community,00101,Cerro Azulejo,women; youth,coffee;water,Grows coffee,coop@example.test,+57 300",
        "Coffee mill,,company,,,,,,,",
        "Ana Example,individual,,,,,,,,",
    )
    response = _post(world, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("stakeholders:map", args=[world.own.slug])
    coop = Actor.objects.get(partnership=world.own, name="Women's cooperative")
    assert (coop.kind, coop.partner_type, coop.area_code) == ("group", "community", "00101")
    assert sorted(s.code for s in coop.segments.all()) == ["women", "youth"]
    assert coop.tags == ["coffee", "water"]
    assert (coop.contact_email, coop.contact_phone) == ("coop@example.test", "+57 300")
    assert Actor.objects.get(name="Coffee mill").kind == "organisation"
    after = _counts(world)
    assert after[0] - before[0] == 3
    # Each row went through the audited service.
    assert after[2] - before[2] == 3
    assert (
        AuditEntry.objects.filter(
            partnership=world.own, kind="actor", actor=world.facilitator
        ).count()
        == 3
    )


def test_it_imports_valid_actors_from_xlsx(world: World) -> None:
    data = _xlsx([
        ["Name", "Kind", "Segments", "Contact email"],
        ["Water board", "organisation", "rural_producers", "board@example.test"],
        [None, None, None, None],
        ["Youth collective", "group", "youth", None],
    ])  # fmt: skip
    before = _counts(world)
    assert _post(world, data, name="MAP.XLSX").status_code == 302
    names = set(Actor.objects.filter(partnership=world.own).values_list("name", flat=True))
    assert names == {"Water board", "Youth collective"}
    assert Actor.objects.get(name="Youth collective").segments.get().code == "youth"
    assert Actor.objects.get(name="Water board").contact_email == "board@example.test"
    assert _counts(world)[2] - before[2] == 2


def test_it_reports_xlsx_problems_by_spreadsheet_row_and_header(world: World) -> None:
    data = _xlsx([
        ["Name", "Kind", "Segments"],
        ["Water board", "organisation", "rural_producers"],
        [None, None, None],
        ["Lone farmer", "individual", 3],  # a number where a code belongs
    ])  # fmt: skip
    response = _post(world, data, name="map.xlsx")
    assert response.status_code == 200
    assert _problems(response) == [(4, "Segments", Contains("Unknown segment “3”"))]
    assert not Actor.objects.exists()


def test_it_reads_spanish_headers_semicolons_and_windows_encoding(world: World) -> None:
    data = "Nombre;Tipo;Segmentos;Descripción\r\nAsociación Campesina;Organización;women,youth;Café\r\n"
    assert _post(world, data.encode("cp1252")).status_code == 302
    actor = Actor.objects.get(partnership=world.own)
    assert (actor.name, actor.kind, actor.description) == (
        "Asociación Campesina",
        "organisation",
        "Café",
    )
    assert actor.segments.count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_imports_relations(world: World, fmt: str) -> None:
    _actors(world, "Coffee mill", "Women's cooperative", "Water board")
    rows = [
        ["source", "target", "relation_type", "directed", "strength", "note"],
        ["Coffee mill", "women's cooperative", "funds", "", "4", "Pays for training"],
        ["Water board", "Coffee mill", "works with", "false", "", ""],
    ]
    data = _xlsx(rows) if fmt == "xlsx" else _csv(*(",".join(r) for r in rows))
    before = _counts(world)
    assert _post(world, data, name=f"r.{fmt}", what="relations").status_code == 302
    funds = Relation.objects.get(relation_type="funds")
    assert (funds.source.name, funds.target.name, funds.strength, funds.directed) == (
        "Coffee mill",
        "Women's cooperative",
        4,
        True,
    )
    works = Relation.objects.get(relation_type="works_with")
    assert (works.directed, works.strength) == (False, 3)
    assert _counts(world)[2] - before[2] == 2


def test_it_reports_wrong_headers_once_and_nothing_else(world: World) -> None:
    data = _csv("nom,kind,segments", "A,nonsense,nowhere", "B,other,elsewhere", "C,x,y")
    response = _post(world, data)
    problems = _problems(response)
    assert len(problems) == 1
    assert problems[0][0] == 1 and "name" in problems[0][2]
    # An actors file sent as relations: its headers are wrong for relations.
    problems = _problems(_post(world, _csv("name", "A", "B"), what="relations"))
    assert len(problems) == 1 and "source, target, relation_type" in problems[0][2]
    assert not Actor.objects.exists()


def test_it_reports_unknown_segments_including_another_partnerships(world: World) -> None:
    services.add_segment(by=world.foreign_facilitator, partnership=world.foreign, name="Fishers")
    assert Segment.objects.filter(partnership=world.foreign, code="fishers").exists()
    data = _csv("name,segments", "A,women;fishers", "B,unknown_group", "C,youth")
    assert _problems(_post(world, data)) == [
        (2, "segments", Contains("Unknown segment “fishers”")),
        (3, "segments", Contains("Unknown segment “unknown_group”")),
    ]
    assert not Actor.objects.exists()


def test_it_reports_unknown_kinds_and_partner_types(world: World) -> None:
    data = _csv("name,kind,partner_type", "A,robot,", "B,group,mafia", "C,individual,company")
    problems = _problems(_post(world, data))
    assert [(row, column) for row, column, _m in problems] == [(2, "kind"), (3, "partner_type")]
    assert "“robot”" in problems[0][2] and "organisation" in problems[0][2]
    assert "“mafia”" in problems[1][2]


def test_it_reports_duplicate_actors_in_the_file_and_on_the_map(world: World) -> None:
    _actors(world, "Coffee mill")
    data = _csv(
        "name,kind", "Water board,", "water board,organisation", "Water board,group", "coffee MILL,"
    )
    problems = _problems(_post(world, data))
    assert problems == [
        (3, "name", "This actor appears twice in the file (first on row 2)."),
        (5, "name", "This actor is already on the map."),
    ]


def test_it_reports_bad_emails(world: World) -> None:
    data = _csv("name,contact_email", "A,not-an-email", "B,b@example.test")
    assert _problems(_post(world, data)) == [
        (2, "contact_email", "“not-an-email” is not a valid email address.")
    ]


def test_it_reports_unknown_relation_types(world: World) -> None:
    _actors(world, "A", "B")
    data = _csv("source,target,relation_type", "A,B,loves", "A,B,")
    problems = _problems(_post(world, data, what="relations"))
    assert [(r, c) for r, c, _m in problems] == [(2, "relation_type"), (3, "relation_type")]
    assert "member_of" in problems[0][2]


def test_it_reports_self_relations(world: World) -> None:
    _actors(world, "A", "B")
    data = _csv("source,target,relation_type", "A,a,works_with", "A,B,works_with")
    assert _problems(_post(world, data, what="relations")) == [
        (2, "target", "An actor cannot be related to itself.")
    ]
    assert not Relation.objects.exists()


def test_it_reports_relations_to_actors_not_on_this_map(world: World) -> None:
    _actors(world, "A")
    _actors(world, "Foreign actor", partnership=world.foreign)
    data = _csv("source,target,relation_type", "A,Foreign actor,funds", "Nobody,A,funds")
    assert _problems(_post(world, data, what="relations")) == [
        (2, "target", "“Foreign actor” is not on this map."),
        (3, "source", "“Nobody” is not on this map."),
    ]


def test_it_knows_a_protected_actor_only_by_its_pseudonym_without_clearance(world: World) -> None:
    leader, _coop = _actors(world, "Lideresa Secreta", "Cooperative")
    services.flag_at_risk(by=world.facilitator, actor=leader, reason="Receives threats")
    by_name = _csv("source,target,relation_type", "Lideresa Secreta,Cooperative,member_of")
    response = _post(world, by_name, what="relations", persona="company_rep")
    # The same answer as for a name that is nowhere: nothing confirms the real name.
    assert _problems(response) == [(2, "source", "“Lideresa Secreta” is not on this map.")]
    alias = pseudonym(leader.public_id)
    by_alias = _csv("source,target,relation_type", f"{alias},Cooperative,member_of")
    assert _post(world, by_alias, what="relations", persona="company_rep").status_code == 302
    assert Relation.objects.get(partnership=world.own).source == leader


def test_it_reports_a_file_without_rows(world: World) -> None:
    assert _problems(_post(world, _csv("name,kind"))) == [
        (1, "", "The file has no rows to import.")
    ]
    xlsx = _problems(_post(world, _xlsx([[None], [None]]), name="e.xlsx"))
    assert xlsx == [(None, "", "The file is empty.")]


def test_it_reports_bad_strength_and_direction(world: World) -> None:
    _actors(world, "A", "B", "C")
    data = _csv(
        "source,target,relation_type,strength,directed",
        "A,B,funds,0,",
        "A,B,works_with,6,",
        "A,B,supplies,2.5,",
        "A,B,represents,strong,",
        "A,C,funds,5,maybe",
        "B,C,funds,5.0,no",
    )
    problems = _problems(_post(world, data, what="relations"))
    assert [(r, c) for r, c, _m in problems] == [
        (2, "strength"),
        (3, "strength"),
        (4, "strength"),
        (5, "strength"),
        (6, "directed"),
    ]


def test_it_reports_duplicate_relations(world: World) -> None:
    a, b = _actors(world, "A", "B")
    services.relate(
        by=world.facilitator, partnership=world.own, source=a, target=b, relation_type="funds"
    )
    data = _csv("source,target,relation_type", "A,B,funds", "B,A,funds", "B,A,funds")
    problems = _problems(_post(world, data, what="relations"))
    assert [(r, m) for r, _c, m in problems] == [
        (2, "This relation is already on the map."),
        (4, "This relation appears twice in the file (first on row 3)."),
    ]


def test_it_imports_nothing_while_errors_remain(world: World) -> None:
    _actors(world, "A", "B")
    before = _counts(world)
    response = _post(
        world, _csv("name,kind", "Good one,", "Bad one,robot", "Another good one,group")
    )
    assert response.status_code == 200
    assert b"Nothing was imported" in response.content
    assert _counts(world) == before
    relations = _csv("source,target,relation_type", "A,B,funds", "A,A,funds")
    assert _post(world, relations, what="relations").status_code == 200
    assert _counts(world) == before


def test_it_imports_only_the_valid_rows_when_asked(world: World) -> None:
    before = _counts(world)
    data = _csv("name,kind", "Good one,", "Bad one,robot", "Another good one,group", "Good one,")
    response = _post(world, data, valid_only=True)
    assert response.status_code == 302
    names = set(Actor.objects.filter(partnership=world.own).values_list("name", flat=True))
    assert names == {"Good one", "Another good one"}
    assert _counts(world)[2] - before[2] == 2
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["2 actors imported. 2 rows with problems were left out."]


def test_it_writes_nothing_when_a_row_fails_while_writing(world: World, monkeypatch: Any) -> None:
    real = services.create_actor
    calls: list[str] = []

    def flaky(**kwargs: Any) -> Actor:
        calls.append(kwargs["name"])
        if len(calls) == 3:
            raise ServiceError("Refused for the test.", field="name")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_actor", flaky)
    before = _counts(world)
    response = _post(world, _csv("name", "One", "Two", "Three", "Four"))
    assert response.status_code == 200
    assert _problems(response)[0] == (4, "name", "Refused for the test.")
    assert _counts(world) == before


def test_it_rejects_files_over_the_size_limit(world: World, settings: Any) -> None:
    settings.HSBP_MAX_IMPORT_BYTES = 100
    response = _post(world, _csv("name", *(f"Actor number {i}" for i in range(20))))
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not Actor.objects.exists()
    del settings.HSBP_MAX_IMPORT_BYTES
    big = _csv("name", "x" * (2 * 1024 * 1024))
    assert "too large" in _post(world, big).content.decode()
    assert not Actor.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("actors.txt", b"name\nA\n", "Choose a .csv or .xlsx file."),
        ("actors", b"name\nA\n", "Choose a .csv or .xlsx file."),
        ("actors.xlsx", b"name\nA\n", "could not be read"),
        ("actors.xlsx", b"PK\x03\x04 broken zip", "could not be read"),
        ("actors.csv", b"\x00\x01\x02binary", "could not be read"),
        ("actors.csv", b"", "empty"),
    ],
)
def test_it_rejects_wrong_extensions_and_unreadable_files(
    world: World, name: str, data: bytes, message: str
) -> None:
    response = _post(world, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Actor.objects.exists()


def test_it_stores_imported_formulas_as_plain_text(world: World) -> None:
    csv_data = "name,description\n" + f'"{FORMULA.replace(chr(34), chr(34) * 2)}",@SUM(A1)\n'
    assert _post(world, csv_data.encode()).status_code == 302
    xlsx_data = _xlsx([["name", "description"], ["=1+1", '=HYPERLINK("http://z","w")']])
    assert _post(world, xlsx_data, name="f.xlsx").status_code == 302
    assert Actor.objects.get(name=FORMULA).description == "@SUM(A1)"
    assert Actor.objects.get(name="=1+1").description == '=HYPERLINK("http://z","w")'
    # …and neutralised when exported again.
    names = {row["name"] for row in _exported(world, "facilitator")}
    assert names == {"'" + FORMULA, "'=1+1"}
    cells = {row["description"] for row in _exported(world, "facilitator", fmt="xlsx")}
    assert cells == {"'@SUM(A1)", '\'=HYPERLINK("http://z","w")'}


# --- Exporting ------------------------------------------------------------------------


@pytest.fixture
def mapped(world: World) -> dict[str, Actor]:
    women = Segment.objects.get(partnership=world.own, code="women")
    coop = services.create_actor(
        by=world.facilitator, partnership=world.own, name="Women's cooperative", kind="group",
        segments=[women], contact_email="coop@example.test", contact_phone="+57 300 000",
        tags=["coffee"],
    )  # fmt: skip
    leader = services.create_actor(
        by=world.facilitator, partnership=world.own, name="Lideresa Secreta", kind="individual",
        locality_name="Vereda Secreta", description="Leads the land claim", segments=[women],
        contact_phone="+57 311 111",
    )  # fmt: skip
    services.relate(
        by=world.facilitator, partnership=world.own, source=leader, target=coop,
        relation_type="member_of", note="Lideresa Secreta chairs it",
    )  # fmt: skip
    services.flag_at_risk(by=world.facilitator, actor=leader, reason="Receives threats")
    _actors(world, "Foreign mill", partnership=world.foreign)
    return {"coop": coop, "leader": leader}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_no_contact_columns_to_observers(
    world: World, mapped: dict[str, Actor], fmt: str
) -> None:
    rows = _exported(world, "observer", fmt=fmt)
    assert len(rows) == 2
    assert not {"contact_email", "contact_phone", "contact_notes", "at_risk"} & set(rows[0])
    # Participants do not export at all (the permission table says so).
    assert (
        _export(world.client_for("participant"), world.own.slug, "actors", fmt).status_code == 403
    )


def test_it_records_every_export_in_the_audit_trail(world: World, mapped: dict[str, Actor]) -> None:
    assert _export(world.client_for("observer"), world.own.slug, "actors", "csv").status_code == 200
    entry = AuditEntry.objects.get(partnership=world.own, kind="map_export")
    assert entry.action == "export" and entry.object_label == f"{world.own.slug}-actors.csv"
    assert entry.changes == {"rows": [None, 2]}
    # The record page lists it, under its own kind, for those who may export.
    record = world.client_for("facilitator").get(f"/p/{world.own.slug}/record/?kind=map_export")
    assert f"{world.own.slug}-actors.csv" in record.content.decode()
    hidden = world.client_for("participant").get(f"/p/{world.own.slug}/record/")
    assert f"{world.own.slug}-actors.csv" not in hidden.content.decode()


def test_it_exports_contacts_to_those_who_may_see_them(
    world: World, mapped: dict[str, Actor]
) -> None:
    rep = {r["name"]: r for r in _exported(world, "company_rep")}
    assert rep["Women's cooperative"]["contact_email"] == "coop@example.test"
    assert rep["Women's cooperative"]["contact_phone"] == "'+57 300 000"
    assert "at_risk" not in rep["Women's cooperative"]
    fac = {r["name"]: r for r in _exported(world, "facilitator")}
    assert fac["Lideresa Secreta"]["at_risk"] == "true"
    assert fac["Women's cooperative"]["at_risk"] == "false"
    assert fac["Women's cooperative"]["segments"] == "women"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("persona", ["observer", "company_rep"])
def test_it_exports_an_actor_at_risk_only_under_its_pseudonym(
    world: World, mapped: dict[str, Actor], persona: str, fmt: str
) -> None:
    alias = pseudonym(mapped["leader"].public_id)
    response = _export(world.client_for(persona), world.own.slug, "actors", fmt)
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    assert [r["name"] for r in rows] == ["Women's cooperative", alias]
    hidden = rows[1]
    assert not hidden["locality_name"] and not hidden["description"] and not hidden["tags"]
    assert not hidden.get("contact_phone")
    relations = _exported(world, persona, "relations", fmt)
    assert [(r["source"], r["target"], r["note"]) for r in relations] == [
        (alias, "Women's cooperative", None if fmt == "xlsx" else "")
    ]
    for what in ("actors", "relations"):
        body = _export(world.client_for(persona), world.own.slug, what, "csv").content.decode()
        assert "Secreta" not in body


def test_it_exports_an_actor_at_risk_by_name_to_the_facilitator(
    world: World, mapped: dict[str, Actor]
) -> None:
    rows = {r["name"]: r for r in _exported(world, "facilitator", fmt="xlsx")}
    assert rows["Lideresa Secreta"]["locality_name"] == "Vereda Secreta"
    assert rows["Lideresa Secreta"]["contact_phone"] == "'+57 311 111"
    relations = _exported(world, "facilitator", "relations")
    assert relations == [
        {
            "source": "Lideresa Secreta",
            "target": "Women's cooperative",
            "relation_type": "member_of",
            "directed": "true",
            "strength": "3",
            "note": "Lideresa Secreta chairs it",
        }
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_neutralises_formulas_in_exports(world: World, fmt: str) -> None:
    dangerous = [FORMULA, "+1+1", "-1+1", "@SUM(A1)", "\tTab", "\rReturn"]
    for i, text in enumerate(dangerous):
        services.create_actor(
            by=world.facilitator, partnership=world.own, name=f"Actor {i}", description=text
        )
    response = _export(world.client_for("facilitator"), world.own.slug, "actors", fmt)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    descriptions = sorted(r["description"] for r in rows)
    # The service strips surrounding whitespace, so tab and return no longer lead.
    assert descriptions == sorted(
        "'" + t if t.startswith(("=", "+", "-", "@")) else t.strip() for t in dangerous
    )


def test_it_neutralises_tab_and_return_at_the_start_of_a_cell(world: World) -> None:
    from stakeholders.io_export import neutralise, write_csv

    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("plain") == "plain" and neutralise(3) == 3
    assert write_csv((["a"], [["=1"], ["-2"]])).decode("utf-8-sig").split() == ["a", "'=1", "'-2"]


def test_it_never_exports_a_foreign_partnerships_actors(
    world: World, mapped: dict[str, Actor]
) -> None:
    for persona in ("facilitator", "observer"):
        for what in ("actors", "relations"):
            for fmt in ("csv", "xlsx"):
                content = _export(world.client_for(persona), world.own.slug, what, fmt).content
                assert b"Foreign mill" not in content
    foreign = _export(world.client_for("foreign_facilitator"), world.own.slug, "actors", "csv")
    assert foreign.status_code == 404
    assert _export(world.client_for("outsider"), world.own.slug, "actors", "csv").status_code == 404


def test_it_answers_unknown_formats_with_404(world: World) -> None:
    assert (
        _export(world.client_for("facilitator"), world.own.slug, "actors", "pdf").status_code == 404
    )


def test_it_exports_without_a_query_per_actor(world: World) -> None:
    women = Segment.objects.get(partnership=world.own, code="women")

    def queries() -> int:
        client = world.client_for("facilitator")
        _export(client, world.own.slug, "actors", "csv")  # the session is warm
        with CaptureQueriesContext(connection) as captured:
            assert _export(client, world.own.slug, "actors", "csv").status_code == 200
            assert _export(client, world.own.slug, "relations", "csv").status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for i in range(n):
            a = services.create_actor(
                by=world.facilitator, partnership=world.own, name=f"A{n}-{i}", partner=world.company,
                segments=[women],
            )  # fmt: skip
            b = services.create_actor(by=world.facilitator, partnership=world.own, name=f"B{n}-{i}")
            services.relate(by=world.facilitator, partnership=world.own, source=a, target=b,
                            relation_type="funds")  # fmt: skip

    add(2)
    few = queries()
    add(10)
    assert queries() == few


def test_it_round_trips_an_export_into_another_partnership(
    world: World, mapped: dict[str, Actor]
) -> None:
    actors = _export(world.client_for("facilitator"), world.own.slug, "actors", "xlsx").content
    response = _post(
        world, actors, name="a.xlsx", persona="foreign_facilitator", partnership=world.foreign
    )
    assert response.status_code == 302
    copied = Actor.objects.get(partnership=world.foreign, name="Women's cooperative")
    # The quote our export puts before "+57" is taken off again.
    assert (copied.contact_phone, copied.tags, copied.kind) == ("+57 300 000", ["coffee"], "group")
    relations = _export(world.client_for("facilitator"), world.own.slug, "relations", "csv").content
    response = _post(world, relations, what="relations", persona="foreign_facilitator",
                     partnership=world.foreign)  # fmt: skip
    assert response.status_code == 302
    assert (
        Relation.objects.filter(partnership=world.foreign, relation_type="member_of").count() == 1
    )
