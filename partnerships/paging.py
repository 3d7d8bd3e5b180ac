"""One way to page a list on any room's page: the page, and the query string
that keeps the list's filters when moving between pages (``_pager.html``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest


def paged(request: HttpRequest, items: Any, per_page: int) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(items, per_page).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
