"""``hsbp check_catalogues``: are the translation catalogues current, complete and right?

Current: the strings in the code are exactly those in the catalogues
(re-extracted with ``makemessages``, which needs GNU gettext). Complete: every
entry of a translated language is translated, none is fuzzy, and every plural
entry carries as many forms as the catalogue's ``Plural-Forms`` header says
(Spanish has three: one, exact millions, other). Right: no translated text is
still the English one, the placeholders of each translation are those of its
msgid (a missing or extra ``%(n)s`` is a crash or a lost number at run time),
and, once compiled, ``ngettext`` in each language gives that language's form
for 0, 1, 2, 5 and 1,000,000. Compiled: each ``.mo`` holds what its ``.po``
says. ``--write`` refreshes the catalogues and compiles them (with polib: no
msgfmt needed).

A translation may rightly be the English text ("Actor", "API", "1 actor"):
mark such an entry with the translator comment ``# hsbp: same as English``.
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGS = [code for code, _name in settings.LANGUAGES]
SOURCE_LANGUAGE = "en"  # the msgids are English: its catalogue only copies them
SAME_AS_ENGLISH = "hsbp: same as English"
# The counts that tell the plural forms apart in the languages we ship: Spanish
# takes "1 respuesta", "1 000 000 de respuestas", "0 / 2 / 5 respuestas".
PLURAL_PROBES = (0, 1, 2, 5, 1_000_000)
IGNORE = [
    ".venv",
    "tests",
    "benchmarks",
    "staticfiles",
    "build",
    "data",
    "node_modules",
    "test-artifacts",
]
# A printf-style conversion as Python's ``%`` operator reads it: ``%(n)s``,
# ``%s``, ``%5.1f``, ``%%``. Templates' ``{{ n }}`` reaches the catalogue as
# ``%(n)s`` (blocktranslate), so one pattern covers both.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
NAMED = re.compile(r"%\((\w+)\)[diouxXeEfFgGcrsa]")


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def _ids(po: polib.POFile) -> set[tuple[str, str]]:
    return {(e.msgctxt or "", e.msgid) for e in po if not e.obsolete}


def _label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    if entry.msgid_plural:
        return f"{context}{entry.msgid!r} / {entry.msgid_plural!r}"
    return f"{context}{entry.msgid!r}"


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


def plural_rule(po: polib.POFile) -> tuple[int, Callable[[int], int]]:
    """nplurals and the plural expression of a catalogue's header."""
    header = po.metadata.get("Plural-Forms", "")
    found = re.search(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?", header)
    if not found:
        raise ValueError(f"no usable Plural-Forms header ({header!r})")
    return int(found.group(1)), gnu_gettext.c2py(found.group(2).strip())


def same_as_english_allowed(entry: polib.POEntry) -> bool:
    return SAME_AS_ENGLISH in (entry.tcomment or "")


def _placeholders(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(named placeholders sorted, positional conversions in order); ``%%`` is text."""
    named: list[tuple[str, str]] = []
    positional: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        conv = match.group("conv")
        if conv == "%":
            continue
        if match.group("name") is not None:
            named.append((match.group("name"), conv))
        else:
            positional.append(conv)
    return sorted(set(named)), positional


def _placeholder_problem(
    entry: polib.POEntry, translated: str, sources: Iterable[str]
) -> str | None:
    sources = list(sources)
    if "python-format" in entry.flags:
        have = _placeholders(translated)
        wanted = [_placeholders(source) for source in sources]
        if have not in wanted:
            return (
                f"placeholders {_show(have)} in {translated!r} differ from the msgid's "
                f"{' or '.join(sorted({_show(w) for w in wanted}))}"
            )
        return None
    if "no-python-format" in entry.flags:
        return None
    # Not a format string in the code, but a translation that introduces one
    # would crash in a blocktranslate or print a raw "%(n)s".
    extra = set(NAMED.findall(translated)) - {n for s in sources for n in NAMED.findall(s)}
    if extra:
        return f"{translated!r} adds placeholders the msgid lacks: {sorted(extra)}"
    return None


def _show(placeholders: tuple[list[tuple[str, str]], list[str]]) -> str:
    named, positional = placeholders
    shown = [f"%({name}){conv}" for name, conv in named] + [f"%{conv}" for conv in positional]
    return "{" + ", ".join(shown) + "}" if shown else "{none}"


def catalogue_problems(po: polib.POFile, lang: str) -> list[str]:
    """What is wrong in one catalogue as written: plural forms, untranslated
    text, placeholders. Needs no compiled catalogue."""
    try:
        nplurals, _rule = plural_rule(po)
    except ValueError as error:
        return [f"{lang}: {error}"]
    problems: list[str] = []
    translated_language = lang != SOURCE_LANGUAGE
    for entry in _live(po):
        if "fuzzy" in entry.flags:
            continue  # reported as fuzzy; its text is a guess until reviewed
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            wanted = set(range(nplurals))
            if set(forms) != wanted:
                missing = sorted(wanted - set(forms))
                extra = sorted(set(forms) - wanted)
                problems.append(
                    f"{lang}: {_label(entry)} has forms {sorted(forms)}, the header says "
                    f"nplurals={nplurals}"
                    + (f" (missing {missing})" if missing else "")
                    + (f" (extra {extra})" if extra else "")
                )
            for index in sorted(forms):
                text = forms[index]
                if not text:
                    problems.append(f"{lang}: {_label(entry)}: form [{index}] is empty")
                    continue
                if (
                    translated_language
                    and text in (entry.msgid, entry.msgid_plural)
                    and not same_as_english_allowed(entry)
                ):
                    problems.append(
                        f"{lang}: {_label(entry)}: form [{index}] is still English ({text!r}); "
                        f"translate it, or mark the entry '# {SAME_AS_ENGLISH}'"
                    )
                problem = _placeholder_problem(entry, text, (entry.msgid, entry.msgid_plural))
                if problem:
                    problems.append(f"{lang}: {_label(entry)}: form [{index}]: {problem}")
        elif entry.msgstr:
            if (
                translated_language
                and entry.msgstr == entry.msgid
                and not same_as_english_allowed(entry)
                and re.search(r"[^\W\d_]", PLACEHOLDER.sub("", entry.msgid))
            ):
                problems.append(
                    f"{lang}: {_label(entry)} is still English; translate it, or mark the "
                    f"entry '# {SAME_AS_ENGLISH}'"
                )
            problem = _placeholder_problem(entry, entry.msgstr, (entry.msgid,))
            if problem:
                problems.append(f"{lang}: {_label(entry)}: {problem}")
    return problems


def runtime_problems(po: polib.POFile, lang: str) -> list[str]:
    """Ask Django, in ``lang``, for every plural entry at 0, 1, 2, 5 and
    1,000,000: each answer must be the form the catalogue's rule picks, never
    the English fallback that a missing form or a stale ``.mo`` gives."""
    if lang == SOURCE_LANGUAGE:
        return []
    try:
        _nplurals, rule = plural_rule(po)
    except ValueError as error:
        return [f"{lang}: {error}"]
    problems: list[str] = []
    with translation.override(lang):
        for entry in _live(po):
            if not entry.msgid_plural or "fuzzy" in entry.flags:
                continue
            for n in PLURAL_PROBES:
                if entry.msgctxt:
                    got = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = translation.ngettext(entry.msgid, entry.msgid_plural, n)
                wanted = entry.msgstr_plural.get(rule(n), "")
                if got in (entry.msgid, entry.msgid_plural) and not (
                    got == wanted and same_as_english_allowed(entry)
                ):
                    problems.append(f"{lang}: {_label(entry)} gives English for n={n}: {got!r}")
                elif got != wanted:
                    problems.append(
                        f"{lang}: {_label(entry)} gives {got!r} for n={n}, the catalogue says "
                        f"{wanted!r} (compile with --write?)"
                    )
    return problems


def compiled_problems(po: polib.POFile, lang: str, mo_path: Path) -> list[str]:
    def text(entry: polib.POEntry | polib.MOEntry) -> tuple[str, tuple[tuple[int, str], ...]]:
        return entry.msgstr, tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items()))

    if not mo_path.exists():
        return [f"{lang}: there is no compiled catalogue (run with --write)"]
    mo = polib.mofile(str(mo_path))
    compiled = {(e.msgctxt or "", e.msgid): text(e) for e in mo}
    written = {(e.msgctxt or "", e.msgid): text(e) for e in po.translated_entries()}
    if compiled != written or mo.metadata.get("Plural-Forms") != po.metadata.get("Plural-Forms"):
        return [f"{lang}: the compiled catalogue is out of date (run with --write)"]
    return []


def _listed(problems: list[str], limit: int = 60) -> list[str]:
    if len(problems) <= limit:
        return problems
    return [*problems[:limit], f"… and {len(problems) - limit} more"]


class Command(BaseCommand):
    help = "Check that the translation catalogues are current, complete, right and compiled."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--write", action="store_true", help="Refresh and compile the catalogues."
        )

    def handle(self, *args: Any, write: bool = False, **options: Any) -> None:
        problems: list[str] = []
        if shutil.which("xgettext"):
            problems += self._check_current(write=write)
        else:
            self.stderr.write(
                self.style.WARNING(
                    "SKIPPED: GNU gettext (xgettext) is not installed, so whether the catalogues "
                    "match the code was NOT checked. Install gettext to check it."
                )
            )
        catalogues: dict[str, polib.POFile] = {}
        for lang in LANGS:
            po = polib.pofile(str(_po(lang)))
            catalogues[lang] = po
            if lang == SOURCE_LANGUAGE and write:  # its text is the msgid
                for entry in po:
                    entry.msgstr = entry.msgid
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                po.save()
            missing = [e.msgid for e in po.untranslated_entries()]
            fuzzy = [e.msgid for e in po.fuzzy_entries()]
            if missing or fuzzy:
                problems.append(
                    f"{lang}: {len(missing)} untranslated, {len(fuzzy)} fuzzy: "
                    + "; ".join(repr(m) for m in (missing + fuzzy)[:20])
                )
            problems += catalogue_problems(po, lang)
            mo_path = _po(lang).with_suffix(".mo")
            if write:
                po.save_as_mofile(str(mo_path))
            else:
                problems += compiled_problems(po, lang, mo_path)
        # Django caches catalogues per process: reload what was just compiled.
        translation_file_changed(sender=None, file_path=_po(LANGS[0]).with_suffix(".mo"))
        for lang, po in catalogues.items():
            problems += runtime_problems(po, lang)
        if problems:
            raise CommandError(
                "Translation catalogues need work:\n  " + "\n  ".join(_listed(problems))
            )
        self.stdout.write(
            self.style.SUCCESS(f"Catalogues current and complete for {', '.join(LANGS)}.")
        )

    def _check_current(self, *, write: bool) -> list[str]:
        paths = {lang: _po(lang) for lang in LANGS}
        before = {lang: _ids(polib.pofile(str(path))) for lang, path in paths.items()}
        # Only the .po files change; putting back their bytes (rather than the
        # whole folder) never leaves a moment without the compiled catalogues.
        written = {lang: path.read_bytes() for lang, path in paths.items()}
        try:
            call_command(
                "makemessages",
                locale=LANGS,
                ignore_patterns=IGNORE,
                no_obsolete=True,
                no_location=True,
                verbosity=0,
            )
            after = {lang: _ids(polib.pofile(str(path))) for lang, path in paths.items()}
        finally:
            if not write:
                for lang, path in paths.items():
                    path.write_bytes(written[lang])
        problems: list[str] = []
        if write:
            return problems
        for lang in LANGS:
            added, gone = after[lang] - before[lang], before[lang] - after[lang]
            if added or gone:
                problems.append(
                    f"{lang}: catalogue is stale: {len(added)} new strings in the code "
                    f"{[m for _c, m in sorted(added)][:5]}, {len(gone)} no longer used "
                    f"(run `hsbp check_catalogues --write`)"
                )
        return problems
