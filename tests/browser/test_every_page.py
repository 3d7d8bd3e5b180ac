"""Every page of steps 0–4, in Spanish, on a 360 px phone, as a facilitator and
as a participant.

The pages come from the URL resolver (as in the permission matrix and the form
round trip), with real objects of every room for their arguments, so a new
page is covered without editing this file. Each one is opened in Chromium and
audited by ``Tab.audit()``: axe-core with the WCAG 2.2 rules, no CSP violation,
no sideways scroll at 360 px nor at 320 px. Each one must also speak Spanish
(``<html lang="es">``), and a participant's pages must each weigh at most
50 KB (gzip-compressed HTML + CSS + JS, cold cache).

Then every form of the page is sent as the page shows it, by its own button
(each distinct form once): the page that answers (a success, or the form
again with its messages) must not be a server error, and is audited the same
way. Destructive buttons (``.danger``: a confirmation's "Delete", "Leave") are
not pressed here; ``tests/test_form_round_trip.py`` checks, in both languages,
that every form is accepted when resubmitted unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest

from partnerships import services
from tests.browser.test_journey import PAGE_BUDGET_BYTES, sign_in
from tests.browser.test_map import PHONE, to_spanish
from tests.conftest import PASSWORD, TOTP_SECRET, World
from tests.test_form_round_trip import OWN_ROUTES, QUERY_VARIANTS, _paths, _values

pytestmark = pytest.mark.browser

# Routes that are not pages to look at: files, pictures and redirects, and the
# invitation link, which is its invitee's (see tests/browser/test_journey.py).
NOT_PAGES = {
    "partnerships:invitation",
    "short_link",
    "short_link_qr",
}

# The post forms of the page's content, as (index, identity): the identity
# (address and field names) lets each distinct form be sent once.
FORMS_JS = """() => [...document.querySelectorAll('main form')]
    .map((form, i) => [i, form, form.getAttribute('method') || 'get'])
    .filter(([i, form, method]) => method.toLowerCase() === 'post'
        && !form.querySelector('.danger')
        && form.querySelector('button[type=submit], button:not([type]), input[type=submit]'))
    .map(([i, form]) => [i, (form.getAttribute('action') || location.pathname) + ' '
        + [...form.elements].map(e => e.name).filter(n => n && n !== 'csrfmiddlewaretoken')
            .sort().join(',')])"""


def _send_forms(tab: Any, path: str, sent: set[str]) -> int:
    """Send each not-yet-sent post form of the page at ``path`` by its own
    button, unchanged, and audit what answers. How many were sent."""
    count = 0
    while True:
        if count:  # the previous form took us elsewhere: come back
            tab.goto(path)
        waiting = [(i, who) for i, who in tab.page.evaluate(FORMS_JS) if who not in sent]
        if not waiting:
            return count
        index, identity = waiting[0]
        sent.add(identity)
        form = tab.page.locator("main form").nth(index)
        # Open what folds the form away, as a person would; and let the server
        # check every field (the browser's own checks would stop an unchanged
        # new-record form before it is sent).
        form.evaluate(
            """form => { form.noValidate = true;
                for (let d = form.closest('details'); d; d = d.parentElement.closest('details'))
                    d.open = true; }"""
        )
        button = form.locator("button[type=submit], button:not([type]), input[type=submit]").first
        tab.start_measuring()
        tab.follow(button)
        documents = [r for r in tab.responses if r.request.resource_type == "document"]
        assert documents and documents[-1].status < 500, (path, identity)
        assert tab.page.locator("html").get_attribute("lang") == "es", (path, identity)
        count += 1


# The facilitator's sweep, in three parts by room, so that two workers share
# it (in one piece it was half of the browser tests' time), with the fewest
# pages each part must open. Rooms not named here are in the first part.
PARTS = {
    "steps-0-1": ("partnerships", "stakeholders", "portal", "accounts", ""),
    "step-2-baseline": ("baseline",),
    "steps-2-4": ("consultations", "commonground", "goals"),
    "step-5": ("charter", "decisions", "discussion", "notifications"),
    "steps-5-6": ("actions", "meetings", "attachments"),
}
# The fewest pages each part must open (a part that opens fewer has lost pages).
FACILITATOR_PAGES = {
    "steps-0-1": 20,
    "step-2-baseline": 15,
    "steps-2-4": 25,
    "step-5": 20,
    "steps-5-6": 1,
}
ROOMS_IN_PARTS = {room for rooms in PARTS.values() for room in rooms}


def _room(route_name: str) -> str:
    room = route_name.split(":")[0] if ":" in route_name else ""
    return room if room in ROOMS_IN_PARTS else ""


@pytest.mark.parametrize(
    ("persona", "part"),
    [*(("facilitator", part) for part in PARTS), ("participant", "all")],
)
def test_it_opens_every_page_in_spanish_on_a_phone(
    world: World, open_tab: Any, persona: str, part: str
) -> None:
    services.set_published(actor=world.facilitator, partnership=world.own, published=True)
    values = _values(world)
    tab = open_tab(persona, width=PHONE, height=740, no_cache=persona == "participant")
    tab.goto("/accounts/login/")
    user = getattr(world, persona)
    sign_in(tab, user.email, PASSWORD, TOTP_SECRET if persona == "facilitator" else None)
    to_spanish(tab)

    opened: list[str] = []
    weights: list[tuple[int, str]] = []
    sent: set[str] = set()
    forms = 0
    for route in OWN_ROUTES:
        if "GET" not in route.callback.hsbp_access.methods or route.name in NOT_PAGES:
            continue
        if part != "all" and _room(route.name) not in PARTS[part]:
            continue
        paths = _paths(route.pattern, values)
        paths += [p + q for p in paths for q in QUERY_VARIANTS.get(route.name, [])]
        for path in paths:
            # Ask first, with the tab's own cookies: a download or a picture is
            # not a page to lay out, and a refusal needs no audit of its own.
            answer = tab.context.request.get(tab.url(path), max_redirects=0)
            kind = answer.headers.get("content-type", "")
            if answer.status != 200 or not kind.startswith("text/html"):
                continue
            tab.start_measuring()
            tab.goto(path)
            assert tab.page.locator("html").get_attribute("lang") == "es", path
            opened.append(path)
            if persona == "participant":
                weights.append((sum(tab.measure().values()), path))
            forms += _send_forms(tab, path, sent)

    print(
        f"\n[{persona}, {part}] {len(opened)} pages opened and {forms} forms sent in Spanish "
        f"at {PHONE} px, every page audited"
    )
    assert len(opened) >= (FACILITATOR_PAGES[part] if persona == "facilitator" else 20)
    if weights:
        weight, path = max(weights)
        print(f"[{persona}] heaviest page: {weight / 1024:.1f} KB compressed ({path})")
    heavy = [(path, weight) for weight, path in weights if weight > PAGE_BUDGET_BYTES]
    assert heavy == [], f"participant pages over {PAGE_BUDGET_BYTES} bytes: {heavy}"
