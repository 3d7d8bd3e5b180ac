"""End-to-end journeys in a real Chromium.

1. A facilitator signs in (password, then authenticator code), sets up a
   partnership, registers a company, invites its representative; the task
   worker sends the email; the invitee signs up from the link and accepts; the
   facilitator completes the preliminary step and switches to Spanish.
2. A community participant visits every page they can reach; each page must
   weigh at most 50 KB of compressed HTML + CSS + JS.

Every page shown is checked by axe-core and for CSP violations (see conftest).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from accounts.totp import current_code
from partnerships import services
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


def nav(tab: Tab, label: str, path_suffix: str) -> None:
    """Follow a link of the partnership navigation."""
    partnership_nav = tab.page.get_by_role("navigation", name="Partnership")
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

    # --- Sets up a partnership from the home page.
    facilitator.follow(page.get_by_role("link", name="Set up a partnership"), "/partnerships/new/")
    page.get_by_label("Name").fill("Río Claro partnership")
    page.get_by_label("Country").fill("CO")
    page.get_by_label("Locality").fill("Chaparral")
    page.get_by_label("Administrative area code").fill("73168")
    page.get_by_label("Description").fill("Coffee growers, a company and the municipality.")
    page.get_by_label("Working languages").fill("es, en")
    facilitator.follow(page.get_by_role("button", name="Create"))
    partnership = Partnership.objects.get(name="Río Claro partnership")
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

    # --- Invites a representative of the company by email.
    nav(facilitator, "Members", "/members/")
    page.get_by_label("Email address").fill(INVITEE_EMAIL)
    page.get_by_label("Role").select_option("partner_representative")
    page.get_by_label("Represents").select_option(str(company.public_id))
    facilitator.follow(page.get_by_role("button", name="Send invitation"), "/members/")
    assert f"Invitation sent to {INVITEE_EMAIL}" in page.locator(".messages").inner_text()
    assert Invitation.objects.filter(partnership=partnership, email=INVITEE_EMAIL).exists()

    # --- The background worker sends the email.
    assert mail.outbox == []
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    invitations = [m for m in mail.outbox if INVITEE_EMAIL in m.to]
    assert len(invitations) == 1, [m.subject for m in mail.outbox]
    found = re.search(r"https?://\S+/invitations/\S+/", invitations[0].body)
    assert found, invitations[0].body
    link = found.group(0)
    assert link.startswith(site), link

    # --- In another browser, the invitee opens the link, signs up, accepts.
    # ...on a phone-sized screen, as many community members would.
    invitee = open_tab("invitee", width=360, height=740)
    ipage = invitee.page
    ipage.goto(link)
    invitee.audit()
    login_url = urlsplit(ipage.url)  # anonymous: sent to sign in first, then back
    assert login_url.path == "/accounts/login/", ipage.url
    assert parse_qs(login_url.query)["next"] == [link.removeprefix(site)], ipage.url
    invitee.follow(
        ipage.get_by_role("main").get_by_role("link", name="sign up"), "/accounts/signup/"
    )
    ipage.locator("input[name=email]").fill(INVITEE_EMAIL)
    ipage.locator("input[name=password1]").fill(INVITEE_PASSWORD)
    ipage.locator("input[name=password2]").fill(INVITEE_PASSWORD)
    invitation_path = link.removeprefix(site)
    invitee.follow(ipage.locator("main form button[type=submit]").first, invitation_path)
    assert "Join Río Claro partnership" in ipage.get_by_role("heading", level=1).inner_text()
    assert "Río Claro Coffee Company" in ipage.get_by_role("main").inner_text()
    invitee.follow(
        ipage.get_by_role("button", name="Accept the invitation"), f"/p/{partnership.slug}/"
    )
    assert "Welcome to Río Claro partnership" in ipage.locator(".messages").inner_text()
    assert ipage.locator(".pnav .role").inner_text() == "Partner representative"
    member = Member.objects.get(partnership=partnership, user__email=INVITEE_EMAIL)
    assert (member.role, member.partner) == (Role.PARTNER_REPRESENTATIVE, company)
    invitee.assert_reflows()
    nav(invitee, "Members", "/members/")  # representatives see who else takes part
    assert "Facilitator persona" in ipage.get_by_role("main").inner_text()
    invitee.assert_reflows()

    # --- The facilitator follows the stepper: completes the preliminary step.
    nav(facilitator, "Steps", "/steps/")
    facilitator.follow(
        page.get_by_role("link", name="0. Setting up the partnership"), "/steps/preliminary/"
    )
    page.get_by_label("Note").fill("The partners agreed to start at the first meeting.")
    facilitator.follow(
        page.get_by_role("button", name="Mark this step complete"), "/steps/preliminary/"
    )
    assert "Step marked complete." in page.locator(".messages").inner_text()
    assert page.locator("blockquote").inner_text().startswith("The partners agreed")
    assert StepCompletion.objects.filter(partnership=partnership, step="preliminary").exists()

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

    # PLATFORM SPANISH CATALOGUE: the platform's own strings in Spanish, e.g.
    # "Partners" -> "Socios" in the partnership navigation. The es catalogue is
    # written in parallel; until it is compiled this one check is an expected
    # failure (reported as a subtest xfail), never silently dropped.
    with subtests.test("platform's own Spanish text (es catalogue)"):
        with translation.override("es"):
            partners_es = translation.gettext("Partners")
        if partners_es == "Partners":
            pytest.xfail(
                "locale/es/LC_MESSAGES/django.mo is not compiled (or does not translate "
                "'Partners') yet: the es catalogue is being written in parallel"
            )
        partnership_nav = page.locator("nav.pnav")
        assert partnership_nav.get_by_role("link", name="Socios", exact=True).is_visible(), (
            f"the es catalogue says 'Partners' is {partners_es!r}; the navigation reads: "
            + page.locator("nav.pnav").inner_text()
        )


PARTICIPANT_PAGES = [
    ("home", "/"),
    ("overview", "/p/{slug}/"),
    ("steps", "/p/{slug}/steps/"),
    ("step", "/p/{slug}/steps/preliminary/"),
    ("partners", "/p/{slug}/partners/"),
    ("partner", "/p/{slug}/partners/{partner}/"),
    ("record", "/p/{slug}/record/"),
    ("membership", "/p/{slug}/membership/"),
    ("profile", "/account/profile/"),
    ("public page", "/portal/{slug}/"),
    # Also linked from the pages above:
    ("api tokens", "/account/tokens/"),
    ("two-factor", "/accounts/2fa/"),
    ("password", "/accounts/password/change/"),
    ("sign out", "/accounts/logout/"),
    ("portal", "/portal/"),
]


@pytest.mark.browser
def test_it_keeps_participant_pages_light_and_accessible(world: World, open_tab: Any) -> None:
    services.set_published(actor=world.facilitator, partnership=world.own, published=True)
    tab = open_tab("participant", no_cache=True)
    tab.goto("/accounts/login/")
    sign_in(tab, world.participant.email, PASSWORD)

    rows = []
    for label, pattern in PARTICIPANT_PAGES:
        path = pattern.format(slug=world.own.slug, partner=world.company.public_id)
        tab.start_measuring()
        response = tab.goto(path)
        assert response is not None and response.status == 200, (path, response)
        sizes = tab.measure()
        rows.append((label, path, sizes))

    # The same pages on a 320 px wide screen: they reflow, and stay accessible.
    tab.page.set_viewport_size({"width": 320, "height": 640})
    for _label, pattern in PARTICIPANT_PAGES:
        tab.goto(pattern.format(slug=world.own.slug, partner=world.company.public_id))
        tab.assert_reflows()

    print("\nParticipant pages, gzip-compressed bytes (HTML + CSS + JS, cold cache):")
    print(f"{'page':<12} {'HTML':>7} {'CSS':>7} {'JS':>7} {'total':>8} {'KB':>6}  path")
    for label, path, s in rows:
        total = sum(s.values())
        print(
            f"{label:<12} {s['html']:>7} {s['css']:>7} {s['js']:>7} {total:>8} "
            f"{total / 1024:>6.1f}  {path}"
        )
    heaviest_label, heaviest_path, heaviest = max(rows, key=lambda r: sum(r[2].values()))
    heaviest_total = sum(heaviest.values())
    print(
        f"HEAVIEST PARTICIPANT PAGE: {heaviest_total / 1024:.1f} KB "
        f"({heaviest_label}, {heaviest_path})"
    )
    too_heavy = [
        (label, sum(s.values())) for label, _p, s in rows if sum(s.values()) > PAGE_BUDGET_BYTES
    ]
    assert not too_heavy, f"pages over {PAGE_BUDGET_BYTES} bytes: {too_heavy}"
