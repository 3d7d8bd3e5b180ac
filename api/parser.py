"""The API's body parser: JSON bounded in depth (``partnerships.bounded_json``).
Ninja answers 400 for any body its parser refuses; ``api.errors`` says why."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from partnerships import bounded_json


class BoundedJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], bounded_json.loads(request.body))
