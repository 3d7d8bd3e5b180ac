"""Background work of the stakeholder map, and how it is queued. A task loads
by id and calls ``stakeholders.network``."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from partnerships import background
from stakeholders import network


@background.provides("stakeholders.layout_network", restartable=True)
@task()
def layout_network(partnership_id: int) -> str:
    """Lay out a large relations network, store it in the cache with its
    metrics and pictures, reporting progress there; returns the data version."""
    return network.run_layout_task(partnership_id)


def current_layout(
    partnership_id: int, version: network.DataVersion
) -> network.NetworkLayout | None:
    """The layout for this version: cached, computed now for a small map, or
    ``None`` after making sure the background task is queued (once)."""
    layout = network.cached_layout(partnership_id, version)
    if layout is not None:
        return layout
    if version.small:
        return network.compute_and_store(partnership_id, version)
    schedule(partnership_id, version)
    return None


def schedule(partnership_id: int, version: network.DataVersion) -> bool:
    """Queue the layout task unless it is queued already for this version
    (``cache.add`` is atomic, on Redis as in memory). A task that finished but
    whose layout has since left the cache is queued again; one that died is
    queued again when its lock expires."""
    lock = network.cache_key(partnership_id, version.key, "queued")
    known = network.progress(partnership_id)
    if known and known["version"] == version.key and known["state"] == "done":
        cache.delete(lock)
    if not cache.add(lock, True, network.LOCK_TTL):
        return False
    network.set_progress(partnership_id, version.key, "queued", 0, "queued")
    try:
        layout_network.enqueue(partnership_id)
    except Exception:
        cache.delete(lock)
        raise
    return True
