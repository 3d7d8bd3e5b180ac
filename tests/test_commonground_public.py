"""Voting for people on a phone (issue 10, point 5.4, the conversation's part):
public voters and participants see the opinion groups once they have voted,
agree / disagree / pass differ by words, mark, shape and colour, moderation
buttons say what they do, and statements from the public link are limited
per visitor and per address, with a clear message."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from commonground import analysis, services
from commonground.models import Conversation, ConversationStatus, Statement, StatementStatus
from commonground.views import public_link_token
from tests.conftest import World
from tests.test_commonground_groups import split_conversation


def opened(world: World, **options: Any) -> Conversation:
    c = services.create_conversation(
        by=world.facilitator,
        partnership=world.own,
        title={"en": "Roads", "es": "Vías"},
        public_link=True,
        **options,
    )
    for i in range(3):
        services.add_statement(
            conversation=c,
            text={"en": f"Road statement {i + 1}", "es": f"Afirmación vial {i + 1}"},
            seed=True,
            actor=world.facilitator,
        )
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    c.refresh_from_db()
    return c


def link_of(c: Conversation) -> str:
    return reverse("commonground:public_vote", kwargs={"conversation_link": public_link_token(c)})


def test_it_shows_the_opinion_groups_to_public_voters_and_participants(world: World) -> None:
    c = split_conversation(world)
    services.update_conversation(by=world.facilitator, conversation=c, public_link=True)
    analysis.analyse(c.pk)
    link = link_of(c)
    visitor = Client()
    before = visitor.get(link + "groups/").content.decode()
    assert "Vote first" in before and "Group A" not in before
    assert "See the opinion groups" not in visitor.get(link).content.decode()
    visitor.post(link, {"statement": 1, "choice": "1"})
    page = visitor.get(link).content.decode()
    assert "See the opinion groups and what people share" in page
    groups = visitor.get(link + "groups/")
    text = groups.content.decode()
    assert groups.status_code == 200 and len(groups.content) < 50_000
    assert "Group A" in text and "Bridging statements" in text and "Water statement 5" in text
    assert "Back to voting" in text and "Recompute now" not in text
    assert "/p/" not in text  # no link into the partnership's own pages
    # A participant, after voting, is led from the vote page to the groups.
    participant = world.client_for("participant")
    vote = reverse(
        "commonground:vote", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    participant.post(vote, {"statement": 2, "choice": "-1"})
    results = reverse(
        "commonground:results", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    assert results in participant.get(vote).content.decode()
    assert "Group A" in participant.get(results).content.decode()


def test_it_gives_agree_disagree_and_pass_a_look_of_their_own(world: World) -> None:
    c = opened(world)
    visitor = Client()
    visitor.cookies["django_language"] = "es"
    page = visitor.get(link_of(c), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    buttons = re.findall(r'<button type="submit" name="choice"[^>]*>(.*?)</button>', page)
    classes = re.findall(r'name="choice" value="[-\d]+" class="([^"]+)"', page)
    assert classes == ["vote-agree", "vote-disagree", "vote-pass"]
    words = [re.sub(r"<[^>]+>", "", b) for b in buttons]
    assert words == ["✓De acuerdo", "✗En desacuerdo", "–Paso / no sé"]
    assert all('aria-hidden="true"' in b for b in buttons)  # the mark is not read out
    css = open("static/css/hsbp.css", encoding="utf-8").read()
    room = css[css.index("/* commonground */") : css.index("/* end commonground */")]
    looks = {
        style: re.search(rf"button\.vote-{style}\{{([^}}]*)\}}", room).group(1)  # type: ignore[union-attr]
        for style in ("agree", "disagree", "pass")
    }
    backgrounds = {re.search(r"background:([^;]+)", v).group(1) for v in looks.values()}  # type: ignore[union-attr]
    radii = {re.search(r"border-radius:([^;]+)", v).group(1) for v in looks.values()}  # type: ignore[union-attr]
    assert len(backgrounds) == 3 and len(radii) == 3 and "dashed" in looks["pass"]


def test_it_labels_moderation_actions_with_verbs(world: World) -> None:
    c = opened(world)
    services.add_statement(conversation=c, text="Fix the bridge", language="en")
    detail = reverse(
        "commonground:detail", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    for language, verbs, status in (
        ("en", ["Accept", "Reject", "Mark as a comment about the conversation"], "Accepted"),
        ("es", ["Aceptar", "Rechazar", "Marcar como comentario sobre la conversación"], "Aceptada"),
    ):
        client = world.client_for("facilitator")
        client.cookies["django_language"] = language
        page = client.get(detail, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        row = page[page.index("Fix the bridge") :]
        row = row[: row.index("</tr>")]
        assert re.findall(r'name="status" value="\w+">([^<]+)</button>', row) == verbs
        assert f"<td>{status}</td>" in page  # the seeds' status: a word, not a button
    pending = Statement.objects.get(conversation=c, status=StatementStatus.PENDING)
    world.client_for("facilitator").post(
        reverse(
            "commonground:moderate",
            kwargs={
                "slug": world.own.slug,
                "conversation_id": c.public_id,
                "number": pending.number,
            },
        ),
        {"status": "meta"},
    )
    pending.refresh_from_db()
    assert pending.status == StatementStatus.META


def test_it_limits_statements_from_the_public_link(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "PUBLIC_STATEMENTS_PER_ADDRESS", 8)
    c = opened(world)
    link = link_of(c)
    visitor = Client()
    visitor.post(link, {"statement": 1, "choice": "1"})  # the visitor's cookie
    for i in range(5):
        response = visitor.post(link, {"text": f"Idea number {i} from one visitor"})
        assert response.status_code == 302
    refused = visitor.post(link, {"text": "One idea too many"}).content.decode()
    assert "You have sent many statements in a short time" in refused
    assert not Statement.objects.filter(conversation=c, text__en="One idea too many").exists()
    # A new cookie does not reset it: the address has its own, wider limit.
    for i in range(3):
        response = Client().post(link, {"text": f"Idea number {i} from a fresh browser"})
        assert response.status_code == 302
    response = Client().post(link, {"text": "Past the address limit"})
    assert "You have sent many statements" in response.content.decode()
    # Another address is not held back by this one.
    other = Client(REMOTE_ADDR="10.0.0.9").post(link, {"text": "From elsewhere"})
    assert other.status_code == 302
    assert Statement.objects.filter(conversation=c, status=StatementStatus.PENDING).count() == 9
    # Members are not limited this way.
    member = world.client_for("participant")
    vote = reverse(
        "commonground:vote", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    for i in range(6):
        assert member.post(vote, {"text": f"Member idea {i}"}).status_code == 302
