"""A meeting, in Spanish, on a phone (360 px), in a real Chromium (issue 13,
"Done when"): the facilitator plans an open assembly, marks it held, types
in its attendance sheet (two members present, and the counts at the door),
writes the minutes and records one action item, which goes onto the action
checklist in one step. The mayor's office and a community association commit
to that action (each through its own representative), and the public portal
shows the meeting's summary with its attendance counts suppressed where they
are small. Every page is audited (axe with WCAG 2.2, CSP, no sideways
scroll)."""

from __future__ import annotations

from typing import Any

import pytest

from actions.models import Action, Commitment
from charter.models import CharterVersion, PlanRow
from meetings.models import Meeting, MeetingStatus
from partnerships import services as partnerships
from partnerships.models import Partner, PartnerType, Role
from tests.browser.test_goals import COMMUNITY_EMAIL, PHONE, in_spanish, signed_in
from tests.conftest import TOTP_SECRET, World, join, make_user
from tests.matrix_charter import _in_force

pytestmark = pytest.mark.browser

TITLE = "Asamblea de la vereda Las Mirlas (prueba)"
ITEM = "Limpiar las cunetas antes del invierno (prueba)"
MINUTES = "La comunidad pidió cunetas limpias antes del invierno (prueba)."
GOVERNMENT_EMAIL = "government-rep@example.test"


def commit(tab: Any, path: str, kind: str, what: str) -> None:
    """A representative commits their own partner to the action at ``path``."""
    page = tab.page
    tab.goto(path)
    tab.follow(page.get_by_role("link", name="Comprometerse con esta acción"))
    page.locator("select[name=kind]").select_option(kind)
    page.locator("textarea[name=description_es]").fill(what)
    page.locator("input[name=due_on]").fill("2027-02-28")
    tab.follow(page.get_by_role("button", name="Guardar"), path)
    assert "Compromiso registrado" in page.content()


@pytest.mark.browser
def test_it_records_a_meeting_and_turns_its_action_item_into_commitments(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    community_user = make_user(COMMUNITY_EMAIL, display_name="Community persona")
    join(world.own, world.facilitator, community_user, Role.PARTNER_REPRESENTATIVE, world.community)
    government = Partner.objects.create(
        partnership=world.own, name="Test mayor's office", partner_type=PartnerType.GOVERNMENT
    )
    join(
        world.own,
        world.facilitator,
        make_user(GOVERNMENT_EMAIL, display_name="Government persona", language="es"),
        Role.PARTNER_REPRESENTATIVE,
        government,
    )
    _in_force(world.own, world.facilitator)
    # The charter's communication plan puts meetings' minutes on the portal.
    PlanRow.objects.get_or_create(
        partnership=world.own,
        version=CharterVersion.objects.get(partnership=world.own, status="in_force"),
        what="minutes",
        audience="public",
        defaults={"languages": ["es"], "frequency": "monthly"},
    )
    partnerships.set_published(actor=world.facilitator, partnership=world.own, published=True)

    # --- The facilitator plans an open assembly (yesterday morning) ...
    fac = signed_in(open_tab, "facilitator", world.facilitator.email, TOTP_SECRET)
    page = fac.page
    fac.goto(f"/p/{slug}/meetings/")
    fac.follow(page.get_by_role("link", name="Prever una reunión"))
    page.locator("select[name=kind]").select_option("assembly")
    page.locator("input[name=title_es]").fill(TITLE)
    page.locator("input[name=starts_on]").fill("2026-12-01")
    page.locator("input[name=starts_time]").fill("11:00")
    page.locator("input[name=ends_time]").fill("09:00")
    page.locator("input[name=place]").fill("Salón comunal (prueba)")
    page.locator("input[name=open_assembly]").check()
    fac.follow(page.get_by_role("button", name="Guardar"))
    assert Meeting.objects.count() == 0  # an end before its start: refused, nothing written
    page.locator("input[name=starts_time]").fill("09:00")
    page.locator("input[name=ends_time]").fill("11:00")
    fac.follow(page.get_by_role("button", name="Guardar"))
    meeting = Meeting.objects.get(partnership=world.own)
    path = f"/p/{slug}/meetings/{meeting.public_id}/"
    assert page.url.endswith(path)

    # --- ... marks it held, and types in the paper sheet.
    fac.follow(page.get_by_role("button", name="Marcar como realizada"), path)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    fac.follow(page.get_by_role("link", name="Digitar la planilla"))
    for user in (world.company_rep, community_user):
        member = world.member(user)
        page.locator(f"input[name=m_{member.public_id.hex}_present]").check()
    page.locator("input[name=counted]").check()
    page.locator("input[name=count_total]").fill("1")  # fewer than the two named
    fac.follow(page.get_by_role("button", name="Guardar el registro de asistencia"))
    assert meeting.attendance.count() == 0  # contradicts the named attendees: nothing written
    page.locator("input[name=count_total]").fill("23")
    fac.follow(page.get_by_role("button", name="Guardar el registro de asistencia"))
    assert meeting.attendance.count() == 2

    # --- The minutes, and one action item put on the checklist in one step.
    fac.goto(path)
    fac.follow(page.get_by_role("link", name="Redactar el acta"))
    page.locator("textarea[name=minutes_es]").fill(MINUTES)
    fac.follow(page.get_by_role("button", name="Guardar el acta"))
    assert path in page.url and MINUTES in page.content()
    fac.follow(page.get_by_role("link", name="Agregar una tarea"))
    page.locator("input[name=title_es]").fill(ITEM)
    fac.follow(page.get_by_role("button", name="Agregar", exact=True))
    assert path in page.url and ITEM in page.content()
    page.locator("form.filters select[name$=owner]").select_option(label="Test mayor's office")
    fac.follow(page.get_by_role("button", name="Pasar a la lista de acciones"))
    action = Action.objects.get(partnership=world.own)
    assert action.source == f"meeting:{meeting.public_id}"
    assert action.owner == government
    fac.goto(path)
    assert "en la lista de acciones" in page.content()

    # --- The mayor's office and the community association commit to it.
    action_path = f"/p/{slug}/actions/{action.public_id}/"
    mayor = signed_in(open_tab, "government", GOVERNMENT_EMAIL)
    commit(mayor, action_path, "staff_time", "Dos operarios por tres días")
    community = signed_in(open_tab, "community", COMMUNITY_EMAIL)
    commit(community, action_path, "local_knowledge", "Mingas de la junta de acción comunal")
    assert {c.partner for c in Commitment.objects.filter(action=action)} == {
        government,
        world.community,
    }

    # --- The portal: the meeting's summary, counts suppressed where small.
    public = open_tab("public", **PHONE)
    public.goto(f"/portal/{slug}/meetings/")
    in_spanish(public)
    html = public.page.content()
    assert TITLE in html and MINUTES in html  # the minutes fold under their summary
    assert "23" in public.page.inner_text("main")  # the door's count: large enough to show
    assert "Company persona" not in html and "Community persona" not in html
    for tab in (fac, mayor, community, public):
        tab.assert_all_audited()
