"""Reading the threat register: where stress is concentrated and which risks
are shared.

Every figure uses each group's *current* rating of a threat: its latest
(the baseline is revisited; older ratings stay as history).

- **Stress** of a group on a dimension: the mean, over the threats to protect
  against on that dimension that the group has rated, of severity ×
  likelihood as that group rates them (1–25). A mean, not a sum, so that a
  dimension with many small threats does not look worse than one with a
  single grave one; the number of threats is shown beside it.
- **Mutual risk**: a threat to protect against that at least
  ``MUTUAL_MIN_TYPES`` partner types rate *high* — severity ≥ ``HIGH`` (4 on
  the 1–5 scale). Ranked by the number of partner types that rate it high,
  then by their mean severity, then by mean likelihood: the candidates for
  collective goals (step 3). Segments' ratings do not count here: the view
  is about the partners who would commit to a goal.
- **Disagreement** on a threat: the spread between the highest and lowest
  current severity of the groups, shown when it is ``DISAGREEMENT`` or more.

Aggregates only: no function here names a person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from baseline.models import Dimension, Nature, Threat, ThreatRating
from partnerships.models import Partnership, PartnerType
from stakeholders.models import Segment

HIGH = 4
MUTUAL_MIN_TYPES = 2
DISAGREEMENT = 2


@dataclass(frozen=True)
class Group:
    key: str  # "type:company" or "segment:<id>"
    label: str


@dataclass
class StressCell:
    value: float | None = None  # mean severity × likelihood, 1–25
    threats: int = 0


@dataclass
class StressMatrix:
    groups: list[Group]
    dimensions: list[tuple[str, str]]  # (code, label)
    cells: dict[tuple[str, str], StressCell] = field(default_factory=dict)

    def rows(self) -> list[tuple[Group, list[StressCell]]]:
        return [
            (g, [self.cells.get((g.key, code), StressCell()) for code, _l in self.dimensions])
            for g in self.groups
        ]

    def values(self) -> list[list[float | None]]:
        return [[cell.value for cell in cells] for _g, cells in self.rows()]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the API and the portal."""
        return {
            "dimensions": [{"code": c, "label": label} for c, label in self.dimensions],
            "groups": [
                {
                    "key": g.key,
                    "label": g.label,
                    "cells": [{"value": c.value, "threats": c.threats} for c in cells],
                }
                for g, cells in self.rows()
            ],
        }


@dataclass
class MutualRisk:
    public_id: str
    title: str
    partner_types: list[str]  # the types that rate it high
    partner_type_labels: list[str]
    mean_severity: float  # of the types that rate it high
    mean_likelihood: float
    dimensions: list[str] = field(default_factory=list)

    @property
    def type_count(self) -> int:
        return len(self.partner_types)

    def as_dict(self) -> dict[str, Any]:
        return {
            "threat": self.public_id,
            "title": self.title,
            "partner_types": self.partner_types,
            "partner_type_count": self.type_count,
            "mean_severity": self.mean_severity,
            "mean_likelihood": self.mean_likelihood,
            "dimensions": self.dimensions,
        }


_RATING_FIELDS = (
    "threat_id",
    "partner_type",
    "segment_id",
    "severity",
    "likelihood",
    "rated_on",
    "created_at",
    "id",
)


def current_ratings_of(
    partnership: Partnership | int, *, downside_only: bool = True
) -> dict[int, dict[str, dict[str, Any]]]:
    """threat pk → group key → that group's latest rating (as a dict). One query."""
    pk = partnership if isinstance(partnership, int) else partnership.pk
    ratings = ThreatRating.objects.filter(partnership_id=pk)
    if downside_only:
        ratings = ratings.filter(threat__nature=Nature.DOWNSIDE)
    latest: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in ratings.order_by("-rated_on", "-created_at", "-id").values(*_RATING_FIELDS):
        key = f"segment:{row['segment_id']}" if row["segment_id"] else f"type:{row['partner_type']}"
        latest[row["threat_id"]].setdefault(key, row)
    return latest


def _dimensions_by_threat(pk: int) -> dict[int, list[int]]:
    through = Threat.dimensions.through
    found: dict[int, list[int]] = defaultdict(list)
    for threat_id, dimension_id in through.objects.filter(threat__partnership_id=pk).values_list(
        "threat_id", "dimension_id"
    ):
        found[threat_id].append(dimension_id)
    return found


def _group_labels(pk: int, keys: set[str]) -> list[Group]:
    segment_ids = [int(k.split(":")[1]) for k in keys if k.startswith("segment:")]
    segments = {
        s.pk: s.label for s in Segment.objects.filter(partnership_id=pk, pk__in=segment_ids)
    }
    types = [
        Group(f"type:{t}", str(label)) for t, label in PartnerType.choices if f"type:{t}" in keys
    ]
    ordered = sorted(segments.items(), key=lambda item: item[1])
    return types + [Group(f"segment:{sid}", label) for sid, label in ordered]


def stress_matrix(partnership: Partnership | int) -> StressMatrix:
    """Dimension × group: mean severity × likelihood of the threats to protect
    against on the dimension, as the group rates them (four queries)."""
    pk = partnership if isinstance(partnership, int) else partnership.pk
    dimensions = list(Dimension.objects.filter(partnership_id=pk))
    by_pk = {d.pk: d.code for d in dimensions}
    latest = current_ratings_of(pk)
    on = _dimensions_by_threat(pk)
    sums: dict[tuple[str, str], list[int]] = defaultdict(list)
    for threat_id, groups in latest.items():
        for key, row in groups.items():
            for dimension_id in on.get(threat_id, []):
                sums[(key, by_pk[dimension_id])].append(row["severity"] * row["likelihood"])
    keys = {key for groups in latest.values() for key in groups}
    matrix = StressMatrix(
        groups=_group_labels(pk, keys), dimensions=[(d.code, d.label) for d in dimensions]
    )
    for cell_key, products in sums.items():
        matrix.cells[cell_key] = StressCell(
            value=round(sum(products) / len(products), 1), threats=len(products)
        )
    return matrix


def mutual_risks(partnership: Partnership | int) -> list[MutualRisk]:
    """Threats rated high by two or more partner types, ranked (see module)."""
    pk = partnership if isinstance(partnership, int) else partnership.pk
    latest = current_ratings_of(pk)
    candidates: dict[int, list[dict[str, Any]]] = {}
    for threat_id, groups in latest.items():
        high = [
            row
            for key, row in groups.items()
            if key.startswith("type:") and row["severity"] >= HIGH
        ]
        if len(high) >= MUTUAL_MIN_TYPES:
            candidates[threat_id] = high
    if not candidates:
        return []
    threats = {
        t.pk: t for t in Threat.objects.filter(pk__in=candidates).prefetch_related("dimensions")
    }
    labels = dict(PartnerType.choices)
    risks = []
    for threat_id, rows in candidates.items():
        threat = threats[threat_id]
        types = sorted(row["partner_type"] for row in rows)
        risks.append(
            MutualRisk(
                public_id=str(threat.public_id),
                title=threat.title,
                partner_types=types,
                partner_type_labels=[str(labels[t]) for t in types],
                mean_severity=round(sum(r["severity"] for r in rows) / len(rows), 2),
                mean_likelihood=round(sum(r["likelihood"] for r in rows) / len(rows), 2),
                dimensions=[d.label for d in threat.dimensions.all()],
            )
        )
    risks.sort(key=lambda r: (-r.type_count, -r.mean_severity, -r.mean_likelihood, r.title))
    return risks


def disagreement(ratings: list[ThreatRating]) -> int:
    """The spread of current severities between groups (0 when fewer than two)."""
    if len(ratings) < 2:
        return 0
    severities = [r.severity for r in ratings]
    return max(severities) - min(severities)


def threats_per_dimension(partnership: Partnership | int) -> list[tuple[Dimension, int]]:
    """Every dimension with its number of registered threats (one query)."""
    from django.db.models import Count

    pk = partnership if isinstance(partnership, int) else partnership.pk
    return [
        (d, d.n) for d in Dimension.objects.filter(partnership_id=pk).annotate(n=Count("threats"))
    ]
