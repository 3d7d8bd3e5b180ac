"""What the opinion-groups page shows, read from the latest stored analysis:
the groups with their make-up, what each group stands for, what nearly
everyone shares, and the statements that bridge the groups — with the texts
of the statements (one query) and a picture cached by analysis version.

Shares are of the people of a group who voted on a statement; a share of
fewer than 5 people is not shown (it would say how those few voted).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonground import analysis
from commonground.models import Analysis, Conversation, Statement
from partnerships import charts
from partnerships.models import PartnerType
from partnerships.suppression import is_small
from stakeholders.models import Segment

CHART_TTL = 24 * 3600
REPRESENTATIVE_SHOWN = 5

# Later rooms say what builds on a statement (the goals room: the goals it
# stands behind) without this room importing them: each provider takes
# statement ids and returns, by id, (label, url) pairs.
LinkProvider = Callable[[list[int]], dict[int, list[tuple[str, str]]]]
STATEMENT_LINKS: list[LinkProvider] = []


def register_statement_links(provider: LinkProvider) -> LinkProvider:
    STATEMENT_LINKS.append(provider)
    return provider


def links_for(statement_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for provider in STATEMENT_LINKS:
        for statement_id, links in provider(statement_ids).items():
            found.setdefault(statement_id, []).extend(links)
    return found


def reason_text(code: str) -> str:
    """Why the engine found one group, or none, in words."""
    texts = {
        "no_votes": _("Nobody has voted yet."),
        "all_moderated_out": _("Every statement voted on has been taken out by moderation."),
        "one_participant": _("Only one person has voted: groups need several."),
        "one_statement": _("Only one statement has votes: groups need several."),
        "all_pass": _("Everyone passed on everything: the votes say nothing to group by."),
        "identical_votes": _("Everyone voted the same way: there is one group."),
        "too_few_participants": _(
            "Too few people have voted on enough statements to find groups yet."
        ),
    }
    return texts.get(code, code)


def group_name(index: int) -> str:
    return _("Group %(letter)s") % {"letter": chr(ord("A") + index)}


def _share(count: int, seen: int) -> float | None:
    if seen == 0 or is_small(seen):
        return None
    return 100.0 * count / seen


def _statements(conversation: Conversation, data: dict[str, Any]) -> dict[int, Statement]:
    engine = data.get("engine", {})
    wanted: set[int] = set()
    for items in engine.get("representative", {}).values():
        wanted.update(int(item["statement"]) for item in items)
    wanted.update(int(item["statement"]) for item in engine.get("consensus", []))
    wanted.update(int(item["statement"]) for item in data.get("bridging", []))
    rows = Statement.objects.filter(conversation=conversation, pk__in=wanted)
    found = {s.pk: s for s in rows.prefetch_related("threats")}
    links = links_for(list(found))
    for pk, statement in found.items():
        statement.later_links = links.get(pk, [])
    return found


def _composition(
    conversation: Conversation, entry: dict[str, Any], segments: dict[str, str]
) -> list[tuple[str, str]]:
    """(label, count or "hidden") of a group's make-up, by partner type then segment."""
    hidden = _("hidden")
    shown: list[tuple[str, str]] = []
    for code, count in (entry.get("partner_type") or {}).items():
        label = str(PartnerType(code).label) if code in PartnerType.values else _("Not stated")
        shown.append((label, hidden if count is None else str(count)))
    for code, count in (entry.get("segment") or {}).items():
        label = segments.get(code, _("No group stated"))
        shown.append((label, hidden if count is None else str(count)))
    return shown


def results_context(conversation: Conversation) -> dict[str, Any]:
    latest = analysis.latest(conversation)
    context: dict[str, Any] = {
        "analysis": latest,
        "pending": analysis.analysis_pending(conversation.pk),
    }
    if latest is None:
        return context
    data = latest.data
    engine = data.get("engine", {})
    statements = _statements(conversation, data)
    segments = {
        str(s.pk): s.label for s in Segment.objects.filter(partnership=conversation.partnership_id)
    }
    sizes: list[int] = engine.get("group_sizes", [])
    composition = data.get("composition", {})
    groups = []
    for index, size in enumerate(sizes):
        entry = composition.get(str(index), {})
        representative = []
        for item in engine.get("representative", {}).get(str(index), [])[:REPRESENTATIVE_SHOWN]:
            statement = statements.get(int(item["statement"]))
            if statement is None:
                continue
            agreeing = item["side"] == "agree"
            count = item["agrees"] if agreeing else item["disagrees"]
            representative.append(
                {
                    "statement": statement,
                    "agree": agreeing,
                    "share": _share(count, item["seen"]),
                }
            )
        groups.append(
            {
                "name": group_name(index),
                "size": entry.get("size", size),
                "composition": _composition(conversation, entry, segments),
                "representative": representative,
            }
        )
    consensus = []
    for item in engine.get("consensus", []):
        statement = statements.get(int(item["statement"]))
        if statement is not None:
            count = item["agrees"] if item["side"] == "agree" else item["disagrees"]
            consensus.append(
                {
                    "statement": statement,
                    "agree": item["side"] == "agree",
                    "share": _share(count, item["seen"]),
                }
            )
    bridging = []
    for item in data.get("bridging", []):
        statement = statements.get(int(item["statement"]))
        if statement is not None:
            bridging.append(
                {
                    "statement": statement,
                    "score": item["score"],
                    "shares": [None if v is None else 100.0 * v for v in item["agree"]],
                }
            )
    context.update(
        {
            "reason": reason_text(engine.get("reason", "")) if engine.get("reason") else "",
            "groups": groups,
            "group_names": [group_name(i) for i in range(len(sizes))],
            "consensus": consensus,
            "bridging": bridging,
            "participants": engine.get("participants", 0),
            "participants_in": engine.get("participants_in", 0),
            "chart": _chart(latest, bridging, len(sizes)),
        }
    )
    return context


def _chart(latest: Analysis, bridging: list[dict[str, Any]], groups: int) -> str:
    """How much each group agrees with the bridging statements, as a heat map
    (cached per analysis version and language: drawing costs more than the page)."""
    if groups < 2 or not bridging:
        return ""
    key = f"commonground-chart:{latest.pk}:{latest.version}:{get_language()}"
    cached = cache.get(key)
    if not isinstance(cached, str):
        cached = charts.heatmap(
            [f"#{b['statement'].number}" for b in bridging],
            [group_name(i) for i in range(groups)],
            [b["shares"] for b in bridging],
            title=_("Share agreeing, by opinion group (bridging statements)"),
            low_label=_("few agree"),
            high_label=_("most agree"),
            no_data_label=_("too few votes"),
        )
        cache.set(key, cached, CHART_TTL)
    return mark_safe(cached)  # noqa: S308 — built by our own charts module, text escaped there
