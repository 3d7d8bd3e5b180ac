"""What the opinion-groups page shows, read from the latest stored analysis
and only from what it published (``commonground.published``: suppressed
counts, shares only where both counts behind them are published): the
analysis's state, the groups with their size and make-up, what each group
stands for, what nearly everyone shares, and the statements that bridge the
groups, with the texts of the statements (one query) and a picture cached by
analysis version. Nothing here reads a live count or the engine's exact ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonground import analysis
from commonground.models import Analysis, AnalysisState, Conversation, Statement
from partnerships import charts
from partnerships.models import PartnerType
from stakeholders.models import Segment

CHART_TTL = 24 * 3600

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


def published(conversation: Conversation) -> tuple[Analysis | None, dict[str, Any]]:
    """The latest analysis and what it published (empty when there is none,
    or when it predates published snapshots)."""
    latest = analysis.latest(conversation)
    shown = latest.data.get("published") if latest is not None else None
    if latest is None or not isinstance(shown, dict):
        return None, {}
    return latest, shown


def statement_counts(shown: dict[str, Any], pk: int) -> dict[str, int | None]:
    """A statement's published counts (agree, disagree, pass, total; None: hidden)."""
    found = shown.get("statements", {}).get(str(pk))
    return found if isinstance(found, dict) else {"agree": 0, "disagree": 0, "pass": 0, "total": 0}


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


def _statements(
    conversation: Conversation, shown: dict[str, Any], bridging: Any
) -> dict[int, Statement]:
    wanted: set[int] = set()
    for group in shown.get("groups", []):
        wanted.update(int(item["statement"]) for item in group.get("representative", []))
    wanted.update(int(item["statement"]) for item in shown.get("consensus", []))
    wanted.update(int(item["statement"]) for item in bridging)
    rows = Statement.objects.filter(conversation=conversation, pk__in=wanted)
    found = {s.pk: s for s in rows.prefetch_related("threats")}
    links = links_for(list(found))
    for pk, statement in found.items():
        statement.later_links = links.get(pk, [])
    return found


def _composition(entry: dict[str, Any], segments: dict[str, str]) -> list[tuple[str, int | None]]:
    """(label, count; None: hidden) of a group's make-up, by partner type then segment."""
    shown: list[tuple[str, int | None]] = []
    for code, count in (entry.get("partner_type") or {}).items():
        label = str(PartnerType(code).label) if code in PartnerType.values else _("Not stated")
        shown.append((label, count))
    for code, count in (entry.get("segment") or {}).items():
        label = segments.get(code, _("No group stated"))
        shown.append((label, count))
    return shown


def results_context(conversation: Conversation) -> dict[str, Any]:
    latest, shown = published(conversation)
    context: dict[str, Any] = {
        "analysis": latest,
        "pending": analysis.analysis_pending(conversation.pk),
        "state": latest.state if latest is not None else AnalysisState.TOO_FEW,
        "states": AnalysisState,
    }
    if latest is None:
        return context
    engine = latest.data.get("engine", {})
    bridging_data = latest.data.get("bridging", []) if latest.state == AnalysisState.GROUPS else []
    statements = _statements(conversation, shown, bridging_data)
    segments = {
        str(s.pk): s.label for s in Segment.objects.filter(partnership=conversation.partnership_id)
    }
    groups = []
    for index, entry in enumerate(shown.get("groups", [])):
        representative = []
        for item in entry.get("representative", []):
            statement = statements.get(int(item["statement"]))
            if statement is not None:
                representative.append(
                    {
                        "statement": statement,
                        "agree": item["side"] == "agree",
                        "share": _percent(item["share"]),
                    }
                )
        groups.append(
            {
                "name": group_name(index),
                "size": entry.get("size"),
                "composition": _composition(entry, segments),
                "representative": representative,
            }
        )
    consensus = []
    for item in shown.get("consensus", []):
        statement = statements.get(int(item["statement"]))
        if statement is not None:
            consensus.append(
                {
                    "statement": statement,
                    "agree": item["side"] == "agree",
                    "share": _percent(item["share"]),
                }
            )
    bridging = []
    for item in bridging_data:
        statement = statements.get(int(item["statement"]))
        if statement is not None:
            bridging.append(
                {
                    "statement": statement,
                    "score": item["score"],
                    "shares": [_percent(v) for v in item["agree"]],
                }
            )
    context.update(
        {
            "reason": reason_text(engine.get("reason", "")) if engine.get("reason") else "",
            "groups": groups,
            "group_names": [group_name(i) for i in range(len(groups))],
            "consensus": consensus,
            "bridging": bridging,
            "participants": shown.get("participants"),
            "not_placed": shown.get("not_placed"),
            "votes": shown.get("votes"),
            "chart": _chart(latest, bridging, len(groups)),
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
