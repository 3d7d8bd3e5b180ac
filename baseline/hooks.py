"""How the baseline plugs into the shared mechanisms: the defaults of a new
partnership, the stepper (steps 1 and 2), the portal's summary, the demo."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnerships.models import Partner, Partnership, Step
from partnerships.publication import declare_summary
from partnerships.stepper import Check, progress, register_room

MIN_RATING_TYPES = 2


def _dimension_counts(partnership: Partnership, related: str) -> list[tuple[str, int]]:
    """(label, number of ``related`` records) per dimension, in one query."""
    from baseline.models import Dimension

    return [
        (d.label, d.n)
        for d in Dimension.objects.filter(partnership=partnership).annotate(n=Count(related))
    ]


def situational_checks(partnership: Partnership) -> list[Check]:
    from baseline.models import Threat, ThreatRating

    dimensions = _dimension_counts(partnership, "threats")
    empty = [label for label, threats in dimensions if not threats]
    # Threats with ratings from at least two partner types, and all threats: one query.
    types = (
        ThreatRating.objects.filter(threat=OuterRef("pk"))
        .exclude(partner_type="")
        .values("threat")
        .annotate(n=Count("partner_type", distinct=True))
        .values("n")
    )
    counts = (
        Threat.objects.filter(partnership=partnership)
        .annotate(types=Subquery(types))
        .aggregate(total=Count("id"), shared=Count("id", filter=Q(types__gte=MIN_RATING_TYPES)))
    )
    total, shared = counts["total"], counts["shared"]
    return [
        Check(
            _("Threats are registered on every dimension"),
            bool(dimensions) and not empty,
            _("No threat yet on: %(d)s") % {"d": ", ".join(empty)}
            if empty
            else ngettext("%(n)s threat", "%(n)s threats", total) % {"n": total},
        ),
        Check(
            _("Threats are rated by two or more partner types"),
            total > 0 and shared == total,
            ngettext("%(a)s of %(n)s threat", "%(a)s of %(n)s threats", total)
            % {"a": shared, "n": total},
        ),
    ]


def nvc_checks(partnership: Partnership) -> list[Check]:
    from baseline.models import Condition, Contribution
    from stakeholders.models import Actor, Segment

    dimensions = _dimension_counts(partnership, "conditions")
    empty = [label for label, conditions in dimensions if not conditions]
    # Segments on the stakeholder map, and whether an NVC entry is about each.
    # Nothing counts as done that nobody did: with no segment on the map, or
    # no partner, these checks are not met (they are not vacuously true).
    on_map = list(
        Segment.objects.filter(partnership=partnership)
        .filter(Exists(Actor.segments.through.objects.filter(segment_id=OuterRef("pk"))))
        .annotate(heard=Exists(Condition.objects.filter(segment_id=OuterRef("pk"))))
        .only("code", "name")
    )
    unheard = [s.label for s in on_map if not s.heard]
    partners = list(
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .annotate(listed=Exists(Contribution.objects.filter(partner_id=OuterRef("pk"))))
        .values_list("name", "listed")
    )
    missing = [name for name, listed in partners if not listed]
    return [
        Check(
            _("Needs, vulnerabilities and capacities are mapped on every dimension"),
            bool(dimensions) and not empty,
            _("Nothing yet on: %(d)s") % {"d": ", ".join(empty)} if empty else "",
        ),
        Check(
            _("Every segment on the map has an entry"),
            bool(on_map) and not unheard,
            _("No entry yet for: %(s)s") % {"s": ", ".join(unheard)} if unheard else "",
        ),
        Check(
            _("Every partner is in the capacity register"),
            bool(partners) and not missing,
            _("Not yet: %(p)s") % {"p": ", ".join(missing)} if missing else "",
        ),
    ]


def baseline_summary(partnership_id: int) -> dict[str, Any]:
    """Aggregates for the public portal, only once a facilitator has published
    the baseline: counts per dimension, the stress matrix, the mutual risks
    (threat titles and partner types; never a person or a rating's author)."""
    from baseline import analysis, services

    if not services.is_baseline_published(partnership_id):
        return {}
    matrix = analysis.stress_matrix(partnership_id)
    return {
        "title": _("Human security baseline"),
        "threats_per_dimension": [
            {"label": d.label, "threats": n}
            for d, n in analysis.threats_per_dimension(partnership_id)
        ],
        "stress": matrix,
        "stress_rows": matrix.rows(),
        "mutual_risks": analysis.mutual_risks(partnership_id),
    }


def _seed_defaults(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created:
        from baseline.services import ensure_defaults

        ensure_defaults(partnership=instance)


def register() -> None:
    progress(Step.SITUATIONAL_ANALYSIS)(situational_checks)
    progress(Step.NEEDS_VULNERABILITIES_CAPACITIES)(nvc_checks)
    register_room(Step.SITUATIONAL_ANALYSIS, "baseline:threats", _("Threats"))
    register_room(Step.NEEDS_VULNERABILITIES_CAPACITIES, "baseline:nvc", _("Needs and capacities"))
    declare_summary("baseline", baseline_summary)
    post_save.connect(_seed_defaults, sender=Partnership, dispatch_uid="baseline-defaults")
    import baseline.demo  # noqa: F401  (adds the demo baseline to the demo command)
