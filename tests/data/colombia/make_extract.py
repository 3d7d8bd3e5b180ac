"""Rebuild ``tolima_guainia_2018_simplified.topojson`` from the full boundary file.

    python tests/data/colombia/make_extract.py path/to/colombia_2018_simplified.topojson

Keeps the departments of Tolima (73: Planadas and its neighbours, which the tests
name) and Guainía (94: it holds 94663, a 2018 area DIVIPOLA no longer lists, which
the import must report as skipped), their municipalities, and only the arcs those
shapes use. Arcs keep their quantized, delta-encoded points and the file keeps its
transform, so the extract decodes to exactly the coordinates of the original.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEPARTMENTS = {"73", "94"}
OUT = Path(__file__).resolve().parent / "tolima_guainia_2018_simplified.topojson"


def _arc_indexes(arcs: Any) -> list[int]:
    if isinstance(arcs, int):
        return [arcs]
    return [i for part in arcs for i in _arc_indexes(part)]


def _renumber(arcs: Any, new: dict[int, int]) -> Any:
    if isinstance(arcs, int):
        # A negative index ~i means arc i walked backwards.
        return new[arcs] if arcs >= 0 else ~new[~arcs]
    return [_renumber(part, new) for part in arcs]


def extract(topology: dict[str, Any]) -> dict[str, Any]:
    objects = {}
    for name, collection in topology["objects"].items():
        kept = [
            g
            for g in collection["geometries"]
            if g.get("properties", {}).get("DPTO_CCDGO") in DEPARTMENTS
        ]
        objects[name] = {**collection, "geometries": kept}
    used = sorted(
        {abs(i if i >= 0 else ~i) for c in objects.values() for g in c["geometries"]
         for i in _arc_indexes(g.get("arcs", []))}
    )  # fmt: skip
    new = {old: position for position, old in enumerate(used)}
    for collection in objects.values():
        for geometry in collection["geometries"]:
            geometry["arcs"] = _renumber(geometry["arcs"], new)
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "arcs": [topology["arcs"][i] for i in used],
        "objects": objects,
    }


if __name__ == "__main__":
    source = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(
        json.dumps(extract(source), ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
