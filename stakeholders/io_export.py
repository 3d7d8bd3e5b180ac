"""Export of the stakeholder map to CSV and XLSX, as the viewer may read it.

Every actor goes through ``stakeholders.display`` (protection), and any text
a spreadsheet would take for a formula gets a leading quote.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from partnerships.models import Member, Partnership
from partnerships.permissions import Action, can
from partnerships.protection import has_clearance
from stakeholders import display
from stakeholders.io import CONTACT_COLUMNS, FORMULA_STARTS
from stakeholders.models import Actor, Relation

ACTOR_EXPORT = ["id", "name", "kind", "partner_type", "partner", "area_code", "locality_name"]
ACTOR_EXPORT += ["segments", "tags", "description", "influence", "interest", "capacity"]
ACTOR_EXPORT += ["engagement"]
RELATION_EXPORT = ["source", "target", "relation_type", "directed", "strength", "note"]
Table = tuple[list[str], list[list[Any]]]


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would take for a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return round(value, 2) if isinstance(value, float) else value


def actor_table(partnership: Partnership, member: Member) -> Table:
    """The actors as this viewer may read them (``display.actor_public_fields``)."""
    columns = ACTOR_EXPORT + (list(CONTACT_COLUMNS) if can(member, "contact", Action.VIEW) else [])
    columns += ["at_risk"] if display.may_see_flags(member) else []
    actors = Actor.objects.filter(partnership=partnership)
    actors = actors.select_related("partner").prefetch_related("segments")
    # Sorting protected actors among the others by their real name would hint at it.
    actors = actors.order_by(*(["name"] if has_clearance(member) else ["at_risk", "name"]))
    rows = []
    for actor in actors:
        fields = display.actor_public_fields(actor, member)
        rows.append([_cell(fields.get(col)) for col in columns])
    return columns, rows


def relation_table(partnership: Partnership, member: Member) -> Table:
    relations = Relation.objects.filter(partnership=partnership).select_related("source", "target")
    rows = []
    for r in relations:
        source, target = display.actor_name(r.source, member), display.actor_name(r.target, member)
        # A note may identify a protected actor, like its description.
        hidden = display.is_hidden(r.source, member) or display.is_hidden(r.target, member)
        note = "" if hidden else r.note
        rows.append([source, target, r.relation_type, _cell(r.directed), r.strength, note])
    # Ordered by the names this viewer sees, so the order reveals nothing more.
    rows.sort(key=lambda row: (row[0].casefold(), row[1].casefold(), row[2]))
    return list(RELATION_EXPORT), rows


def write_csv(table: Table) -> bytes:
    columns, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([neutralise(_cell(v)) for v in row] for row in rows)
    # With a byte-order mark, spreadsheets read the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(table: Table, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    columns, rows = table
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(columns)
    for row in rows:
        cells = [_cell(v) for v in row]
        cells = [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells]
        sheet.append([neutralise(c) for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
