"""Import and export of the stakeholder map as CSV or XLSX. No views here:
reading a file into rows, checking them into a report, applying a report in
one transaction through ``stakeholders.services``, and writing tables.

Every exported text cell that a spreadsheet could take for a formula is
neutralised with a leading quote; imported text is stored as plain text (a
quote our own export added is taken off again, so a round trip is stable).
Exports name actors only through ``stakeholders.display`` (protection)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.errors import ServiceError
from partnerships.models import Member, Partnership, PartnerType
from partnerships.permissions import Action, can
from partnerships.protection import has_clearance
from partnerships.text import without_controls
from stakeholders import display, services
from stakeholders.models import Actor, ActorKind, Relation, RelationType, Segment

ACTORS, RELATIONS = "actors", "relations"
FORMATS = ("csv", "xlsx")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTACT_COLUMNS = ("contact_email", "contact_phone", "contact_notes")

# Column -> other headers accepted for it (compared without case or accents).
ACTOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nombre",),
    "kind": ("tipo", "tipo_de_actor", "kind_of_actor"),
    "partner_type": ("tipo_de_socio",),
    "area_code": ("codigo_de_area", "codigo_area"),
    "locality_name": ("locality", "localidad"),
    "segments": ("segmentos",),
    "tags": ("etiquetas",),
    "description": ("descripcion",),
    "contact_email": ("email", "correo", "correo_de_contacto"),
    "contact_phone": ("phone", "telefono", "telefono_de_contacto"),
    "contact_notes": ("notas_de_contacto",),
}
RELATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("from", "origen"),
    "target": ("to", "destino"),
    "relation_type": ("relation", "tipo_de_relacion", "relacion"),
    "directed": ("dirigida",),
    "strength": ("fuerza", "intensidad"),
    "note": ("nota",),
}
REQUIRED = {ACTORS: ("name",), RELATIONS: ("source", "target", "relation_type")}
MAX_LENGTHS = {"name": 200, "area_code": 20, "locality_name": 200, "contact_phone": 40}
MAX_LENGTHS["note"] = 500
# Spelled out, so that they are read whatever the catalogues say.
SPANISH_KINDS = {"organization": "organisation", "organizacion": "organisation", "grupo": "group"}
SPANISH_KINDS.update(individuo="individual", persona="individual")
SPANISH_TYPES = {"empresa": "company", "comunidad": "community", "gobierno": "government"}
SPANISH_TYPES.update(sociedad_civil="civil_society", facilitador="facilitator")
TRUE = {"true", "yes", "y", "1", "si", "verdadero", "x"}
FALSE = {"false", "no", "n", "0", "falso"}

Rows = list[tuple[int, list[str]]]


def max_import_bytes() -> int:
    return int(getattr(settings, "HSBP_MAX_IMPORT_BYTES", DEFAULT_MAX_BYTES))


class FileProblem(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int | None  # as the spreadsheet numbers it (the header is usually row 1)
    column: str
    message: str


@dataclass
class Report:
    what: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})


class ImportFailed(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


# --- Reading ------------------------------------------------------------------------


def _norm(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold().strip()
    return re.sub(r"[\s\-]+", "_", plain)


def plain_text(value: Any) -> str:
    """A cell as stored text. Formulas stay text; the quote of our export goes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = without_controls(str(value)).strip()
    if text.startswith("'") and text[1:2] and text[1] in "=+-@":
        text = text[1:]
    return text


def _unreadable() -> FileProblem:
    return FileProblem(_("This file could not be read. Save it as CSV (UTF-8) or XLSX."))


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data:
        raise _unreadable()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable()
    # Spreadsheets in Spanish save with ";": the header line tells.
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise _unreadable() from None


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise FileProblem(_("This spreadsheet is too large once unpacked."))
        # Not data_only: a formula is read as its text, never as a computed value.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileProblem:
        raise
    except Exception:
        raise _unreadable() from None
    rows: list[list[Any]] = []
    try:
        if book.worksheets:
            sheet = book.worksheets[0]
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                rows.append(list(values))
                if len(rows) > 20 * MAX_ROWS:
                    break
    except Exception:
        raise _unreadable() from None
    finally:
        book.close()
    return rows


def read_rows(data: bytes, extension: str) -> Rows:
    """The non-blank rows of the file (of its first sheet), numbered as a
    spreadsheet numbers them."""
    raw = _read_xlsx(data) if extension == "xlsx" else _read_csv(data)
    rows: Rows = []
    for number, values in enumerate(raw, start=1):
        cells = [plain_text(v) for v in values[:MAX_COLUMNS]]
        if any(cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS + 1 or number > 20 * MAX_ROWS:
            raise FileProblem(
                ngettext(
                    "This file has more than %(n)s row; split it.",
                    "This file has more than %(n)s rows; split it.",
                    MAX_ROWS,
                )
                % {"n": MAX_ROWS}
            )
    return rows


# --- Checking ----------------------------------------------------------------------


def _choices(choices: type[models.TextChoices], **extra: str) -> dict[str, str]:
    """Codes, and labels in English and Spanish, to the code."""
    lookup = {_norm(k): v for k, v in extra.items()}
    for language in ("en", "es"):
        with translation.override(language):
            lookup.update({_norm(str(label)): value for value, label in choices.choices})
    lookup.update({_norm(value): value for value in choices.values})
    return lookup


Columns = dict[str, tuple[int, str]]


def _header(
    report: Report, row: tuple[int, list[str]], known: dict[str, tuple[str, ...]]
) -> Columns:
    """Column -> (index, header as written). Header problems go in the report."""
    number, cells = row
    aliases = {_norm(a): col for col, names in known.items() for a in (col, *names)}
    columns: Columns = {}
    twice: list[str] = []
    for index, label in enumerate(cells):
        col = aliases.get(_norm(label))
        if col is None:
            report.ignored += [label] if label else []
        elif col in columns:
            twice.append(label)
        else:
            columns[col] = (index, label)
    missing = ", ".join(c for c in REQUIRED[report.what] if c not in columns)
    if missing:
        message = _(
            "The first row must name the columns; these required ones are missing: %(missing)s. "
            "The columns are: %(expected)s."
        ) % {"missing": missing, "expected": ", ".join(known)}
        report.problems.append(Problem(number, missing, message))
    if twice:
        message = _("These columns appear more than once: %(cols)s.") % {"cols": ", ".join(twice)}
        report.problems.append(Problem(number, ", ".join(twice), message))
    return columns


class _Row:
    """One data row: its cells by column, and a way to note a problem."""

    def __init__(self, report: Report, number: int, cells: list[str], columns: Columns) -> None:
        self.report, self.number, self.cells, self.columns = report, number, cells, columns
        self.ok = True

    def get(self, col: str) -> str:
        index = self.columns[col][0] if col in self.columns else len(self.cells)
        return self.cells[index] if index < len(self.cells) else ""

    def problem(self, col: str, message: str, **values: Any) -> None:
        label = self.columns[col][1] if col in self.columns else col
        self.report.problems.append(Problem(self.number, label, message % values))
        self.ok = False

    def choice(
        self, col: str, lookup: dict[str, str], unknown: str, default: str | None = None
    ) -> str | None:
        """The code a cell names; a problem (``unknown``) if it names none."""
        text = self.get(col)
        if not text:
            if default is None:
                self.problem(col, _("This column needs a value."))
            return default
        if _norm(text) not in lookup:
            codes = ", ".join(sorted(set(lookup.values())))
            self.problem(col, unknown, v=text, c=codes)
            return None
        return lookup[_norm(text)]

    def too_long(self, *cols: str) -> None:
        for col in cols:
            if len(self.get(col)) > MAX_LENGTHS[col]:
                limit = MAX_LENGTHS[col]
                too_long = ngettext(
                    "Too long: at most %(n)s character.",
                    "Too long: at most %(n)s characters.",
                    limit,
                )
                self.problem(col, too_long, n=limit)


def _rows(report: Report, rows: Rows, known: dict[str, tuple[str, ...]]) -> list[_Row]:
    if not rows:
        report.problems.append(Problem(None, "", _("The file is empty.")))
        return []
    columns = _header(report, rows[0], known)
    if report.problems:
        return []  # Wrong headers: said once, and nothing else.
    report.rows = len(rows) - 1
    if not report.rows:
        report.problems.append(Problem(rows[0][0], "", _("The file has no rows to import.")))
    return [_Row(report, number, cells, columns) for number, cells in rows[1:]]


def check_actors(rows: Rows, partnership: Partnership, member: Member) -> Report:
    report = Report(ACTORS)
    known = dict(ACTOR_COLUMNS)
    if not can(member, "contact", Action.VIEW):
        for col in CONTACT_COLUMNS:
            del known[col]
    segments = {s.code.casefold(): s for s in Segment.objects.filter(partnership=partnership)}
    kinds = _choices(ActorKind, **SPANISH_KINDS)
    types = _choices(PartnerType, **SPANISH_TYPES)
    # Only names the importer can see: a clash with a hidden actor's real name
    # would tell the uncleared that someone of that name is on the map, flagged.
    known_actors = Actor.objects.filter(partnership=partnership)
    if not has_clearance(member):
        known_actors = known_actors.filter(at_risk=False)
    names = known_actors.values_list("name", "kind")
    on_map = {(name.casefold(), kind) for name, kind in names}
    seen: dict[tuple[str, str], int] = {}
    for row in _rows(report, rows, known):
        name = row.get("name")
        if not name:
            row.problem("name", _("An actor needs a name."))
        row.too_long("name", "area_code", "locality_name", "contact_phone")
        unknown = _("Unknown kind of actor “%(v)s”. Use one of: %(c)s.")
        kind = row.choice("kind", kinds, unknown, default=ActorKind.ORGANISATION)
        unknown = _("Unknown partner type “%(v)s”. Use one of: %(c)s.")
        partner_type = row.choice("partner_type", types, unknown, default="")
        chosen: list[Segment] = []
        for code in filter(None, (c.strip() for c in re.split(r"[;,]", row.get("segments")))):
            if code.casefold() in segments:
                chosen.append(segments[code.casefold()])
            else:
                message = _("Unknown segment “%(code)s”. This partnership’s segments: %(codes)s.")
                row.problem("segments", message, code=code, codes=", ".join(sorted(segments)))
        if row.get("contact_email"):
            try:
                validate_email(row.get("contact_email"))
            except ValidationError:
                message = _("“%(v)s” is not a valid email address.")
                row.problem("contact_email", message, v=row.get("contact_email"))
        if name and kind is not None:
            key = (name.casefold(), kind)
            if key in seen:
                message = _("This actor appears twice in the file (first on row %(row)s).")
                row.problem("name", message, row=seen[key])
            elif key in on_map:
                row.problem("name", _("This actor is already on the map."))
            seen.setdefault(key, row.number)
        if row.ok:
            tags = [t.strip() for t in row.get("tags").split(";") if t.strip()]
            values = {col: row.get(col) for col in known}
            values.update(kind=kind or "", partner_type=partner_type or "")
            report.valid.append((row.number, {**values, "segments": chosen, "tags": tags}))
    return report


def check_relations(rows: Rows, partnership: Partnership, member: Member) -> Report:
    report = Report(RELATIONS)
    # Actors by the name this viewer knows them by: a protected actor only by
    # its pseudonym for someone without clearance, as everywhere else.
    names: dict[str, list[Actor]] = {}
    for actor in Actor.objects.filter(partnership=partnership):
        names.setdefault(display.actor_name(actor, member).casefold(), []).append(actor)
    types = _choices(RelationType)
    existing = Relation.objects.filter(partnership=partnership)
    on_map = set(existing.values_list("source_id", "target_id", "relation_type"))
    seen: dict[tuple[int, int, str], int] = {}
    for row in _rows(report, rows, RELATION_COLUMNS):
        ends: list[Actor] = []
        for end in ("source", "target"):
            name = row.get(end)
            matches = names.get(name.casefold(), [])
            if not name:
                row.problem(end, _("Name an actor of this map."))
            elif not matches:
                row.problem(end, _("“%(name)s” is not on this map."), name=name)
            elif len(matches) > 1:
                row.problem(end, _("Several actors on this map are called “%(name)s”."), name=name)
            else:
                ends.append(matches[0])
        unknown = _("Unknown kind of relation “%(v)s”. Use one of: %(c)s.")
        kind = row.choice("relation_type", types, unknown)
        directed = _norm(row.get("directed") or "true")
        if directed not in TRUE | FALSE:
            row.problem("directed", _("Write true or false."))
        strength = _strength(row.get("strength"))
        if strength is None:
            row.problem("strength", _("The strength is a whole number from 1 to 5."))
        row.too_long("note")
        if len(ends) == 2 and ends[0].pk == ends[1].pk:
            row.problem("target", _("An actor cannot be related to itself."))
        elif len(ends) == 2 and kind is not None:
            key = (ends[0].pk, ends[1].pk, kind)
            if key in seen:
                message = _("This relation appears twice in the file (first on row %(row)s).")
                row.problem("relation_type", message, row=seen[key])
            elif key in on_map:
                row.problem("relation_type", _("This relation is already on the map."))
            seen.setdefault(key, row.number)
        if row.ok:
            fields: dict[str, Any] = {"source": ends[0], "target": ends[1], "relation_type": kind}
            fields.update(directed=directed in TRUE, strength=strength, note=row.get("note"))
            report.valid.append((row.number, fields))
    return report


def _strength(text: str) -> int | None:
    if not text:
        return 3
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def check(
    data: bytes, extension: str, what: str, partnership: Partnership, member: Member
) -> Report:
    rows = read_rows(data, extension)
    checker = check_actors if what == ACTORS else check_relations
    return checker(rows, partnership, member)


def apply(report: Report, *, partnership: Partnership, by: Any) -> int:
    """Write the valid rows of a report, all or nothing, each through the
    audited service. Returns how many were written."""
    try:
        with transaction.atomic():
            for number, fields in report.valid:
                try:
                    if report.what == ACTORS:
                        services.create_actor(by=by, partnership=partnership, **fields)
                    else:
                        services.relate(by=by, partnership=partnership, **fields)
                except ServiceError as error:
                    raise ImportFailed(Problem(number, error.field or "", error.message)) from None
    except IntegrityError:
        message = _("The map changed while importing; nothing was imported. Try again.")
        raise ImportFailed(Problem(None, "", message)) from None
    return len(report.valid)
