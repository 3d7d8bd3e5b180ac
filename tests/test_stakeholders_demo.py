"""The demo stakeholder map: big enough to show the map at work, with its gaps,
disagreements and protected actors; loaded once, however often the demo runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

import stakeholders.demo  # noqa: F401 (registers the extension, as stakeholders.hooks will)
from partnerships.management.commands.demo import DEMO_EXTENSIONS, MAIN, SECOND
from partnerships.models import AuditEntry, Member, Partner, Partnership, Role
from stakeholders import inclusion
from stakeholders.demo import extend_demo
from stakeholders.demo_data import COMPANY, VICTIMS
from stakeholders.models import Actor, Assessment, Relation, RelationType, RiskFlag
from stakeholders.services import current_assessments


def _counts(partnership: Partnership) -> tuple[int, ...]:
    return (
        Actor.objects.filter(partnership=partnership).count(),
        Relation.objects.filter(partnership=partnership).count(),
        Assessment.objects.filter(partnership=partnership).count(),
        RiskFlag.objects.filter(partnership=partnership).count(),
        Actor.segments.through.objects.filter(actor__partnership=partnership).count(),
        AuditEntry.objects.filter(partnership=partnership).count(),
    )


@pytest.fixture
def demo(demo_once: None, db: None) -> Partnership:
    assert DEMO_EXTENSIONS.count(extend_demo) == 1
    # Loaded once for the module (tests/demo_once.py); each test's changes are undone.
    return Partnership.objects.get(name=MAIN)


def test_it_maps_the_demo_partnership_at_scale(demo: Partnership) -> None:
    actors, relations, assessments, flags, _links, _audit = _counts(demo)
    assert 250 <= actors <= 320
    assert 500 <= relations <= 750
    assert assessments >= actors
    assert flags >= 5
    assert Actor.objects.filter(partnership=demo, at_risk=True).count() == flags
    # Organisations and groups: no individual, who would read as one person.
    kinds = set(Actor.objects.filter(partnership=demo).values_list("kind", flat=True))
    assert kinds == {"organisation", "group"}
    used = set(Relation.objects.filter(partnership=demo).values_list("relation_type", flat=True))
    assert used == set(RelationType.values)
    assert Actor.objects.filter(partnership=demo, assessment_count=0).count() < actors * 0.15
    # The second partnership is left alone.
    assert not Actor.objects.filter(partnership__name=SECOND).exists()


def test_it_links_the_partners_and_assesses_through_several_of_them(demo: Partnership) -> None:
    partners = Partner.objects.filter(partnership=demo)
    linked = Actor.objects.filter(partnership=demo, partner__isnull=False)
    assert {a.partner_id for a in linked} == set(partners.values_list("pk", flat=True))
    assert all(a.name == a.partner.name for a in linked.select_related("partner"))
    assessors = (
        Assessment.objects.filter(partnership=demo)
        .values("assessed_by")
        .annotate(n=Count("id"))
        .filter(n__gte=20)
    )
    assert assessors.count() >= 3
    # Representatives record their own partner's views; the audit trail shows a sample.
    for member in Member.objects.filter(partnership=demo, role=Role.PARTNER_REPRESENTATIVE):
        authored = Assessment.objects.filter(partnership=demo, author=member.user)
        assert authored.exists()
        assert set(authored.values_list("assessed_by", flat=True)) == {member.partner_id}
    assert AuditEntry.objects.filter(partnership=demo, kind="assessment").count() >= 10
    assert AuditEntry.objects.filter(partnership=demo, kind="relation").count() >= 10
    assert AuditEntry.objects.filter(partnership=demo, kind="participation_risk").count() >= 5


def test_it_shows_disagreements_between_partners(demo: Partnership) -> None:
    disputed = Actor.objects.filter(partnership=demo, disagreement__gte=2)
    assert disputed.count() >= 3
    # The company and the victims' association see a victims' group differently.
    victims_groups = disputed.filter(segments__code="victims").distinct()
    assert victims_groups.exists()
    views = {a.assessed_by.name: a.influence for a in current_assessments(victims_groups[0])}
    assert views[COMPANY] == 2
    assert views[VICTIMS] == 5


def test_it_keeps_the_derived_scores_consistent(demo: Partnership) -> None:
    for actor in Actor.objects.filter(partnership=demo).order_by("?")[:40]:
        current = current_assessments(actor)
        assert actor.assessment_count == actor.assessments.count()
        if current:
            mean = sum(a.influence for a in current) / len(current)
            assert actor.influence == pytest.approx(mean)
        else:
            assert actor.influence is None and actor.engagement == "none"


def test_it_leaves_gaps_for_the_inclusion_page_to_show(demo: Partnership) -> None:
    rows = {row.code: row for row in inclusion.by_segment(demo)}
    absent = [code for code, row in rows.items() if row.status == inclusion.ABSENT]
    assert absent == ["migrants"]
    women = rows["women"]
    assert women.actors >= 25
    assert women.engaged <= women.actors * 0.25
    assert any(row.status == inclusion.MAPPED for row in rows.values())


def test_it_names_no_one(demo: Partnership) -> None:
    for actor in Actor.objects.filter(partnership=demo, partner__isnull=True):
        assert actor.name.endswith(" (demo)"), actor.name
    assert not Actor.objects.filter(partnership=demo, kind="individual").exists()
    # Flags only on groups and organisations (tests/test_demo.py checks the words).
    assert not RiskFlag.objects.filter(partnership=demo, actor__kind="individual").exists()
    contacts = Actor.objects.filter(partnership=demo).exclude(contact_email="")
    assert contacts.exists()
    for email, phone in contacts.values_list("contact_email", "contact_phone"):
        assert email.endswith("@demo.hsbp.invalid"), email
        assert phone.startswith("+57 000 "), phone  # a number that reaches no one


def test_it_loads_the_map_once_however_often_the_demo_runs(demo: Partnership) -> None:
    before = _counts(demo)
    names = list(Actor.objects.filter(partnership=demo).values_list("name", flat=True))
    call_command("demo", verbosity=0)
    assert _counts(demo) == before
    extend_demo(demo, {})  # returns before it needs anyone
    assert _counts(demo) == before
    assert list(Actor.objects.filter(partnership=demo).values_list("name", flat=True)) == names
