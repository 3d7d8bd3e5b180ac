"""Short public links with their QR codes, and navigation that folds on a phone."""

from __future__ import annotations

import pytest
from django.test import Client

from partnerships.models import ShortLink
from partnerships.shortlinks import short_link_for
from tests.conftest import World


def test_it_gives_a_public_link_one_short_address(world: World) -> None:
    long = "http://testserver/talk/a-signed-token-that-runs-to-over-a-hundred-characters/"
    first = short_link_for(world.own, long)
    assert short_link_for(world.own, long) == first  # made once, then reused
    assert len(first.code) == ShortLink.LENGTH and set(first.code) <= set(ShortLink.ALPHABET)
    response = Client().get(f"/s/{first.code}/")
    assert response.status_code == 302
    assert response["Location"] == "/talk/a-signed-token-that-runs-to-over-a-hundred-characters/"
    assert Client().get(f"/s/{first.code.upper()}/").status_code == 302  # read from paper
    assert Client().get("/s/nothere2/").status_code == 404


def test_it_never_sends_anyone_to_another_site(world: World) -> None:
    for url in ("javascript:alert(1)", "evil.example/x", "mailto:x@example.test"):
        with pytest.raises(ValueError):
            short_link_for(world.own, url)
    # Only the path of a full address is kept: the short link stays on this site.
    assert short_link_for(world.own, "https://evil.example/talk/x/?a=1").target == "/talk/x/?a=1"
    assert short_link_for(world.own, "//evil.example/y").target == "/y"


def test_it_draws_the_qr_code_on_the_server(world: World) -> None:
    link = short_link_for(world.own, "/portal/")
    response = Client().get(f"/s/{link.code}.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"<script" not in response.content


def test_it_shows_the_short_link_where_the_long_one_was(world: World) -> None:
    from commonground import services as talk

    conversation = talk.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Roads"}, public_link=True
    )
    talk.add_statement(
        conversation=conversation, text="Fix the road", seed=True, actor=world.facilitator
    )
    talk.set_status(by=world.facilitator, conversation=conversation, status="open")
    page = (
        world.client_for("facilitator")
        .get(f"/p/{world.own.slug}/common-ground/{conversation.public_id}/")
        .content.decode()
    )
    link = ShortLink.objects.get(partnership=world.own)
    assert f"http://testserver/s/{link.code}/" in page and f"/s/{link.code}.svg" in page
    assert link.target.startswith("/talk/")
    # The copy button waits for the script; the script is a file, deferred.
    assert "hidden>" in page and 'src="/static/js/copy.js" defer' in page


@pytest.mark.parametrize(
    ("path", "here"),
    [("", "Overview"), ("members/", "Members"), ("map/", "Stakeholder map"), ("steps/", "Steps")],
)
def test_it_folds_the_menu_and_names_the_current_page(world: World, path: str, here: str) -> None:
    page = world.client_for("facilitator").get(f"/p/{world.own.slug}/{path}").content.decode()
    menu = page.split('<details class="menu">', 1)[1].split("</details>", 1)[0]
    summary = menu.split("</summary>", 1)[0]
    assert here in summary
    assert menu.count('aria-current="page"') == 1
    assert "<script" not in menu
