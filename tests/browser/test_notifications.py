"""Notifications, in Spanish, on a phone (360 px), in a real Chromium.

A partner representative chooses to hear of mentions at once; a participant
mentions her in the discussion of a goal; she sees the unread count in the
header, reads the notification and opens it, landing on the comment; a
facilitator posts an announcement to every member, which reaches her too.
Every page is audited (axe with WCAG 2.2, CSP, no sideways scroll at 360 and
320 px)."""

from __future__ import annotations

from typing import Any

import pytest

from goals.services import create_goal
from notifications.models import Announcement, Preference
from tests.browser.test_goals import signed_in
from tests.conftest import TOTP_SECRET, World

pytestmark = pytest.mark.browser


@pytest.mark.browser
def test_it_tells_a_member_of_a_mention_and_an_announcement_in_spanish_on_a_phone(
    world: World, open_tab: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    slug = world.own.slug
    goal = create_goal(
        by=world.facilitator, partnership=world.own, title={"es": "Acueducto veredal (prueba)"}
    )
    goal_path = f"/p/{slug}/goals/{goal.public_id}/"

    # --- The representative sets her preferences.
    rep = signed_in(open_tab, "company_rep", world.company_rep.email)
    page = rep.page
    rep.follow(page.get_by_role("link", name="Notificaciones", exact=True), "/notifications/")
    assert "Todavía no hay notificaciones." in page.content()
    rep.follow(
        page.get_by_role("link", name="Elegir con qué frecuencia se le avisa"),
        "/notifications/preferences/",
    )
    page.locator("input[name=kind_mention][value=immediately]").check()
    page.locator("input[name=kind_announcement][value=weekly]").check()
    rep.follow(page.get_by_role("button", name="Guardar"), "/notifications/preferences/")
    assert "Se guardaron sus preferencias de notificación." in page.content()
    assert dict(Preference.objects.values_list("kind", "frequency")) == {
        "mention": "immediately",
        "announcement": "weekly",
    }

    # --- A participant mentions her in the goal's discussion.
    par = signed_in(open_tab, "participant", world.participant.email)
    par.goto(goal_path)
    par.page.locator("textarea[name=body]").fill(
        "¿Qué opina la empresa, @Company persona? <script>alert(1)</script>"
    )
    par.follow(par.page.get_by_role("button", name="Publicar el comentario"))
    assert goal_path + "#c-" in par.page.url  # at the comment
    assert "Se publicó el comentario." in par.page.content()
    assert "&lt;script&gt;" in par.page.content()

    # --- She sees the unread count, reads the notification and opens it.
    rep.goto("/notifications/")
    header = page.get_by_role("link", name="Notificaciones (1 sin leer)")
    assert header.count() == 1
    assert "Lo mencionaron en la conversación sobre «Acueducto veredal (prueba)»." in (
        page.content()
    )
    rep.follow(page.get_by_role("button", name="Abrir"))
    assert goal_path + "#c-" in page.url
    assert "@Company persona" in page.content()
    assert page.get_by_role("link", name="Notificaciones", exact=True).count() == 1

    # --- A facilitator posts an announcement to every member.
    fac = signed_in(open_tab, "facilitator", world.facilitator.email, TOTP_SECRET)
    fac.goto(f"/p/{slug}/announcements/")
    fac.follow(
        fac.page.get_by_role("link", name="Publicar un anuncio"), f"/p/{slug}/announcements/new/"
    )
    fac.page.locator("input[name=scope][value=members]").check()
    fac.page.locator("input[name=audience][value=all]").check()
    fac.page.locator("input[name=title_es]").fill("Asamblea en la escuela (prueba)")
    fac.page.locator("textarea[name=body_es]").fill("El sábado a las nueve.")
    fac.follow(fac.page.get_by_role("button", name="Publicar", exact=True))
    assert "Se publicó el anuncio." in fac.page.content()
    assert Announcement.objects.count() == 1

    rep.goto("/notifications/")
    assert "Nuevo anuncio: Asamblea en la escuela (prueba)" in page.content()
    rep.follow(page.get_by_role("button", name="Marcar todas como leídas"), "/notifications/")
    assert "Todas las notificaciones quedaron como leídas." in page.content()
    rep.goto(f"/p/{slug}/announcements/")
    assert "Asamblea en la escuela (prueba)" in page.content()
