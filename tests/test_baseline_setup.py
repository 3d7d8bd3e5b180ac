"""Baseline set-up: default dimensions, age bands, gender options, and
localities imported from DANE's DIVIPOLA list and TopoJSON/GeoJSON boundaries."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baseline import services
from baseline.localities import TopoJSON, import_localities, read_boundaries, read_divipola
from baseline.models import AgeBand, Dimension, GenderOption, Locality, LocalityKind
from partnerships.models import AuditEntry
from partnerships.services import ServiceError, create_partnership
from tests.conftest import World
from tests.sample_data import DIVIPOLA, TOPOJSON, full_data, full_topojson

HEADER = "COD_DPTO,NOM_DPTO,COD_MPIO,NOM_MPIO,TIPO,LATITUD,LONGITUD,Geo Municipio\n"
SMALL = HEADER + (
    "5,ANTIOQUIA,5001,MEDELLÍN,Municipio,6.2575,-75.6110,POINT (-75.6110 6.2575)\n"
    "73,TOLIMA,73555,PLANADAS,Municipio,3.1964,-75.6446,POINT (-75.6446 3.1964)\n"
    '11,"BOGOTÁ, D.C.",11001,"BOGOTÁ, D.C.",Municipio,4.6,-74.1,POINT (-74.1 4.6)\n'
)


def _square(x: float, y: float) -> list[list[list[float]]]:
    return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]


def _geojson(codes: list[str], prop: str = "MPIO_CCNCT") -> str:
    features = [
        {
            "type": "Feature",
            "properties": {prop: code},
            "geometry": {"type": "Polygon", "coordinates": _square(i, 0.123456789)},
        }
        for i, code in enumerate(codes)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


# -- defaults ---------------------------------------------------------------------


def test_it_gives_a_new_partnership_the_seven_dimensions_age_bands_and_genders(
    world: World,
) -> None:
    p = create_partnership(
        creator=world.facilitator, name="Fresh", country="CO", locality_name="Somewhere"
    )
    codes = list(Dimension.objects.filter(partnership=p).values_list("code", flat=True))
    assert codes == [
        "economic", "food", "health", "environmental", "personal", "community", "political"
    ]  # fmt: skip
    assert AgeBand.objects.filter(partnership=p).count() == 5
    genders = [g.label for g in GenderOption.objects.filter(partnership=p)]
    assert "Prefer not to say" in genders
    services.ensure_defaults(partnership=p)  # idempotent
    assert Dimension.objects.filter(partnership=p).count() == 7


def test_it_speaks_the_readers_language_for_default_dimensions(world: World) -> None:
    from django.utils import translation

    economic = Dimension.objects.get(partnership=world.own, code="economic")
    assert economic.label == "Economic security"
    with translation.override("es"):
        assert economic.label != "" and economic.description != ""


def test_it_adds_a_dimension_in_two_languages(world: World) -> None:
    client = world.client_for("facilitator")
    url = f"/p/{world.own.slug}/baseline/setup/dimensions/new/"
    response = client.post(
        url,
        {"name_en": "Digital security", "name_es": "Seguridad digital", "description_en": "Online"},
    )
    assert response.status_code == 302
    dimension = Dimension.objects.get(partnership=world.own, code="seguridad-digital")
    assert dimension.names == {"en": "Digital security", "es": "Seguridad digital"}
    assert dimension.position > 6
    from django.utils import translation

    with translation.override("es"):
        assert dimension.label == "Seguridad digital"
    # The same name again, or no name at all: refused with a message.
    page = client.post(url, {"name_es": "Seguridad digital"}).content.decode()
    assert "There is already one with this name." in page
    page = client.post(url, {"name_en": "", "name_es": ""}).content.decode()
    assert "This field is required." in page


def test_it_adds_age_bands_and_gender_options_and_refuses_bad_ones(world: World) -> None:
    client = world.client_for("facilitator")
    base = f"/p/{world.own.slug}/baseline/setup/"
    assert (
        client.post(base + "age-bands/new/", {"name": "Elders", "min_age": 70}).status_code == 302
    )
    page = client.post(base + "age-bands/new/", {"name": "Odd", "min_age": 50, "max_age": 20})
    assert "The band must start before it ends." in page.content.decode()
    assert client.post(base + "genders/new/", {"name": "Two-spirit"}).status_code == 302
    assert GenderOption.objects.filter(partnership=world.own, code="two-spirit").exists()
    page = client.get(base).content.decode()
    assert "Elders" in page and "Two-spirit" in page


@pytest.mark.parametrize("persona", ["company_rep", "participant", "observer"])
def test_it_lets_only_facilitators_change_the_set_up(world: World, persona: str) -> None:
    client = world.client_for(persona)
    base = f"/p/{world.own.slug}/baseline/setup/"
    assert client.get(base).status_code == 200
    assert client.post(base + "genders/new/", {"name": "X"}).status_code == 403
    assert client.post(base + "dimensions/new/", {"name_en": "X"}).status_code == 403


# -- DIVIPOLA and boundaries ----------------------------------------------------------


def test_it_reads_divipola_padding_codes_and_creating_departments() -> None:
    rows = read_divipola(SMALL)
    by_code = {r.code: r for r in rows}
    assert by_code["05001"].name == "Medellín"
    assert by_code["05001"].parent_code == "05" and by_code["05001"].parent_name == "Antioquia"
    assert by_code["05"].kind == LocalityKind.DEPARTMENT
    assert by_code["11001"].name == "Bogotá, D.C."
    assert by_code["73555"].latitude == pytest.approx(3.1964)
    only = read_divipola(SMALL, departments=["73"])
    assert {r.code for r in only} == {"73", "73555"}
    assert {r.code for r in read_divipola(SMALL, codes=["5001"])} == {"05", "05001"}


def test_it_refuses_a_file_that_is_not_divipola_with_a_clear_message() -> None:
    with pytest.raises(ServiceError) as error:
        read_divipola("code,name\n1,Somewhere\n")
    assert "COD_DPTO" in error.value.message and "code, name" in error.value.message
    with pytest.raises(ServiceError, match="no header row"):
        read_divipola("")
    with pytest.raises(ServiceError, match="must be numbers"):
        read_divipola(HEADER + "X,A,Y,B,Municipio,1,2,\n")
    with pytest.raises(ServiceError, match="is not in department"):
        read_divipola(HEADER + "5,A,73555,B,Municipio,1,2,\n")


def test_it_decodes_topojson_arcs_with_transform_delta_and_reversal() -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        # arc 0: (0,0) → (2,0) → (2,4) in quantized units (delta encoded);
        # arc 1: (2,4) → (0,0)
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, -4]]],
        "objects": {
            "m": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"MPIO_CCNCT": "05001"}},
                    {"type": "Polygon", "arcs": [[~1, ~0]], "properties": {"MPIO_CCNCT": "05002"}},
                ],
            }
        },
    }
    decoder = TopoJSON(topology)
    assert decoder.arcs[0] == [(10, 20), (11, 20), (11, 21)]
    shapes = read_boundaries(json.dumps(topology))
    assert shapes["05001"]["coordinates"][0] == [[10, 20], [11, 20], [11, 21], [10, 20]]
    # Reversed arcs walk the same ring the other way round.
    assert shapes["05002"]["coordinates"][0] == [[10, 20], [11, 21], [11, 20], [10, 20]]


@pytest.mark.parametrize(
    ("extract", "counts"),
    [(True, (56, 2)), pytest.param(False, (1122, 33), marks=full_data("colombia"))],
    ids=["tolima-guainia", "whole-country"],
)
def test_it_reads_the_colombian_topojson_municipalities_and_departments(
    extract: bool, counts: tuple[int, int]
) -> None:
    shapes = read_boundaries((TOPOJSON if extract else full_topojson()).read_bytes())
    municipalities = [c for c in shapes if len(c) == 5]
    departments = [c for c in shapes if len(c) == 2]
    assert (len(municipalities), len(departments)) == counts
    planadas = shapes["73555"]
    assert planadas["type"] in ("Polygon", "MultiPolygon")
    ring = (
        planadas["coordinates"][0]
        if planadas["type"] == "Polygon"
        else planadas["coordinates"][0][0]
    )
    lon, lat = ring[0]
    assert -76.5 < lon < -75 and 2.5 < lat < 4  # Planadas, Tolima
    assert all(len(str(v).split(".")[-1]) <= 4 for v in ring[0])  # rounded


@pytest.mark.parametrize(
    "extract",
    [True, pytest.param(False, marks=full_data("colombia"))],
    ids=["tolima-guainia", "whole-country"],
)
def test_it_imports_the_whole_country_with_boundaries(world: World, extract: bool) -> None:
    # The whole list; boundaries for two departments, or for all with --full-data.
    out = StringIO()
    call_command(
        "import_localities",
        world.own.slug,
        "--divipola",
        str(DIVIPOLA),
        "--boundaries",
        str(TOPOJSON if extract else full_topojson()),
        "--skip-unknown",
        stdout=out,
    )
    text = out.getvalue()
    assert "1154 localities created" in text  # 1121 municipalities, 33 departments
    assert "1 boundaries skipped (no such locality): 94663" in text  # a 2018 area since merged
    planadas = Locality.objects.get(partnership=world.own, code="73555")
    assert planadas.name == "Planadas" and planadas.parent_name == "Tolima"
    assert planadas.boundary is not None
    assert Locality.objects.get(partnership=world.own, code="73").boundary is not None
    assert not Locality.objects.filter(partnership=world.foreign).exists()
    # Again: nothing new, everything updated.
    out = StringIO()
    call_command("import_localities", world.own.slug, "--divipola", str(DIVIPOLA), stdout=out)
    assert "0 localities created, 1154 updated" in out.getvalue()


def test_it_refuses_boundaries_with_unknown_codes_and_writes_nothing(world: World) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as error:
        import_localities(
            by=world.facilitator,
            partnership=world.own,
            divipola=SMALL,
            boundaries=_geojson(["05001", "99001", "99002"]),
        )
    assert "2 areas" in error.value.message and "99001, 99002" in error.value.message
    assert not Locality.objects.filter(partnership=world.own).exists()
    assert AuditEntry.objects.count() == entries


def test_it_reports_unknown_codes_through_the_command(world: World, tmp_path: Path) -> None:
    csv_file, geo_file = tmp_path / "d.csv", tmp_path / "b.geojson"
    csv_file.write_text(SMALL, encoding="utf-8")
    geo_file.write_text(_geojson([f"990{i:02d}" for i in range(15)]), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command(
            "import_localities",
            world.own.slug,
            "--divipola",
            str(csv_file),
            "--boundaries",
            str(geo_file),
        )
    assert (
        "15 areas" in str(error.value) and "99000" in str(error.value) and "…" in str(error.value)
    )
    assert not Locality.objects.filter(partnership=world.own).exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not DANE's DIVIPOLA"):
        call_command("import_localities", world.own.slug, "--divipola", str(bad))
    with pytest.raises(CommandError, match="No partnership"):
        call_command("import_localities", "nowhere", "--divipola", str(bad))


def test_it_reads_geojson_with_a_chosen_code_property_and_a_selection(world: World) -> None:
    result = import_localities(
        by=world.facilitator,
        partnership=world.own,
        divipola=SMALL,
        boundaries=_geojson(["73555", "05001"], prop="CODIGO"),
        code_property="CODIGO",
        departments=["73"],
    )
    assert (result.created, result.boundaries) == (2, 1)
    assert result.skipped_codes == ["05001"]  # outside the selection: skipped, reported
    planadas = Locality.objects.get(partnership=world.own, code="73555")
    assert planadas.boundary["coordinates"][0][0] == [0, 0.1235]
    with pytest.raises(ServiceError, match="No area of the boundary file has the property"):
        read_boundaries(_geojson(["73555"]), code_property="OTHER")
    with pytest.raises(ServiceError, match="not JSON"):
        read_boundaries(b"<kml/>")
    with pytest.raises(ServiceError, match="neither"):
        read_boundaries(json.dumps({"type": "Feature"}))


def test_it_lists_localities_paged_and_searchable_in_constant_queries(world: World) -> None:
    import_localities(by=None, partnership=world.own, divipola=DIVIPOLA.read_bytes())
    client = world.client_for("participant")
    url = f"/p/{world.own.slug}/baseline/localities/"
    page = client.get(url).content.decode()
    assert "1154 localities" in page and "Page 1 of 12" in page
    page = client.get(url, {"q": "planadas"}).content.decode()
    assert "73555" in page and "Medell" not in page
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"page": 3})
    with CaptureQueriesContext(connection) as two:
        client.get(url, {"page": 9})
    assert len(one) == len(two) <= 8
