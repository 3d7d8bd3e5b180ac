"""One way to read JSON that someone sent us (an API body, an uploaded boundary
file): bounded in nesting depth, so that a hostile or broken document is a
clear refusal instead of a ``RecursionError`` deep in the parser or in the
code that walks the result.

Size is bounded where the bytes arrive (``DATA_UPLOAD_MAX_MEMORY_SIZE`` for
bodies, each upload form's own limit for files); depth is bounded here.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

# Deeper than anything we accept: a GeoJSON MultiPolygon's coordinates sit at
# depth 8 in a FeatureCollection, a consultation answer at depth 4.
MAX_DEPTH = 32


class JsonTooDeep(ValueError):
    """The document nests deeper than the caller allows."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        super().__init__(
            _("The JSON nests too deeply (more than %(n)d levels).") % {"n": max_depth}
        )


def depth(value: Any) -> int:
    """How deeply ``value`` nests (a scalar is 0, ``[]`` is 1), walked without
    recursion so that no document can exhaust the stack."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        level += 1
        deepest = max(deepest, level)
        pending.extend((child, level) for child in item if isinstance(child, dict | list))
    return deepest


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses a document nesting deeper than ``max_depth``
    with ``JsonTooDeep`` (a ``ValueError``, like any other unreadable JSON)."""
    try:
        document = json.loads(data)
    except RecursionError:
        # The C parser stops cleanly at the interpreter's recursion limit.
        raise JsonTooDeep(max_depth) from None
    if depth(document) > max_depth:
        raise JsonTooDeep(max_depth)
    return document
