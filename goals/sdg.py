"""The official SDG titles, imported from open-sdg's translation files.

The format (open-sdg/sdg-translations, folder ``translations/``): one folder
per language, ``<folder>/<lang>/``, with three YAML files of ``key: text``:

- ``global_goals.yml``: ``1-title`` (goal 1), and ``1-short`` (the UN's short
  name: recognised but not used, the product shows its own short names);
- ``global_targets.yml``: ``1-2-title`` (target 1.2), ``1-a-title`` (1.a);
- ``global_indicators.yml``: ``1-2-1-title`` (indicator 1.2.1), ``1-a-1-title``.

Every language of ``settings.LANGUAGES`` whose folder is present is loaded;
English is required (it is the fallback of every text) and defines which
targets and indicators exist: another language may only translate its keys.
``import_sdg`` reads and checks every file before it writes anything, then
writes in one transaction; re-importing updates titles in place (codes are
unique) and never duplicates. A file that cannot be used raises one
``SdgFileError`` naming the file and, where it can, the line.

Retired indicator codes
-----------------------
The indicator files still carry codes the UN has retired: 252 keys where the
framework adopted at the 2020 comprehensive review lists 247 (231 distinct
indicators, 12 of them repeated under two or three targets). What we checked
in the files of commit 0cda585 (2025-08-19): the English and Spanish key sets
are identical (252 each), so comparing languages flags nothing; every
indicator's target exists; 13 groups of codes share an identical English text,
12 of them the UN's own repeats across targets (1.5.1 = 11.5.1 = 13.1.1,
7.b.1 = 12.a.1, …) and one inside a single target (17.6.1 = 17.6.2), a
renumbering left behind. The rule:

1. A code of ``RETIRED_INDICATORS`` (below, written by us from the sources) is
   retired, with what replaced it where there is a successor.
2. Two codes of the same target with the same English text: the later one is
   a leftover of a renumbering and points at the earlier (an indicator is never
   listed twice under one target; repeats are across targets). This catches
   17.6.2 even without the table, and any such leftover a later file brings.
3. An indicator already in the database that a new import no longer carries is
   flagged deleted: the file is the whole list.

Retired indicators are kept (a goal may have referenced one) but flagged and
left out of pickers. Applied to the shared data: 247 current codes (231
distinct) and 5 retired.

Sources for the table: the 2020 comprehensive review, adopted by the UN
Statistical Commission at its 51st session (March 2020; report
E/CN.3/2020/2, annex II), as tabulated by the UK Office for National
Statistics ("2020 indicator changes", ONSdigital/sdg-indicators,
_posts/21-02-17-2020-indicator-changes.md): 1.a.3 was replaced by the new
1.a.1 (the old 1.a.1 was deleted); 8.9.2, 11.c.1, 13.3.2 and 17.6.1 were
deleted, and 17.6.2 became 17.6.1. open-sdg imported the 2020 titles and new
indicators without removing the deleted keys (open-sdg/sdg-translations pull
request 147, "Global title changes from the 2020 review"). The 2025
comprehensive review (56th session, March 2025; report E/CN.3/2025/6)
proposed two replacements, six revisions and three additional indicators and
no deletion, so it retires no code of these files; the framework then counts
234 distinct indicators (E/CN.3/2026/13). One of its codes is reused: 8.9.2
now names a different indicator (employed persons in the tourism industries),
so the table recognises the retired 8.9.2 by the first words of its English
text, and a later file that carries the new 8.9.2 imports it as current.
Indicators added since 2020 that these files lack (11.5.3, 2.2.4, the new
8.9.2) arrive when open-sdg publishes them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.models import (
    SDG_GOALS,
    IndicatorStatus,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    indicator_position,
    target_position,
)
from partnerships.errors import ServiceError

FALLBACK_LANGUAGE = "en"
GOALS_FILE = "global_goals.yml"
TARGETS_FILE = "global_targets.yml"
INDICATORS_FILE = "global_indicators.yml"
# The official titles in English and Spanish ship with the platform (open-sdg, MIT;
# LICENSE-DATA.txt), so a partnership can pick targets without fetching anything.
SHIPPED = Path(__file__).resolve().parent / "data" / "sdg"
# The largest real file (Spanish targets) is 46 kB: a file many times that is
# not one of them, and reading it whole would only cost memory.
MAX_FILE_BYTES = 1_000_000

# Numbers without leading zeros, as the UN writes codes: "1-01-title" would
# make a code no one uses.
_NUMBER = r"[1-9][0-9]?"
_PART = rf"{_NUMBER}|[a-z]"
GOAL_KEY = re.compile(rf"^(?P<goal>{_NUMBER})-(?P<kind>title|short)$")
TARGET_KEY = re.compile(rf"^(?P<goal>{_NUMBER})-(?P<part>{_PART})-title$")
INDICATOR_KEY = re.compile(rf"^(?P<goal>{_NUMBER})-(?P<part>{_PART})-(?P<number>{_NUMBER})-title$")


@dataclass(frozen=True)
class Retirement:
    status: IndicatorStatus
    year: int
    replaced_by: str = ""
    # For a code the UN later gave to a new indicator: the retired one is
    # recognised by how its English text begins, so the new one stays current.
    english_start: str = ""

    def applies_to(self, english: str) -> bool:
        return not self.english_start or english.lower().startswith(self.english_start.lower())


# Written by us from the sources in the module docstring.
RETIRED_INDICATORS: dict[str, Retirement] = {
    "1.a.3": Retirement(IndicatorStatus.REPLACED, 2020, replaced_by="1.a.1"),
    "8.9.2": Retirement(
        IndicatorStatus.DELETED, 2020, english_start="Proportion of jobs in sustainable tourism"
    ),
    "11.c.1": Retirement(IndicatorStatus.DELETED, 2020),
    "13.3.2": Retirement(IndicatorStatus.DELETED, 2020),
    "17.6.2": Retirement(IndicatorStatus.RENUMBERED, 2020, replaced_by="17.6.1"),
}


class SdgFileError(ServiceError):
    """A folder or file that cannot be imported. ``message`` names the file
    and, when known, the line; ``path`` and ``line`` say the same for code."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        super().__init__(message, field="sdg")
        self.path = path
        self.line = line


@dataclass
class ImportResult:
    goals: int = 0
    targets: int = 0
    indicators: int = 0  # current codes in the files
    retired: int = 0  # retired codes in the files
    repeats: int = 0  # current codes that repeat an indicator of another target
    dropped: int = 0  # indicators of an earlier import that the files no longer carry
    created: int = 0
    updated: int = 0
    languages: list[str] = field(default_factory=list)

    @property
    def distinct_indicators(self) -> int:
        return self.indicators - self.repeats


@dataclass(frozen=True)
class _Entry:
    key: str
    line: int
    text: str


@dataclass
class _Texts:
    """One language's texts, by goal number or code."""

    goals: dict[int, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)


def _fail(path: str, problem: str, line: int | None = None) -> SdgFileError:
    if line is None:
        message = _("%(file)s: %(problem)s") % {"file": path, "problem": problem}
    else:
        message = _("%(file)s, line %(line)d: %(problem)s") % {
            "file": path,
            "line": line,
            "problem": problem,
        }
    return SdgFileError(message, path=path, line=line)


def _read_entries(path: Path, shown: str) -> list[_Entry]:
    """The ``key: text`` pairs of one file, with their lines. Composing the
    YAML (rather than loading it) keeps each key's line, finds repeated keys
    that loading would silently merge, and never builds Python objects from tags."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _fail(shown, _("the file is missing.")) from None
    except OSError as error:
        raise _fail(
            shown, _("the file cannot be read (%(reason)s).") % {"reason": error.strerror}
        ) from None
    if not path.is_file():
        raise _fail(shown, _("this is a folder, not a file."))
    if size > MAX_FILE_BYTES:
        raise _fail(
            shown,
            ngettext(
                "the file is %(size)d byte; the largest accepted is %(limit)d.",
                "the file is %(size)d bytes; the largest accepted is %(limit)d.",
                size,
            )
            % {"size": size, "limit": MAX_FILE_BYTES},
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _fail(
            shown, _("the file cannot be read (%(reason)s).") % {"reason": error.strerror}
        ) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _fail(
            shown, _("the file is not UTF-8 text: save it as UTF-8 and import it again."), line
        ) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or ""
        raise _fail(
            shown,
            _("this is not valid YAML (%(problem)s).") % {"problem": problem},
            mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError:
        raise _fail(shown, _("this is not valid YAML.")) from None
    if root is None:
        raise _fail(shown, _("the file is empty."))
    if not isinstance(root, yaml.MappingNode):
        raise _fail(
            shown,
            _("the file must be a list of “key: text” lines, such as “1-2-title: …”."),
            root.start_mark.line + 1,
        )
    entries: list[_Entry] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            raise _fail(shown, _("each line must be a key followed by a text."), line)
        key = str(key_node.value).strip()
        if key in first_line:
            raise _fail(
                shown,
                _("the key %(key)s is repeated (it is first on line %(first)d).")
                % {"key": key, "first": first_line[key]},
                line,
            )
        first_line[key] = line
        # The Spanish files spell accents as combining marks (NFD): composed
        # (NFC) text is what people type when they search, and what small
        # phone fonts draw best.
        text = unicodedata.normalize("NFC", " ".join(str(value_node.value).split()))
        entries.append(_Entry(key, line, text))
    return entries


def _goal_number(entry: _Entry, match: re.Match[str], shown: str, goals: set[int]) -> int:
    number = int(match["goal"])
    if number not in goals:
        raise _fail(
            shown,
            _("%(key)s: there is no goal %(number)d (the goals are numbered 1 to %(last)d).")
            % {"key": entry.key, "number": number, "last": SDG_GOALS},
            entry.line,
        )
    return number


def _unknown_key(entry: _Entry, shown: str, example: str) -> SdgFileError:
    return _fail(
        shown,
        _("%(key)s is not a key this file can have (keys look like %(example)s).")
        % {"key": entry.key[:80], "example": example},
        entry.line,
    )


def _read_language(
    folder: Path, language: str, *, goals: set[int], english: _Texts | None
) -> _Texts:
    """Check and read one language's three files. ``english`` is None while
    reading English itself; afterwards it is what other languages may translate."""
    texts = _Texts()

    def shown(name: str) -> str:
        return f"{language}/{name}"

    def text_of(entry: _Entry, where: str) -> str | None:
        if entry.text:
            return entry.text
        if english is None:
            raise _fail(where, _("%(key)s has no text.") % {"key": entry.key}, entry.line)
        return None  # an untranslated text: English is shown instead

    where = shown(GOALS_FILE)
    for entry in _read_entries(folder / language / GOALS_FILE, where):
        match = GOAL_KEY.match(entry.key)
        if match is None:
            raise _unknown_key(entry, where, "1-title")
        number = _goal_number(entry, match, where, goals)
        if match["kind"] == "title" and (text := text_of(entry, where)):
            texts.goals[number] = text

    where = shown(TARGETS_FILE)
    for entry in _read_entries(folder / language / TARGETS_FILE, where):
        match = TARGET_KEY.match(entry.key)
        if match is None:
            raise _unknown_key(entry, where, "1-2-title, 1-a-title")
        number = _goal_number(entry, match, where, goals)
        code = f"{number}.{match['part']}"
        if english is not None and code not in english.targets:
            raise _not_in_english(entry, where)
        if text := text_of(entry, where):
            texts.targets[code] = text

    where = shown(INDICATORS_FILE)
    known_targets = texts.targets if english is None else english.targets
    for entry in _read_entries(folder / language / INDICATORS_FILE, where):
        match = INDICATOR_KEY.match(entry.key)
        if match is None:
            raise _unknown_key(entry, where, "1-2-1-title, 1-a-1-title")
        number = _goal_number(entry, match, where, goals)
        target = f"{number}.{match['part']}"
        code = f"{target}.{int(match['number'])}"
        if english is not None and code not in english.indicators:
            raise _not_in_english(entry, where)
        if target not in known_targets:
            raise _fail(
                where,
                _(
                    "%(key)s: indicator %(code)s belongs to target %(target)s, which is not in %(file)s."
                )
                % {"key": entry.key, "code": code, "target": target, "file": shown(TARGETS_FILE)},
                entry.line,
            )
        if text := text_of(entry, where):
            texts.indicators[code] = text
    return texts


def _not_in_english(entry: _Entry, where: str) -> SdgFileError:
    return _fail(
        where,
        _("%(key)s is not in the English file: a translation can only translate what it has.")
        % {"key": entry.key},
        entry.line,
    )


def supported_languages() -> list[str]:
    """English first (the fallback), then the product's other languages."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [FALLBACK_LANGUAGE, *(c for c in codes if c != FALLBACK_LANGUAGE)]


def read_folder(folder: Path | str, *, goals: Iterable[int]) -> dict[str, _Texts]:
    """Every supported language present in ``folder``, checked; English required."""
    folder = Path(folder)
    if not folder.is_dir():
        raise _fail(str(folder), _("there is no such folder."))
    if not (folder / FALLBACK_LANGUAGE).is_dir():
        raise _fail(
            str(folder),
            _(
                "there is no %(lang)s/ folder in it. The English titles are required: "
                "they are shown wherever a translation is missing."
            )
            % {"lang": FALLBACK_LANGUAGE},
        )
    numbers = set(goals)
    english = _read_language(folder, FALLBACK_LANGUAGE, goals=numbers, english=None)
    result = {FALLBACK_LANGUAGE: english}
    for language in supported_languages()[1:]:
        if (folder / language).is_dir():
            result[language] = _read_language(folder, language, goals=numbers, english=english)
    return result


def _retirement(code: str, english: str, earlier: dict[str, str]) -> tuple[str, int | None, str]:
    """(status, year, replaced-by code) by the rule of the module docstring.
    ``earlier`` maps the English texts of the earlier codes of the same target
    to their codes."""
    known = RETIRED_INDICATORS.get(code)
    if known is not None and known.applies_to(english):
        return known.status, known.year, known.replaced_by
    if english.lower() in earlier:
        return IndicatorStatus.RENUMBERED, None, earlier[english.lower()]
    return IndicatorStatus.CURRENT, None, ""


def _merged(old: dict[str, str], new: dict[str, str | None]) -> dict[str, str]:
    """The stored texts with this import's languages laid over them: a
    language this import lacks keeps what an earlier import gave it."""
    return {**old, **{language: text for language, text in new.items() if text}}


@transaction.atomic
def import_sdg(*, folder: Path | str) -> ImportResult:
    """Load the official goal, target and indicator titles from an open-sdg
    translations folder; all or nothing."""
    goals = {goal.number: goal for goal in SdgGoal.objects.all()}
    texts = read_folder(folder, goals=goals)
    english = texts[FALLBACK_LANGUAGE]
    result = ImportResult(languages=list(texts))

    changed_goals = []
    for number, goal in goals.items():
        titles = _merged(goal.titles, {lang: t.goals.get(number) for lang, t in texts.items()})
        if titles != goal.titles:
            goal.titles = titles
            changed_goals.append(goal)
    SdgGoal.objects.bulk_update(changed_goals, ["titles"])
    result.goals = len(english.goals)

    targets = {target.code: target for target in SdgTarget.objects.all()}
    new_targets, changed_targets = [], []
    for code in sorted(english.targets, key=target_position):
        target = targets.get(code)
        if target is None:
            target = SdgTarget(
                code=code, goal=goals[int(code.split(".")[0])], position=target_position(code)
            )
            targets[code] = target
            new_targets.append(target)
        titles = _merged(target.titles, {lang: t.targets.get(code) for lang, t in texts.items()})
        if titles != target.titles:
            target.titles = titles
            if target.pk is not None:
                changed_targets.append(target)
    SdgTarget.objects.bulk_create(new_targets)
    SdgTarget.objects.bulk_update(changed_targets, ["titles"])
    result.targets = len(english.targets)
    result.created += len(new_targets)
    result.updated += len(changed_goals) + len(changed_targets)
    _write_indicators(texts, targets=targets, result=result)
    return result


def _write_indicators(
    texts: dict[str, _Texts], *, targets: dict[str, SdgTarget], result: ImportResult
) -> None:
    english = texts[FALLBACK_LANGUAGE]
    existing = {i.code: i for i in SdgIndicator.objects.select_related("target")}
    plan: dict[str, dict[str, Any]] = {}
    links: dict[str, tuple[str, str]] = {}  # code -> (replaced by, repeat of)
    earlier_by_target: dict[str, dict[str, str]] = {}
    first_by_text: dict[str, str] = {}
    for code in sorted(english.indicators, key=indicator_position):
        text = english.indicators[code].lower()
        target_code = code.rsplit(".", 1)[0]
        earlier = earlier_by_target.setdefault(target_code, {})
        status, year, replaced_by = _retirement(code, text, earlier)
        earlier.setdefault(text, code)
        repeat_of = ""
        if status == IndicatorStatus.CURRENT:
            first = first_by_text.setdefault(text, code)
            repeat_of = "" if first == code else first
            result.indicators += 1
            result.repeats += bool(repeat_of)
        else:
            result.retired += 1
        old = existing.get(code)
        plan[code] = {
            "target": targets[target_code],
            "titles": _merged(
                old.titles if old else {},
                {lang: t.indicators.get(code) for lang, t in texts.items()},
            ),
            "status": status,
            "retired_in": year,
        }
        links[code] = (replaced_by, repeat_of)

    fields = list(next(iter(plan.values())).keys()) if plan else []
    new, changed = [], []
    for code, values in plan.items():
        indicator = existing.get(code)
        if indicator is None:
            indicator = SdgIndicator(code=code, position=indicator_position(code))
            existing[code] = indicator
            new.append(indicator)
        elif any(getattr(indicator, name) != value for name, value in values.items()):
            changed.append(indicator)
        for name, value in values.items():
            setattr(indicator, name, value)
    SdgIndicator.objects.bulk_create(new)
    SdgIndicator.objects.bulk_update(changed, fields)

    # Links between indicators, once every one of them has a row. A successor
    # the files do not carry is left unknown rather than guessed.
    linked = []
    for code, (replaced_by_code, repeat_of_code) in links.items():
        indicator = existing[code]
        successor = existing.get(replaced_by_code) if replaced_by_code else None
        listed_first = existing.get(repeat_of_code) if repeat_of_code else None
        if (indicator.replaced_by_id, indicator.repeat_of_id) != (
            getattr(successor, "pk", None),
            getattr(listed_first, "pk", None),
        ):
            indicator.replaced_by, indicator.repeat_of = successor, listed_first
            linked.append(indicator)
    SdgIndicator.objects.bulk_update(linked, ["replaced_by", "repeat_of"])

    result.dropped = (
        SdgIndicator.objects.current()
        .exclude(code__in=plan)
        .update(status=IndicatorStatus.DELETED, repeat_of=None)
    )
    result.created += len(new)
    touched = {i.code for i in changed} | {i.code for i in linked}
    result.updated += len(touched - {i.code for i in new}) + result.dropped
