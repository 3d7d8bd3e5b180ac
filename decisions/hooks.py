"""How this room plugs into the shared mechanisms and the rooms below it:
step 5's checks and page, the portal's decision log, the records a decision
may link to, the charter's check that an amendment truly passed, and the
kinds of notification."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, npgettext_lazy

from decisions import links
from discussion import targets as discussion_targets
from partnerships.models import Partner, Partnership, Step
from partnerships.publication import declare, declare_summary
from partnerships.stepper import Check, progress, register_room

PORTAL_SHOWN = 10


def decision_checks(partnership: Partnership) -> list[Check]:
    from decisions.models import CLOSED, Decision

    counts = Decision.objects.filter(partnership=partnership).aggregate(
        taken=Count("pk", filter=Q(status__in=CLOSED)),
        public=Count("pk", filter=Q(status__in=CLOSED, public=True)),
    )
    return [
        Check(
            _("Decisions taken under the charter"),
            counts["taken"] > 0,
            ngettext_lazy("%(n)s decision", "%(n)s decisions", "n") % {"n": counts["taken"]},
        ),
        Check(
            _("The decision log is public on the portal"),
            counts["public"] > 0,
            npgettext_lazy("decisions", "%(n)s public", "%(n)s public", "n")
            % {"n": counts["public"]},
        ),
    ]


def public_log(partnership_id: int) -> dict[str, Any]:
    """The newest public decisions, for the portal's page of the partnership."""
    from decisions.public import public_decisions

    rows = public_decisions(partnership_id, limit=PORTAL_SHOWN)
    return {"decisions": rows} if rows else {}


def _goals(partnership: Partnership, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, links.Target]:
    from goals.models import CollectiveGoal

    return {
        g.public_id: links.Target(
            "goal",
            g.public_id,
            g.label,
            reverse("goals:detail", args=[partnership.slug, g.public_id]),
        )
        for g in CollectiveGoal.objects.filter(partnership=partnership, public_id__in=ids)
    }


def _partners(partnership: Partnership, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, links.Target]:
    return {
        p.public_id: links.Target(
            "partner",
            p.public_id,
            p.name,
            reverse("partnerships:partner", args=[partnership.slug, p.public_id]),
        )
        for p in Partner.objects.filter(partnership=partnership, public_id__in=ids)
    }


def _decision_url(decision: Any) -> str:
    return reverse("decisions:detail", args=[decision.partnership.slug, decision.public_id])


def register() -> None:
    from charter.hooks import register_decision_check
    from decisions import effects_charter, notices, services
    from decisions.models import CLOSED, Decision, DecisionLink

    progress(Step.STRATEGIES)(decision_checks)
    register_room(Step.STRATEGIES, "decisions:list", _("Decision log"))
    links.register("goal", _("Collective goal"), _goals)
    links.register("partner", _("Partner"), _partners)
    effects_charter.register_links()
    # The charter asks whether an amendment (or an admission) truly passed.
    register_decision_check(services.passed)
    notices.register()
    # Public once closed, where the charter's communication plan publishes the
    # log (``Decision.public``, set when proposed). Never a ballot nor a
    # participation: the portal reads the tally suppressed at the close
    # (``public_tally``: a secret vote's totals only), never the raw counts.
    public = Q(public=True, status__in=CLOSED)
    declare(
        Decision,
        # "id" only joins the links below to their decision; it is never shown.
        fields=(
            "id",
            "public_id",
            "title",
            "body",
            "kind",
            "kind_label",
            "status",
            "voters",
            "secret",
            "opened_at",
            "closed_at",
            "public_tally",
            "outcome",
            "proposed_at",
        ),
        where=public,
    )
    declare(
        DecisionLink,
        # "decision" only joins a link to its decision (its id is never shown).
        fields=("decision", "kind", "label"),
        where=Q(decision__public=True, decision__status__in=CLOSED),
    )
    declare_summary("decisions", public_log)
    # A decision's page holds the discussion of its proposal (templates/decisions/detail.html).
    discussion_targets.register(Decision, permission_kind="decision", url=_decision_url)
    from decisions import demo

    demo.register()
