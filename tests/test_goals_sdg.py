"""The SDG taxonomy: the 17 goals the product ships, the import of official
titles from open-sdg's translation files (with its retired indicator codes),
and the pickers the goal form uses."""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from goals.models import (
    IndicatorStatus,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    indicator_position,
    target_position,
)
from goals.sdg import MAX_FILE_BYTES, SdgFileError, import_sdg
from goals.sdg_choices import indicator_choices, sdg_tree, target_choices
from tests.sample_data import SDG as DATA

RETIRED = {"1.a.3", "8.9.2", "11.c.1", "13.3.2", "17.6.2"}


def _copy(tmp_path: Path) -> Path:
    """A writable copy of the test data, for the tests that spoil it."""
    folder = tmp_path / "sdg"
    for language in ("en", "es"):
        (folder / language).mkdir(parents=True)
        for file in (DATA / language).glob("*.yml"):
            (folder / language / file.name).write_bytes(file.read_bytes())
    return folder


def _state() -> list[Any]:
    """Everything the import writes, to show that a refused import wrote nothing."""
    return [
        list(SdgGoal.objects.values_list("number", "short_names", "titles")),
        list(SdgTarget.objects.values_list("code", "goal__number", "titles")),
        list(
            SdgIndicator.objects.values_list(
                "code", "titles", "status", "replaced_by__code", "repeat_of__code"
            )
        ),
    ]


def _official(language: str, file: str) -> dict[str, str]:
    with (DATA / language / f"global_{file}.yml").open(encoding="utf-8") as stream:
        texts = yaml.safe_load(stream).items()
    return {k: unicodedata.normalize("NFC", " ".join(v.split())) for k, v in texts}


# -- the goals the product ships ------------------------------------------------


def test_it_ships_the_17_goals_with_our_short_names_in_english_and_spanish(db: None) -> None:
    goals = list(SdgGoal.objects.all())
    assert [goal.number for goal in goals] == list(range(1, 18))
    for goal in goals:
        assert goal.short_names["en"] and goal.short_names["es"]
        assert goal.short_names["en"] != goal.short_names["es"]
        assert goal.titles == {}
        assert goal.title == goal.short_name  # before the import
    first = goals[0]
    assert first.label == "1. Ending poverty"
    with translation.override("es"):
        assert first.label == "1. Acabar con la pobreza"
    # Our own words, not the UN's short names.
    theirs = {
        text.lower()
        for language in ("en", "es")
        for key, text in _official(language, "goals").items()
        if key.endswith("-short")
    }
    ours = {name.lower() for goal in goals for name in goal.short_names.values()}
    assert not ours & theirs


def test_it_ships_the_goals_again_without_duplicating_them(db: None) -> None:
    migration = importlib.import_module("goals.migrations.0002_sdg_goals")
    SdgGoal.objects.filter(number=3).update(short_names={"en": "Old", "fr": "Santé"})
    migration.ship_goals(apps, None)
    assert SdgGoal.objects.count() == 17
    assert SdgGoal.objects.get(number=3).short_names == {
        "en": "Health at every age",
        "es": "Salud en todas las edades",
        "fr": "Santé",
    }


def test_it_sorts_codes_as_people_read_them() -> None:
    codes = ["1.a", "1.10", "1.2", "1.9", "2.1", "1.b"]
    assert sorted(codes, key=target_position) == ["1.2", "1.9", "1.10", "1.a", "1.b", "2.1"]
    indicators = ["16.10.1", "16.9.1", "16.a.1", "16.1.2", "16.1.10"]
    assert sorted(indicators, key=indicator_position) == [
        "16.1.2", "16.1.10", "16.9.1", "16.10.1", "16.a.1"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not an SDG target code"):
        target_position("1-2")


# -- the import -----------------------------------------------------------------


def test_it_imports_goals_targets_and_indicators_in_english_and_spanish(db: None) -> None:
    result = import_sdg(folder=DATA)
    assert (result.goals, result.targets, result.indicators, result.retired) == (17, 169, 247, 5)
    assert (result.repeats, result.distinct_indicators) == (16, 231)
    assert result.languages == ["en", "es"]
    assert SdgTarget.objects.count() == 169
    assert SdgIndicator.objects.count() == 252
    assert SdgIndicator.objects.current().count() == 247
    english, spanish = _official("en", "targets"), _official("es", "targets")
    for target in SdgTarget.objects.all():
        key = target.code.replace(".", "-") + "-title"
        assert target.titles == {"en": english[key], "es": spanish[key]}
    assert all(
        set(titles) == {"en", "es"}
        for titles in SdgIndicator.objects.values_list("titles", flat=True)
    )
    goal_17 = list(SdgTarget.objects.filter(goal__number=17).values_list("code", flat=True))
    assert goal_17 == [f"17.{n}" for n in range(1, 20)]
    goal_1 = list(SdgTarget.objects.filter(goal__number=1).values_list("code", flat=True))
    assert goal_1 == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]


def test_it_flags_the_retired_indicator_codes_and_what_replaced_them(db: None) -> None:
    import_sdg(folder=DATA)
    retired = {i.code: i for i in SdgIndicator.objects.retired().select_related("replaced_by")}
    assert set(retired) == RETIRED
    assert all(
        indicator.is_retired and indicator.retired_in == 2020 for indicator in retired.values()
    )
    assert retired["1.a.3"].status == IndicatorStatus.REPLACED
    assert retired["1.a.3"].replaced_by is not None
    assert retired["1.a.3"].replaced_by.code == "1.a.1"
    assert retired["17.6.2"].status == IndicatorStatus.RENUMBERED
    assert retired["17.6.2"].replaced_by is not None
    assert retired["17.6.2"].replaced_by.code == "17.6.1"
    for code in ("8.9.2", "11.c.1", "13.3.2"):
        assert retired[code].status == IndicatorStatus.DELETED
        assert retired[code].replaced_by is None
    # Repeats across targets are current, and point at the first listing.
    repeat = SdgIndicator.objects.select_related("repeat_of").get(code="13.1.1")
    assert repeat.status == IndicatorStatus.CURRENT
    assert repeat.repeat_of is not None and repeat.repeat_of.code == "1.5.1"
    assert SdgIndicator.objects.get(code="1.5.1").repeat_of is None


def test_it_speaks_the_active_language_and_falls_back_to_english(db: None) -> None:
    import_sdg(folder=DATA)
    goal = SdgGoal.objects.get(number=1)
    target = SdgTarget.objects.get(code="1.2")
    indicator = SdgIndicator.objects.get(code="1.2.1")
    assert goal.title == _official("en", "goals")["1-title"]
    assert target.title == _official("en", "targets")["1-2-title"]
    assert indicator.label.startswith("1.2.1 Proportion of population")
    with translation.override("es"):
        assert goal.title == _official("es", "goals")["1-title"]
        assert goal.short_name == "Acabar con la pobreza"
        assert target.title == _official("es", "targets")["1-2-title"]
        assert indicator.title == _official("es", "indicators")["1-2-1-title"]
        target.titles = {"en": "Only in English"}
        assert target.title == "Only in English"


def test_it_imports_again_without_duplicating_and_restores_titles(db: None) -> None:
    import_sdg(folder=DATA)
    ids = dict(SdgIndicator.objects.values_list("code", "pk"))
    SdgTarget.objects.filter(code="1.2").update(titles={"en": "Edited", "fr": "Cible"})
    result = import_sdg(folder=DATA)
    assert (result.created, result.updated) == (0, 1)
    assert dict(SdgIndicator.objects.values_list("code", "pk")) == ids
    assert (SdgGoal.objects.count(), SdgTarget.objects.count()) == (17, 169)
    titles = SdgTarget.objects.get(code="1.2").titles
    assert titles["en"] == _official("en", "targets")["1-2-title"]
    assert titles["fr"] == "Cible"  # a language this import lacks is kept
    again = import_sdg(folder=DATA)
    assert (again.created, again.updated, again.indicators, again.retired) == (0, 0, 247, 5)


def test_it_keeps_an_indicator_the_files_no_longer_carry_flagged_as_deleted(
    db: None, tmp_path: Path
) -> None:
    import_sdg(folder=DATA)
    folder = _copy(tmp_path)
    for language in ("en", "es"):
        path = folder / language / "global_indicators.yml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join(ln for ln in lines if not ln.startswith("2-c-1-")), encoding="utf-8"
        )
    result = import_sdg(folder=folder)
    assert result.dropped == 1
    assert SdgIndicator.objects.get(code="2.c.1").status == IndicatorStatus.DELETED
    import_sdg(folder=DATA)
    assert SdgIndicator.objects.get(code="2.c.1").status == IndicatorStatus.CURRENT


def test_it_imports_a_reused_code_as_current_when_its_text_is_the_new_indicator(
    db: None, tmp_path: Path
) -> None:
    # 8.9.2 was deleted in 2020 and later given to a new indicator: only the
    # deleted one is retired.
    folder = _copy(tmp_path)
    path = folder / "en" / "global_indicators.yml"
    text = path.read_text(encoding="utf-8")
    old = "8-9-2-title: Proportion of jobs in sustainable tourism industries out of total tourism\n  jobs"
    assert old in text
    path.write_text(
        text.replace(old, "8-9-2-title: Employed persons in the tourism industries"),
        encoding="utf-8",
    )
    result = import_sdg(folder=folder)
    assert SdgIndicator.objects.get(code="8.9.2").status == IndicatorStatus.CURRENT
    assert (result.indicators, result.retired) == (248, 4)


# -- bad input ----------------------------------------------------------------------


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def _lines(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n")


def _missing_file(folder: Path) -> tuple[str, ...]:
    (folder / "es" / "global_targets.yml").unlink()
    return ("es/global_targets.yml: the file is missing.",)


def _yaml_error(folder: Path) -> tuple[str, ...]:
    path = folder / "es" / "global_indicators.yml"
    path.write_text("1-1-1-title: one: two\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return ("es/global_indicators.yml, line 1:", "not valid YAML")


def _unknown_key(folder: Path) -> tuple[str, ...]:
    path = folder / "en" / "global_targets.yml"
    line = _lines(path) + 1
    _append(path, "1-2-summary: A summary\n")
    return (f"en/global_targets.yml, line {line}:", "1-2-summary is not a key this file can have")


def _leading_zero(folder: Path) -> tuple[str, ...]:
    _append(folder / "es" / "global_targets.yml", "1-02-title: Meta\n")
    return ("es/global_targets.yml, line", "1-02-title is not a key this file can have")


def _target_of_no_goal(folder: Path) -> tuple[str, ...]:
    path = folder / "en" / "global_targets.yml"
    line = _lines(path) + 1
    _append(path, "18-1-title: A target of no goal\n")
    return (f"en/global_targets.yml, line {line}:", "there is no goal 18")


def _indicator_of_no_target(folder: Path) -> tuple[str, ...]:
    path = folder / "en" / "global_indicators.yml"
    line = _lines(path) + 1
    _append(path, "1-9-1-title: An indicator of no target\n")
    return (f"en/global_indicators.yml, line {line}:", "target 1.9, which is not in")


def _only_in_spanish(folder: Path) -> tuple[str, ...]:
    _append(folder / "es" / "global_indicators.yml", "1-a-9-title: Solo en español\n")
    return ("es/global_indicators.yml, line", "1-a-9-title is not in the English file")


def _repeated_key(folder: Path) -> tuple[str, ...]:
    path = folder / "es" / "global_goals.yml"
    first = path.read_text(encoding="utf-8").splitlines().index("1-short: Fin de la Pobreza") + 1
    _append(path, "1-short: Otra vez\n")
    return ("es/global_goals.yml, line", f"repeated (it is first on line {first})")


def _too_big(folder: Path) -> tuple[str, ...]:
    (folder / "es" / "global_goals.yml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    return (f"es/global_goals.yml: the file is {MAX_FILE_BYTES + 1} bytes",)


def _not_utf8(folder: Path) -> tuple[str, ...]:
    path = folder / "es" / "global_goals.yml"
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    line = next(n for n, ln in enumerate(text.splitlines(), start=1) if not ln.isascii())
    path.write_bytes(text.encode("latin-1", errors="replace"))
    return (f"es/global_goals.yml, line {line}:", "not UTF-8")


def _no_english(folder: Path) -> tuple[str, ...]:
    for file in (folder / "en").iterdir():
        file.unlink()
    (folder / "en").rmdir()
    return ("there is no en/ folder in it",)


@pytest.mark.parametrize(
    "corrupt",
    [
        _missing_file,
        _yaml_error,
        _unknown_key,
        _leading_zero,
        _target_of_no_goal,
        _indicator_of_no_target,
        _only_in_spanish,
        _repeated_key,
        _too_big,
        _not_utf8,
        _no_english,
    ],
)
def test_it_refuses_a_bad_file_with_a_clear_message_and_writes_nothing(
    db: None, tmp_path: Path, corrupt: Callable[[Path], tuple[str, ...]]
) -> None:
    import_sdg(folder=DATA)
    folder = _copy(tmp_path)
    # A change the import would write if it wrote anything before the bad file.
    goals = folder / "en" / "global_goals.yml"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("End poverty", "Changed"), encoding="utf-8"
    )
    SdgGoal.objects.filter(number=1).update(titles={"en": "Before"})
    before = _state()
    expected = corrupt(folder)
    with pytest.raises(SdgFileError) as refused:
        import_sdg(folder=folder)
    for part in expected:
        assert part in refused.value.message
    assert _state() == before


def test_it_refuses_a_folder_that_does_not_exist(db: None, tmp_path: Path) -> None:
    with pytest.raises(SdgFileError, match="there is no such folder"):
        import_sdg(folder=tmp_path / "nowhere")


# -- the command ------------------------------------------------------------------


def test_it_imports_from_the_command_line(db: None) -> None:
    out = StringIO()
    call_command("import_sdg", str(DATA), stdout=out)
    assert (
        "17 goals, 169 targets, 247 current indicators (231 distinct; 16 repeat one of "
        "another target) and 5 retired indicator codes, in en, es." in out.getvalue()
    )
    assert "421 records created, 17 updated." in out.getvalue()


def test_it_gives_the_command_a_clear_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="there is no such folder"):
        call_command("import_sdg", str(tmp_path / "nowhere"), stdout=StringIO())


# -- the pickers ------------------------------------------------------------------


def test_it_offers_nothing_to_pick_before_the_import(db: None) -> None:
    assert sdg_tree() == []
    assert target_choices() == []


def test_it_groups_targets_by_goal_with_current_indicators_in_one_query(
    db: None, django_assert_num_queries: Any
) -> None:
    import_sdg(folder=DATA)
    with django_assert_num_queries(1):
        tree = sdg_tree()
    assert [group.number for group in tree] == list(range(1, 18))
    assert tree[0].label == "1. Ending poverty"
    assert [t.code for t in tree[0].targets] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    targets = {target.code: target for group in tree for target in group.targets}
    assert len(targets) == 169
    offered = [i.code for target in targets.values() for i in target.indicators]
    assert len(offered) == 247 and not RETIRED & set(offered)
    assert targets["11.c"].indicators == ()  # its one indicator is retired; the target is not
    assert [i.code for i in targets["1.a"].indicators] == ["1.a.1", "1.a.2"]
    assert [i.code for i in targets["17.6"].indicators] == ["17.6.1"]
    with translation.override("es"), django_assert_num_queries(1):
        choices = target_choices()
    assert choices[0][0] == "1. Acabar con la pobreza"
    assert choices[0][1][1][1] == "1.2 " + _official("es", "targets")["1-2-title"]
    assert sum(len(group) for _label, group in choices) == 169
    with django_assert_num_queries(1):
        by_target = indicator_choices()
    assert len(by_target) == 168  # every target but 11.c
    assert by_target[0] == (
        "1.1 " + _official("en", "targets")["1-1-title"],
        [
            (
                SdgIndicator.objects.get(code="1.1.1").pk,
                "1.1.1 " + _official("en", "indicators")["1-1-1-title"],
            )
        ],
    )
