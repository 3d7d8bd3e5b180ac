"""The relations network page and its picture. The layout, the metrics and the
picture come from ``stakeholders.network`` (cached); the tables are the same
information for people who do not see the picture. Every actor is named
through ``stakeholders.display.actor_name``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Member
from partnerships.paging import paged
from partnerships.permissions import Action, Ctx, partnership_view
from partnerships.protection import has_clearance
from stakeholders import network, tasks
from stakeholders.display import actor_name
from stakeholders.models import Actor, Relation

RELATIONS_PER_PAGE = 100
# What the relations table and ``actor_name`` read: not descriptions or contacts.
RELATION_FIELDS = ("relation_type", "directed", "strength", "source_id", "target_id",
                   "source__public_id", "source__name", "source__at_risk",
                   "target__public_id", "target__name", "target__at_risk")  # fmt: skip
ISOLATED_SHOWN = 100
CLUSTERS_SHOWN = 50
PHASES = {
    "queued": gettext_lazy("waiting for its turn"),
    "loading": gettext_lazy("reading the map"),
    "brokers": gettext_lazy("finding the brokers"),
    "clusters": gettext_lazy("finding the clusters"),
    "layout": gettext_lazy("placing the actors"),
    "picture": gettext_lazy("drawing the picture"),
    "done": gettext_lazy("done"),
}
# The picture is its own document when opened directly: it runs nothing and
# loads nothing; matplotlib writes its styles inline, the large maps embed a bitmap.
SVG_POLICY = {
    "default-src": [NONE],
    "script-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "font-src": [NONE],
    "connect-src": [NONE],
    "form-action": [NONE],
}

# django-csp types its decorators for views of one argument; ours take a Ctx too.
_svg_policy = cast(
    Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]], csp_replace(SVG_POLICY)
)


def _names(ctx: Ctx, pks: set[int]) -> dict[int, tuple[Actor, str]]:
    """The actors (of this partnership only) and their names for this viewer."""
    actors = Actor.objects.filter(partnership=ctx.partnership, pk__in=pks)
    fields = ("pk", "public_id", "name", "at_risk", "partnership_id")
    return {a.pk: (a, actor_name(a, ctx.member)) for a in actors.only(*fields)}


def _tables(ctx: Ctx, layout: network.NetworkLayout) -> dict[str, Any]:
    clusters = layout.clusters[:CLUSTERS_SHOWN]
    wanted = {b[0] for b in layout.brokers} | set(layout.isolated)
    wanted |= {pk for _size, members in clusters for pk in members}
    names = _names(ctx, wanted)
    brokers = [
        {"actor": names[pk][0], "name": names[pk][1], "betweenness": value, "out": out, "in": in_}
        for pk, value, out, in_ in layout.brokers
        if pk in names
    ]
    # Hidden actors are not sorted by their real name, which would hint at it.
    cleared = has_clearance(ctx.member)
    isolated = sorted(
        (names[pk] for pk in layout.isolated if pk in names),
        key=lambda an: (not cleared and an[0].at_risk, an[1].casefold()),
    )
    return {
        "brokers": brokers,
        "isolated": [{"actor": a, "name": n} for a, n in isolated[:ISOLATED_SHOWN]],
        "isolated_total": len(layout.isolated),
        "clusters": [
            {
                "size": size,
                "members": [
                    {"actor": names[pk][0], "name": names[pk][1]} for pk in members if pk in names
                ],
            }
            for size, members in clusters
        ],
        "clusters_total": len(layout.clusters),
        "sampled": layout.sampled < len(layout.ids),
    }


def _relations(request: HttpRequest, ctx: Ctx) -> dict[str, Any]:
    # In creation order: an order by name would hint at a hidden actor's name.
    # The page's ids first, from the (partnership, id) index: a deep page skips
    # index entries, not joined rows.
    ids = Relation.objects.filter(partnership=ctx.partnership).order_by("pk")
    listing = paged(request, ids.values_list("pk", flat=True), RELATIONS_PER_PAGE)
    page = listing["page"]
    relations = (
        Relation.objects.filter(partnership=ctx.partnership, pk__in=list(page))
        .select_related("source", "target")
        .only(*RELATION_FIELDS)
        .order_by("pk")
    )
    viewer: Member = ctx.member
    rows = [
        {
            "relation": r,
            "source": actor_name(r.source, viewer),
            "target": actor_name(r.target, viewer),
        }
        for r in relations
    ]
    return {**listing, "relations": rows}


@partnership_view("actor", Action.VIEW)
def network_page(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    version = network.data_version(ctx.partnership.pk)
    layout = tasks.current_layout(ctx.partnership.pk, version)
    context: dict[str, Any] = {"ctx": ctx, "version": version, "layout": layout}
    if layout is not None:
        context.update(_tables(ctx, layout))
    else:
        known = network.progress(ctx.partnership.pk)
        current = known if known and known["version"] == version.key else None
        state = current["state"] if current else "queued"
        context.update(
            failed=state == "failed",
            percent=current["percent"] if current else 0,
            phase=PHASES.get(current["phase"] if current else "queued", ""),
        )
    context.update(_relations(request, ctx))
    return render(request, "stakeholders/network.html", context)


def _placeholder() -> bytes:
    text = _("Laying out the map…")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="60" viewBox="0 0 480 60">'
        f'<text x="10" y="35" font-family="sans-serif" font-size="16">{text}</text></svg>'
    ).encode()


@partnership_view("actor", Action.VIEW)
@_svg_policy
def network_svg(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    version = network.data_version(ctx.partnership.pk)
    layout = tasks.current_layout(ctx.partnership.pk, version)
    if layout is None:
        response = HttpResponse(_placeholder(), content_type="image/svg+xml", status=202)
        response["Cache-Control"] = "no-store"
        return response
    names = network.labels(ctx.partnership.pk, layout, ctx.member)
    key = network.picture_key(ctx.partnership.pk, version, names, ctx.member)
    etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        svg, _key = network.picture(ctx.partnership.pk, version, layout, ctx.member, names)
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Content-Disposition"] = 'inline; filename="network.svg"'
    # The picture depends on who looks: never shared, always revalidated.
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response
