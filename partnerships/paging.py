"""One way to page a list, on any room's page and in the API.

``paged``: the page, and the query string that keeps the list's filters when
moving between pages (``_pager.html``). ``page_of``: the API's pages, where a
page past the last is empty — whatever its number, the database is never
asked for an offset it cannot hold."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paged(request: HttpRequest, items: Any, per_page: int) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(items, per_page).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }


def page_of(items: QuerySet[Any], *, page: int, page_size: int) -> tuple[int, list[Any]]:
    """How many items there are, and those of page ``page`` (from 1)."""
    total = items.count()
    start = (max(page, 1) - 1) * page_size
    if start >= total:
        return total, []
    return total, list(items[start : start + page_size])
