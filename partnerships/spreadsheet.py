"""A small, fast XLSX writer for large plain tables: text, numbers and
booleans, no styles, streamed row by row into the zip member.

Why not openpyxl: even in write-only mode it builds an element per cell, and
a million-cell results export spent 35 of its 40 seconds there. Here a row is
one formatted string; the package holds the few parts a spreadsheet needs
(content types, relationships, the workbook and its sheets), with text as
inline strings, which Excel, LibreOffice and openpyxl all read.

Text a spreadsheet would take for a formula is the caller's business
(``stakeholders.io_export.neutralise``): here every text is a text cell.
"""

from __future__ import annotations

import math
import numbers
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

# Characters XML 1.0 refuses (controls other than tab, newline and return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_COLUMNS = 16384

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}</Relationships>"
)
_SHEET_REL = (
    '<Relationship Id="rId{n}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet{n}.xml"/>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def column_letters(count: int) -> list[str]:
    """A, B, ... Z, AA, AB, ... for the first ``count`` columns."""
    letters = []
    for index in range(1, min(count, MAX_COLUMNS) + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _SHEET_NAME_BAD.sub(" ", _ILLEGAL.sub("", title)).strip("' ")[:31] or "Sheet"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]} {n}"
    taken.add(name.lower())
    return name


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    # numpy's numbers, say: written as Python's (their repr names their type).
    if isinstance(value, numbers.Integral):
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real) and math.isfinite(float(value)):
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _rows(lines: Iterable[Sequence[Any]]) -> Iterable[str]:
    letters: list[str] = []
    for number, line in enumerate(lines, start=1):
        if len(line) > len(letters):
            letters = column_letters(len(line))
        cells = "".join(
            _cell(f"{letter}{number}", value) for letter, value in zip(letters, line, strict=False)
        )
        yield f'<row r="{number}">{cells}</row>'


def write(target: IO[bytes], sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> None:
    """Write a workbook of ``(title, rows)`` sheets into the binary file."""
    taken: set[str] = set()
    titles = [sheet_title(title, taken) for title, _ in sheets]
    numbers = range(1, len(sheets) + 1)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        )
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr(
            "xl/workbook.xml",
            _WORKBOOK.format(
                sheets="".join(
                    f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                    for n, title in zip(numbers, titles, strict=True)
                )
            ),
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(sheets="".join(_SHEET_REL.format(n=n) for n in numbers)),
        )
        for n, (_title, lines) in zip(numbers, sheets, strict=True):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                part.write(_SHEET_START.encode())
                chunk: list[str] = []
                for row in _rows(lines):
                    chunk.append(row)
                    if len(chunk) >= 1000:  # a thousand rows a write: few, large writes
                        part.write("".join(chunk).encode())
                        chunk.clear()
                part.write(("".join(chunk) + _SHEET_END).encode())
