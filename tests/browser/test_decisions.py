"""A secret-ballot decision, in Spanish, on a phone (360 px), in a real
Chromium (issue 12, "Done when"): under a charter in force whose general
decisions are taken by a secret majority of partners, the facilitator
proposes and opens the vote; each partner's representative votes; the clock
reminds the partner that has not voted, once, in its daily digest email,
then closes the vote (the periodic tick); the facilitator writes the outcome
statement; the decision's page shows the result with the tally by partner
type (every count of a secret vote through small-number suppression); and
the decision log is on the public portal, with its feed. Every page is
audited (axe with WCAG 2.2, CSP, no sideways scroll)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from charter.rules import DecisionRule, Method, Voters
from decisions import services
from decisions.models import Ballot, Decision, DecisionStatus
from notifications.digests import send_digests
from notifications.models import Notification
from partnerships.models import Partner, PartnerType, Role
from tests.browser.conftest import Tab
from tests.browser.test_goals import COMMUNITY_EMAIL, PHONE, signed_in
from tests.conftest import TOTP_SECRET, World, join, make_user
from tests.decisions_helpers import charter_in_force

pytestmark = pytest.mark.browser

SECRET = DecisionRule(
    method=Method.MAJORITY, voters=Voters.PARTNERS, quorum_percent=50, secret=True
)
TITLE = "Arreglar el puente de Nogalito (prueba)"
GOVERNMENT_EMAIL = "government-rep@example.test"


def vote(tab: Tab, path: str, choice: str) -> None:
    tab.goto(path)
    page = tab.page
    assert "Votación secreta" in page.content()
    page.locator(f"input[name=choice][value={choice}]").check()
    tab.follow(page.get_by_role("button", name="Emitir mi voto"))
    assert "Su voto quedó contado" in page.content()


@pytest.mark.browser
def test_it_runs_a_secret_ballot_to_its_outcome_and_publishes_it(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    charter_in_force(world, general=SECRET)  # adopted before the community had a representative
    community_user = make_user(COMMUNITY_EMAIL, display_name="Community persona")
    join(world.own, world.facilitator, community_user, Role.PARTNER_REPRESENTATIVE, world.community)
    # A third partner, whose representative does not vote (and is reminded).
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

    # --- The facilitator proposes, and opens the vote.
    fac = signed_in(open_tab, "facilitator", world.facilitator.email, TOTP_SECRET)
    page = fac.page
    fac.goto(f"/p/{slug}/decisions/")
    fac.follow(page.get_by_role("link", name="Proponer una decisión"))
    page.locator("select[name=kind]").select_option("general")
    page.locator("input[name=title_es]").fill(TITLE)
    page.locator("textarea[name=body_es]").fill(
        "Con jornales de los socios y cemento de la empresa."
    )
    fac.follow(page.get_by_role("button", name="Proponer", exact=True))
    decision = Decision.objects.get(partnership=world.own)
    path = f"/p/{slug}/decisions/{decision.public_id}/"
    assert page.url.endswith(path)
    assert "En discusión" in page.content()
    fac.follow(page.get_by_role("button", name="Abrir la votación"), path)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.VOTING and decision.secret

    # --- Each partner votes through its representative; results stay hidden.
    company = signed_in(open_tab, "company", world.company_rep.email)
    vote(company, path, "agree")
    community = signed_in(open_tab, "community", COMMUNITY_EMAIL)
    vote(community, path, "disagree")
    fac.goto(path)
    assert "Votos por tipo de socio" not in page.content()
    assert all(b.cast_by_id is None for b in Ballot.objects.all())

    # --- Two days before the close, the partner that has not voted is reminded,
    # once, and the reminder reaches them in their daily digest email.
    decision.refresh_from_db()
    soon = decision.closes_at - timedelta(hours=47)
    assert services.send_reminders(now=soon) == 1
    assert services.send_reminders(now=soon) == 0
    reminded = Notification.objects.filter(kind="decision_reminder")
    assert [n.recipient.email for n in reminded] == [GOVERNMENT_EMAIL]
    mail.outbox = []
    send_digests(frequency="daily", now=soon)
    digest = next(m for m in mail.outbox if GOVERNMENT_EMAIL in m.to)
    assert TITLE in digest.body
    assert "Company persona" not in digest.body  # names no voter, and no choice
    assert "Community persona" not in digest.body

    # --- The clock closes the vote; the facilitator writes the outcome statement.
    decision.refresh_from_db()
    assert services.close_due_decisions(now=decision.closes_at) == 1
    fac.goto(path)
    assert "Votos por tipo de socio" in page.content()
    assert "oculto" in page.inner_text("body")  # one ballot per type: too few to show
    fac.follow(page.get_by_role("link", name="Escribir la declaración del resultado"))
    page.locator("textarea[name=outcome_es]").fill("El puente se arregla en enero (prueba).")
    fac.follow(page.get_by_role("button", name="Registrar el resultado"), path)
    text = page.inner_text("body")
    assert "El puente se arregla en enero (prueba)." in text
    decision.refresh_from_db()
    result = str(decision.get_status_display())
    assert decision.status in (DecisionStatus.PASSED, DecisionStatus.NOT_PASSED)

    # --- The decision log on the public portal, in Spanish, with its feed.
    world.own.is_published = True
    world.own.save(update_fields=["is_published"])
    public = open_tab("public", **PHONE)
    public.goto(f"/portal/{slug}/")
    public.page.locator("#lang-select").select_option("es")
    public.follow(public.page.locator("footer form button[type=submit]"))
    public.follow(public.page.get_by_role("link", name="Todo el registro de decisiones"))
    text = public.page.inner_text("body")
    assert TITLE in text and "El puente se arregla en enero (prueba)." in text
    assert "votación secreta" in text and "Votos por tipo de socio" not in text
    assert "Community persona" not in text
    assert result  # the status read in Spanish on the member page
