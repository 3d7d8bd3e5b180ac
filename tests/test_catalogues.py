"""The catalogue checks: plural forms, Spanish left in English, placeholders,
and what ``ngettext`` really answers once a catalogue is compiled.

Each rule is shown on a small catalogue written here, so that no test depends
on what the real catalogues say; the last tests run every rule on the real ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hsbp.management.commands import check_catalogues as checks

ROOT = Path(__file__).resolve().parent.parent
SPANISH = "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
ENGLISH = "nplurals=2; plural=(n != 1);"
GOOD_FORMS = {0: "%(n)s respuesta", 1: "%(n)s de respuestas", 2: "%(n)s respuestas"}


def catalogue(plural_forms: str | None, *entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    if plural_forms is not None:
        po.metadata["Plural-Forms"] = plural_forms
    for entry in entries:
        po.append(entry)
    return po


def plural(forms: dict[int, str], **extra: Any) -> polib.POEntry:
    return polib.POEntry(
        msgid="%(n)s response",
        msgid_plural="%(n)s responses",
        msgstr_plural=forms,
        flags=["python-format"],
        **extra,
    )


def single(msgid: str, msgstr: str, *, python_format: bool = True, **extra: Any) -> polib.POEntry:
    return polib.POEntry(
        msgid=msgid, msgstr=msgstr, flags=["python-format"] if python_format else [], **extra
    )


def test_it_fails_on_a_spanish_plural_entry_with_two_forms() -> None:
    problems = checks.catalogue_problems(
        catalogue(SPANISH, plural({0: "%(n)s respuesta", 1: "%(n)s respuestas"})), "es"
    )
    assert len(problems) == 1
    assert "'%(n)s response' / '%(n)s responses' has forms [0, 1]" in problems[0]
    assert "nplurals=3 (missing [2])" in problems[0]


def test_it_reads_the_number_of_forms_from_each_catalogues_header() -> None:
    english = plural({0: "%(n)s response", 1: "%(n)s responses"})
    assert checks.catalogue_problems(catalogue(ENGLISH, english), "en") == []
    assert checks.catalogue_problems(catalogue(SPANISH, plural(GOOD_FORMS)), "es") == []
    three_in_english = checks.catalogue_problems(catalogue(ENGLISH, plural(GOOD_FORMS)), "en")
    assert "(extra [2])" in three_in_english[0]
    no_header = checks.catalogue_problems(catalogue(None, plural(GOOD_FORMS)), "es")
    assert no_header == ["es: no usable Plural-Forms header ('')"]


def test_it_fails_on_an_empty_plural_form() -> None:
    problems = checks.catalogue_problems(catalogue(SPANISH, plural({**GOOD_FORMS, 1: ""})), "es")
    assert problems == ["es: '%(n)s response' / '%(n)s responses': form [1] is empty"]


def test_it_fails_on_spanish_forms_left_in_english() -> None:
    as_singular = plural({**GOOD_FORMS, 0: "%(n)s response"})
    as_plural = plural({**GOOD_FORMS, 2: "%(n)s responses"})
    for entry, index in ((as_singular, 0), (as_plural, 2)):
        problems = checks.catalogue_problems(catalogue(SPANISH, entry), "es")
        assert len(problems) == 1
        assert f"form [{index}] is still English" in problems[0]
        assert "# hsbp: same as English" in problems[0]  # the message says how to allow it


def test_it_fails_on_a_singular_entry_left_in_english_unless_marked() -> None:
    left = single("Saved.", "Saved.", python_format=False)
    problems = checks.catalogue_problems(catalogue(SPANISH, left), "es")
    assert problems == [
        "es: 'Saved.' is still English; translate it, or mark the entry '# hsbp: same as English'"
    ]
    same_word = single("Actor", "Actor", python_format=False, tcomment="hsbp: same as English")
    only_placeholders = single("%(file)s: %(problem)s", "%(file)s: %(problem)s")
    assert checks.catalogue_problems(catalogue(SPANISH, same_word, only_placeholders), "es") == []
    # The source language's text is its msgid: nothing there is "left in English".
    assert checks.catalogue_problems(catalogue(ENGLISH, left), "en") == []


def test_it_allows_a_form_that_is_the_same_word_in_spanish_when_marked() -> None:
    actor = polib.POEntry(
        msgid="%(n)s actor",
        msgid_plural="%(n)s actors",
        msgstr_plural={0: "%(n)s actor", 1: "%(n)s de actores", 2: "%(n)s actores"},
        flags=["python-format"],
    )
    assert (
        "form [0] is still English" in checks.catalogue_problems(catalogue(SPANISH, actor), "es")[0]
    )
    actor.tcomment = "hsbp: same as English"
    assert checks.catalogue_problems(catalogue(SPANISH, actor), "es") == []


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("%(n)s goals", "%(m)s objetivos"),  # renamed: KeyError at run time
        ("%(n)s of %(total)s", "%(n)s"),  # dropped: a number silently lost
        ("%(n)d lines", "%(n)s líneas"),  # another conversion
        ("%s and %s", "%s"),  # positional count: TypeError at run time
        ("%(p)s%% of the group", "%(p)s% del grupo"),  # a lone % is a conversion
    ],
)
def test_it_fails_on_placeholders_that_differ_from_the_msgid(msgid: str, msgstr: str) -> None:
    problems = checks.catalogue_problems(catalogue(SPANISH, single(msgid, msgstr)), "es")
    assert len(problems) == 1 and "differ from the msgid's" in problems[0], problems


def test_it_accepts_the_same_placeholders_in_another_order() -> None:
    reordered = single("%(n)s of %(total)s, %(p)s%% done", "%(p)s%% hecho: %(n)s de %(total)s")
    assert checks.catalogue_problems(catalogue(SPANISH, reordered), "es") == []


def test_it_checks_each_plural_form_against_the_msgid() -> None:
    problems = checks.catalogue_problems(
        catalogue(SPANISH, plural({**GOOD_FORMS, 2: "%(count)s respuestas"})), "es"
    )
    assert len(problems) == 1
    assert problems[0].startswith("es: '%(n)s response' / '%(n)s responses': form [2]: ")


def test_it_fails_on_a_placeholder_added_to_plain_text() -> None:
    # A {% translate %} string is not formatted, a blocktranslate one is: a
    # translation must never bring a placeholder of its own.
    plain = single("Delete", "Eliminar %(name)s", python_format=False)
    problems = checks.catalogue_problems(catalogue(SPANISH, plain), "es")
    assert problems == [
        "es: 'Delete': 'Eliminar %(name)s' adds placeholders the msgid lacks: ['name']"
    ]


def compile_spanish(tmp_path: Path, po: polib.POFile) -> Path:
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "django.po"))
    po.save_as_mofile(str(folder / "django.mo"))
    return folder / "django.mo"


def test_it_asks_ngettext_for_each_count_and_fails_on_english(
    tmp_path: Path, settings: Any
) -> None:
    good = plural(GOOD_FORMS)
    two_forms = polib.POEntry(
        msgid="%(n)s goal",
        msgid_plural="%(n)s goals",
        msgstr_plural={0: "%(n)s objetivo", 1: "%(n)s objetivos"},
        flags=["python-format"],
    )
    po = catalogue(SPANISH, good, two_forms)
    compile_spanish(tmp_path, po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]  # Django reloads its catalogues

    problems = checks.runtime_problems(po, "es")

    # The two-form entry gives English wherever Spanish wants its third form:
    # exactly the "0 goals", "2670 responses" the issue saw.
    assert problems == [
        f"es: '%(n)s goal' / '%(n)s goals' gives English for n={n}: '%(n)s goals'"
        for n in (0, 2, 5)
    ]


def test_it_gives_the_millions_form_at_one_million(tmp_path: Path, settings: Any) -> None:
    from django.utils import translation

    po = catalogue(SPANISH, plural(GOOD_FORMS))
    compile_spanish(tmp_path, po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    assert checks.runtime_problems(po, "es") == []
    with translation.override("es"):
        answers = [
            translation.ngettext("%(n)s response", "%(n)s responses", n) % {"n": n}
            for n in checks.PLURAL_PROBES
        ]
    assert answers == [
        "0 respuestas",
        "1 respuesta",
        "2 respuestas",
        "5 respuestas",
        "1000000 de respuestas",
    ]


def test_it_fails_when_the_compiled_catalogue_says_something_else(
    tmp_path: Path, settings: Any
) -> None:
    po = catalogue(SPANISH, plural(GOOD_FORMS))
    mo = compile_spanish(tmp_path, po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    po.find("%(n)s response").msgstr_plural[2] = "%(n)s respuestas recibidas"

    assert checks.compiled_problems(po, "es", mo) == [
        "es: the compiled catalogue is out of date (run with --write)"
    ]
    assert checks.runtime_problems(po, "es") == [
        f"es: '%(n)s response' / '%(n)s responses' gives '%(n)s respuestas' for n={n}, "
        "the catalogue says '%(n)s respuestas recibidas' (compile with --write?)"
        for n in (0, 2, 5)
    ]


def test_it_checks_contextual_plural_entries_with_their_context(
    tmp_path: Path, settings: Any
) -> None:
    po = catalogue(SPANISH, plural(GOOD_FORMS, msgctxt="questionnaire"))
    compile_spanish(tmp_path, po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    assert checks.runtime_problems(po, "es") == []


def test_it_fails_the_command_with_the_list_of_problems(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = catalogue(SPANISH, plural({0: "%(n)s respuesta", 1: "%(n)s respuestas"}))
    compile_spanish(tmp_path, po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    # Only the written catalogue: re-extracting from the code would compare
    # the real strings with this small one.
    monkeypatch.setattr(checks, "LOCALE", tmp_path / "locale")
    monkeypatch.setattr(checks, "LANGS", ["es"])
    monkeypatch.setattr(shutil, "which", lambda _name: None)

    with pytest.raises(CommandError) as failure:
        call_command("check_catalogues")

    lines = str(failure.value).splitlines()
    assert lines[0] == "Translation catalogues need work:"
    assert "has forms [0, 1], the header says nplurals=3 (missing [2])" in lines[1]
    assert lines[2:] == [
        f"  es: '%(n)s response' / '%(n)s responses' gives English for n={n}: '%(n)s responses'"
        for n in (0, 2, 5)
    ]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_finds_nothing_wrong_in_the_real_catalogues(lang: str) -> None:
    # Whether they match the code needs GNU gettext and rewrites the .po files
    # for a moment: `hsbp check_catalogues` does that, not the test suite.
    po_path = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    assert checks.catalogue_problems(po, lang) == []
    assert checks.compiled_problems(po, lang, po_path.with_suffix(".mo")) == []
    assert checks.runtime_problems(po, lang) == []
    forms = {"en": 2, "es": 3}[lang]
    assert all(len(e.msgstr_plural) == forms for e in po if e.msgid_plural)
