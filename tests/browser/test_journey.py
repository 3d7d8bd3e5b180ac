"""End-to-end journeys in a real Chromium.

1. A facilitator signs in (password, then authenticator code), sets up a
   partnership (country and languages chosen from lists), registers a
   company, invites its representative in Spanish; the task worker sends the
   email; the invitee, whose browser is English, opens the link on a phone:
   the page speaks Spanish, names the partnership and the inviter, asks for a
   display name and creates the account; the folded menu opens without
   JavaScript; the facilitator completes the preliminary step with its checks
   unmet (a reason is asked and shown) and switches to Spanish.
2. A participant's home on a phone is what they can do now; the facilitator
   copies a conversation's short public link, with its QR code, and a visitor
   follows it.
(Every page of steps 0–4, in Spanish on a phone, with the participant's page
weights, is opened by ``tests/browser/test_every_page.py``.)

Every page shown is checked by axe-core and for CSP violations (see conftest).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from accounts.totp import current_code
from partnerships.models import Invitation, Member, Partner, Partnership, Role, StepCompletion
from tests.browser.conftest import ARTIFACTS, Tab, wait_for_fresh_totp_window
from tests.conftest import PASSWORD, TOTP_SECRET, World

pytestmark = pytest.mark.browser

INVITEE_EMAIL = "coffee-rep@example.test"
INVITEE_PASSWORD = "another-long-test-password-2026"
PAGE_BUDGET_BYTES = 50 * 1024
SPANISH_MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)


def sign_in(
    tab: Tab, email: str, password: str, totp_secret: str | None = None, landing: str = "/"
) -> None:
    """On the sign-in page: email and password, then the authenticator code if asked."""
    page = tab.page
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit = page.locator("main form button[type=submit]").first
    if totp_secret is None:
        tab.follow(submit, landing)
        return
    tab.follow(submit, "/accounts/2fa/authenticate/")
    wait_for_fresh_totp_window()
    page.locator("input[name=code]").fill(current_code(totp_secret))
    tab.follow(page.locator("main form button[type=submit]").first, landing)


def nav(tab: Tab, label: str, path_suffix: str, name: str = "Partnership") -> None:
    """Follow a link of the partnership navigation, opening its menu first
    where a phone shows it folded."""
    partnership_nav = tab.page.get_by_role("navigation", name=name)
    summary = partnership_nav.locator("details.menu > summary")
    if summary.is_visible() and partnership_nav.locator("details.menu[open]").count() == 0:
        summary.click()
    tab.follow(partnership_nav.get_by_role("link", name=label, exact=True), path_suffix)


@pytest.mark.browser
def test_it_lets_a_facilitator_invite_a_representative_who_joins(
    world: World, site: str, open_tab: Any, subtests: Any
) -> None:
    facilitator = open_tab("facilitator")
    page = facilitator.page

    # --- The facilitator signs in: email and password, then the TOTP code.
    facilitator.goto("/")
    facilitator.follow(
        page.get_by_role("main").get_by_role("link", name="Sign in"), "/accounts/login/"
    )
    sign_in(facilitator, world.facilitator.email, PASSWORD, TOTP_SECRET)
    assert page.get_by_role("heading", level=1).inner_text() == "My partnerships"

    # --- Sets up a partnership from the home page: the country and the working
    # languages are chosen, not typed.
    facilitator.follow(page.get_by_role("link", name="Set up a partnership"), "/partnerships/new/")
    page.get_by_label("Name").fill("Río Claro partnership")
    page.get_by_label("Country").select_option("CO")
    assert page.get_by_label("Country").locator("option:checked").inner_text() == "Colombia"
    page.get_by_label("Locality").fill("Vereda El Encanto")
    page.get_by_label("Administrative area code").fill("99001")
    page.get_by_label("Description").fill("Coffee growers, a company and the municipality.")
    page.get_by_label("Main working language").select_option("es")
    page.get_by_role("group", name="Other working languages").get_by_label("English").check()
    facilitator.follow(page.get_by_role("button", name="Create"))
    partnership = Partnership.objects.get(name="Río Claro partnership")
    assert partnership.languages == ["es", "en"] and partnership.country == "CO"
    assert page.url.endswith(f"/p/{partnership.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Río Claro partnership"
    assert "The partnership is set up" in page.locator(".messages").inner_text()

    # --- Registers a company partner.
    nav(facilitator, "Partners", "/partners/")
    facilitator.follow(page.get_by_role("link", name="Register a partner"), "/partners/new/")
    page.get_by_label("Name").fill("Río Claro Coffee Company")
    page.get_by_label("Partner type").select_option("company")
    page.get_by_label("Why it joined").fill("Its farms depend on the river basin.")
    facilitator.follow(page.get_by_role("button", name="Save"), "/partners/")
    assert page.get_by_role("link", name="Río Claro Coffee Company").is_visible()
    company = Partner.objects.get(partnership=partnership, name="Río Claro Coffee Company")

    # --- Invites a representative of the company by email, in Spanish.
    nav(facilitator, "Members", "/members/")
    page.get_by_label("Email address").fill(INVITEE_EMAIL)
    page.get_by_label("Role").select_option("partner_representative")
    page.get_by_label("Represents").select_option(str(company.public_id))
    assert page.get_by_label("Language of the invitation").input_value() == "es"
    facilitator.follow(page.get_by_role("button", name="Send invitation"), "/members/")
    assert f"Invitation sent to {INVITEE_EMAIL}" in page.locator(".messages").inner_text()
    assert Invitation.objects.get(partnership=partnership, email=INVITEE_EMAIL).language == "es"

    # --- The background worker sends the email, in the invitation's language.
    assert mail.outbox == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    invitations = [m for m in mail.outbox if INVITEE_EMAIL in m.to]
    assert len(invitations) == 1, [m.subject for m in mail.outbox]
    assert "Facilitator persona" in invitations[0].body and "alianza" in invitations[0].body
    found = re.search(r"https?://\S+/invitations/\S+/", invitations[0].body)
    assert found, invitations[0].body
    link = found.group(0)
    assert link.startswith(site), link

    # --- In another browser (English), on a phone-sized screen, the invitee
    # opens the link: the page speaks Spanish, names the partnership and the
    # inviter, asks for a display name, and creates the account there.
    invitee = open_tab("invitee", width=360, height=740)
    ipage = invitee.page
    ipage.goto(link)
    invitee.audit()
    assert urlsplit(ipage.url).path == link.removeprefix(site)
    assert ipage.locator("html").get_attribute("lang") == "es"
    heading = ipage.get_by_role("heading", level=1).inner_text()
    assert "Río Claro partnership" in heading, heading
    main_text = ipage.get_by_role("main").inner_text()
    assert "Facilitator persona" in main_text and "Río Claro Coffee Company" in main_text
    assert INVITEE_EMAIL in main_text
    assert ipage.locator("input[name=email]").get_attribute("type") == "hidden"
    ARTIFACTS.mkdir(exist_ok=True)
    ipage.screenshot(path=str(ARTIFACTS / "invitation-es-360.png"), full_page=True)
    ipage.locator("input[name=display_name]").fill("Rosa de la cooperativa")
    ipage.locator("input[name=password1]").fill(INVITEE_PASSWORD)
    ipage.locator("input[name=password2]").fill(INVITEE_PASSWORD)
    invitee.follow(ipage.locator("main form button[type=submit]").first, f"/p/{partnership.slug}/")
    assert "Río Claro partnership" in ipage.locator(".messages").inner_text()
    assert ipage.locator(".pnav .role").inner_text() == "Representante de socio"
    member = Member.objects.get(partnership=partnership, user__email=INVITEE_EMAIL)
    assert (member.role, member.partner) == (Role.PARTNER_REPRESENTATIVE, company)
    assert member.user.display_name == "Rosa de la cooperativa"
    assert member.user.language == "es"
    # The phone shows the menu folded, naming the current page; it opens without JavaScript.
    summary = ipage.locator("nav.pnav details.menu > summary")
    assert summary.is_visible() and "Resumen" in summary.inner_text()
    assert not ipage.locator("nav.pnav details.menu ul").is_visible()
    ipage.screenshot(path=str(ARTIFACTS / "representative-home-360.png"), full_page=True)
    nav(invitee, "Miembros", "/members/", name="Alianza")
    assert "Facilitator persona" in ipage.get_by_role("main").inner_text()
    assert "Miembros" in ipage.locator("nav.pnav details.menu > summary").inner_text()

    # --- The facilitator follows the stepper: the preliminary step's checks are
    # not all met (two partner types are missing), so completing it takes a reason.
    nav(facilitator, "Steps", "/steps/")
    facilitator.follow(
        page.get_by_role("link", name="0. Setting up the partnership"), "/steps/preliminary/"
    )
    assert "Partners of every type have joined" in page.locator(".notice").inner_text()
    page.get_by_label("Note").fill("The partners agreed to start at the first meeting.")
    facilitator.follow(
        page.get_by_role("button", name="Mark this step complete"), "/steps/preliminary/complete/"
    )
    assert page.locator(".errors").count() > 0  # no reason given: refused, what was typed kept
    assert page.get_by_label("Note").input_value().startswith("The partners agreed")
    page.get_by_label("Why it is complete all the same").fill(
        "Government and civil society join at the next meeting; all present agreed to start."
    )
    facilitator.follow(
        page.get_by_role("button", name="Mark this step complete"), "/steps/preliminary/"
    )
    assert "Step marked complete." in page.locator(".messages").inner_text()
    assert page.locator("blockquote").inner_text().startswith("The partners agreed")
    assert "Government and civil society join" in page.locator(".notice").inner_text()
    completion = StepCompletion.objects.get(partnership=partnership, step="preliminary")
    assert completion.unmet_checks == ["Partners of every type have joined"]

    nav(facilitator, "Overview", f"/p/{partnership.slug}/")
    current = page.locator("ol.steps li.current")
    assert current.count() == 1
    assert current.get_by_role("link").inner_text() == "1. Situational analysis"
    assert "Now: step 1, Situational analysis." in page.get_by_role("main").inner_text()
    assert page.locator("ol.steps li.complete").get_by_role("link").inner_text() == (
        "0. Setting up the partnership"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    # --- Switches the interface to Spanish with the footer switcher.
    page.get_by_label("Language").select_option("es")
    facilitator.follow(
        page.locator("footer form.lang button[type=submit]"), f"/p/{partnership.slug}/"
    )
    assert page.locator("html").get_attribute("lang") == "es"
    assert User.objects.get(pk=world.facilitator.pk).language == "es"
    # A Spanish string Django itself provides: the month name in a long date.
    facilitator.follow(page.locator("ol.steps li.complete a"), "/steps/preliminary/")
    main_text = page.get_by_role("main").inner_text()
    assert re.search(rf"\b\d{{1,2}} de ({SPANISH_MONTHS}) de \d{{4}}\b", main_text), main_text
    page.screenshot(path=str(ARTIFACTS / "step-es.png"), full_page=True)
    partnership_nav = page.locator("nav.pnav")
    assert partnership_nav.get_by_role("link", name="Socios", exact=True).is_visible()


@pytest.mark.browser
def test_it_gives_a_participant_a_home_and_the_public_a_short_link(
    world: World, site: str, open_tab: Any
) -> None:
    from commonground import services as talk

    conversation = talk.create_conversation(
        by=world.facilitator,
        partnership=world.own,
        title={"en": "Water for every vereda", "es": "Agua para cada vereda"},
        public_link=True,
    )
    talk.add_statement(
        conversation=conversation,
        text="The aqueduct needs a community board",
        seed=True,
        actor=world.facilitator,
    )
    talk.set_status(by=world.facilitator, conversation=conversation, status="open")

    # --- A participant, on a phone: their home is what they can do now.
    participant = open_tab("participant", width=360, height=740)
    page = participant.page
    participant.goto("/accounts/login/")
    sign_in(participant, world.participant.email, PASSWORD)
    participant.follow(
        page.get_by_role("link", name="Own partnership", exact=True), f"/p/{world.own.slug}/"
    )
    main = page.get_by_role("main")
    assert "What you can do now" in main.inner_text()
    assert "Where the partnership stands" not in main.inner_text()
    participant.follow(
        main.get_by_role("link", name="Vote on its statements"),
        f"/common-ground/{conversation.public_id}/vote/",
    )
    assert "The aqueduct needs a community board" in page.get_by_role("main").inner_text()

    # --- The facilitator finds the conversation's short public link and its QR code.
    facilitator = open_tab("facilitator")
    facilitator.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    fpage = facilitator.page
    facilitator.goto("/accounts/login/")
    sign_in(facilitator, world.facilitator.email, PASSWORD, TOTP_SECRET)
    facilitator.goto(f"/p/{world.own.slug}/common-ground/{conversation.public_id}/")
    box = fpage.locator(".short-link")
    short = box.locator(".short-link-address a").inner_text()
    assert re.fullmatch(rf"{re.escape(site)}/s/[a-z2-9]{{8}}/", short), short
    assert len(short) < 60
    qr = box.locator("img.qr")
    assert qr.get_attribute("alt")
    answer = fpage.request.get(site + qr.get_attribute("src"))
    assert answer.status == 200 and answer.headers["content-type"] == "image/svg+xml"
    assert answer.text().lstrip().startswith("<?xml") and "<path" in answer.text()
    copy = box.get_by_role("button", name="Copy the link")
    assert copy.is_visible()  # shown by the script; hidden without JavaScript
    copy.click()
    fpage.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
    assert fpage.evaluate("navigator.clipboard.readText()") == short

    # --- Anyone with the short link reaches the public voting page.
    visitor = open_tab("visitor", width=360, height=740)
    visitor.page.goto(short)
    visitor.audit()
    assert "/talk/" in visitor.page.url
    assert "The aqueduct needs a community board" in visitor.page.get_by_role("main").inner_text()
