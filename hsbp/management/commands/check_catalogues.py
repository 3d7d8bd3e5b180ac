"""``hsbp check_catalogues``: are the translation catalogues current and complete?

Current: the strings in the code are exactly those in the catalogues
(re-extracted with ``makemessages``, which needs GNU gettext). Complete: every
Spanish entry is translated and none is fuzzy; every English entry carries its
text. Compiled: each ``.mo`` holds what its ``.po`` says. ``--write``
refreshes the catalogues and compiles them (with polib: no msgfmt needed).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGS = [code for code, _name in settings.LANGUAGES]
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


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def _ids(po: polib.POFile) -> set[tuple[str, str]]:
    return {(e.msgctxt or "", e.msgid) for e in po if not e.obsolete}


class Command(BaseCommand):
    help = "Check that the translation catalogues are current, complete and compiled."

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
        for lang in LANGS:
            po = polib.pofile(str(_po(lang)))
            if lang == "en" and write:  # the source language: its text is the msgid
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
                    f"{(missing + fuzzy)[:5]}"
                )
            mo_path = _po(lang).with_suffix(".mo")
            if write:
                po.save_as_mofile(str(mo_path))
            elif not mo_path.exists() or {
                (e.msgctxt or "", e.msgid): e.msgstr for e in polib.mofile(str(mo_path))
            } != {(e.msgctxt or "", e.msgid): e.msgstr for e in po.translated_entries()}:
                problems.append(f"{lang}: the compiled catalogue is out of date (run with --write)")
        if problems:
            raise CommandError("Translation catalogues need work:\n  " + "\n  ".join(problems))
        self.stdout.write(
            self.style.SUCCESS(f"Catalogues current and complete for {', '.join(LANGS)}.")
        )

    def _check_current(self, *, write: bool) -> list[str]:
        before = {lang: _ids(polib.pofile(str(_po(lang)))) for lang in LANGS}
        with tempfile.TemporaryDirectory() as backup:
            if not write:
                shutil.copytree(LOCALE, Path(backup) / "locale")
            call_command(
                "makemessages",
                locale=LANGS,
                ignore_patterns=IGNORE,
                no_obsolete=True,
                no_location=True,
                verbosity=0,
            )
            after = {lang: _ids(polib.pofile(str(_po(lang)))) for lang in LANGS}
            if not write:
                shutil.rmtree(LOCALE)
                shutil.copytree(Path(backup) / "locale", LOCALE)
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
