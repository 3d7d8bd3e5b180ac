"""The charter on the shared floors: the public portal (the charter in force),
the stepper's step 5 checks, and the journey ("what you can do now")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charter.models import CharterPosition, CharterRole, CharterStatus, CharterVersion, PlanRow
from charter.rules import DecisionRule, Method, Voters
from charter.services import in_force, is_amendment, type_label
from partnerships.journey import JourneyItem, register_results, register_to_do
from partnerships.languages import in_language
from partnerships.models import Member, Partnership, Role, Step
from partnerships.permissions import Action, can
from partnerships.publication import declare, declare_summary, public_records
from partnerships.stepper import Check, progress, register_room


def public_charter(partnership_id: int) -> dict[str, Any]:
    """The charter in force for the portal: its texts, the rule of each
    decision type, the entry and leaver rules, the roles (never who holds
    them: holders may be people) and the communication plan. Three queries."""
    rows = public_records(CharterVersion, partnership_id)
    if not rows:
        return {}
    row = rows[0]
    version = CharterVersion(
        rules=row["rules"], custom_types=row["custom_types"], handover=row["handover"]
    )
    rules = []
    for code, data in row["rules"].items():
        rule = DecisionRule.from_data(data)
        rules.append(
            {
                "label": type_label(version, code),
                "method": str(Method(rule.method).label),
                "voters": str(Voters(rule.voters).label),
                "quorum": rule.quorum_percent,
                "threshold": rule.threshold_percent,
                "days": rule.deadline_days,
                "secret": rule.secret,
            }
        )
    roles = [
        CharterRole(kind=r["kind"], name=r["name"]).label
        for r in public_records(CharterRole, partnership_id)
    ]
    plan = [
        PlanRow(**{k: r[k] for k in ("what", "audience", "languages", "frequency")})
        for r in public_records(PlanRow, partnership_id)
    ]
    return {
        "title": in_language(row["title"]),
        "preamble": in_language(row["preamble"]),
        "number": row["number"],
        "in_force_from": row["in_force_from"],
        "rules": rules,
        "admission": type_label(version, row["admission_kind"]) if row["admission_kind"] else "",
        "handover": version.handover_lines,
        "commitments_fate": CharterVersion(
            commitments_fate=row["commitments_fate"]
        ).get_commitments_fate_display(),
        "roles": sorted(set(roles)),
        "plan": [
            {
                "what": p.get_what_display(),
                "audience": p.get_audience_display(),
                "languages": ", ".join(p.languages),
                "frequency": p.get_frequency_display(),
            }
            for p in plan
        ],
    }


def charter_checks(partnership: Partnership) -> list[Check]:
    counts = CharterVersion.objects.filter(partnership=partnership).aggregate(
        in_force=Count("pk", filter=Q(status=CharterStatus.IN_FORCE)),
        making=Count(
            "pk", filter=Q(status__in=(CharterStatus.DRAFT, CharterStatus.UNDER_ADOPTION))
        ),
    )
    return [
        Check(
            gettext_lazy("A charter drafted from a starter"),
            bool(counts["in_force"] or counts["making"]),
        ),
        Check(gettext_lazy("The charter adopted by every partner type"), counts["in_force"] > 0),
    ]


def to_do(member: Member) -> list[JourneyItem]:
    """A representative whose partner has not spoken on the charter under
    adoption; a facilitator with no charter yet."""
    slug = member.partnership.slug
    if member.role == Role.PARTNER_REPRESENTATIVE and member.partner_id:
        making = CharterVersion.objects.filter(
            partnership_id=member.partnership_id, status=CharterStatus.UNDER_ADOPTION
        ).first()
        if making is None or is_amendment(making):
            return []
        if (
            CharterPosition.objects.counting()
            .filter(version=making, partner_id=member.partner_id)
            .exists()
        ):
            return []
        return [
            JourneyItem(
                title=making.label,
                url=reverse("charter:version", args=[slug, making.public_id]),
                action=_("Record your partner's position on the charter"),
                detail=_("Endorse, endorse with reservations, or object, with your reasons."),
            )
        ]
    if (
        can(member, "charter", Action.CREATE)
        and not CharterVersion.objects.filter(partnership_id=member.partnership_id)
        .exclude(status=CharterStatus.DROPPED)
        .exists()
    ):
        return [
            JourneyItem(
                title=_("Charter"),
                url=reverse("charter:start", args=[slug]),
                action=_("Adapt a starter charter with the partners"),
            )
        ]
    return []


def results(member: Member) -> list[JourneyItem]:
    if not can(member, "charter", Action.VIEW):
        return []
    version = in_force(member.partnership)
    if version is None:
        return []
    return [
        JourneyItem(
            title=version.label,
            url=reverse("charter:page", args=[member.partnership.slug]),
            action=_("The charter in force"),
        )
    ]


def register() -> None:
    in_force_now = Q(status=CharterStatus.IN_FORCE)
    declare(
        CharterVersion,
        fields=(
            "title",
            "preamble",
            "number",
            "rules",
            "custom_types",
            "admission_kind",
            "handover",
            "commitments_fate",
            "in_force_from",
        ),
        where=in_force_now,
    )
    declare(CharterRole, fields=("kind", "name"), where=Q(version__status=CharterStatus.IN_FORCE))
    declare(
        PlanRow,
        fields=("what", "audience", "languages", "frequency"),
        where=Q(version__status=CharterStatus.IN_FORCE),
    )
    declare_summary("charter", public_charter)
    progress(Step.STRATEGIES)(charter_checks)
    register_room(Step.STRATEGIES, "charter:page", gettext_lazy("Charter"))
    register_to_do(to_do)
    register_results(results)
    from charter import demo

    demo.register()  # the demo partnership's charter
