"""The meetings room's pages: roles, another partnership's ids are 404,
the list's queries do not grow with the data, decisions taken at a meeting
join the log, the calendar feeds (RFC 5545, nothing protected), photos on
the portal only with consent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import Decision, DecisionLink
from meetings import feeds, ical, services, services_after
from meetings.services_attendance import Attendee, add_attendee
from tests.conftest import World
from tests.meetings_helpers import held, plan


def test_it_lets_members_read_and_only_facilitators_run_meetings(world: World) -> None:
    meeting = plan(world.own, world.facilitator)
    detail = reverse("meetings:detail", args=[world.own.slug, meeting.public_id])
    create = reverse("meetings:create", args=[world.own.slug])
    for persona in ("facilitator", "company_rep", "participant", "observer"):
        assert world.client_for(persona).get(detail).status_code == 200
    assert world.client_for("facilitator").get(create).status_code == 200
    for persona in ("company_rep", "participant", "observer"):
        assert world.client_for(persona).get(create).status_code == 403
        assert (
            world.client_for(persona)
            .get(reverse("meetings:register", args=[world.own.slug, meeting.public_id]))
            .status_code
            == 403
        )
    assert world.client_for("outsider").get(detail).status_code == 404
    assert world.client_for("anonymous").get(detail).status_code == 302


def test_it_answers_404_for_another_partnerships_meeting(world: World) -> None:
    foreign = plan(world.foreign, world.foreign_facilitator)
    client = world.client_for("facilitator")
    for name in ("detail", "edit", "attendance", "sheet", "register", "minutes", "invite"):
        url = reverse(f"meetings:{name}", args=[world.own.slug, foreign.public_id])
        assert client.get(url).status_code == 404, name
    item = services.add_item(
        by=world.foreign_facilitator, meeting=foreign, title={"es": "x"}, duration_minutes=5
    )
    own = plan(world.own, world.facilitator)
    url = reverse("meetings:agenda_edit", args=[world.own.slug, own.public_id, item.public_id])
    assert client.get(url).status_code == 404


def test_it_plans_a_meeting_through_its_form_in_spanish(world: World) -> None:
    client = world.client_for("facilitator")
    client.cookies["django_language"] = "es"
    response = client.post(
        reverse("meetings:create", args=[world.own.slug]),
        {
            "kind": "training",
            "title_es": "Taller de presupuesto participativo",
            "starts_on": "2027-01-14",
            "starts_time": "09:00",
            "ends_time": "08:00",
            "time_zone": "America/Bogota",
            "place": "Escuela",
            "topics": ["participatory_budgeting"],
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    assert (
        "termina antes de empezar" in response.content.decode()
        or "ends before" in response.content.decode()
    )
    response = client.post(
        reverse("meetings:create", args=[world.own.slug]),
        {
            "kind": "training",
            "title_es": "Taller de presupuesto participativo",
            "starts_on": "2027-01-14",
            "starts_time": "09:00",
            "ends_time": "12:00",
            "time_zone": "America/Bogota",
            "place": "Escuela",
            "topics": ["participatory_budgeting"],
        },
    )
    assert response.status_code == 302


def test_it_keeps_the_list_queries_constant(
    world: World, django_assert_max_num_queries: object
) -> None:
    client = world.client_for("participant")
    url = reverse("meetings:list", args=[world.own.slug])
    client.get(url)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    held(world.own, world.facilitator)
    few = count()
    for n in range(8):
        meeting = held(world.own, world.facilitator, title=f"Reunión {n}")
        add_attendee(
            by=world.facilitator,
            meeting=meeting,
            attendee=Attendee(member=world.member(world.participant)),
        )
    assert count() == few


def test_it_records_a_decision_taken_at_the_meeting(world: World) -> None:
    from tests.matrix_decisions import adopt_starter

    adopt_starter(world.own, world.facilitator)
    meeting = held(world.own, world.facilitator)
    decision = services_after.record_decision(
        by=world.facilitator,
        meeting=meeting,
        kind="operational",
        title={"es": "Cambiar el horario del salón"},
        outcome={"es": "El salón abre a las ocho."},
    )
    assert decision.status == "passed"
    link = DecisionLink.objects.get(decision=decision)
    assert (link.kind, link.target) == ("meeting", meeting.public_id)
    assert services_after.decisions_of(meeting) == [decision]
    # A type that is voted on is proposed, linked, and goes to the vote.
    voted = services_after.record_decision(
        by=world.facilitator, meeting=meeting, kind="general", title={"es": "Una propuesta"}
    )
    assert voted.status == "proposed"
    page = world.client_for("observer").get(
        reverse("meetings:detail", args=[world.own.slug, meeting.public_id])
    )
    assert "Cambiar el horario del salón" in page.content.decode()
    decision_page = world.client_for("observer").get(
        reverse("decisions:detail", args=[world.own.slug, decision.public_id])
    )
    assert meeting.label in decision_page.content.decode()
    assert Decision.objects.filter(partnership=world.own).count() == 2


def test_it_writes_calendar_text_by_the_standard() -> None:
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "ñ" * 60
    folded = ical.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == line


def test_it_serves_secret_calendar_feeds_without_protected_data(world: World) -> None:
    meeting = plan(world.own, world.facilitator, title="Diálogo, agua; vía")
    held_one = held(world.own, world.facilitator, title="Asamblea")
    add_attendee(
        by=world.facilitator,
        meeting=held_one,
        attendee=Attendee(member=world.member(world.company_rep)),
    )
    services.invite(
        by=world.facilitator, meeting=meeting, members=[world.member(world.participant)]
    )
    client = world.client_for("participant")
    page = client.post(reverse("meetings:calendar_new", args=[world.own.slug]))
    assert page.status_code == 200
    token = page.context["token"]
    anonymous = world.client_for("anonymous")
    whole = anonymous.get(reverse("meetings:feed", args=[token, "partnership"]))
    assert whole.status_code == 200
    assert whole["Content-Type"].startswith("text/calendar")
    body = whole.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.count("BEGIN:VEVENT") == 2
    assert "Diálogo\\, agua\\; vía" in body
    assert f"UID:{meeting.public_id}@hsbp" in body
    assert "Company persona" not in body and "company-rep@" not in body
    mine = anonymous.get(reverse("meetings:feed", args=[token, "mine"])).content.decode()
    assert mine.count("BEGIN:VEVENT") == 1
    # A new link replaces the old; a wrong or old token is a 404.
    feeds.issue(member=world.member(world.participant))
    assert anonymous.get(reverse("meetings:feed", args=[token, "mine"])).status_code == 404
    assert anonymous.get(reverse("meetings:feed", args=["nope", "mine"])).status_code == 404


def test_it_cancels_and_keeps_the_event_in_the_feed(world: World) -> None:
    meeting = plan(world.own, world.facilitator)
    services.cancel(by=world.facilitator, meeting=meeting, reason="Paro armado en la vía")
    member = world.member(world.facilitator)
    body = feeds.feed_text(member, mine=False, base="https://hsbp.example")
    assert "STATUS:CANCELLED" in body
    assert "Paro armado" not in body


@pytest.mark.parametrize("shows_people", [True, False])
def test_it_puts_photos_on_the_portal_only_with_consent(
    world: World, shows_people: bool, settings: object, tmp_path: object
) -> None:
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from attachments import services as attachments
    from meetings.public import present, public_rows
    from partnerships import services as partnership_services

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    meeting = held(world.own, world.facilitator)
    meeting.public = True
    meeting.save(update_fields=["public"])
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    photo = attachments.attach_file(
        by=world.facilitator,
        record=meeting,
        upload=SimpleUploadedFile("taller.png", buffer.getvalue(), content_type="image/png"),
        kind="photo",
        caption={"es": "El taller"},
        shows_people=shows_people,
        consent=False,
    )
    rows = present(world.own.pk, list(public_rows(world.own.pk)))
    assert [a.pk for a in rows[0]["files"]] == ([] if shows_people else [photo.pk])
    if shows_people:
        attachments.set_consent(by=world.facilitator, attachment=photo, consent=True)
    rows = present(world.own.pk, list(public_rows(world.own.pk)))
    assert [a.pk for a in rows[0]["files"]] == [photo.pk]
    html = (
        world.client_for("anonymous")
        .get(reverse("meetings:public_list", args=[world.own.slug]))
        .content.decode()
    )
    assert str(photo.public_id) in html


def test_it_lists_each_meetings_named_attendees_to_the_facilitator(world: World) -> None:
    from partnerships.models import Member

    meeting = held(world.own, world.facilitator, title="Asamblea veredal")
    held(world.own, world.facilitator, title="Sin asistentes")
    members = Member.objects.filter(partnership=world.own).order_by("pk")[:6]
    for member in members:
        add_attendee(by=world.facilitator, meeting=meeting, attendee=Attendee(member=member))
    page = world.client_for("facilitator").get(reverse("meetings:list", args=[world.own.slug]))
    rows = page.content.decode().split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    row = next(r for r in rows if "Asamblea veredal" in r)
    assert f'value="{len(members)}"' in row
    empty = next(r for r in rows if "Sin asistentes" in r)
    assert 'value="0"' in empty
