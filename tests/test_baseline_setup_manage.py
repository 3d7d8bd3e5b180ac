"""Managing the baseline set-up from the web: editing, reordering and removing
dimensions, age bands and gender options (safely: nothing in use goes), and
uploading DANE's DIVIPOLA list and boundary files from the localities page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from baseline import services
from baseline.models import AgeBand, Dimension, GenderOption, Locality
from consultations.models import RespondentProfile, Session
from partnerships.models import AuditAction, AuditEntry
from partnerships.services import ServiceError
from tests import consultations_factories as make
from tests.conftest import World
from tests.sample_data import DIVIPOLA, TOPOJSON, full_data, full_topojson

HEADER = "COD_DPTO,NOM_DPTO,COD_MPIO,NOM_MPIO,TIPO,LATITUD,LONGITUD,Geo Municipio\n"
SMALL = HEADER + (
    "73,TOLIMA,73555,PLANADAS,Municipio,3.1964,-75.6446,POINT (-75.6446 3.1964)\n"
    "73,TOLIMA,73067,ATACO,Municipio,3.5906,-75.3823,POINT (-75.3823 3.5906)\n"
)


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _setup(world: World) -> str:
    return f"/p/{world.own.slug}/baseline/setup/"


def _own_dimension(world: World, name: str = "Digital security") -> Dimension:
    return services.add_dimension(
        by=world.facilitator,
        partnership=world.own,
        names={"en": name, "es": "Seguridad digital"},
        descriptions={"en": "Online harassment and fraud."},
    )


def _gender(world: World, code: str) -> GenderOption:
    return GenderOption.objects.get(partnership=world.own, code=code)


def _band(world: World, code: str) -> AgeBand:
    return AgeBand.objects.get(partnership=world.own, code=code)


def _entries(world: World) -> int:
    return AuditEntry.objects.filter(partnership=world.own).count()


# -- editing ------------------------------------------------------------------------------


def test_it_edits_a_partnerships_own_dimension_in_two_languages(world: World) -> None:
    dimension = _own_dimension(world)
    client = world.client_for("facilitator")
    url = f"{_setup(world)}dimensions/{dimension.public_id}/edit/"
    page = _text(client.get(url))
    assert "Digital security" in page and "Seguridad digital" in page and "Remove" in page
    response = client.post(
        url,
        {
            "name_en": "Digital and data security",
            "name_es": "Seguridad digital y de datos",
            "description_en": "Fraud, harassment, leaks.",
            "description_es": "",
        },
    )
    assert response.status_code == 302
    dimension.refresh_from_db()
    assert dimension.code == "seguridad-digital"  # threats keep pointing at it
    assert dimension.names == {
        "en": "Digital and data security",
        "es": "Seguridad digital y de datos",
    }
    assert dimension.descriptions == {"en": "Fraud, harassment, leaks."}
    entry = AuditEntry.objects.filter(partnership=world.own, action=AuditAction.CHANGE).latest("id")
    assert entry.kind == "baseline_setup" and "names" in entry.changes
    assert "Digital and data security" in _text(client.get(_setup(world)))


def test_it_renames_a_standard_dimension_keeping_the_other_language(world: World) -> None:
    economic = Dimension.objects.get(partnership=world.own, code="economic")
    client = world.client_for("facilitator")
    url = f"{_setup(world)}dimensions/{economic.public_id}/edit/"
    page = _text(client.get(url))
    assert "Economic security" in page  # the standard text, ready to change
    assert "The seven standard dimensions cannot be removed" in page
    assert "Remove</button>" not in page
    with translation.override("es"):
        spanish = economic.label
    client.post(url, {"name_en": "Livelihoods", "name_es": "", "description_en": ""})
    economic.refresh_from_db()
    assert economic.code == "economic" and economic.label == "Livelihoods"
    with translation.override("es"):
        assert economic.label == spanish  # an empty language keeps the standard text
    assert economic.description.startswith("An assured basic income")
    # Back to the standard texts: nothing stored, every reader's language again.
    client.post(url, {"name_en": "Economic security", "name_es": spanish})
    economic.refresh_from_db()
    assert economic.names == {} and economic.descriptions == {}


def test_it_refuses_a_dimension_without_a_name_or_with_anothers_name(world: World) -> None:
    dimension = _own_dimension(world)
    client = world.client_for("facilitator")
    url = f"{_setup(world)}dimensions/{dimension.public_id}/edit/"
    page = _text(client.post(url, {"name_en": "", "name_es": ""}))
    assert "This field is required." in page
    page = _text(client.post(url, {"name_en": "Food security", "name_es": "Digital"}))
    assert "There is already one with this name." in page
    with translation.override("es"):
        spanish_health = Dimension.objects.get(partnership=world.own, code="health").label
    page = _text(client.post(url, {"name_es": spanish_health}))
    assert "There is already one with this name." in page
    dimension.refresh_from_db()
    assert dimension.names["en"] == "Digital security"


def test_it_edits_an_age_band_with_the_same_rules_as_adding(world: World) -> None:
    band = _band(world, "60_plus")
    client = world.client_for("facilitator")
    url = f"{_setup(world)}age-bands/{band.public_id}/edit/"
    page = _text(client.get(url))
    assert "Leave it empty to use the standard name" in page and "60 and over" in page
    page = _text(client.post(url, {"name": "Odd", "min_age": 70, "max_age": 20}))
    assert "The band must start before it ends." in page
    page = _text(client.post(url, {"name": "", "min_age": "", "max_age": ""}))
    assert "Give at least one end of the band." in page
    page = _text(client.post(url, {"name": "18 to 29", "min_age": 60}))
    assert "There is already one with this name." in page
    assert client.post(url, {"name": "Elders", "min_age": 65}).status_code == 302
    band.refresh_from_db()
    assert (band.code, band.label, band.min_age, band.max_age) == ("60_plus", "Elders", 65, None)
    # An empty name: the standard one again, in each reader's language.
    client.post(url, {"name": "", "min_age": 65})
    band.refresh_from_db()
    assert band.name == "" and band.label == "60 and over"


def test_it_edits_a_gender_option_and_needs_a_name_only_for_its_own(world: World) -> None:
    woman = _gender(world, "woman")
    client = world.client_for("facilitator")
    url = f"{_setup(world)}genders/{woman.public_id}/edit/"
    assert client.post(url, {"name": "Woman or girl"}).status_code == 302
    woman.refresh_from_db()
    assert woman.code == "woman" and woman.label == "Woman or girl"
    assert client.post(url, {"name": ""}).status_code == 302
    woman.refresh_from_db()
    assert woman.label == "Woman"
    own = services.add_gender_option(by=world.facilitator, partnership=world.own, name="Two-spirit")
    url = f"{_setup(world)}genders/{own.public_id}/edit/"
    assert "Give it a name." in _text(client.post(url, {"name": ""}))
    assert "There is already one with this name." in _text(client.post(url, {"name": "Man"}))
    own.refresh_from_db()
    assert own.name == "Two-spirit"


# -- removing ------------------------------------------------------------------------------


def test_it_removes_an_unused_dimension_age_band_and_gender_option(world: World) -> None:
    dimension = _own_dimension(world)
    band = _band(world, "under_18")
    option = services.add_gender_option(
        by=world.facilitator, partnership=world.own, name="Two-spirit"
    )
    client = world.client_for("facilitator")
    base = _setup(world)
    for url, message in (
        (f"{base}dimensions/{dimension.public_id}/delete/", "Dimension removed."),
        (f"{base}age-bands/{band.public_id}/delete/", "Age band removed."),
        (f"{base}genders/{option.public_id}/delete/", "Gender option removed."),
    ):
        response = client.post(url, follow=True)
        assert message in _text(response)
    assert not Dimension.objects.filter(pk=dimension.pk).exists()
    assert not AgeBand.objects.filter(pk=band.pk).exists()
    assert not GenderOption.objects.filter(pk=option.pk).exists()
    deleted = AuditEntry.objects.filter(partnership=world.own, action=AuditAction.DELETE)
    assert deleted.filter(kind="baseline_setup").count() == 3


def test_it_refuses_to_remove_a_standard_dimension_or_one_in_use(world: World) -> None:
    client = world.client_for("facilitator")
    economic = Dimension.objects.get(partnership=world.own, code="economic")
    page = _text(
        client.post(f"{_setup(world)}dimensions/{economic.public_id}/delete/", follow=True)
    )
    assert "The seven standard dimensions cannot be removed; they can be renamed." in page
    dimension = _own_dimension(world)
    services.create_threat(
        by=world.facilitator, partnership=world.own, title="Phone scams", dimensions=[dimension]
    )
    services.record_condition(
        by=world.facilitator,
        partnership=world.own,
        kind="need",
        partner_type="community",
        dimension=dimension,
        description="Digital literacy",
        source="Workshop",
    )
    entries = _entries(world)
    url = f"{_setup(world)}dimensions/{dimension.public_id}/delete/"
    page = _text(client.post(url, follow=True))
    assert "This dimension cannot be removed while other records use it" in page
    assert "threats (1)" in page and "needs, vulnerabilities and capacities (1)" in page
    edit = _text(client.get(f"{_setup(world)}dimensions/{dimension.public_id}/edit/"))
    assert "threats (1)" in edit and "Remove</button>" not in edit
    assert Dimension.objects.filter(pk=dimension.pk).exists() and economic.threats.count() == 0
    assert _entries(world) == entries  # nothing half-written


def test_it_refuses_to_remove_age_bands_and_genders_that_consultations_use(
    world: World,
) -> None:
    q = make.questionnaire(world.own)
    make.respond(q, {}, gender="man", age_band="30_44")
    RespondentProfile.objects.create(
        partnership=world.own, member=world.member(world.participant), age_band="45_59"
    )
    Session.objects.create(
        partnership=world.own, questionnaire=q, place="School", attendance={"non_binary": 2}
    )
    entries = _entries(world)
    client = world.client_for("facilitator")
    base = _setup(world)
    cases = [
        (f"{base}genders/{_gender(world, 'man').public_id}/", "responses (1)"),
        (f"{base}genders/{_gender(world, 'non_binary').public_id}/", "facilitated sessions (1)"),
        (f"{base}age-bands/{_band(world, '30_44').public_id}/", "responses (1)"),
        (f"{base}age-bands/{_band(world, '45_59').public_id}/", "respondent profiles (1)"),
    ]
    for url, use in cases:
        page = _text(client.post(url + "delete/", follow=True))
        assert "cannot be removed while consultation records use it" in page and use in page
        assert use in _text(client.get(url + "edit/"))
    kept = _text(
        client.post(f"{base}genders/{_gender(world, 'prefer_not_to_say').public_id}/delete/",
                    follow=True)
    )  # fmt: skip
    assert "no one must be made to state their gender" in kept
    assert GenderOption.objects.filter(partnership=world.own).count() == 4
    assert AgeBand.objects.filter(partnership=world.own).count() == 5
    assert _entries(world) == entries


def test_it_keeps_at_least_one_age_band_and_gender_option(world: World) -> None:
    AgeBand.objects.filter(partnership=world.own).exclude(code="18_29").delete()
    GenderOption.objects.filter(partnership=world.own).exclude(code="woman").delete()
    with pytest.raises(ServiceError, match="Keep at least one age band"):
        from baseline import services_setup

        services_setup.delete_age_band(by=world.facilitator, band=_band(world, "18_29"))
    client = world.client_for("facilitator")
    url = f"{_setup(world)}genders/{_gender(world, 'woman').public_id}/delete/"
    assert "Keep at least one gender option" in _text(client.post(url, follow=True))
    assert GenderOption.objects.filter(partnership=world.own).count() == 1


def test_it_reorders_dimensions_and_gender_options(world: World) -> None:
    client = world.client_for("facilitator")
    base = _setup(world)
    food = Dimension.objects.get(partnership=world.own, code="food")
    assert (
        client.post(f"{base}dimensions/{food.public_id}/move/", {"direction": "up"}).status_code
        == 302
    )
    codes = list(Dimension.objects.filter(partnership=world.own).values_list("code", flat=True))
    assert codes[:3] == ["food", "economic", "health"]
    client.post(f"{base}dimensions/{food.public_id}/move/", {"direction": "up"})  # already first
    man = _gender(world, "man")
    client.post(f"{base}genders/{man.public_id}/move/", {"direction": "down"})
    genders = list(
        GenderOption.objects.filter(partnership=world.own).values_list("code", flat=True)
    )
    assert genders == ["woman", "non_binary", "man", "prefer_not_to_say"]
    page = _text(
        client.post(f"{base}genders/{man.public_id}/move/", {"direction": "sideways"}, follow=True)
    )
    assert "Choose up or down." in page
    page = _text(client.get(base))
    assert page.index("Food security") < page.index("Economic security")


# -- who may ------------------------------------------------------------------------------


def _urls(world: World, partnership_slug: str, dimension: Dimension, band: AgeBand,
          option: GenderOption) -> list[tuple[str, dict[str, Any]]]:  # fmt: skip
    base = f"/p/{partnership_slug}/baseline/setup/"
    return [
        (f"{base}dimensions/{dimension.public_id}/edit/", {"name_en": "Renamed"}),
        (f"{base}dimensions/{dimension.public_id}/delete/", {}),
        (f"{base}dimensions/{dimension.public_id}/move/", {"direction": "up"}),
        (f"{base}age-bands/{band.public_id}/edit/", {"name": "Renamed", "min_age": 1}),
        (f"{base}age-bands/{band.public_id}/delete/", {}),
        (f"{base}genders/{option.public_id}/edit/", {"name": "Renamed"}),
        (f"{base}genders/{option.public_id}/delete/", {}),
        (f"{base}genders/{option.public_id}/move/", {"direction": "up"}),
        (f"/p/{partnership_slug}/baseline/localities/import/", {}),
    ]


def test_it_gives_a_404_for_another_partnerships_entries(world: World) -> None:
    dimension = services.add_dimension(
        by=world.foreign_facilitator,
        partnership=world.foreign,
        names={"es": "Dimensión ajena"},
        descriptions={},
    )
    band = AgeBand.objects.get(partnership=world.foreign, code="18_29")
    option = GenderOption.objects.get(partnership=world.foreign, code="woman")
    client = world.client_for("facilitator")
    for url, data in _urls(world, world.own.slug, dimension, band, option)[:-1]:
        assert client.post(url, data).status_code == 404, url
        if url.endswith("/edit/"):
            assert client.get(url).status_code == 404, url
    dimension.refresh_from_db()
    assert dimension.names == {"es": "Dimensión ajena"}
    assert AgeBand.objects.filter(pk=band.pk, name="").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("company_rep", 403), ("participant", 403), ("observer", 403), ("outsider", 404)],
)
def test_it_lets_only_facilitators_manage_the_set_up(
    world: World, persona: str, status: int
) -> None:
    dimension = _own_dimension(world)
    band, option = _band(world, "18_29"), _gender(world, "woman")
    client: Client = world.client_for(persona)
    for url, data in _urls(world, world.own.slug, dimension, band, option):
        assert client.post(url, data).status_code == status, url
        if not url.endswith(("/delete/", "/move/")):
            assert client.get(url).status_code == status, url
    page = client.get(_setup(world))
    assert page.status_code == (200 if status == 403 else 404)
    if status == 403:
        text = _text(page)
        assert "Move up" not in text and "/edit/" not in text and "Add a dimension" not in text
        localities = _text(client.get(f"/p/{world.own.slug}/baseline/localities/"))
        assert "/localities/import/" not in localities
    dimension.refresh_from_db()
    assert dimension.names["en"] == "Digital security"
    assert Dimension.objects.filter(pk=dimension.pk).exists()


# -- uploading localities ------------------------------------------------------------------


def _upload(world: World, persona: str = "facilitator", **files: Any) -> Any:
    data: dict[str, Any] = {
        key: value for key, value in files.items() if key not in ("divipola", "boundaries")
    }
    for key in ("divipola", "boundaries"):
        if key in files:
            name, content = files[key]
            data[key] = SimpleUploadedFile(name, content)
    return world.client_for(persona).post(
        f"/p/{world.own.slug}/baseline/localities/import/", data, follow=True
    )


def _geojson(codes: list[str]) -> bytes:
    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    features = [
        {
            "type": "Feature",
            "properties": {"MPIO_CCNCT": code},
            "geometry": {"type": "Polygon", "coordinates": square},
        }
        for code in codes
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_it_offers_the_upload_from_the_localities_page(world: World) -> None:
    client = world.client_for("facilitator")
    page = _text(client.get(f"/p/{world.own.slug}/baseline/localities/"))
    assert f"/p/{world.own.slug}/baseline/localities/import/" in page
    form = _text(client.get(f"/p/{world.own.slug}/baseline/localities/import/"))
    assert 'enctype="multipart/form-data"' in form and "At most 2.0" in form
    assert '<label for="id_divipola">' in form and '<label for="id_boundaries">' in form


@pytest.mark.parametrize(
    ("extract", "left_out"),
    [(True, 10), pytest.param(False, 1107, marks=full_data("colombia"))],
    ids=["tolima-guainia", "whole-country"],
)
def test_it_imports_divipola_and_topojson_boundaries_uploaded_from_the_page(
    world: World, extract: bool, left_out: int
) -> None:
    response = _upload(
        world,
        divipola=("divipola.csv", DIVIPOLA.read_bytes()),
        boundaries=("colombia.topojson", (TOPOJSON if extract else full_topojson()).read_bytes()),
        departments="73",
    )
    page = _text(response)
    assert response.redirect_chain[-1][0].endswith("/baseline/localities/")
    # Tolima: 47 municipalities and the department, each with its boundary.
    assert "Localities created: 48; updated: 0; boundaries stored: 48." in page
    assert f"Boundaries left out (not localities of this partnership): {left_out}" in page
    planadas = Locality.objects.get(partnership=world.own, code="73555")
    assert planadas.name == "Planadas" and planadas.boundary is not None
    assert not Locality.objects.filter(partnership=world.foreign).exists()
    created = AuditEntry.objects.filter(
        partnership=world.own, action=AuditAction.CREATE, kind="baseline_setup"
    )
    assert created.count() >= 48 and created.filter(actor=world.facilitator).exists()
    # Boundaries alone, for localities already there: stored, and on the record.
    Locality.objects.filter(partnership=world.own).update(boundary=None)
    page = _text(_upload(world, boundaries=("b.geojson", _geojson(["73555", "73067"]))))
    assert "Localities created: 0; updated: 0; boundaries stored: 2." in page
    assert Locality.objects.get(partnership=world.own, code="73067").boundary is not None
    assert AuditEntry.objects.filter(
        partnership=world.own, object_label="boundaries", actor=world.facilitator
    ).exists()


def test_it_reads_a_list_saved_by_a_spreadsheet_in_spanish(world: World) -> None:
    semicolons = SMALL.replace(",", ";").replace("3.1964", "3,1964").encode("cp1252")
    page = _text(_upload(world, divipola=("divipola.csv", semicolons)))
    assert "Localities created: 3; updated: 0; boundaries stored: 0." in page
    planadas = Locality.objects.get(partnership=world.own, code="73555")
    assert planadas.latitude == pytest.approx(3.1964) and planadas.parent_name == "Tolima"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "divipola": ("d.csv", SMALL.encode()),
                "boundaries": ("b.geojson", _geojson(["73555", "99001", "99002"])),
            },
            ["2 areas that are not localities of this partnership (99001, 99002)"],
        ),
        (
            {"divipola": ("d.csv", b'{"type": "FeatureCollection"}')},
            ["This is not DANE's DIVIPOLA list"],
        ),
        (
            {
                "divipola": ("d.csv", (HEADER + "X,A,Y,B,M,1,2,\n5,A,73555,B,M,1,2,\n").encode()),
                "boundaries": ("b.geojson", SMALL.encode()),
            },
            [
                "Line 2: the codes must be numbers",
                "Line 3: municipality 73555 is not in department 05.",
                "The boundary file is not JSON",
            ],
        ),
        (
            {"divipola": ("d.csv", SMALL.encode()), "departments": "73, 99"},
            ["These codes are not in the list: 99."],
        ),
        (
            {"boundaries": ("b.topojson", json.dumps({"type": "Topology", "arcs": 5}).encode())},
            ["The TopoJSON file is damaged"],
        ),
        (
            {"divipola": ("d.csv", b"PK\x03\x04\x00\x00binary")},
            ["This is not a CSV text file"],
        ),
    ],
    ids=["unknown-codes", "json-as-list", "bad-lines-and-csv-as-boundaries", "unknown-department",
         "damaged-topojson", "spreadsheet"],
)  # fmt: skip
def test_it_reports_bad_files_and_writes_nothing(
    world: World, files: dict[str, Any], expected: list[str]
) -> None:
    entries = _entries(world)
    response = _upload(world, **files)
    page = _text(response)
    assert response.status_code == 200 and "Problems found" in page
    assert "Nothing was imported: correct the files and upload them again." in page
    for message in expected:
        assert message in page
    assert not Locality.objects.filter(partnership=world.own).exists()
    assert _entries(world) == entries


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"divipola": ("d.xlsx", b"PK")}, "Choose a .csv file."),
        ({"boundaries": ("b.kml", b"<kml/>")}, "Choose a .topojson, .geojson or .json file."),
        ({}, "Choose the list, a boundary file or both."),
    ],
)
def test_it_refuses_files_of_the_wrong_kind(
    world: World, files: dict[str, Any], message: str
) -> None:
    page = _text(_upload(world, **files))
    assert message in page
    assert not Locality.objects.filter(partnership=world.own).exists()


def test_it_refuses_files_over_the_upload_limit(world: World, settings: Any) -> None:
    settings.HSBP_MAX_IMPORT_BYTES = 100
    entries = _entries(world)
    page = _text(_upload(world, divipola=("d.csv", SMALL.encode())))
    assert "This file is too large: the limit is 100" in page
    page = _text(_upload(world, boundaries=("b.geojson", _geojson(["73555"] * 5))))
    assert "This file is too large" in page
    assert not Locality.objects.filter(partnership=world.own).exists()
    assert _entries(world) == entries


def test_it_lets_the_command_report_every_problem_too(world: World, tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    bad = tmp_path / "d.csv"
    bad.write_text(HEADER + "X,A,Y,B,M,1,2,\nZ,A,W,B,M,1,2,\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_localities", world.own.slug, "--divipola", str(bad))
    assert "Line 2:" in str(error.value) and "Line 3:" in str(error.value)
