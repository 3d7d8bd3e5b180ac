"""Spanish that works on the map and the baseline: every field the record page
names is translated, and counts agree with their nouns."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import ngettext, trans_real

from tests.conftest import World


@pytest.mark.parametrize("app", ["stakeholders", "baseline"])
def test_it_names_every_audited_field_in_the_reader_s_language(app: str) -> None:
    catalogue = trans_real.translation("es")._catalog  # type: ignore[attr-defined]
    untranslated = []
    for model in apps.get_app_config(app).get_models():
        for name in getattr(model, "audit_fields", ()):
            label = getattr(model._meta.get_field(name), "verbose_name", None)
            with translation.override("en"):
                msgid = str(label)
            if not isinstance(label, Promise) or msgid not in catalogue:
                untranslated.append(f"{model.__name__}.{name}: {msgid}")
    assert untranslated == []


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Influencia 5, interés 4: 0 actores"),
        (1, "Influencia 5, interés 4: 1 actor"),
        (2, "Influencia 5, interés 4: 2 actores"),
        (5, "Influencia 5, interés 4: 5 actores"),
        (1_000_000, "Influencia 5, interés 4: 1000000 de actores"),
    ],
)
def test_it_agrees_a_grid_cell_s_count_with_its_noun_in_spanish(n: int, expected: str) -> None:
    with translation.override("es"):
        text = ngettext(
            "Influence %(x)s, interest %(y)s: %(n)s actor",
            "Influence %(x)s, interest %(y)s: %(n)s actors",
            n,
        ) % {"x": 5, "y": 4, "n": n}
    assert text == expected


def test_it_lists_the_grid_s_cells_in_spanish_with_the_right_plurals(world: World) -> None:
    from stakeholders import services

    for name in ("Junta inventada", "Cooperativa inventada"):
        actor = services.create_actor(by=world.facilitator, partnership=world.own, name=name)
        services.assess(
            by=world.facilitator,
            actor=actor,
            assessed_by=world.community,
            influence=5,
            interest=4,
            capacity=3,
        )
    world.observer.language = "es"
    world.observer.save(update_fields=["language"])
    page = world.client_for("observer").get(f"/p/{world.own.slug}/map/grid/").content.decode()
    assert "Influencia 5, interés 4: 2 actores" in page
    assert "Influencia 1, interés 1: 0 actores" in page
    assert "<details><summary>Influencia 5, interés 4: 2 actores</summary>" in page
