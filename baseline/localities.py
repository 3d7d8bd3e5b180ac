"""Localities from official files: DANE's DIVIPOLA list of municipalities (CSV
as published) and boundaries from TopoJSON or GeoJSON.

``import_localities`` checks everything first and writes all or nothing: a
boundary file that names a code the partnership does not have is refused with
the count and the first codes, unless the caller asks to skip such codes.
The command ``hsbp import_localities`` is a thin layer over it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baseline.models import Locality, LocalityKind
from partnerships.audit import save_audited
from partnerships.models import Partnership
from partnerships.services import ServiceError

DIVIPOLA_COLUMNS = ("COD_DPTO", "NOM_DPTO", "COD_MPIO", "NOM_MPIO", "TIPO", "LATITUD", "LONGITUD")
DEFAULT_CODE_PROPERTY = "MPIO_CCNCT"
DEPARTMENT_CODE_PROPERTY = "DPTO_CCDGO"
DECIMALS = 4  # about 11 m: more than a page-sized map can show
SHOWN_CODES = 10


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


def read_divipola(
    data: bytes | str,
    *,
    departments: Iterable[str] = (),
    codes: Iterable[str] = (),
) -> list[LocalityRow]:
    """Departments and municipalities from DIVIPOLA's CSV. Codes are published
    without leading zeros: departments are padded to 2 digits, municipalities
    to 5. ``departments``/``codes`` keep only those (and their departments)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
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
                "found": ", ".join(headers) or _("no header row"),
            },
            field="divipola",
        )
    wanted_departments = {d.strip().zfill(2) for d in departments if d.strip()}
    wanted_codes = {c.strip().zfill(5) for c in codes if c.strip()}
    result: dict[str, LocalityRow] = {}
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        department, municipality = row["COD_DPTO"].zfill(2), row["COD_MPIO"].zfill(5)
        if not row["COD_DPTO"].isdigit() or not row["COD_MPIO"].isdigit():
            raise ServiceError(
                _("Line %(n)d: the codes must be numbers (found %(d)r and %(m)r).")
                % {"n": number, "d": row["COD_DPTO"], "m": row["COD_MPIO"]},
                field="divipola",
            )
        if not municipality.startswith(department):
            raise ServiceError(
                _("Line %(n)d: municipality %(m)s is not in department %(d)s.")
                % {"n": number, "m": municipality, "d": department},
                field="divipola",
            )
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
            name=_title(row["NOM_MPIO"]),
            kind=LocalityKind.MUNICIPALITY,
            parent_code=department,
            parent_name=department_name,
            latitude=_float(row["LATITUD"]),
            longitude=_float(row["LONGITUD"]),
        )
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


def read_boundaries(
    data: bytes | str, *, code_property: str = DEFAULT_CODE_PROPERTY
) -> dict[str, dict[str, Any]]:
    """Code → rounded geometry, from a TopoJSON topology (every object whose
    geometries carry ``code_property``, and department objects by their
    2-digit ``DPTO_CCDGO``) or a GeoJSON FeatureCollection."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ServiceError(
            _("The boundary file is not JSON (TopoJSON or GeoJSON)."), field="boundaries"
        ) from None
    if not isinstance(document, dict):
        raise ServiceError(_("The boundary file is not TopoJSON or GeoJSON."), field="boundaries")
    found: dict[str, dict[str, Any]] = {}
    if document.get("type") == "Topology":
        topology = TopoJSON(document)
        for obj in (document.get("objects") or {}).values():
            for geometry in obj.get("geometries", [obj]):
                properties = geometry.get("properties") or {}
                code = str(properties.get(code_property) or "")
                if (
                    not code
                    and set(properties) & {DEPARTMENT_CODE_PROPERTY}
                    and ("MPIO_CCDGO" not in properties)
                ):
                    code = str(properties[DEPARTMENT_CODE_PROPERTY]).zfill(2)
                if code and geometry.get("type") in ("Polygon", "MultiPolygon"):
                    found[code] = rounded(topology.geometry(geometry))
    elif document.get("type") == "FeatureCollection":
        for feature in document.get("features") or []:
            properties = feature.get("properties") or {}
            code = str(properties.get(code_property) or "")
            if code and feature.get("geometry"):
                found[code] = rounded(feature["geometry"])
    else:
        raise ServiceError(
            _("The boundary file is neither a TopoJSON topology nor a GeoJSON FeatureCollection."),
            field="boundaries",
        )
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
    return _(
        "The boundary file names %(n)d areas that are not localities of this partnership "
        "(%(codes)s%(more)s). Nothing was imported."
    ) % {"n": len(codes), "codes": shown, "more": more}


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
    rows = read_divipola(divipola, departments=departments, codes=codes) if divipola else []
    shapes = read_boundaries(boundaries, code_property=code_property) if boundaries else {}
    existing = {loc.code: loc for loc in Locality.objects.filter(partnership=partnership)}
    selected = bool(list(departments) or list(codes))
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
    return result
