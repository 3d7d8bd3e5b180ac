"""Server-side SVG charts that can be inlined under the strict CSP."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from baseline.localities import read_boundaries
from partnerships import charts
from tests.sample_data import TOPOJSON, full_data, full_topojson

SVG = "{http://www.w3.org/2000/svg}"


def assert_inlinable(svg: str, title: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
    assert "<style" not in svg
    assert not re.search(r"\sstyle=", svg)
    assert all("style" not in element.attrib for element in root.iter())
    assert root.get("role") == "img" and root.get("aria-label") == title
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text == title  # type: ignore[union-attr]
    assert root.get("viewBox")
    # A size in CSS pixels at which the smallest text is 12 px (legible on a phone).
    box = [float(n) for n in root.get("viewBox", "").split()]
    fonts = [float(e.get("font-size", "").rstrip("px")) for e in root.iter() if e.get("font-size")]
    if fonts:
        scale = float(root.get("width", 0)) / box[2]
        assert min(fonts) * scale >= charts.MIN_TEXT_PX - 0.1
        assert abs(float(root.get("height", 0)) - box[3] * scale) <= 1
    assert "<script" not in svg and "<metadata" not in svg
    # Every internal reference points at an id that exists, once.
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for ref in re.findall(r"url\(#([^)]+)\)", svg):
        assert ref in ids
    return root


def test_it_draws_a_heatmap_with_suppressed_cells_hatched() -> None:
    svg = charts.heatmap(
        ["Women", "Company <b>"],
        ["Economic", "Food", "Health"],
        [[1, 2.5, None], [4, None, 5]],
        title="Stress by group",
        low_label="low",
        high_label="high",
    )
    root = assert_inlinable(svg, "Stress by group")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Company <b>" in texts and "2.5" in texts and "low" in texts
    assert "<b>" not in svg  # escaped, inert
    assert "pattern" in svg  # the hatching of the empty cells
    assert 'font-family="sans-serif"' in svg


def test_it_writes_the_numbers_of_a_chart_as_the_reader_s_language_does() -> None:
    from django.utils import translation

    values = [[11.7, 1234.0, None]]
    with translation.override("es"):
        spanish = charts.heatmap(["a"], ["b", "c", "d"], values, title="t", low_label="l",
                                 high_label="h")  # fmt: skip
        bars = charts.bar_chart(["a", "b"], [2.5, 40.0], title="t", unit="%")
    with translation.override("en"):
        english = charts.heatmap(["a"], ["b", "c", "d"], values, title="t", low_label="l",
                                 high_label="h")  # fmt: skip
    texts = [t.text for t in assert_inlinable(spanish, "t").iter(f"{SVG}text")]
    assert "11,7" in texts and "1\xa0234" in texts and "11.7" not in texts
    assert "11.7" in [t.text for t in ET.fromstring(english).iter(f"{SVG}text")]
    assert "2,5 %" in [t.text for t in ET.fromstring(bars).iter(f"{SVG}text")]


def test_it_draws_bars_with_hidden_values_and_keeps_dollars_as_text() -> None:
    svg = charts.bar_chart(
        ["Cost of $5 and $6", "Hidden group"], [3, None], title="People", unit="people"
    )
    root = assert_inlinable(svg, "People")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Cost of $5 and $6" in texts
    assert "hidden" in texts and "3 people" in texts


def test_it_draws_an_empty_chart_accessibly() -> None:
    assert_inlinable(charts.bar_chart([], [], title="Nothing"), "Nothing")
    assert_inlinable(
        charts.heatmap([], [], [], title="Empty", low_label="l", high_label="h"), "Empty"
    )
    assert_inlinable(charts.choropleth([], {}, title="No map", legend="x"), "No map")


def test_it_gives_two_different_charts_different_ids() -> None:
    one = charts.heatmap(["a"], ["b"], [[None]], title="One", low_label="l", high_label="h")
    two = charts.heatmap(["c"], ["d"], [[None]], title="Two", low_label="l", high_label="h")
    ids_one = set(re.findall(r'id="([^"]+)"', one))
    ids_two = set(re.findall(r'id="([^"]+)"', two))
    assert ids_one and not ids_one & ids_two


def test_it_converts_any_style_attribute_and_drops_what_has_no_attribute() -> None:
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" '
        'width="10pt" height="10pt" viewBox="0 0 10.123 10"><style>*{fill:red}</style>'
        '<path d="M 0.04 0 L 1.26 1.04 L 1.26 1.04 L 2 2 z" fill="blue" '
        'style="fill: #000; stroke: #fff; stroke-width: 0.8; mix-blend-mode: multiply"/></svg>'
    )
    out = charts.inline_svg(svg, title="T")
    root = assert_inlinable(out, "T")
    path = root.find(f"{SVG}path")
    assert path is not None
    assert path.get("fill") == "blue"  # the attribute was there first
    assert path.get("stroke") == "#fff" and path.get("stroke-width") == "0.8"
    assert "mix-blend-mode" not in out
    assert path.get("d") == "M 0 0 1.3 1 2 2 z"  # rounded, repeated point dropped
    assert root.get("viewBox") == "0 0 10.1 10"


def _tiled(copies: int) -> list[tuple[str, dict[str, Any]]]:
    """The extract's 56 real outlines laid side by side ``copies`` times: as many
    municipalities as the whole country has, with real outlines' points."""
    shapes = [(c, g) for c, g in read_boundaries(TOPOJSON.read_bytes()).items() if len(c) == 5]
    tiled = []
    for copy in range(copies):
        shift = 8.0 * (copy % 5), 8.0 * (copy // 5)
        for code, geometry in shapes:
            tiled.append((f"{copy:02d}{code}", _moved(geometry, shift)))
    return tiled


def _moved(geometry: dict[str, Any], shift: tuple[float, float]) -> dict[str, Any]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    moved = [
        [[[x + shift[0], y + shift[1]] for x, y in ring] for ring in polygon]
        for polygon in polygons
    ]
    return {"type": "MultiPolygon", "coordinates": moved}


@pytest.mark.parametrize(
    "extract",
    [True, pytest.param(False, marks=full_data("colombia"))],
    ids=["tiled", "whole-country"],
)
def test_it_draws_a_thousand_municipalities_in_a_reasonable_size(extract: bool) -> None:
    shapes = (
        _tiled(20)
        if extract
        else [
            (c, g) for c, g in read_boundaries(full_topojson().read_bytes()).items() if len(c) == 5
        ]
    )
    assert len(shapes) > 1000
    values: dict[str, float | None] = {
        code: None if i % 9 == 0 else float(i % 5) for i, (code, _g) in enumerate(shapes)
    }
    svg = charts.choropleth(shapes, values, title="Severity by municipality", legend="mean")
    root = assert_inlinable(svg, "Severity by municipality")
    assert len(svg) < 200_000, len(svg)  # about 140 KB for 1,122 municipalities
    assert len(list(root.iter(f"{SVG}path"))) > 1000
    assert charts.GREY in svg  # the municipalities without a value
    assert "mean" in [t.text for t in root.iter(f"{SVG}text")]


def test_it_draws_a_small_choropleth_of_polygons_and_multipolygons() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    islands = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[2, 0], [3, 0], [3, 1], [2, 0]]],
            [[[4, 0], [5, 0], [5, 1], [4, 0]]],
        ],
    }
    svg = charts.choropleth(
        [("A", square), ("B", islands), ("C", {"type": "Point", "coordinates": [0, 0]})],
        {"A": 2.0, "B": None},
        title="Map",
        legend="value",
    )
    root = assert_inlinable(svg, "Map")
    assert len(list(root.iter(f"{SVG}path"))) >= 3
