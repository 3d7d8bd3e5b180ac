"""What people do with collective goals: draft, revise, put to endorsement,
endorse (or object), drop — and the rule that adopts a goal.

The rule (``endorsement_state``): the partner types *present* are those of
the partnership's current partners (facilitators aside). A partner type has
endorsed a version when every current partner of that type has endorsed it,
with or without reservations; one objection holds its type back. The goal is
adopted when every partner type present has endorsed: the strictest reading
of "endorsed by each partner type", which holds while a partnership has no
charter in force. With one, the charter's rule for adopting a goal decides
(``register_adoption_rule``, ``verdict``).

Who speaks for a partner (``refusal``): its own representatives. A
facilitator may record a position *on behalf* of a partner that has no
representative with an account, under a stated mandate, and never over a
position the partner entered itself. Positions are append-only
(``goals.models_goals.Endorsement``): a change is a new row, so no position,
objection or reason is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline.models import Dimension, Threat
from commonground.models import Statement, StatementStatus
from goals.models import CollectiveGoal, Endorsement, GoalStatus, GoalVersion, Position, SdgTarget
from goals.models_goals import RecordedPosition
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Member, Partner, Partnership, PartnerType, Role
from partnerships.services import only_fields

TEXT_FIELDS = ("title", "description", "outcomes", "indicator_placeholders")
LINK_FIELDS = ("dimensions", "threats", "statements", "sdg_targets")
ENDORSABLE = (GoalStatus.UNDER_ENDORSEMENT, GoalStatus.REVISED)
REASON_MAX = 2000


# --- Content --------------------------------------------------------------------------


def _clean_links(partnership: Partnership, links: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The linked records, each checked to be this partnership's (a foreign
    one is refused as unknown, never linked)."""
    cleaned: dict[str, list[Any]] = {}
    owned = {"dimensions": Dimension, "threats": Threat, "statements": Statement}
    names = {
        "dimensions": _("Unknown dimension."),
        "threats": _("Unknown threat."),
        "statements": _("Unknown statement."),
    }
    for name, model in owned.items():
        if name not in links:
            continue
        items = list(links[name] or [])
        if any(getattr(i, "partnership_id", None) != partnership.pk for i in items):
            raise ServiceError(names[name], field=name)
        if name == "statements" and any(i.status != StatementStatus.ACCEPTED for i in items):
            raise ServiceError(_("Only accepted statements can stand behind a goal."), field=name)
        assert all(isinstance(i, model) for i in items)
        cleaned[name] = items
    if "sdg_targets" in links:
        targets = list(links["sdg_targets"] or [])
        if not all(isinstance(t, SdgTarget) for t in targets):
            raise ServiceError(_("Unknown SDG target."), field="sdg_targets")
        cleaned["sdg_targets"] = targets
    return cleaned


def _content(goal: CollectiveGoal) -> dict[str, Any]:
    """A version's content, as the history shows it (links by their names then)."""
    return {
        "title": goal.title,
        "description": goal.description,
        "outcomes": goal.outcomes,
        "indicator_placeholders": goal.indicator_placeholders,
        "dimensions": [d.label for d in goal.dimensions.all()],
        "threats": [t.title for t in goal.threats.all()],
        "statements": [f"#{s.number} {s.label}" for s in goal.statements.all()],
        "sdg_targets": [t.code for t in goal.sdg_targets.all()],
    }


def _member(by: Any, partnership: Partnership) -> Member | None:
    if getattr(by, "pk", None) is None:
        return None
    member: Member | None = Member.objects.filter(partnership=partnership, user_id=by.pk).first()
    return member


def _snapshot(goal: CollectiveGoal, by: Any, note: str) -> GoalVersion:
    version, _made = GoalVersion.objects.update_or_create(
        goal=goal,
        number=goal.version,
        defaults={
            "partnership_id": goal.partnership_id,
            "content": _content(goal),
            "created_by": _member(by, goal.partnership),
            "note": note,
        },
    )
    return version


@transaction.atomic
def create_goal(
    *,
    by: Any,
    partnership: Partnership,
    title: Mapping[str, str],
    description: Mapping[str, str] | None = None,
    outcomes: Mapping[str, str] | None = None,
    indicator_placeholders: Mapping[str, str] | None = None,
    dimensions: Collection[Dimension] = (),
    threats: Collection[Threat] = (),
    statements: Collection[Statement] = (),
    sdg_targets: Collection[SdgTarget] = (),
) -> CollectiveGoal:
    titles = clean_texts(title)
    if not titles:
        raise ServiceError(_("Give the goal a title."), field="title")
    require_first(titles, partnership, prefix="title")
    links = _clean_links(
        partnership,
        {
            "dimensions": dimensions,
            "threats": threats,
            "statements": statements,
            "sdg_targets": sdg_targets,
        },
    )
    goal = CollectiveGoal(
        partnership=partnership,
        title=titles,
        description=clean_texts(description or {}),
        outcomes=clean_texts(outcomes or {}),
        indicator_placeholders=clean_texts(indicator_placeholders or {}),
    )
    save_audited(goal, actor=by)
    for name, items in links.items():
        getattr(goal, name).set(items)
    _snapshot(goal, by, _("First draft"))
    return goal


@transaction.atomic
def update_goal(*, by: Any, goal: CollectiveGoal, note: str = "", **fields: Any) -> CollectiveGoal:
    """Change a goal's content. Once it has been put to endorsement, a change
    is a new version: earlier endorsements were of the earlier text, so
    everyone is asked again (an adopted goal becomes "revised")."""
    only_fields(fields, TEXT_FIELDS + LINK_FIELDS)
    goal = CollectiveGoal.objects.select_for_update().get(pk=goal.pk)
    if goal.status == GoalStatus.DROPPED:
        raise ServiceError(_("A dropped goal cannot be changed."), field="status")
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = clean_texts(fields[name] or {})
    if "title" in fields and not fields["title"]:
        raise ServiceError(_("Give the goal a title."), field="title")
    if "title" in fields:
        require_first(fields["title"], goal.partnership, prefix="title")
    links = _clean_links(goal.partnership, {k: v for k, v in fields.items() if k in LINK_FIELDS})
    before = _content(goal)
    for name in TEXT_FIELDS:
        if name in fields:
            setattr(goal, name, fields[name])
    for name, items in links.items():
        getattr(goal, name).set(items)
    if _content(goal) == before:
        return goal
    changed = ["title", "description", "outcomes", "indicator_placeholders"]
    if goal.status != GoalStatus.DRAFT:
        goal.version += 1
        changed.append("version")
        if goal.status == GoalStatus.ADOPTED:
            goal.status = GoalStatus.REVISED
            changed.append("status")
    save_audited(goal, actor=by, update_fields=changed)
    _snapshot(goal, by, note.strip()[:REASON_MAX])
    return goal


@transaction.atomic
def open_endorsement(*, by: Any, goal: CollectiveGoal) -> CollectiveGoal:
    if goal.status != GoalStatus.DRAFT:
        raise ServiceError(_("Only a draft can be put to endorsement."), field="status")
    if not present_types(goal.partnership):
        raise ServiceError(
            _("Register the partners first: a goal is endorsed by each partner type."),
            field="status",
        )
    goal.status = GoalStatus.UNDER_ENDORSEMENT
    save_audited(goal, actor=by, update_fields=["status"])
    return goal


@transaction.atomic
def drop_goal(*, by: Any, goal: CollectiveGoal, reason: str) -> CollectiveGoal:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the goal is dropped."), field="reason")
    goal.status = GoalStatus.DROPPED
    goal.dropped_reason = reason[:REASON_MAX]
    save_audited(goal, actor=by, update_fields=["status", "dropped_reason"])
    return goal


# --- Endorsement ----------------------------------------------------------------------


def present_types(partnership: Partnership) -> list[str]:
    found = set(
        Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        .exclude(partner_type=PartnerType.FACILITATOR)
        .values_list("partner_type", flat=True)
    )
    return [t for t in PartnerType.values if t in found]


@dataclass
class TypeState:
    partner_type: str
    label: str
    # (partner, its counting position on the current version or None)
    partners: list[tuple[Partner, Any]] = field(default_factory=list)

    @property
    def spoken(self) -> bool:
        """At least one of its partners has a position that counts."""
        return any(e is not None for _p, e in self.partners)

    @property
    def objected(self) -> bool:
        return any(e is not None and e.position == Position.OBJECT for _p, e in self.partners)

    @property
    def reservations(self) -> bool:
        return any(e is not None and e.position == Position.RESERVATIONS for _p, e in self.partners)

    @property
    def endorsed(self) -> bool:
        return bool(self.partners) and all(
            e is not None and e.position in (Position.ENDORSE, Position.RESERVATIONS)
            for _p, e in self.partners
        )


def endorsement_state(goal: CollectiveGoal) -> list[TypeState]:
    """Each partner type present, its partners and their counting positions on
    the goal's current version (with who recorded them). Two queries."""
    return endorsement_states([goal]).get(goal.pk, [])


def endorsement_states(goals: Collection[CollectiveGoal]) -> dict[int, list[TypeState]]:
    """``endorsement_state`` of several goals at once, by goal id: two queries
    however many goals (the API lists a hundred)."""
    if not goals:
        return {}
    partners = list(
        Partner.objects.filter(
            partnership__in={g.partnership_id for g in goals}, left_on__isnull=True
        )
        .exclude(partner_type=PartnerType.FACILITATOR)
        .order_by("name")
    )
    versions = {g.pk: g.version for g in goals}
    positions: dict[tuple[int, int], Endorsement] = {}
    for e in (
        Endorsement.objects.counting()
        .filter(goal__in=list(versions))
        .select_related("recorded_by__user")
    ):
        if e.version == versions[e.goal_id]:
            positions[(e.goal_id, e.partner_id)] = e
    return {
        goal.pk: type_states(
            [p for p in partners if p.partnership_id == goal.partnership_id],
            {p.pk: positions[(goal.pk, p.pk)] for p in partners if (goal.pk, p.pk) in positions},
        )
        for goal in goals
    }


def type_states(
    partners: Collection[Partner], positions: Mapping[int, RecordedPosition]
) -> list[TypeState]:
    """Each partner type present among ``partners`` (current ones, facilitators
    aside), with each partner's counting position (``positions`` by partner
    id) or None: the shape every adoption by positions reads."""
    states = []
    for partner_type in PartnerType.values:
        members = [p for p in partners if p.partner_type == partner_type]
        if members:
            states.append(
                TypeState(
                    partner_type,
                    str(PartnerType(partner_type).label),
                    [(p, positions.get(p.pk)) for p in members],
                )
            )
    return states


def position_history(goal: CollectiveGoal) -> dict[int, list[Endorsement]]:
    """Every position ever recorded on the goal, by version (newest first),
    replaced ones included: who stood where, with their reasons. One query."""
    return position_histories([goal]).get(goal.pk, {})


def position_histories(
    goals: Collection[CollectiveGoal],
) -> dict[int, dict[int, list[Endorsement]]]:
    """``position_history`` of several goals at once, by goal id. One query."""
    found: dict[int, dict[int, list[Endorsement]]] = {}
    rows = (
        Endorsement.objects.filter(goal__in=[g.pk for g in goals])
        .select_related("partner", "recorded_by__user")
        .order_by("goal", "-version", "partner__name", "-recorded_at", "-pk")
    )
    for row in rows:
        found.setdefault(row.goal_id, {}).setdefault(row.version, []).append(row)
    return found


def represented_partner_ids(partnership_id: int) -> set[int]:
    """The partners that have a representative with an account (a current
    member with that role). One query."""
    return set(
        Member.objects.filter(
            partnership_id=partnership_id,
            role=Role.PARTNER_REPRESENTATIVE,
            partner__isnull=False,
        ).values_list("partner_id", flat=True)
    )


def refusal(
    member: Member | None, partner: Partner, *, represented: bool, counting: RecordedPosition | None
) -> str | None:
    """Why ``member`` may not record ``partner``'s position on the current
    version now (a message naming the partner), or None when it may.

    A partner's position is recorded by its own representatives. A facilitator
    records one on its behalf only when it has no representative with an
    account, and never over a position the partner entered itself (that rule
    also holds once the representative who entered it has left)."""
    only_theirs = _("Only a representative of %(partner)s can record its position.")
    if member is None or member.partnership_id != partner.partnership_id:
        return only_theirs % {"partner": partner.name}
    if member.role == Role.PARTNER_REPRESENTATIVE and member.partner_id == partner.pk:
        return None
    if member.role != Role.FACILITATOR:
        return only_theirs % {"partner": partner.name}
    if represented:
        return _("%(partner)s has its own representatives: only they can record its position.") % {
            "partner": partner.name
        }
    if counting is not None and not counting.on_behalf:
        return _(
            "%(partner)s entered its own position on this version: "
            "it cannot be replaced on its behalf."
        ) % {"partner": partner.name}
    return None


@dataclass
class Recording:
    """What the goal page offers a member: the partners whose position they
    may record now, whether they would record it on the partner's behalf (a
    facilitator) and, for a facilitator, the partners they may not, with why."""

    partners: list[Partner]
    on_behalf: bool
    refused: list[tuple[Partner, str]]


def recording_options(member: Member | None, states: list[TypeState]) -> Recording:
    """From ``endorsement_state``'s result, plus one query for facilitators."""
    on_behalf = member is not None and member.role == Role.FACILITATOR
    represented = represented_partner_ids(member.partnership_id) if on_behalf and member else set()
    allowed: list[Partner] = []
    refused: list[tuple[Partner, str]] = []
    for state in states:
        for partner, counting in state.partners:
            why = refusal(member, partner, represented=partner.pk in represented, counting=counting)
            if why is None:
                allowed.append(partner)
            elif on_behalf:
                refused.append((partner, why))
    return Recording(partners=allowed, on_behalf=on_behalf, refused=refused)


def clean_position(
    *,
    member: Member | None,
    partner: Partner,
    counting: RecordedPosition | None,
    position: str,
    reason: str,
    mandate: str,
) -> tuple[bool, str, str]:
    """Whether ``member`` may record ``partner``'s ``position`` now
    (``refusal``), and its reason and mandate cleaned: (on behalf, reason,
    mandate). A refusal is a ``ServiceError`` on the field concerned. Every
    text the partners adopt by positions (goals, the charter's first version)
    records them through this one check."""
    represented = partner.pk in represented_partner_ids(partner.partnership_id)
    refused = refusal(member, partner, represented=represented, counting=counting)
    if refused is not None:
        raise ServiceError(refused, field="partner")
    assert member is not None  # refusal() refuses no one
    on_behalf = member.role == Role.FACILITATOR
    if position not in Position.values:
        raise ServiceError(_("Unknown position."), field="position")
    reason = (reason or "").strip()
    if position != Position.ENDORSE and not reason:
        raise ServiceError(
            _("Give the reason for the reservations or the objection."), field="reason"
        )
    if len(reason) > REASON_MAX:
        raise ServiceError(
            ngettext(
                "A reason has at most %(n)s character.",
                "A reason has at most %(n)s characters.",
                REASON_MAX,
            )
            % {"n": REASON_MAX},
            field="reason",
        )
    mandate = (mandate or "").strip() if on_behalf else ""
    if on_behalf and not mandate:
        raise ServiceError(
            _(
                "Say under what mandate you record the position of %(partner)s "
                "(for example: agreed aloud at the meeting of 3 May)."
            )
            % {"partner": partner.name},
            field="mandate",
        )
    if len(mandate) > REASON_MAX:
        raise ServiceError(
            ngettext(
                "A mandate has at most %(n)s character.",
                "A mandate has at most %(n)s characters.",
                REASON_MAX,
            )
            % {"n": REASON_MAX},
            field="mandate",
        )
    return on_behalf, reason, mandate


def unchanged(
    counting: RecordedPosition | None, position: str, reason: str, on_behalf: bool, mandate: str
) -> bool:
    """The same position again (a second click): nothing new to record."""
    return counting is not None and (
        counting.position,
        counting.reason,
        counting.on_behalf,
        counting.mandate,
    ) == (position, reason, on_behalf, mandate)


P = TypeVar("P", bound=RecordedPosition)


def take_position(
    model: type[P],
    *,
    by: Any,
    member: Member | None,
    partner: Partner,
    position: str,
    reason: str,
    mandate: str,
    **owner: Any,
) -> P:
    """Record ``partner``'s position on what ``owner`` names (a goal's
    version; the charter's version) as a new ``model`` row, under
    ``clean_position``'s rules: the partner's counting row, if any, stops
    counting (the only change a recorded position ever sees) and stays in the
    history. The same position again (a second click) records nothing."""
    counting: P | None = model.objects.counting().filter(partner=partner, **owner).first()
    on_behalf, reason, mandate = clean_position(
        member=member,
        partner=partner,
        counting=counting,
        position=position,
        reason=reason,
        mandate=mandate,
    )
    if counting is not None and unchanged(counting, position, reason, on_behalf, mandate):
        return counting
    if counting is not None:
        counting.current = False
        save_audited(counting, actor=by, update_fields=["current"])
    row = model(
        partnership_id=partner.partnership_id,
        partner=partner,
        partner_type=partner.partner_type,
        position=position,
        reason=reason,
        on_behalf=on_behalf,
        mandate=mandate,
        recorded_by=member,
        recorded_at=timezone.now(),
        **owner,
    )
    save_audited(row, actor=by)
    return row


@transaction.atomic
def endorse(
    *,
    by: Any,
    goal: CollectiveGoal,
    partner: Partner | None,
    position: str,
    reason: str = "",
    mandate: str = "",
) -> Endorsement:
    """Record a partner's position on the goal's current version: a new row
    (the partner's earlier position stays in the history). Its own
    representatives record it; a facilitator records it on its behalf, under a
    stated ``mandate``, only when it has no representative with an account and
    has not entered a position of its own (``refusal``)."""
    goal = CollectiveGoal.objects.select_for_update().get(pk=goal.pk)
    if goal.status not in ENDORSABLE:
        raise ServiceError(_("This goal is not open for endorsement."), field="position")
    if partner is None or partner.partnership_id != goal.partnership_id or partner.left_on:
        raise ServiceError(_("Unknown partner."), field="partner")
    if partner.partner_type == PartnerType.FACILITATOR:
        raise ServiceError(_("Facilitators do not endorse goals."), field="partner")
    endorsement = take_position(
        Endorsement,
        by=by,
        member=_member(by, goal.partnership),
        partner=partner,
        position=position,
        reason=reason,
        mandate=mandate,
        goal=goal,
        version=goal.version,
    )
    _adopt_if_endorsed(goal, by)
    return endorsement


def _adopt_if_endorsed(goal: CollectiveGoal, by: Any) -> None:
    states = endorsement_state(goal)
    if verdict(states, adoption_rule(goal.partnership)):
        goal.status = GoalStatus.ADOPTED
        goal.adopted_at = timezone.now()
        save_audited(goal, actor=by, update_fields=["status", "adopted_at"])


# --- The rule that adopts --------------------------------------------------------------


class AdoptionRule(Protocol):
    """What goals read of the charter's rule for adopting a goal
    (``charter.rules.DecisionRule``: the charter is a higher floor, so goals
    knows its shape, not its class)."""

    @property
    def method(self) -> str: ...

    @property
    def quorum_percent(self) -> int: ...

    @property
    def threshold_percent(self) -> int: ...


AdoptionRuleFn = Callable[[Partnership], AdoptionRule | None]
_ADOPTION_RULES: list[AdoptionRuleFn] = []


def register_adoption_rule(fn: AdoptionRuleFn) -> AdoptionRuleFn:
    """The charter room tells goals which rule adopts a goal in a partnership
    (None: no charter in force, today's strict rule)."""
    _ADOPTION_RULES.append(fn)
    return fn


def adoption_rule(partnership: Partnership) -> AdoptionRule | None:
    for fn in _ADOPTION_RULES:
        rule = fn(partnership)
        if rule is not None:
            return rule
    return None


def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def verdict(states: list[TypeState], rule: AdoptionRule | None) -> bool:
    """Whether the partners' counting positions adopt the text under ``rule``
    (docs/charter.md says why each mapping is what it is):

    - no rule, or ``consensus``: every partner of every type present has
      endorsed (with or without reservations): the strict rule;
    - ``consent``: every partner type present has had its say (a position of
      at least one of its partners counts) and no objection stands;
    - ``majority``: the partners who have spoken are at least the quorum of
      the partners present, and more than the threshold of them endorse;
    - ``one_per_type``: a type's stance is its partners' (an objection among
      them holds it back; it endorses when every partner of it who spoke
      endorses); the types with a stance are at least the quorum, and more
      than the threshold of the types present endorse;
    - ``facilitator``: never by positions (the charter refuses that method for
      adopting goals; a partnership's goals are the partners' to adopt).
    """
    if not states:
        return False
    method = rule.method if rule is not None else "consensus"
    if method == "consensus":
        return all(s.endorsed for s in states)
    if method == "consent":
        return all(s.spoken for s in states) and not any(s.objected for s in states)
    if rule is None:
        return False
    if method == "majority":
        positions = [e for s in states for _p, e in s.partners]
        spoken = [e for e in positions if e is not None]
        endorsing = [e for e in spoken if e.position != Position.OBJECT]
        return (
            _share(len(spoken), len(positions)) >= rule.quorum_percent
            and _share(len(endorsing), len(spoken)) > rule.threshold_percent
        )
    if method == "one_per_type":
        spoken_types = [s for s in states if s.spoken]
        endorsing_types = [s for s in spoken_types if not s.objected]
        return (
            _share(len(spoken_types), len(states)) >= rule.quorum_percent
            and _share(len(endorsing_types), len(states)) > rule.threshold_percent
        )
    return False
