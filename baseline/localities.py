"""Localities from official files: DANE's DIVIPOLA list of municipalities (CSV
as published) and boundaries from TopoJSON or GeoJSON.

``import_localities`` checks everything first and writes all or nothing: a
boundary file that names a code the partnership does not have is refused with
the count and the first codes, unless the caller asks to skip such codes.
The command ``hsbp import_localities`` and the localities upload page are
thin layers over it. Every problem of a file is reported at once
(``LocalityFileProblems``), up to ``MAX_PROBLEMS``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline.models import Locality, LocalityKind
from partnerships import bounded_json
from partnerships.audit import record_event, save_audited
from partnerships.kinds import kind_of
from partnerships.models import AuditAction, Partnership
from partnerships.services import ServiceError

DIVIPOLA_COLUMNS = ("COD_DPTO", "NOM_DPTO", "COD_MPIO", "NOM_MPIO", "TIPO", "LATITUD", "LONGITUD")
DEFAULT_CODE_PROPERTY = "MPIO_CCNCT"
DEPARTMENT_CODE_PROPERTY = "DPTO_CCDGO"
DECIMALS = 4  # about 11 m: more than a page-sized map can show
SHOWN_CODES = 10
MAX_PROBLEMS = 20  # a report longer than this helps no one: the first ones show the pattern


class LocalityFileProblems(ServiceError):
    """A file (or two) that cannot be imported, with every problem found, so
    that a person can correct them all at once. ``message`` has them all, one
    a line (the command prints it)."""

    def __init__(self, problems: Sequence[str], *, field: str | None = None) -> None:
        super().__init__("\n".join(problems), field=field)
        self.problems = list(problems)


def problems_of(error: ServiceError) -> list[str]:
    """Every problem a refusal names (one, unless it is a ``LocalityFileProblems``)."""
    return list(getattr(error, "problems", None) or [error.message])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    boundaries: int = 0
    skipped_codes: list[str] = field(default_factory=list)


@dataclass
class LocalityRow:
    code: str
    name: str
    kind: str
    parent_code: str = ""
    parent_name: str = ""
    latitude: float | None = None
    longitude: float | None = None


def _title(text: str) -> str:
    """DANE writes names in capitals; "BOGOTÁ, D.C." reads better as "Bogotá, D.C."."""
    small = {"de", "del", "la", "las", "los", "y", "el", "en"}
    words = text.strip().lower().split()
    return " ".join(
        w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words)
    ).replace("D.c.", "D.C.")


def _float(text: str) -> float | None:
    try:
        return round(float(text.replace(",", ".")), 6)
    except ValueError:
        return None


def _text(data: bytes | str) -> str:
    """The file as text: UTF-8 as DANE publishes it, or Windows-1252 as a
    spreadsheet program in Spanish saves it."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if b"\x00" in data[:4096]:
        raise ServiceError(
            _("This is not a CSV text file (a spreadsheet? Save it as CSV first)."),
            field="divipola",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ServiceError(
                _("The list is not in a known text encoding (UTF-8 or Windows-1252)."),
                field="divipola",
            ) from None


def _delimiter(text: str) -> str:
    """Commas as published; semicolons as a spreadsheet program in Spanish saves."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _too_many(problems: list[str], count: int) -> None:
    if count > MAX_PROBLEMS:
        more = count - MAX_PROBLEMS
        problems.append(
            ngettext(
                "And %(n)d more line with problems.", "And %(n)d more lines with problems.", more
            )
            % {"n": more}
        )


def read_divipola(
    data: bytes | str,
    *,
    departments: Iterable[str] = (),
    codes: Iterable[str] = (),
) -> list[LocalityRow]:
    """Departments and municipalities from DIVIPOLA's CSV. Codes are published
    without leading zeros: departments are padded to 2 digits, municipalities
    to 5. ``departments``/``codes`` keep only those (and their departments).
    Every bad line is reported (up to ``MAX_PROBLEMS``), and a selected code
    that is not in the list too."""
    text = _text(data)
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    headers = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in DIVIPOLA_COLUMNS if c not in headers]
    if missing:
        raise ServiceError(
            _(
                "This is not DANE's DIVIPOLA list: the columns %(missing)s are missing "
                "(expected %(expected)s; found %(found)s)."
            )
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join(DIVIPOLA_COLUMNS),
                "found": ", ".join(h[:40] for h in headers[:12]) or _("no header row"),
            },
            field="divipola",
        )
    wanted_departments = {d.strip().zfill(2) for d in departments if d.strip()}
    wanted_codes = {c.strip().zfill(5) for c in codes if c.strip()}
    result: dict[str, LocalityRow] = {}
    problems: list[str] = []
    bad_lines = 0
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        department, municipality = row["COD_DPTO"].zfill(2), row["COD_MPIO"].zfill(5)
        problem = ""
        if not row["COD_DPTO"].isdigit() or not row["COD_MPIO"].isdigit():
            problem = _("Line %(n)d: the codes must be numbers (found %(d)r and %(m)r).") % {
                "n": number,
                "d": row["COD_DPTO"][:20],
                "m": row["COD_MPIO"][:20],
            }
        elif not municipality.startswith(department) or len(municipality) != 5:
            problem = _("Line %(n)d: municipality %(m)s is not in department %(d)s.") % {
                "n": number,
                "m": municipality,
                "d": department,
            }
        elif not row["NOM_DPTO"] or not row["NOM_MPIO"]:
            problem = _("Line %(n)d: the name of the department or municipality is missing.") % {
                "n": number
            }
        if problem:
            bad_lines += 1
            if bad_lines <= MAX_PROBLEMS:
                problems.append(problem)
            continue
        seen.update((department, municipality))
        if wanted_departments and department not in wanted_departments:
            continue
        if wanted_codes and municipality not in wanted_codes:
            continue
        department_name = _title(row["NOM_DPTO"])
        result.setdefault(
            department,
            LocalityRow(code=department, name=department_name, kind=LocalityKind.DEPARTMENT),
        )
        result[municipality] = LocalityRow(
            code=municipality,
            name=_title(row["NOM_MPIO"])[:200],
            kind=LocalityKind.MUNICIPALITY,
            parent_code=department,
            parent_name=department_name,
            latitude=_float(row["LATITUD"]),
            longitude=_float(row["LONGITUD"]),
        )
    _too_many(problems, bad_lines)
    unknown = sorted((wanted_departments | wanted_codes) - seen)
    if unknown and not problems:
        problems.append(
            _("These codes are not in the list: %(codes)s.")
            % {
                "codes": ", ".join(unknown[:SHOWN_CODES])
                + ("…" if len(unknown) > SHOWN_CODES else "")
            }
        )
    if problems:
        raise LocalityFileProblems(problems, field="divipola")
    if not result:
        raise ServiceError(_("No municipality of the list matches the selection."), field="codes")
    return list(result.values())


# -- boundaries ---------------------------------------------------------------


def _round_ring(ring: Sequence[Sequence[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y, *_rest in ring:
        point = [round(float(x), DECIMALS), round(float(y), DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry with coordinates rounded (and repeated points dropped)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_round_ring(r) for r in geometry["coordinates"]]}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [[_round_ring(r) for r in p] for p in geometry["coordinates"]],
        }
    raise ServiceError(
        _("Only Polygon and MultiPolygon boundaries can be imported (found %(t)s).")
        % {"t": kind or _("nothing")},
        field="boundaries",
    )


class TopoJSON:
    """A minimal TopoJSON decoder: arcs are delta-encoded and quantized when
    the topology has a ``transform``; a negative arc index ``~i`` is arc ``i``
    reversed; consecutive arcs of a ring share their joining point."""

    def __init__(self, topology: dict[str, Any]) -> None:
        transform = topology.get("transform")
        self.arcs: list[list[tuple[float, float]]] = []
        for arc in topology.get("arcs", []):
            points: list[tuple[float, float]] = []
            if transform:
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                x = y = 0
                for dx, dy, *_rest in arc:
                    x, y = x + dx, y + dy
                    points.append((x * sx + tx, y * sy + ty))
            else:
                points = [(float(p[0]), float(p[1])) for p in arc]
            self.arcs.append(points)

    def _arc(self, index: int) -> list[tuple[float, float]]:
        return self.arcs[index] if index >= 0 else self.arcs[~index][::-1]

    def ring(self, indexes: Sequence[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i, index in enumerate(indexes):
            arc = self._arc(index)
            points.extend(arc if i == 0 else arc[1:])
        return points

    def geometry(self, obj: dict[str, Any]) -> dict[str, Any]:
        kind = obj.get("type")
        if kind == "Polygon":
            return {"type": kind, "coordinates": [self.ring(r) for r in obj["arcs"]]}
        if kind == "MultiPolygon":
            return {
                "type": kind,
                "coordinates": [[self.ring(r) for r in polygon] for polygon in obj["arcs"]],
            }
        return {"type": kind}


_DAMAGED = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def _area_code(properties: Any, code_property: str, topology: bool) -> str:
    if not isinstance(properties, dict):
        return ""
    code = str(properties.get(code_property) or "")
    if (
        not code
        and topology
        and DEPARTMENT_CODE_PROPERTY in properties
        and "MPIO_CCDGO" not in properties
    ):
        code = str(properties[DEPARTMENT_CODE_PROPERTY]).zfill(2)
    return code[:20]


def read_boundaries(
    data: bytes | str, *, code_property: str = DEFAULT_CODE_PROPERTY
) -> dict[str, dict[str, Any]]:
    """Code → rounded geometry, from a TopoJSON topology (every object whose
    geometries carry ``code_property``, and department objects by their
    2-digit ``DPTO_CCDGO``) or a GeoJSON FeatureCollection. Every area whose
    geometry cannot be read is reported (up to ``MAX_PROBLEMS``)."""
    try:
        document = bounded_json.loads(data)
    except bounded_json.JsonTooDeep as error:
        raise ServiceError(str(error), field="boundaries") from None
    except (ValueError, UnicodeDecodeError):
        raise ServiceError(
            _("The boundary file is not JSON (TopoJSON or GeoJSON)."), field="boundaries"
        ) from None
    if not isinstance(document, dict):
        raise ServiceError(_("The boundary file is not TopoJSON or GeoJSON."), field="boundaries")
    found: dict[str, dict[str, Any]] = {}
    bad: list[str] = []
    if document.get("type") == "Topology":
        try:
            topology = TopoJSON(document)
            objects = list((document.get("objects") or {}).values())
            areas = [g for obj in objects for g in obj.get("geometries", [obj])]
            areas = [area for area in areas if isinstance(area, dict)]
        except _DAMAGED:
            raise ServiceError(
                _("The TopoJSON file is damaged: its arcs or objects cannot be read."),
                field="boundaries",
            ) from None
        for area in areas:
            code = _area_code(area.get("properties"), code_property, True)
            if not code or area.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            try:
                found[code] = rounded(topology.geometry(area))
            except _DAMAGED:
                bad.append(code)
    elif document.get("type") == "FeatureCollection":
        features = document.get("features") or []
        for feature in features if isinstance(features, list) else []:
            if not isinstance(feature, dict):
                continue
            code = _area_code(feature.get("properties"), code_property, False)
            if not code or not feature.get("geometry"):
                continue
            try:
                found[code] = rounded(feature["geometry"])
            except _DAMAGED:
                bad.append(code)
    else:
        raise ServiceError(
            _("The boundary file is neither a TopoJSON topology nor a GeoJSON FeatureCollection."),
            field="boundaries",
        )
    if bad:
        problems = [
            _("Area %(code)s: its geometry cannot be read.") % {"code": code}
            for code in bad[:MAX_PROBLEMS]
        ]
        _too_many(problems, len(bad))
        raise LocalityFileProblems(problems, field="boundaries")
    if not found:
        raise ServiceError(
            _("No area of the boundary file has the property %(p)s.") % {"p": code_property},
            field="boundaries",
        )
    return found


# -- writing ------------------------------------------------------------------


def unknown_codes_message(codes: Sequence[str]) -> str:
    shown = ", ".join(codes[:SHOWN_CODES])
    more = "…" if len(codes) > SHOWN_CODES else ""
    return ngettext(
        "The boundary file names %(n)d area that is not a locality of this partnership "
        "(%(codes)s%(more)s). Nothing was imported.",
        "The boundary file names %(n)d areas that are not localities of this partnership "
        "(%(codes)s%(more)s). Nothing was imported.",
        len(codes),
    ) % {"n": len(codes), "codes": shown, "more": more}


def check_files(
    *,
    divipola: bytes | str | None,
    boundaries: bytes | str | None,
    departments: Sequence[str] = (),
    codes: Sequence[str] = (),
    code_property: str = DEFAULT_CODE_PROPERTY,
) -> tuple[list[LocalityRow], dict[str, dict[str, Any]]]:
    """Read both files; the problems of both are reported together."""
    rows: list[LocalityRow] = []
    shapes: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    field = None
    if divipola:
        try:
            rows = read_divipola(divipola, departments=departments, codes=codes)
        except ServiceError as error:
            problems += problems_of(error)
            field = error.field
    if boundaries:
        try:
            shapes = read_boundaries(boundaries, code_property=code_property)
        except ServiceError as error:
            problems += problems_of(error)
            field = field or error.field
    if len(problems) == 1:
        raise ServiceError(problems[0], field=field)
    if problems:
        raise LocalityFileProblems(problems, field=field)
    return rows, shapes


@transaction.atomic
def import_localities(
    *,
    by: Any,
    partnership: Partnership,
    divipola: bytes | str | None = None,
    boundaries: bytes | str | None = None,
    departments: Iterable[str] = (),
    codes: Iterable[str] = (),
    code_property: str = DEFAULT_CODE_PROPERTY,
    skip_unknown: bool = False,
) -> ImportResult:
    """Create or update the localities of the list, then attach boundaries.
    With a selection (``departments``/``codes``), boundaries of areas outside
    it are skipped; otherwise a boundary whose code is not a locality (after
    the list is read) is an error, unless ``skip_unknown``."""
    result = ImportResult()
    departments, codes = list(departments), list(codes)
    rows, shapes = check_files(
        divipola=divipola,
        boundaries=boundaries,
        departments=departments,
        codes=codes,
        code_property=code_property,
    )
    existing = {loc.code: loc for loc in Locality.objects.filter(partnership=partnership)}
    selected = bool(departments or codes)
    known = set(existing) | {row.code for row in rows}
    unknown = sorted(code for code in shapes if code not in known)
    if unknown and not (skip_unknown or selected):
        raise ServiceError(unknown_codes_message(unknown), field="boundaries")
    result.skipped_codes = unknown
    for row in rows:
        locality = existing.get(row.code) or Locality(partnership=partnership, code=row.code)
        adding = locality._state.adding
        for name in ("name", "kind", "parent_code", "parent_name", "latitude", "longitude"):
            setattr(locality, name, getattr(row, name))
        if row.code in shapes:
            locality.boundary = shapes[row.code]
            result.boundaries += 1
        save_audited(locality, actor=by)
        existing[row.code] = locality
        result.created += adding
        result.updated += not adding
    # Boundaries for localities already there and not in this list.
    listed = {row.code for row in rows}
    later = [existing[c] for c in shapes if c in existing and c not in listed]
    for locality in later:
        locality.boundary = shapes[locality.code]
    Locality.objects.bulk_update(later, ["boundary"], batch_size=200)
    result.boundaries += len(later)
    if later:
        # A boundary is not one of a locality's audited fields: the trail
        # records who attached boundaries, and to how many.
        record_event(
            actor=by,
            partnership=partnership,
            kind=kind_of(Locality),
            action=AuditAction.CHANGE,
            label="boundaries",
            details={"localities": len(later), "codes": sorted(loc.code for loc in later)[:20]},
        )
    # Drawn maps of this partnership are cached by version: new names or
    # boundaries make them drawn again.
    transaction.on_commit(lambda: bump_maps_version(partnership.pk))
    return result


def maps_version_key(partnership_id: int) -> str:
    return f"baseline:maps-version:{partnership_id}"


def maps_version(partnership_id: int) -> int:
    return int(cache.get(maps_version_key(partnership_id)) or 0)


def bump_maps_version(partnership_id: int) -> None:
    key = maps_version_key(partnership_id)
    cache.set(key, maps_version(partnership_id) + 1, None)
