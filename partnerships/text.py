"""Control characters in what people send us. PostgreSQL refuses a NUL in
text (and SQLite would keep it), and no other C0 control character but tab,
newline and carriage return belongs in anything a person writes. Django's
form fields refuse NUL already; the API refuses them all (``api.schemas.Text``);
files read into rows (CSV, XLSX) drop them here."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_controls(text: str) -> str:
    return CONTROL.sub("", text)
