"""The relations network of a partnership's actors: the graph, its metrics,
its layout and its picture. No views here.

Nodes are the partnership's actors, edges its relations (an undirected
relation is an arc both ways). Brokerage (betweenness) and clusters (Louvain
communities) read the ties whatever their direction: a broker passes word
both ways, and a conflict or a membership links two actors as much as a
funding does. Direction counts where it means something: ties out and ties in.

The layout and the metrics are cached (Django's cache framework) under a
version derived from the data, so any change of actors or relations makes a
new key; small maps are laid out in the request, large ones by the task
``stakeholders.tasks.layout_network`` (queued once by ``tasks.current_layout``),
which reports its progress in the cache too. Pictures are cached per layout,
per clearance and per label text: an actor's label is always
``display.actor_name`` for the viewer, so the picture a cleared viewer gets
never reaches one without clearance.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

import networkx as nx
import numpy as np
from django.core.cache import cache
from django.db.models import Max, QuerySet

from partnerships.kinds import kind_of
from partnerships.models import AuditEntry, Member, Partnership, Role
from partnerships.permissions import Action, role_can
from partnerships.protection import has_clearance
from stakeholders.display import actor_name
from stakeholders.models import Actor, Relation

SEED = 20260401
INLINE_MAX_ACTORS = 300  # laid out in the request; above, in the background
INLINE_MAX_RELATIONS = 3000
DIRECT_LAYOUT = 500  # above this, lay out clusters first, then each cluster
SPLIT = 200  # a cluster larger than this is split again for the layout
LABELS = 40
BROKERS = 10
# Betweenness costs about (sources × (nodes + edges)); above the budget it samples
# ``k`` sources (seeded). In CPython a unit is about 2.5 µs.
BUDGET_INLINE = 150_000
BUDGET_TASK = 4_000_000
TTL = 7 * 24 * 3600
LOCK_TTL = 30 * 60
GREY = "#9aa5b1"

Report = Callable[[int, str], None]


class Progress(TypedDict):
    version: str
    state: str  # queued, running, done, failed
    percent: int
    phase: str


@dataclass(frozen=True)
class DataVersion:
    actors: int
    relations: int
    key: str

    @property
    def small(self) -> bool:
        return self.actors <= INLINE_MAX_ACTORS and self.relations <= INLINE_MAX_RELATIONS


@dataclass
class NetworkLayout:
    ids: np.ndarray[Any, Any]  # actor pks, in node order
    pos: np.ndarray[Any, Any]  # (n, 2) float32
    degree: np.ndarray[Any, Any]  # undirected ties per node
    cluster: np.ndarray[Any, Any]  # cluster index per node, -1 when alone
    edges: np.ndarray[Any, Any]  # (m, 2) node indexes
    strength: np.ndarray[Any, Any]  # (m,)
    brokers: list[tuple[int, float, int, int]]  # pk, betweenness, ties out, ties in
    isolated: list[int]
    clusters: list[tuple[int, list[int]]]  # size, up to five best-connected pks
    label_ids: list[int]  # candidates for a label, best-connected first
    sampled: int  # sources used for betweenness (= nodes when exact)

    @property
    def large(self) -> bool:
        return len(self.ids) > INLINE_MAX_ACTORS


# --- Versions and cache keys -------------------------------------------------------


def data_version(partnership_id: int) -> DataVersion:
    """Counts and highest ids of actors and relations, and the last audited
    change of a relation: adding, deleting or changing any of them gives a new
    key; renaming or flagging an actor does not move the layout. Five small
    queries on indexes (one query with grouped subqueries is slower)."""
    actors = Actor.objects.filter(partnership_id=partnership_id).order_by()
    relations = Relation.objects.filter(partnership_id=partnership_id).order_by()
    audit = AuditEntry.objects.filter(partnership_id=partnership_id, kind=kind_of(Relation))
    row = (
        actors.count(),
        actors.aggregate(top=Max("pk"))["top"],
        relations.count(),
        relations.aggregate(top=Max("pk"))["top"],
        audit.order_by("-at").values_list("at", flat=True).first(),
    )
    digest = hashlib.sha256(repr(row).encode()).hexdigest()[:20]
    return DataVersion(actors=row[0], relations=row[2], key=digest)


def cache_key(partnership_id: int, *parts: str) -> str:
    return ":".join(("hsbp:network", str(partnership_id), *parts))


def cached_layout(partnership_id: int, version: DataVersion) -> NetworkLayout | None:
    found = cache.get(cache_key(partnership_id, version.key, "layout"))
    return found if isinstance(found, NetworkLayout) else None


def progress(partnership_id: int) -> Progress | None:
    return cache.get(cache_key(partnership_id, "progress"))  # type: ignore[no-any-return]


def set_progress(partnership_id: int, version: str, state: str, percent: int, phase: str) -> None:
    record = Progress(version=version, state=state, percent=percent, phase=phase)
    cache.set(cache_key(partnership_id, "progress"), record, LOCK_TTL * 2)


# --- The graph and its metrics ------------------------------------------------------


def build(partnership_id: int) -> Any:
    """The partnership's actors and relations as a directed graph, in id order."""
    graph = nx.DiGraph()
    actors = Actor.objects.filter(partnership_id=partnership_id).order_by("pk")
    graph.add_nodes_from(actors.values_list("pk", flat=True).iterator(chunk_size=5000))
    relations = Relation.objects.filter(partnership_id=partnership_id).order_by("pk")
    rows = relations.values_list("source_id", "target_id", "directed", "strength")
    for source, target, directed, strength in rows.iterator(chunk_size=5000):
        if source in graph and target in graph:  # never an actor of another map
            pairs = [(source, target)] if directed else [(source, target), (target, source)]
            for u, v in pairs:
                old = graph.edges[u, v]["strength"] if graph.has_edge(u, v) else 0
                graph.add_edge(u, v, strength=max(old, strength))
    return graph


def _sources(nodes: int, edges: int, budget: int) -> int:
    if nodes * (nodes + edges) <= budget:
        return nodes
    return min(nodes, max(32, budget // max(nodes + edges, 1)))


def _spring(graph: Any, seed: int) -> dict[Any, Any]:
    n = len(graph)
    if n <= 1:
        return dict.fromkeys(graph, np.zeros(2))
    return dict(nx.spring_layout(graph, seed=seed, weight=None, iterations=50 if n <= 2000 else 30))


def _place(
    graph: Any, parts: list[list[Any]], seed: int, report: Report | None, depth: int = 0
) -> dict[Any, Any]:
    """Multilevel: lay the clusters out as one node each, then each cluster on
    its own (split again when large), scaled by its size. Force-directed layout
    costs the square of the nodes: this keeps 20,000 actors in seconds."""
    if len(parts) <= 1 or depth > 3:
        return _spring(graph, seed)
    part_of = {node: i for i, part in enumerate(parts) for node in part}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(parts)))
    for u, v in graph.edges():
        a, b = part_of[u], part_of[v]
        if a != b:
            w = quotient.edges[a, b]["weight"] if quotient.has_edge(a, b) else 0
            quotient.add_edge(a, b, weight=w + 1)
    for _a, _b, data in quotient.edges(data=True):
        data["weight"] = 1 + np.log(data["weight"])
    found = nx.spring_layout(quotient, seed=seed, weight="weight")
    centres = np.array([found[i] for i in range(len(parts))])
    gaps = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(gaps, np.inf)
    total, pos = len(graph), {}
    for i, part in enumerate(parts):
        sub = nx.Graph(graph.subgraph(part))
        if len(part) > SPLIT:
            inner = _place(sub, _louvain(sub, seed), seed, None, depth + 1)
        else:
            inner = _spring(sub, seed)
        # Big groups get more room, but never more than half-way to the next group.
        radius = min(0.9 * (len(part) / total) ** 0.5, 0.5 * float(gaps[i].min()))
        for node, xy in inner.items():
            pos[node] = centres[i] + radius * np.asarray(xy)
        if report is not None and i % 10 == 0:
            report(60 + 30 * i // len(parts), "layout")
    return pos


def _louvain(graph: Any, seed: int) -> list[list[Any]]:
    found = nx.community.louvain_communities(graph, weight="strength", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def compute(
    graph: Any, *, seed: int = SEED, budget: int = BUDGET_TASK, report: Report | None = None
) -> NetworkLayout:
    """Metrics and positions of a graph from ``build``; deterministic for a seed."""
    step: Report = report or (lambda percent, phase: None)
    ties = nx.Graph(graph)
    nodes = list(ties)
    index = {node: i for i, node in enumerate(nodes)}
    degree = np.array([ties.degree(node) for node in nodes], dtype=np.int32)
    step(10, "brokers")
    k = _sources(len(nodes), ties.number_of_edges(), budget)
    between = nx.betweenness_centrality(ties, k=k if k < len(nodes) else None, seed=seed)
    ranked = sorted((node for node in nodes if between[node] > 0), key=lambda n: -between[n])
    brokers = [
        (n, float(between[n]), int(graph.out_degree(n)), int(graph.in_degree(n)))
        for n in ranked[:BROKERS]
    ]
    step(40, "clusters")
    communities = _louvain(ties, seed)
    groups = [c for c in communities if len(c) > 1]
    cluster = np.full(len(nodes), -1, dtype=np.int32)
    for number, members in enumerate(groups):
        cluster[[index[m] for m in members]] = number
    best = [sorted(c, key=lambda n: (-degree[index[n]], n))[:5] for c in groups]
    isolated = [node for node in nodes if degree[index[node]] == 0]
    step(55, "layout")
    if len(ties) <= DIRECT_LAYOUT:
        placed = _spring(ties, seed)
    else:
        placed = _pack(ties, communities, seed, step)
    pos = np.array([placed[node] for node in nodes], dtype=np.float64).reshape(-1, 2)
    if len(nodes):
        pos -= pos.min(axis=0)
        pos = pos / max(float(pos.max()), 1e-9)
    edges = np.array([(index[u], index[v]) for u, v in ties.edges()], dtype=np.int32)
    strength = np.array([s for _u, _v, s in ties.edges(data="strength")], dtype=np.int8)
    labelled = sorted(nodes, key=lambda n: (-degree[index[n]], n))[: LABELS * 3]
    return NetworkLayout(
        ids=np.array(nodes, dtype=np.int64),
        pos=pos.astype(np.float32),
        degree=degree,
        cluster=cluster,
        edges=edges.reshape(-1, 2),
        strength=strength,
        brokers=brokers,
        isolated=isolated,
        clusters=[(len(c), b) for c, b in zip(groups, best, strict=True)],
        label_ids=labelled,
        sampled=k,
    )


def _pack(graph: Any, communities: list[list[Any]], seed: int, step: Report) -> dict[Any, Any]:
    """Each connected part on its own (multilevel when large), in a square
    whose side grows with its size, the squares in rows, largest first: small
    groups and isolated actors line up under the main network."""
    component_of = {n: i for i, c in enumerate(nx.connected_components(graph)) for n in c}
    parts_of: dict[int, list[list[Any]]] = {}
    for community in communities:
        parts_of.setdefault(component_of[community[0]], []).append(community)
    blocks = sorted(parts_of.values(), key=lambda ps: (-sum(map(len, ps)), ps[0][0]))
    width = max(sum(map(len, blocks[0])) ** 0.5, (len(graph) ** 0.5) * 1.2)
    x = y = row = 0.0
    placed: dict[Any, Any] = {}
    for parts in blocks:
        nodes = [n for part in parts for n in part]
        sub = graph.subgraph(nodes)
        inner = _place(sub, parts, seed, step) if len(nodes) > DIRECT_LAYOUT else _spring(sub, seed)
        side = len(nodes) ** 0.5
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row - 1, 0.0
        xy = np.array([inner[n] for n in nodes], dtype=np.float64)
        xy = (xy - xy.min(axis=0)) / max(float(np.ptp(xy, axis=0).max()), 1e-9)
        for n, (a, b) in zip(nodes, xy, strict=True):
            placed[n] = (x + a * side, y - b * side)
        x, row = x + side + 1, max(row, side)
    return placed


# --- Getting a layout ---------------------------------------------------------------


def compute_and_store(
    partnership_id: int, version: DataVersion, report: Report | None = None
) -> NetworkLayout:
    """The version is read before the data: if the data moves meanwhile, the
    layout lands under a key nobody asks for any more, never under a wrong one."""
    budget = BUDGET_INLINE if version.small else BUDGET_TASK
    layout = compute(build(partnership_id), budget=budget, report=report)
    cache.set(cache_key(partnership_id, version.key, "layout"), layout, TTL)
    return layout


def run_layout_task(partnership_id: int) -> str:
    """The background task's work: lay out, store, pre-draw both pictures."""
    if not Partnership.objects.filter(pk=partnership_id).exists():
        return ""  # deleted since
    version = data_version(partnership_id)

    def report(percent: int, phase: str) -> None:
        set_progress(partnership_id, version.key, "running", percent, phase)

    try:
        report(1, "loading")
        layout = cached_layout(partnership_id, version) or compute_and_store(
            partnership_id, version, report
        )
        report(92, "picture")
        roles = [r for r in Role.values if role_can(r, "protected_person", Action.VIEW)]
        cleared = Member.objects.filter(partnership_id=partnership_id, role__in=roles).first()
        for viewer in (cleared, None):
            picture(partnership_id, version, layout, viewer)
    except Exception:
        set_progress(partnership_id, version.key, "failed", 0, "failed")
        raise
    set_progress(partnership_id, version.key, "done", 100, "done")
    return version.key


# --- The picture --------------------------------------------------------------------


def labels(partnership_id: int, layout: NetworkLayout, viewer: Member | None) -> dict[int, str]:
    """The labelled actors' names as this viewer may read them (one query)."""
    actors: QuerySet[Actor] = Actor.objects.filter(
        partnership_id=partnership_id, pk__in=layout.label_ids
    ).only("pk", "public_id", "name", "at_risk")
    return {a.pk: actor_name(a, viewer) for a in actors}


def picture_key(
    partnership_id: int, version: DataVersion, names: dict[int, str], viewer: Member | None
) -> str:
    variant = "cleared" if has_clearance(viewer) else "restricted"
    text = "\x1f".join(f"{pk}={name}" for pk, name in sorted(names.items()))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return cache_key(partnership_id, version.key, "svg", variant, digest)


def picture(
    partnership_id: int,
    version: DataVersion,
    layout: NetworkLayout,
    viewer: Member | None,
    names: dict[int, str] | None = None,
) -> tuple[bytes, str]:
    """The SVG for this viewer (cached) and its cache key. ``names``: the
    viewer's ``labels`` when the caller has them already."""
    names = labels(partnership_id, layout, viewer) if names is None else names
    key = picture_key(partnership_id, version, names, viewer)
    if not isinstance(svg := cache.get(key), bytes):
        svg = render_svg(layout, names)
        cache.set(key, svg, TTL)
    return svg, key


def render_svg(layout: NetworkLayout, names: dict[int, str]) -> bytes:
    """A self-contained SVG: no script, no external reference, names as text.
    On large maps edges and nodes are drawn as one embedded bitmap layer."""
    from matplotlib import colormaps, rc_context
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    n, pos, large = len(layout.ids), layout.pos, layout.large
    low, high = (pos.min(axis=0), pos.max(axis=0)) if n else (np.zeros(2), np.ones(2))
    xlim = (float(low[0]) - 0.05, float(high[0]) + 0.25)  # room for the labels on the right
    ylim = (float(low[1]) - 0.05, float(high[1]) + 0.05)
    ratio = float(np.clip((ylim[1] - ylim[0]) / (xlim[1] - xlim[0]), 0.4, 1.5))
    fig = Figure(figsize=(10, 10 * ratio), dpi=96)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    ax.set(xlim=xlim, ylim=ylim)
    if len(layout.edges):
        width = 0.25 if large else 0.4 + 0.25 * layout.strength.astype(float)
        lines = LineCollection(pos[layout.edges], colors=GREY, linewidths=width, alpha=0.5)
        lines.set_rasterized(large)
        ax.add_collection(lines)
    if n:
        palette = colormaps["tab20"]
        colours = [GREY if c < 0 else palette(int(c) % 20) for c in layout.cluster]
        top = max(int(layout.degree.max()), 1)
        base, grow = (3.0, 60.0) if large else (40.0, 360.0)
        sizes = base + grow * np.sqrt(layout.degree / top)
        dots = ax.scatter(pos[:, 0], pos[:, 1], s=sizes, c=colours, linewidths=0.4,
                          edgecolors="white", zorder=2)  # fmt: skip
        dots.set_rasterized(large)
        for i, name in _placed_labels(layout, names):
            gap = float(np.sqrt(sizes[i])) / 2 + 2
            ax.annotate(name, (float(pos[i, 0]), float(pos[i, 1])), xytext=(gap, 0),
                        textcoords="offset points", fontsize=8,
                        va="center", zorder=3, parse_math=False,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                              "alpha": 0.75})  # fmt: skip
    buffer, meta = io.BytesIO(), dict.fromkeys(("Creator", "Date", "Format", "Type"))
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "hsbp", "svg.image_inline": True}):
        fig.savefig(buffer, format="svg", dpi=120, metadata=meta)
    # The DOCTYPE names an external DTD: drop it, the SVG is valid without it.
    return re.sub(rb"<!DOCTYPE[^>]*>\s*", b"", buffer.getvalue(), count=1)


def _placed_labels(layout: NetworkLayout, names: dict[int, str]) -> list[tuple[int, str]]:
    """Up to ``LABELS`` best-connected actors (node index, name); on a crowded
    map a label that would sit on another one gives way to the next actor."""
    where = {int(pk): i for i, pk in enumerate(layout.ids)}
    crowded = len(layout.ids) > LABELS
    span = float(np.ptp(layout.pos, axis=0).max()) if len(layout.ids) else 1.0
    placed: list[tuple[int, str]] = []
    for pk in layout.label_ids:
        if pk not in names or pk not in where or len(placed) >= LABELS:
            continue
        x, y = layout.pos[where[pk]]
        if crowded and any(
            abs(x - layout.pos[i][0]) < 0.12 * span and abs(y - layout.pos[i][1]) < 0.025 * span
            for i, _name in placed
        ):
            continue
        placed.append((where[pk], names[pk]))
    return placed
