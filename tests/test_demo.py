"""The demo data: loads, loads again without doubling, and can point at no real
person: it is set in an invented municipality (no real municipality or
department is named anywhere in what it writes, and its codes cannot be
DIVIPOLA codes), and no actor or member is an office that one person holds."""

from __future__ import annotations

import csv
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from accounts.models import User
from partnerships.management.commands.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    HOME_CODE,
    MAIN,
    NEEDS_CODE,
    PEOPLE,
    SECOND,
    START,
    demo_email,
    logins_table,
)
from partnerships.models import AuditEntry, Member, Partner, Partnership, PartnerType, Role
from stakeholders.models import Actor, ActorKind, RiskFlag
from tests.conftest import World
from tests.sample_data import DIVIPOLA

# Real places smaller than a municipality that the old demo used (corregimientos,
# a river, a vereda), and the everyday short forms of official names that are
# longer in DIVIPOLA ("San Andrés de Tumaco" is called Tumaco).
KNOWN_REAL_PLACES = {
    *("Planadas", "Gaitania", "Bilbao", "Sur de Atá", "río Atá", "Bajo Mira", "Saldaña"),
    *("Tumaco", "Bogotá", "Cúcuta", "Mompox", "Mompós", "Ubaté", "Mariquita", "Buga"),
    *("Cartagena", "Tolú", "Sincé", "Bruselas"),
}
# DIVIPOLA names that are also everyday Spanish words, which the demo uses in
# that sense (and only in it). Each costs the guard one name, so the list stays short.
COMMON_WORDS = {
    "Fundación": "a foundation, the legal form of many NGOs (also a municipality of Magdalena)",
    "Páramo": "the high Andean moorland ecosystem (also a municipality of Santander)",
}
# Words for offices that one person holds: a label that uses one points at that
# person. (Singular forms only: "Docentes rurales" are many people.)
SINGLE_HOLDER_OFFICES = (
    *("cura", "párroco", "sacerdote", "pastor", "obispo"),
    *("inspector", "inspectora", "personero", "personera", "alcalde", "alcaldesa"),
    *("gobernador", "gobernadora", "concejal", "concejala", "rector", "rectora"),
    *("defensor", "defensora", "juez", "jueza", "comandante", "director", "directora"),
    *("periodista", "vocero", "vocera", "presidente", "presidenta", "líder", "lideresa"),
)
# (Not "secretaria", "comisaria" or "notaria": without accents they are also
# the offices, Secretaría, Comisaría and Notaría, which are organisations.)
# The rooms whose records the demo writes; the SDG taxonomy is official UN text
# shared by every partnership, not the demo's.
ROOMS = (
    "accounts",
    "partnerships",
    "stakeholders",
    "baseline",
    "consultations",
    "commonground",
    "goals",
)
NOT_DEMO_TEXT = {"goals.sdggoal", "goals.sdgtarget", "goals.sdgindicator"}


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return " ".join(re.split(r"[^0-9a-z]+", plain)).strip()


@cache
def divipola() -> list[dict[str, str]]:
    with DIVIPOLA.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def real_place_names() -> frozenset[str]:
    names = set(KNOWN_REAL_PLACES)
    for row in divipola():
        for name in (row["NOM_MPIO"], row["NOM_DPTO"]):
            names.add(name)
            names.add(name.split(",")[0])  # "BOGOTÁ, D.C." is also just Bogotá
    allowed = {fold(word) for word in COMMON_WORDS}
    return frozenset(fold(n) for n in names) - allowed


def places_named(text: str) -> set[str]:
    """The real places a text names, as whole words, whatever the accents and case."""
    words = fold(text).split()
    names = real_place_names()
    longest = max(len(n.split()) for n in names)
    return {
        " ".join(words[i : i + n])
        for n in range(1, longest + 1)
        for i in range(len(words) - n + 1)
        if " ".join(words[i : i + n]) in names
    }


TIME_ZONES = zoneinfo.available_timezones()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            # A lowercase identifier ("meta", "bridging") is a key of our own
            # code, not text the demo wrote; names and labels used as keys are
            # still read.
            if not (isinstance(key, str) and key.isidentifier() and key.islower()):
                yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def demo_texts() -> Iterator[tuple[str, str]]:
    """(model.field, text) for every text value of every record of our rooms."""
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in ROOMS or label in NOT_DEMO_TEXT:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and f.name != "password"
        ]
        for name in fields:
            seen: set[str] = set()
            for value in model.objects.values_list(name, flat=True).iterator(chunk_size=2000):
                for text in _strings(value):
                    # A time zone ("America/Bogota") is a code of the tz database.
                    if text and text not in seen and text not in TIME_ZONES:
                        seen.add(text)
                        yield f"{label}.{name}", text


def offices_named(text: str) -> set[str]:
    words = set(fold(text).split())
    return {word for word in SINGLE_HOLDER_OFFICES if fold(word) in words}


@pytest.fixture
def demo(demo_once: None, db: None) -> Partnership:
    # Loaded once for the module (tests/demo_once.py); each test's changes are undone.
    return Partnership.objects.get(name=MAIN)


def test_it_knows_the_real_places_it_guards_against() -> None:
    # The guard itself: whole words, accents and case ignored, common words allowed.
    assert len(divipola()) == 1121
    assert places_named("Alianza Territorial PLANADAS Florece") == {"planadas"}
    assert places_named("Escuela de la vereda Bruselas, en Gaitania") == {"bruselas", "gaitania"}
    assert places_named("Consejo Comunitario Bajo Mira (demo)") == {"bajo mira"}
    assert places_named("San Andrés de Tumaco, Nariño") >= {"san andres de tumaco", "narino"}
    assert "bogota" in places_named("Bogotá D.C.")
    assert places_named("Ibague") == {"ibague"}  # without its accent
    assert places_named("Planadasito y Tolimense") == set()  # only whole words
    assert places_named("La Fundación cuida el páramo") == set()
    assert places_named("Una meta para Colombia") == {"meta", "colombia"}  # no other exception


@pytest.mark.django_db
def test_it_loads_the_demo_idempotently() -> None:
    call_command("demo", verbosity=0)
    counts = (
        Partnership.objects.count(),
        Partner.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )
    call_command("demo", verbosity=0)
    assert counts == (
        Partnership.objects.count(),
        Partner.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )
    assert counts[0] == 2


def test_it_gives_the_demo_every_partner_type_and_every_role(demo: Partnership) -> None:
    assert demo.area_code == HOME_CODE
    assert set(
        Partner.objects.filter(partnership=demo).values_list("partner_type", flat=True)
    ) == set(PartnerType.values)
    assert set(Member.objects.filter(partnership=demo).values_list("role", flat=True)) == set(
        Role.values
    )
    assert demo.is_published


def test_it_uses_only_reserved_demo_addresses(demo: Partnership) -> None:
    assert all(
        email.endswith("@demo.hsbp.invalid")
        for email in User.objects.values_list("email", flat=True)
    )


def test_it_names_no_real_municipality_department_or_known_place(demo: Partnership) -> None:
    found: dict[str, set[str]] = {}
    texts = 0
    for where, text in demo_texts():
        texts += 1
        for place in places_named(text):
            found.setdefault(place, set()).add(f"{where}: {text[:80]!r}")
    assert texts > 1000, "the walk reads the demo's records"
    assert not found, "\n".join(
        f"{place}: {sorted(hits)[:3]}" for place, hits in sorted(found.items())
    )


def _codes(partnership: Partnership) -> Iterable[str]:
    from baseline.models import Locality

    yield partnership.area_code
    yield from Actor.objects.filter(partnership=partnership).values_list("area_code", flat=True)
    yield from Locality.objects.filter(partnership=partnership).values_list("code", flat=True)


def test_it_uses_area_codes_that_cannot_be_divipola_codes(demo: Partnership) -> None:
    departments = {row["COD_DPTO"].zfill(2) for row in divipola()}
    municipalities = {row["COD_MPIO"].zfill(5) for row in divipola()}
    assert min(municipalities) == "05001" and max(municipalities) == "99773"
    codes = {code for p in Partnership.objects.all() for code in _codes(p) if code}
    assert HOME_CODE in codes and len(codes) >= 5
    for code in codes:
        assert code.isdigit() and len(code) in (2, 5), code
        # A department code DANE does not use: outside the range now and later.
        assert code[:2] not in departments and code not in municipalities, code
        assert not "05001" <= code.zfill(5) <= "99773", code
    assert Partnership.objects.get(name=SECOND).area_code in codes


def test_it_names_no_office_that_one_person_holds(demo: Partnership) -> None:
    labels = [
        *Actor.objects.values_list("name", flat=True),
        *Partner.objects.values_list("name", flat=True),
        *User.objects.values_list("display_name", flat=True),
        *RiskFlag.objects.values_list("reason", flat=True),
    ]
    assert len(labels) > 250
    offending = {label: offices_named(label) for label in labels if offices_named(label)}
    assert not offending, offending
    # Actors are organisations and groups: nothing on the map reads as one
    # person, so no flag and no threat is attached to one.
    assert not Actor.objects.filter(kind=ActorKind.INDIVIDUAL).exists()
    assert RiskFlag.objects.filter(partnership=demo).count() >= 5


def test_it_sets_the_test_partnerships_in_invented_places(world: World) -> None:
    municipalities = {row["COD_MPIO"].zfill(5) for row in divipola()}
    for partnership in (world.own, world.foreign):
        assert places_named(partnership.locality_name) == set(), partnership.locality_name
        assert partnership.area_code.startswith("00"), partnership.area_code
        assert partnership.area_code not in municipalities


# -- the demo's first minute: who to sign in as --------------------------------


def test_it_lists_every_demo_login_with_its_role(demo: Partnership) -> None:
    table = logins_table()
    assert f"password {DEMO_PASSWORD}" in table and "demo_code" in table
    lines = {
        login: next(line for line in table.splitlines() if f" {demo_email(login)} " in line)
        for login in ["admin", *(local for local, _name, _lang in PEOPLE)]
    }
    assert "start here" in lines[START] and f"Facilitator — {MAIN}" in lines[START]
    assert "Partner representative — Agroindustrias Brumaverde S.A.S." in lines["empresa"]
    assert f"Facilitator — {SECOND}" in lines["otra-facilitadora"]
    assert "Participant" in lines["participante"] and "Observer" in lines["observadora"]
    # The logins that ask for an authenticator code are marked, and only those.
    assert {login for login, line in lines.items() if " * " in line} == set(NEEDS_CODE)
    # The first line after the heading is where to start.
    assert table.splitlines()[3] == lines[START]


@pytest.mark.database_free
def test_it_gives_the_logins_roles_and_password_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme[readme.index("## Start") : readme.index("## Find your way")]
    assert f"**`{DEMO_PASSWORD}`**" in start and DEMO_TOTP_SECRET in start
    for login in ["admin", *(local for local, _name, _lang in PEOPLE)]:
        row = next(line for line in start.splitlines() if f"`{demo_email(login)}`" in line)
        assert (" * |" in row) == (login in NEEDS_CODE), row
    assert "Start here" in next(line for line in start.splitlines() if demo_email(START) in line)
    assert "data/outbox/" in start and "--full-data" in start
