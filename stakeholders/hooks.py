"""How the stakeholder map plugs into the shared mechanisms: protection, the
stepper, the overview's alerts, the portal's summaries, and the default
segments of a new partnership."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnerships.models import Partnership, Step
from partnerships.protection import register_lookup
from partnerships.publication import declare_summary
from partnerships.stepper import Check, progress, register_alert, register_room


def involvement_checks(partnership: Partnership) -> list[Check]:
    from stakeholders import inclusion
    from stakeholders.models import Actor

    counts = Actor.objects.filter(partnership=partnership).aggregate(
        actors=Count("id"), assessed=Count("id", filter=Q(assessment_count__gt=0))
    )
    actors, assessed = counts["actors"], counts["assessed"]
    segments = inclusion.by_segment_cached(partnership)
    absent = [row.label for row in segments if row.status == inclusion.ABSENT]
    women = next((row for row in segments if row.code == "women"), None)
    # (Whether every partner type is at the table is the preliminary step's check.)
    return [
        Check(
            _("Actors are mapped"),
            actors > 0,
            ngettext("%(n)s actor", "%(n)s actors", actors) % {"n": actors},
        ),
        Check(
            _("Actors are assessed by the partners"),
            actors > 0 and assessed == actors,
            ngettext("%(a)s of %(n)s actor assessed", "%(a)s of %(n)s actors assessed", actors)
            % {"a": assessed, "n": actors},
        ),
        Check(_("Women are represented"), women is not None and women.status == inclusion.PRESENT),
        Check(_("No segment is absent from the map"), not absent, ", ".join(absent)),
    ]


def overview_alerts(partnership: Partnership) -> list[str]:
    from stakeholders import inclusion

    women = next((r for r in inclusion.by_segment_cached(partnership) if r.code == "women"), None)
    if women is not None and women.status != inclusion.PRESENT:
        return [str(_("Women are not represented among the engaged actors and partners."))]
    return []


def engagement_summary(partnership_id: int) -> dict[str, Any]:
    """Counts for the public portal: never a protected actor, never a name,
    and every count through small-number suppression (``inclusion.suppressed``)."""
    from stakeholders import inclusion

    partnership = Partnership(pk=partnership_id)
    return {
        "title": _("Engagement of the groups in the partnership"),
        "by_partner_type": inclusion.for_viewer(
            inclusion.by_partner_type(partnership, public=True), None
        ),
        "by_segment": inclusion.for_viewer(inclusion.by_segment(partnership, public=True), None),
    }


def _seed_segments(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created:
        from stakeholders.services import ensure_default_segments

        ensure_default_segments(partnership=instance)


def register() -> None:
    from stakeholders.services import protected_ids

    register_lookup(protected_ids)
    progress(Step.INVOLVEMENT)(involvement_checks)
    register_room(Step.INVOLVEMENT, "stakeholders:map", _("Stakeholder map"))
    register_alert(overview_alerts)
    declare_summary("engagement", engagement_summary)
    post_save.connect(_seed_segments, sender=Partnership, dispatch_uid="stakeholders-segments")
    import stakeholders.demo  # noqa: F401  (adds the demo map to the demo command)
