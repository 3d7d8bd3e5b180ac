"""Attendance: named attendees and counts at the door, counts that contradict
the names refused, and every count shown beyond the facilitators suppressed
(the member's page, the list, the portal), protected people never named."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meetings import services_after
from meetings.attendance import Tally, contradictions, named_tally, show
from meetings.models import Attendance
from meetings.services_attendance import Attendee, add_attendee, record_register, set_headcount
from partnerships import services as partnership_services
from partnerships.errors import ServiceError
from stakeholders import services as map_services
from stakeholders.models import Actor
from tests.conftest import World
from tests.meetings_helpers import held

PEOPLE = re.compile(r'<data class="people" value="([^"]+)"')


def _people(html: str) -> list[str]:
    return PEOPLE.findall(html)


def _member(world: World, user: object) -> object:
    return world.member(user)  # type: ignore[arg-type]


def test_it_tallies_named_attendees_and_their_codes() -> None:
    tally = named_tally(
        [
            {"partner_type": "company", "gender": "woman", "age_band": "", "segment": ""},
            {"partner_type": "company", "gender": "man", "age_band": "18_29", "segment": ""},
        ]
    )
    assert tally.total == 2
    assert tally.by["partner_type"] == {"company": 2}
    assert tally.by["gender"] == {"woman": 1, "man": 1}


def test_it_finds_every_contradiction_with_the_names() -> None:
    named = named_tally([{"gender": "woman"}] * 6)
    counted = Tally(total=5, by={"gender": {"woman": 3, "man": 4}})
    found = contradictions(counted, named)
    fields = [field for field, _m in found]
    assert fields == ["total", "gender", "gender"]
    assert "6 attendees are named" in found[0][1]
    assert "more than the 5 people present" in found[1][1]
    assert "3 for “woman”" in found[2][1]
    assert contradictions(Tally(total=40, by={"gender": {"woman": 20}}), named) == []


def test_it_refuses_counts_that_contradict_the_named_attendees(world: World) -> None:
    meeting = held(world.own, world.facilitator)
    for user in (world.facilitator, world.company_rep, world.participant):
        add_attendee(
            by=world.facilitator,
            meeting=meeting,
            attendee=Attendee(member=world.member(user), gender="woman"),
        )
    with pytest.raises(ServiceError) as refused:
        set_headcount(by=world.facilitator, meeting=meeting, counts={"total": 2})
    assert refused.value.field == "total"
    assert "3 attendees are named" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        set_headcount(
            by=world.facilitator, meeting=meeting, counts={"total": 30, "gender": {"woman": 2}}
        )
    assert refused.value.field == "gender"
    for counts, field in (
        ({"total": -1}, "total"),
        ({"total": "muchos"}, "total"),
        ({"total": 30, "gender": {"martian": 3}}, "gender"),
    ):
        with pytest.raises(ServiceError) as refused:
            set_headcount(by=world.facilitator, meeting=meeting, counts=counts)
        assert refused.value.field == field
    meeting.refresh_from_db()
    assert meeting.headcount == {}
    set_headcount(
        by=world.facilitator,
        meeting=meeting,
        counts={
            "total": 40,
            "gender": {"woman": 22, "man": 15},
            "partner_type": {"community": 30, "company": 1},
        },
    )
    # A named attendee the counts cannot hold is refused too, and not written.
    meeting.refresh_from_db()
    set_headcount(
        by=world.facilitator, meeting=meeting, counts={"total": 3, "gender": {"woman": 3}}
    )
    with pytest.raises(ServiceError):
        add_attendee(
            by=world.facilitator,
            meeting=meeting,
            attendee=Attendee(member=world.member(world.observer)),
        )
    assert Attendance.objects.filter(meeting=meeting).count() == 3


def test_it_types_in_the_sheet_all_or_nothing(world: World) -> None:
    meeting = held(world.own, world.facilitator)
    actor = map_services.create_actor(
        by=world.facilitator, partnership=world.own, name="Junta de la vereda"
    )
    record_register(
        by=world.facilitator,
        meeting=meeting,
        attendees=[Attendee(member=world.member(world.company_rep)), Attendee(actor=actor)],
    )
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    row = Attendance.objects.get(meeting=meeting, member__isnull=False)
    assert row.partner == world.company and row.partner_type == "company"
    with pytest.raises(ServiceError, match="named"):
        record_register(
            by=world.facilitator,
            meeting=meeting,
            attendees=[Attendee(member=world.member(world.observer))] * 1
            + [Attendee(member=world.member(world.participant))],
            counts={"total": 1},
        )
    with pytest.raises(ServiceError, match="twice"):
        record_register(
            by=world.facilitator,
            meeting=meeting,
            attendees=[Attendee(actor=actor), Attendee(actor=actor)],
        )
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert meeting.__class__.objects.get(pk=meeting.pk).headcount == {}
    record_register(by=world.facilitator, meeting=meeting, attendees=[Attendee(actor=actor)])
    assert list(Attendance.objects.filter(meeting=meeting).values_list("actor", flat=True)) == [
        actor.pk
    ]


def test_it_refuses_attendees_of_another_partnership(world: World) -> None:
    meeting = held(world.own, world.facilitator)
    foreign = world.member(world.foreign_facilitator, world.foreign)
    with pytest.raises(ServiceError):
        add_attendee(by=world.facilitator, meeting=meeting, attendee=Attendee(member=foreign))
    assert not Attendance.objects.exists()


def test_it_suppresses_small_counts_and_whatever_reveals_them() -> None:
    tally = Tally(total=12, by={"gender": {"woman": 9, "man": 3}, "age_band": {"18_29": 12}})
    labels = {"gender": {"woman": "Woman", "man": "Man"}, "age_band": {"18_29": "18 to 29"}}
    shown = show(tally, labels, exact=False)
    gender = next(line for line in shown.lines if line.dimension == "gender")
    assert {c.code: c.count for c in gender.cells} == {"woman": None, "man": None}
    assert shown.total == 12
    exact = show(tally, labels, exact=True)
    gender = next(line for line in exact.lines if line.dimension == "gender")
    assert {c.code: c.count for c in gender.cells} == {"woman": 9, "man": 3}
    tiny = show(Tally(total=3, by={"gender": {"woman": 3}}), labels, exact=False)
    assert tiny.total is None
    assert all(c.count is None for line in tiny.lines for c in line.cells)


def _big_meeting(world: World) -> object:
    meeting = held(world.own, world.facilitator)
    add_attendee(
        by=world.facilitator,
        meeting=meeting,
        attendee=Attendee(member=world.member(world.company_rep), gender="man"),
    )
    set_headcount(
        by=world.facilitator,
        meeting=meeting,
        counts={
            "total": 23,
            "gender": {"woman": 19, "man": 3},
            "partner_type": {"community": 20, "company": 2},
        },
    )
    return meeting


def test_it_shows_exact_counts_only_to_facilitators(world: World) -> None:
    meeting = _big_meeting(world)
    url = reverse("meetings:detail", args=[world.own.slug, meeting.public_id])  # type: ignore[attr-defined]
    exact = world.client_for("facilitator").get(url).content.decode()
    assert "3" in _people(exact) and "2" in _people(exact)
    for persona in ("company_rep", "participant", "observer"):
        html = world.client_for(persona).get(url).content.decode()
        shown = _people(html)
        assert "23" in shown
        assert not any(v in {"1", "2", "3", "4"} for v in shown), (persona, shown)
        assert "Company persona" not in html.split("Attendance")[-1]
    listing = world.client_for("participant").get(reverse("meetings:list", args=[world.own.slug]))
    assert "23" in _people(listing.content.decode())


def test_it_publishes_suppressed_counts_under_the_charter_rule(world: World) -> None:
    from tests.matrix_decisions import adopt_starter

    adopt_starter(world.own, world.facilitator)
    from charter.models import Audience, CharterStatus, PlanRow, Published

    version = (
        world.own.charterversion_set.get(status=CharterStatus.IN_FORCE)
        if hasattr(world.own, "charterversion_set")
        else None
    )
    if not PlanRow.objects.filter(
        partnership=world.own,
        what=Published.MINUTES,
        audience=Audience.PUBLIC,
        version__status=CharterStatus.IN_FORCE,
    ).exists():
        from charter.models import CharterVersion

        version = CharterVersion.objects.get(partnership=world.own, status=CharterStatus.IN_FORCE)
        PlanRow.objects.create(
            partnership=world.own,
            version=version,
            what=Published.MINUTES,
            audience=Audience.PUBLIC,
            languages=["es"],
            frequency="as_it_happens",
        )
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    meeting = _big_meeting(world)
    meeting.refresh_from_db()  # type: ignore[attr-defined]
    assert meeting.public  # type: ignore[attr-defined]
    services_after.write_minutes(
        by=world.facilitator, meeting=meeting, minutes={"es": "Acta pública"}
    )  # type: ignore[arg-type]
    anonymous = world.client_for("anonymous")
    for url in (
        reverse("portal:partnership", args=[world.own.slug]),
        reverse("meetings:public_list", args=[world.own.slug]),
    ):
        html = anonymous.get(url).content.decode()
        assert "Reunión de prueba" in html
        shown = _people(html)
        assert "23" in shown
        assert not any(v in {"1", "2", "3", "4"} for v in shown), (url, shown)
        assert "Company persona" not in html
    assert (
        "Acta pública"
        in anonymous.get(reverse("meetings:public_list", args=[world.own.slug])).content.decode()
    )
    # Not public without the rule: a meeting held in the foreign partnership.
    assert (
        anonymous.get(reverse("meetings:public_list", args=[world.foreign.slug])).status_code == 404
    )


def test_it_never_names_a_protected_actor(world: World) -> None:
    meeting = held(world.own, world.facilitator)
    actor = map_services.create_actor(
        by=world.facilitator, partnership=world.own, name="Lideresa amenazada"
    )
    Actor.objects.filter(pk=actor.pk).update(at_risk=True)
    add_attendee(by=world.facilitator, meeting=meeting, attendee=Attendee(actor=actor))
    for persona in ("company_rep", "participant", "observer"):
        for name in ("meetings:detail",):
            html = (
                world.client_for(persona)
                .get(reverse(name, args=[world.own.slug, meeting.public_id]))
                .content.decode()
            )
            assert "Lideresa amenazada" not in html
    # The register is the facilitators' (with clearance); nobody else reaches it.
    url = reverse("meetings:attendance", args=[world.own.slug, meeting.public_id])
    assert world.client_for("participant").get(url).status_code == 403
