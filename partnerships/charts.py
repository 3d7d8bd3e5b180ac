"""Charts drawn on the server as SVG that can be inlined in our pages.

matplotlib (a maintained plotting library) draws the chart; ``inline_svg`` then
makes its SVG fit a strict Content-Security-Policy without 'unsafe-inline':
every ``style="a: b"`` attribute becomes SVG presentation attributes
(``fill="…"``), the ``<style>`` element, the XML prolog, the DOCTYPE and the
metadata go, the root gets ``role="img"``, an ``aria-label`` and a ``<title>``,
and a ``viewBox`` instead of a fixed size so that CSS sizes it (class
``chart``). Coordinates are rounded to one decimal to keep the markup small.
Text stays text (``svg.fonttype = none``): screen readers and translation
read it and the page's font draws it.

Every chart is meant to sit next to a data table that says the same thing:
a picture is never the only way to the numbers.

Legible on a phone: the root carries a ``width`` and ``height`` in CSS pixels
at which its smallest text is ``MIN_TEXT_PX`` (12 px). A page that must keep
the text legible lets the chart scroll in its own region instead of shrinking
it (``.chart-scroll`` in the baseline's styles); shrunk to a 360 px screen,
the text of a wide chart would be 4–5 px tall.

Numbers drawn in a chart are formatted in the reader's language, like the
tables beside it ("11,7" in Spanish, "11.7" in English).

The functions take plain lists and dicts (no models), so any room can use them.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# CSS properties that SVG also accepts as attributes; any other property of a
# ``style`` attribute has no attribute form and is dropped.
PRESENTATION_ATTRIBUTES = frozenset(
    """alignment-baseline baseline-shift clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering cursor direction display dominant-baseline
    fill fill-opacity fill-rule filter flood-color flood-opacity font-family font-size
    font-size-adjust font-stretch font-style font-variant font-weight image-rendering
    letter-spacing lighting-color marker-end marker-mid marker-start mask opacity overflow
    paint-order pointer-events shape-rendering stop-color stop-opacity stroke
    stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width text-anchor text-decoration text-rendering unicode-bidi
    vector-effect visibility word-spacing writing-mode""".split()
)
# Attributes whose numbers are rounded (geometry only: not ids or colours).
_ROUNDED = ("d", "x", "y", "x1", "x2", "y1", "y2", "width", "height", "transform", "points")
_NUMBER = re.compile(r"-?\d+\.\d+")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_NO_ROTATION = re.compile(r"rotate\(-?0(?: [-\d.]+ [-\d.]+)?\)")

MIN_TEXT_PX = 12  # the smallest text a chart may show, in CSS pixels
GREY = "#d0d0d0"  # no data or suppressed
HATCH = "#8a8a8a"
TEXT = "#1a1a1a"
FONT = "sans-serif"
# Sequential, colour-blind safe, readable in greyscale (from light to dark).
COLOURMAP = "YlOrRd"
_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hsbp",
    "svg.image_inline": True,
    "text.parse_math": False,  # a "$" in a label is a dollar sign, not TeX
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.edgecolor": "#555555",
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "hatch.color": HATCH,
    "hatch.linewidth": 0.6,
}
_META = dict.fromkeys(("Creator", "Date", "Format", "Type"))


def _rounder(decimals: int) -> Any:
    def _round(match: re.Match[str]) -> str:
        value = round(float(match.group(0)), decimals)
        text = f"{value:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return "0" if text in ("0", "-0") else text

    return _round


_round = _rounder(1)
# Properties children inherit from their group: the same value on every child
# of a group is written once, on the group.
_INHERITED = frozenset(
    """fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
    stroke-linejoin stroke-dasharray stroke-miterlimit font-family font-size font-style
    font-weight text-anchor""".split()
)


def _hoist(parent: ET.Element) -> None:
    for child in parent:
        _hoist(child)
    if parent.tag != f"{{{SVG_NS}}}g" or len(parent) < 2:
        return
    children = list(parent)
    for name in _INHERITED:
        values = {child.get(name) for child in children}
        if len(values) == 1 and None not in values and name not in parent.attrib:
            parent.set(name, values.pop() or "")
            for child in children:
                del child.attrib[name]


_ARITY = {"M": 2, "L": 2, "C": 6, "Q": 4, "Z": 0, "z": 0}


def _compact_path(d: str) -> str:
    """Shorter path data: a repeated command letter is implied (a point after
    "M" is a line), and a line to the point where the pen already is (after
    rounding) is dropped. Paths with other commands are left as they are."""
    tokens = d.split()
    out: list[str] = []
    command, pen, i = "", ("", ""), 0
    while i < len(tokens):
        letter = tokens[i]
        arity = _ARITY.get(letter)
        if arity is None or i + arity >= len(tokens) + (arity == 0):
            return d
        args = tokens[i + 1 : i + 1 + arity]
        i += 1 + arity
        if letter == "L" and (args[0], args[1]) == pen:
            continue
        implied = (letter == command) or (letter == "L" and command == "M")
        out.extend(args if implied and arity else [letter, *args])
        command = letter if letter != "M" else "M"
        if arity:
            pen = (args[-2], args[-1])
    return " ".join(out)


def _style_to_attributes(element: ET.Element) -> None:
    style = element.attrib.pop("style", None)
    if not style:
        return
    for declaration in style.split(";"):
        name, sep, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if sep and name in PRESENTATION_ATTRIBUTES and value:
            # An explicit attribute wins over the same property in the style.
            element.attrib.setdefault(name, value)


def _prune(parent: ET.Element) -> None:
    """Remove empty groups and definitions (matplotlib writes many) and the
    no-op rotations of its text."""
    for child in list(parent):
        _prune(child)
        empty = not len(child) and not (child.text or "").strip()
        if (
            child.tag in (f"{{{SVG_NS}}}g", f"{{{SVG_NS}}}defs")
            and empty
            and "id" not in child.attrib
        ):
            parent.remove(child)
        elif "transform" in child.attrib:
            transform = _NO_ROTATION.sub("", child.attrib["transform"]).strip()
            if transform:
                child.set("transform", transform)
            else:
                del child.attrib["transform"]


def inline_svg(svg: bytes | str, *, title: str, font_family: str = FONT, decimals: int = 1) -> str:
    """Make matplotlib's (or any) SVG document safe to inline under a CSP
    without 'unsafe-inline' styles and accessible: see the module docstring.
    Ids are renamed from a hash of the content so that two charts on one page
    do not share ids; ids nothing refers to are removed."""
    raw = svg.encode() if isinstance(svg, str) else svg
    root = ET.fromstring(raw)  # noqa: S314 - our own matplotlib output; the prolog and DOCTYPE do not survive parsing
    # The <style> of matplotlib sets defaults for every element: keep them as
    # inherited attributes of the root.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}title"):
                parent.remove(child)
    rounding = _rounder(decimals)
    referenced: set[str] = set()
    href = f"{{{XLINK_NS}}}href"
    for element in root.iter():
        _style_to_attributes(element)
        if "font-family" in element.attrib:
            element.set("font-family", font_family)
        for name in _ROUNDED:
            if name in element.attrib and element is not root:
                value = " ".join(element.attrib[name].split())
                value = _NUMBER.sub(rounding, value)
                element.set(name, _compact_path(value) if name == "d" else value)
        for name, value in element.attrib.items():
            referenced.update(_URL_REF.findall(value))
            if name in (href, "href") and value.startswith("#"):
                referenced.add(value[1:])
    digest = hashlib.blake2b(raw, digest_size=4).hexdigest()
    renamed = {old: f"c{digest}-{i}" for i, old in enumerate(sorted(referenced))}
    for element in root.iter():
        element_id = element.attrib.pop("id", None)
        if element_id in renamed:
            element.set("id", renamed[element_id])
        for name, value in list(element.attrib.items()):
            if name in (href, "href") and value.startswith("#") and value[1:] in renamed:
                element.set(name, "#" + renamed[value[1:]])
            elif "url(#" in value:
                element.set(name, _URL_REF.sub(lambda m: f"url(#{renamed[m.group(1)]})", value))
    _prune(root)
    _hoist(root)
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    if "viewBox" in root.attrib:
        root.set("viewBox", _NUMBER.sub(_round, root.attrib["viewBox"]))
        _legible_size(root)
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("class", "chart")
    root.set("focusable", "false")
    title_element = ET.Element(f"{{{SVG_NS}}}title")
    title_element.text = title
    root.insert(0, title_element)
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    # Drop the whitespace between tags that the pretty-printed source had.
    return re.sub(r">\s+<", "><", text)


_FONT_SIZE = re.compile(r"([\d.]+)(?:px)?$")


def _legible_size(root: ET.Element) -> None:
    """Give the root the size, in CSS pixels, at which its smallest text is
    ``MIN_TEXT_PX`` tall (never smaller than its own units): the size below
    which a page should scroll the chart rather than shrink it."""
    sizes = [
        float(match.group(1))
        for element in root.iter()
        if (match := _FONT_SIZE.match(element.get("font-size", "")))
    ]
    box = [float(n) for n in root.get("viewBox", "").split()]
    if len(box) != 4 or not sizes or min(sizes) <= 0:
        return
    scale = max(1.0, MIN_TEXT_PX / min(sizes))
    root.set("width", f"{box[2] * scale:.0f}")
    root.set("height", f"{box[3] * scale:.0f}")


def _render(fig: Any, title: str, decimals: int = 1) -> str:
    from matplotlib import rc_context

    buffer = io.BytesIO()
    with rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata=_META, bbox_inches="tight", pad_inches=0.1)
    return inline_svg(buffer.getvalue(), title=title, decimals=decimals)


def _figure(width: float, height: float) -> Any:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_RC):
        return Figure(figsize=(width, height), dpi=72)


def _empty(title: str, message: str) -> str:
    """A small picture saying there is nothing to draw (still accessible)."""
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 480 60" width="480" height="60" role="img" '
        f'class="chart" aria-label="{escape(title)}" focusable="false">'
        f"<title>{escape(title)}</title>"
        f'<text x="10" y="35" font-family="{FONT}" font-size="14" fill="{TEXT}">'
        f"{escape(message)}</text></svg>"
    )


def _format(value: float) -> str:
    """A number as the reader's language writes it, with one decimal at most
    (``11,7`` in Spanish), like the tables beside the chart."""
    from django.utils.formats import number_format

    number = round(float(value), 1)
    if number.is_integer():
        return str(number_format(int(number), force_grouping=True))
    return str(number_format(number, decimal_pos=1, force_grouping=True))


def _tick_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: _format(value))


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    low_label: str,
    high_label: str,
    no_data_label: str = "",
) -> str:
    """A grid of coloured cells with the value written in each; ``None`` is
    "no data or hidden", drawn grey and hatched. ``low_label``/``high_label``
    name the ends of the colour bar."""
    from matplotlib import colormaps, rc_context
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import Normalize

    if not rows or not columns:
        return _empty(title, no_data_label or "—")
    with rc_context(_RC):
        numbers = [v for row in values for v in row if v is not None]
        low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
        if high <= low:
            high = low + 1
        norm, cmap = Normalize(low, high), colormaps[COLOURMAP]
        width = min(14.0, 2.5 + 0.9 * len(columns))
        fig = _figure(width, 1.2 + 0.42 * len(rows))
        ax = fig.add_subplot()
        cells, colours, empty = [], [], []
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                square = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
                if value is None:
                    empty.append(square)
                    continue
                cells.append(square)
                colours.append(cmap(norm(value)))
                shade = norm(value)
                ax.text(c + 0.5, r + 0.5, _format(value), ha="center", va="center",
                        fontsize=9, color="white" if shade > 0.6 else TEXT)  # fmt: skip
        ax.add_collection(PolyCollection(cells, facecolors=colours, edgecolors="white"))
        if empty:
            ax.add_collection(
                PolyCollection(empty, facecolors=GREY, edgecolors="white", hatch="///")
            )
        ax.set(xlim=(0, len(columns)), ylim=(len(rows), 0))
        ax.set_xticks([c + 0.5 for c in range(len(columns))], list(columns))
        ax.set_yticks([r + 0.5 for r in range(len(rows))], list(rows))
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("left")
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(title, loc="left", pad=12)
        bar = fig.colorbar(_mappable(norm, cmap), ax=ax, fraction=0.04, pad=0.02)
        bar.set_ticks([low, high], labels=[low_label, high_label])
        bar.outline.set_visible(False)
        return _render(fig, title)


def _mappable(norm: Any, cmap: Any) -> Any:
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=cmap)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    unit: str = "",
    hidden_label: str = "hidden",
) -> str:
    """Horizontal bars, the first label on top, each value written at the end
    of its bar; a ``None`` value (suppressed) is written ``hidden_label``."""
    from matplotlib import rc_context

    if not labels:
        return _empty(title, "—")
    with rc_context(_RC):
        fig = _figure(7.0, 0.9 + 0.32 * len(labels))
        ax = fig.add_subplot()
        shown = [0.0 if v is None else float(v) for v in values]
        top = max([*shown, 0.0]) or 1.0
        positions = list(range(len(labels)))
        ax.barh(positions, shown, color="#c8553d", height=0.7)
        for y, value in zip(positions, values, strict=True):
            text = (
                hidden_label if value is None else f"{_format(value)}{' ' + unit if unit else ''}"
            )
            ax.text((value or 0) + top * 0.01, y, text, va="center", fontsize=9,
                    color=HATCH if value is None else TEXT,
                    fontstyle="italic" if value is None else "normal")  # fmt: skip
        ax.set_yticks(positions, list(labels))
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlim(0, top * 1.2)
        ax.xaxis.set_major_formatter(_tick_formatter())
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if unit:
            ax.set_xlabel(unit)
        ax.set_title(title, loc="left")
        return _render(fig, title)


def _rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon (holes are not
    drawn: at the size of a page a hole in a municipality is rarely visible)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[(float(x), float(y)) for x, y, *_z in polygon[0]] for polygon in polygons if polygon]


def _classes(numbers: list[float], count: int = 5) -> list[float]:
    """Equal-interval class boundaries: a legend people can read at a glance."""
    low, high = min(numbers), max(numbers)
    if math.isclose(low, high):
        return [low - 0.5, high + 0.5]
    step = (high - low) / count
    return [low + i * step for i in range(count)] + [high]


def choropleth(
    shapes: Sequence[tuple[str, dict[str, Any]]],
    values: dict[str, float | None],
    *,
    title: str,
    legend: str,
    no_data_label: str = "",
) -> str:
    """A map of areas coloured by value in five equal classes with a colour
    bar; areas without a value (or hidden) are grey. ``shapes``: (code,
    GeoJSON geometry in longitude/latitude)."""
    from matplotlib import colormaps, rc_context
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import BoundaryNorm

    polygons: list[tuple[str, list[tuple[float, float]]]] = [
        (code, ring) for code, geometry in shapes for ring in _rings(geometry) if len(ring) > 2
    ]
    if not polygons:
        return _empty(title, no_data_label or "—")
    with rc_context(_RC):
        numbers = [float(v) for v in values.values() if v is not None]
        boundaries = _classes(numbers) if numbers else [0.0, 1.0]
        cmap = colormaps[COLOURMAP].resampled(len(boundaries) - 1)
        norm = BoundaryNorm(boundaries, cmap.N)
        xs = [x for _code, ring in polygons for x, _y in ring]
        ys = [y for _code, ring in polygons for _x, y in ring]
        # Longitude degrees shrink with latitude; equal aspect at the centre.
        middle = math.cos(math.radians((min(ys) + max(ys)) / 2))
        span_x, span_y = (max(xs) - min(xs)) * middle or 1.0, (max(ys) - min(ys)) or 1.0
        width = 7.0
        height = min(10.0, max(3.0, width * span_y / span_x))
        fig = _figure(width, height)
        ax = fig.add_subplot()
        ax.set_aspect(1 / middle)
        ax.set_axis_off()
        filled = [(ring, values[code]) for code, ring in polygons if values.get(code) is not None]
        blank = [ring for code, ring in polygons if values.get(code) is None]
        edge: dict[str, Any] = {"edgecolors": "white", "linewidths": 0.2, "clip_on": False}
        if blank:
            ax.add_collection(PolyCollection(blank, facecolors=GREY, **edge))
        if filled:
            colours = [cmap(norm(float(v))) for _ring, v in filled if v is not None]
            ax.add_collection(PolyCollection([r for r, _v in filled], facecolors=colours, **edge))
        ax.set(xlim=(min(xs), max(xs)), ylim=(min(ys), max(ys)))
        ax.set_title(title, loc="left")
        if numbers:
            bar = fig.colorbar(_mappable(norm, cmap), ax=ax, fraction=0.04, pad=0.02)
            bar.set_ticks(boundaries, labels=[_format(round(b, 1)) for b in boundaries])
            bar.set_label(legend)
            bar.outline.set_visible(False)
        return _render(fig, title, decimals=0)
