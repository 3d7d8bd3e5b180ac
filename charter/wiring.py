"""How the charter plugs into the rooms beneath it, from ``AppConfig.ready()``:
goal adoption reads the charter's rule (goals), the entry and leaver rules
apply to partners (partnerships), and announcements follow the communication
plan (notifications). The stepper, the journey and the portal: ``plugs``."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from charter import services
from charter.hooks import decision_passed
from charter.models import Audience, PlanRow, Published
from charter.rules import DecisionRule
from partnerships.languages import language_name
from partnerships.models import Partnership


def goal_adoption_rule(partnership: Partnership) -> DecisionRule | None:
    return services.rule_for(partnership, "goal_adoption")


def admission_refusal(partnership: Partnership, admitted_by: str) -> str | None:
    """Under a charter whose entry rule names a decision type, a partner is
    registered only with a decision of that type that passed."""
    version = services.in_force(partnership)
    if version is None or not version.admission_kind:
        return None
    kind = version.admission_kind
    if decision_passed(partnership, admitted_by, kind):
        return None
    return _(
        "The charter admits a new partner by a decision (“%(type)s”): register it "
        "through that decision, once it has passed."
    ) % {"type": services.type_label(version, kind)}


def leaving_terms(partnership: Partnership) -> list[str]:
    """What the charter in force asks of a leaving partner: what it hands
    over, and what becomes of its open commitments."""
    version = services.in_force(partnership)
    if version is None:
        return []
    return [
        *version.handover_lines,
        _("Its open commitments: %(fate)s.") % {"fate": version.get_commitments_fate_display()},
    ]


def plan_refusal(partnership: Partnership, audience: str, languages: Sequence[str]) -> str | None:
    """An announcement follows the communication plan of the charter in force:
    the plan must publish announcements to that audience, and the
    announcement must be written in the plan line's first language (the
    others are welcome, never required: the first working language is enough
    everywhere on the platform). Without a charter, anything goes."""
    version = services.in_force(partnership)
    if version is None:
        return None
    row = PlanRow.objects.filter(
        version=version, what=Published.ANNOUNCEMENTS, audience=audience
    ).first()
    if row is None:
        label = Audience(audience).label if audience in Audience.values else audience
        return _(
            "The charter's communication plan publishes no announcements to: %(audience)s. "
            "Amend the plan first."
        ) % {"audience": label}
    first = row.languages[0] if row.languages else ""
    if first and first not in languages:
        return _(
            "The charter's communication plan publishes announcements in %(language)s: "
            "write it in %(language)s."
        ) % {"language": language_name(first)}
    return None


def register() -> None:
    from goals.services import register_adoption_rule
    from notifications.hooks import register_plan_check
    from partnerships.services import register_admission_check, register_leaving_terms

    register_adoption_rule(goal_adoption_rule)
    register_admission_check(admission_refusal)
    register_leaving_terms(leaving_terms)
    register_plan_check(plan_refusal)
