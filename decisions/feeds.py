"""The Atom feed of the public decision log (``django.contrib.syndication``):
the same rows as the public page, read through the publication rules, so a
decision the charter keeps inside never appears here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from decisions.public import public_decisions

SHOWN = 50


class DecisionFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        partnership: dict[str, Any] = kwargs["partnership"]
        return partnership

    def title(self, obj: dict[str, Any]) -> str:
        return _("Decisions of %(name)s") % {"name": obj["name"]}

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("decisions:public_log", args=[obj["slug"]])

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("What the partnership decided, with each decision's outcome.")

    def items(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        rows = public_decisions(obj["id"], limit=SHOWN)
        for row in rows:
            row["slug"] = obj["slug"]
        return rows

    def item_title(self, item: dict[str, Any]) -> str:
        return f"{item['title']} — {item['status_label']}"

    def item_description(self, item: dict[str, Any]) -> str:
        return str(item["outcome"] or item["body"])

    def item_link(self, item: dict[str, Any]) -> str:
        return reverse("decisions:public_log", args=[item["slug"]]) + f"#d-{item['public_id']}"

    def item_guid(self, item: dict[str, Any]) -> str:
        return f"urn:uuid:{item['public_id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: dict[str, Any]) -> datetime | None:
        closed: datetime | None = item["closed_at"]
        return closed

    def item_updateddate(self, item: dict[str, Any]) -> datetime | None:
        closed: datetime | None = item["closed_at"]
        return closed
