"""Statement conversations: set-up, statements and moderation, voting from
every channel (latest vote counts), routing, anonymity and the public link,
with every bad input refused by a clear message."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from commonground import routing, services
from commonground.models import (
    Choice,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from commonground.views import VISITOR_COOKIE, public_link_token
from partnerships.models import Member
from partnerships.services import ServiceError
from tests.conftest import World


def conversation(world: World, *, statements: int = 3, **options: Any) -> Conversation:
    c = services.create_conversation(
        by=world.facilitator,
        partnership=world.own,
        title={"en": "Roads and jobs", "es": "Vías y empleo"},
        **options,
    )
    for i in range(statements):
        services.add_statement(
            conversation=c,
            text={"en": f"Statement number {i + 1}", "es": f"Afirmación {i + 1}"},
            seed=True,
            actor=world.facilitator,
        )
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    return c


def url(world: World, name: str, c: Conversation, **kwargs: Any) -> str:
    return reverse(
        f"commonground:{name}",
        kwargs={"slug": world.own.slug, "conversation_id": c.public_id, **kwargs},
    )


def statement(c: Conversation, number: int) -> Statement:
    return Statement.objects.get(conversation=c, number=number)


def test_it_records_a_vote_and_lets_the_voter_change_it(world: World) -> None:
    c = conversation(world)
    client = world.client_for("participant")
    response = client.post(url(world, "vote", c), {"statement": 1, "choice": "1"})
    assert response.status_code == 302
    s = statement(c, 1)
    assert (s.agree_count, s.disagree_count, s.pass_count) == (1, 0, 0)
    # Voting again changes the vote: the latest counts, one row, counters follow.
    client.post(url(world, "vote", c), {"statement": 1, "choice": "-1", "back": "mine"})
    s.refresh_from_db()
    assert (s.agree_count, s.disagree_count, s.pass_count) == (0, 1, 0)
    vote = Vote.objects.get(statement=s)
    assert vote.choice == Choice.DISAGREE and vote.changes == 1
    c.refresh_from_db()
    assert c.vote_count == 1 and c.participant_count == 1
    page = client.get(url(world, "my_votes", c)).content.decode()
    assert "Statement number 1" in page and "Disagree" in page


def test_it_refuses_bad_votes_with_a_clear_message(world: World) -> None:
    c = conversation(world)
    member = world.member(world.participant)
    participant = services.participant_for(conversation=c, member=member)
    for bad in (7, "2", "yes", None, True, 0.5):
        with pytest.raises(ServiceError, match=r"agree \(1\), disagree \(-1\) or pass \(0\)"):
            services.record_vote(participant=participant, statement=statement(c, 1), choice=bad)
    with pytest.raises(ServiceError, match="Unknown statement"):
        services.record_vote(participant=participant, statement=None, choice=1)
    other = conversation(world)
    with pytest.raises(ServiceError, match="Unknown statement"):
        services.record_vote(participant=participant, statement=statement(other, 1), choice=1)
    services.moderate(by=world.facilitator, statement=statement(c, 2), status="rejected")
    with pytest.raises(ServiceError, match="not open for votes"):
        services.record_vote(participant=participant, statement=statement(c, 2), choice=1)
    assert Vote.objects.count() == 0
    # Through the page: the message in the reader's language, nothing recorded.
    client = world.client_for("participant")
    response = client.post(url(world, "vote", c), {"statement": 99, "choice": "1"}, follow=True)
    assert "Unknown statement" in response.content.decode()
    client.cookies["django_language"] = "es"
    response = client.post(
        url(world, "vote", c), {"statement": 1, "choice": "7"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert Vote.objects.count() == 0


def test_it_accepts_votes_only_while_open(world: World) -> None:
    c = conversation(world)
    participant = services.participant_for(conversation=c, member=world.member(world.participant))
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.CLOSED)
    c.refresh_from_db()
    participant.refresh_from_db()
    with pytest.raises(ServiceError, match="not open"):
        services.record_vote(participant=participant, statement=statement(c, 1), choice=1)
    assert world.client_for("participant").get(url(world, "vote", c)).status_code == 404


def test_it_moderates_what_participants_write(world: World) -> None:
    c = conversation(world)
    client = world.client_for("participant")
    text = "<script>alert('x')</script> Fix the road to the school"
    client.post(url(world, "vote", c), {"text": text})
    written = Statement.objects.get(conversation=c, number=4)
    assert written.status == StatementStatus.PENDING
    assert written.author is None  # anonymous conversation: never tied to its writer
    # Not shown, not routed, until a facilitator accepts it.
    assert "Fix the road" not in client.get(url(world, "detail", c)).content.decode()
    facilitator = world.client_for("facilitator")
    page = facilitator.get(url(world, "detail", c)).content.decode()
    assert "1 statement awaits moderation" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page  # inert
    facilitator.post(url(world, "moderate", c, number=4), {"status": "accepted"})
    written.refresh_from_db()
    assert written.status == StatementStatus.ACCEPTED
    assert "Fix the road" in client.get(url(world, "detail", c)).content.decode()
    # Meta statements are kept for the record, never voted on.
    facilitator.post(url(world, "moderate", c, number=4), {"status": "meta"})
    participant = services.participant_for(conversation=c, member=world.member(world.participant))
    with pytest.raises(ServiceError):
        services.record_vote(participant=participant, statement=statement(c, 4), choice=1)


def test_it_refuses_bad_statements(world: World) -> None:
    c = conversation(world)
    member = world.member(world.participant)
    with pytest.raises(ServiceError, match="at most 280 characters"):
        services.add_statement(conversation=c, text="x" * 281, author=member)
    with pytest.raises(ServiceError, match="Write the statement"):
        services.add_statement(conversation=c, text="   ", author=member)
    with pytest.raises(ServiceError, match="already in the conversation"):
        services.add_statement(conversation=c, text="statement   NUMBER 1", author=member)
    c.allow_statements = False
    c.save(update_fields=["allow_statements"])
    with pytest.raises(ServiceError, match="does not take statements"):
        services.add_statement(conversation=c, text="A new idea", author=member)
    response = world.client_for("participant").post(url(world, "vote", c), {"text": "x" * 300})
    assert response.status_code == 200
    assert Statement.objects.filter(conversation=c).count() == 3


def test_it_routes_each_participant_to_the_statements_that_need_votes(world: World) -> None:
    c = conversation(world, statements=4)
    member = world.member(world.participant)
    me = services.participant_for(conversation=c, member=member)
    # Others have voted a lot on 1-3; statement 4 is new.
    for i in range(6):
        other = Participant.objects.create(partnership=world.own, conversation=c, key=f"other-{i}")
        for number in (1, 2, 3):
            services.record_vote(participant=other, statement=statement(c, number), choice=1)
    assert routing.weight(seen=0, passes=0, spread=0) > 10 * routing.weight(
        seen=6, passes=0, spread=0
    )
    # The draw is weighted, not fixed: over many newcomers the new statement
    # (weight 81 against about 4 each) comes first for most of them.
    firsts = []
    for i in range(40):
        newcomer = Participant.objects.create(partnership=world.own, conversation=c, key=f"new-{i}")
        pick = routing.next_statement(c, newcomer, spread={})
        assert pick is not None
        firsts.append(pick.number)
    assert firsts.count(4) >= 25
    # For one participant the draw is stable: a reload shows the same statement.
    picks = {routing.next_statement(c, me, spread={}) for _ in range(3)}
    assert len(picks) == 1
    seen: list[int] = []
    for _ in range(4):
        nxt = routing.next_statement(c, me, spread={})
        assert nxt is not None and nxt.number not in seen
        seen.append(nxt.number)
        services.record_vote(participant=me, statement=nxt, choice=0)
    assert routing.next_statement(c, me, spread={}) is None
    page = world.client_for("participant").get(url(world, "vote", c)).content.decode()
    assert "You have voted on every statement" in page


def test_it_keeps_anonymous_votes_apart_from_who_cast_them(world: World) -> None:
    c = conversation(world)
    member: Member = world.member(world.participant)
    world.client_for("participant").post(url(world, "vote", c), {"statement": 1, "choice": "1"})
    participant = Participant.objects.get(conversation=c)
    assert participant.member is None
    # A keyed hash: one participant per member, no column that joins back to them.
    assert participant.key == services.voter_key(c, member) and len(participant.key) == 48
    # Identified conversation: the member is on record.
    named = conversation(world, anonymous=False)
    world.client_for("company_rep").post(url(world, "vote", named), {"statement": 1, "choice": "1"})
    rep = Participant.objects.get(conversation=named)
    assert rep.member == world.member(world.company_rep)
    assert rep.partner_type == "company"
    vote = Vote.objects.get(participant=rep)
    assert vote.partner_type == "company"  # the composition of opinion groups reads this
    with pytest.raises(ServiceError, match="cannot change once votes"):
        services.update_conversation(by=world.facilitator, conversation=named, anonymous=True)


def test_it_lets_anyone_with_the_public_link_vote_anonymously(world: World) -> None:
    c = conversation(world, public_link=True)
    link = reverse("commonground:public_vote", kwargs={"conversation_link": public_link_token(c)})
    visitor = world.client_for("anonymous")
    page = visitor.get(link)
    assert page.status_code == 200 and "Statement" in page.content.decode()
    assert len(page.content) < 50_000
    response = visitor.post(link, {"statement": 2, "choice": "-1"})
    assert response.status_code == 302 and VISITOR_COOKIE in response.cookies
    visitor.post(link, {"statement": 2, "choice": "1"})  # changes it, same cookie
    assert Participant.objects.filter(conversation=c).count() == 1
    assert Vote.objects.get(statement=statement(c, 2)).choice == Choice.AGREE
    # Not public, closed, or a forged link: a 404.
    private = conversation(world)
    forged = reverse(
        "commonground:public_vote", kwargs={"conversation_link": public_link_token(private)}
    )
    assert visitor.get(forged).status_code == 404
    assert visitor.get("/talk/not-a-link/").status_code == 404
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.CLOSED)
    assert visitor.get(link).status_code == 404


def test_it_shows_drafts_only_to_facilitators(world: World) -> None:
    draft = services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": "Draft talk"}
    )
    assert (
        "Draft talk"
        not in world.client_for("participant")
        .get(reverse("commonground:list", kwargs={"slug": world.own.slug}))
        .content.decode()
    )
    assert world.client_for("participant").get(url(world, "detail", draft)).status_code == 404
    assert world.client_for("facilitator").get(url(world, "detail", draft)).status_code == 200
    with pytest.raises(ServiceError, match="at least one statement"):
        services.set_status(by=world.facilitator, conversation=draft, status="open")


def test_it_keeps_other_partnerships_out(world: World) -> None:
    c = conversation(world)
    foreign = world.client_for("foreign_facilitator")
    assert foreign.get(url(world, "detail", c)).status_code == 404
    assert world.client_for("outsider").get(url(world, "results", c)).status_code == 404
    # An observer reads but does not vote.
    assert world.client_for("observer").get(url(world, "vote", c)).status_code == 403
    assert world.client_for("observer").get(url(world, "detail", c)).status_code == 200


def test_it_links_a_conversation_to_a_threat_or_question_of_its_own(world: World) -> None:
    from baseline.models import Threat
    from consultations import services as consult

    threat = Threat.objects.create(partnership=world.own, title="Landslides (test)")
    foreign = Threat.objects.create(partnership=world.foreign, title="Foreign threat")
    q = consult.create_questionnaire(by=world.facilitator, partnership=world.own, title={"es": "Q"})
    question = consult.add_question(
        by=world.facilitator, questionnaire=q, key="roads", kind="free_text", text={"es": "Roads?"}
    )
    with pytest.raises(ServiceError, match="Unknown threat"):
        services.create_conversation(
            by=world.facilitator, partnership=world.own, title={"es": "X"}, threat=foreign
        )
    response = world.client_for("facilitator").post(
        reverse("commonground:create", kwargs={"slug": world.own.slug}),
        {
            "title_en": "Landslides and roads",
            "title_es": "Deslizamientos y vías",
            "anonymous": "on",
            "threat": threat.pk,
            "question": question.pk,
        },
    )
    assert response.status_code == 302
    c = Conversation.objects.get(title__en="Landslides and roads")
    assert c.threat == threat and c.question == question
    page = world.client_for("facilitator").get(url(world, "detail", c)).content.decode()
    assert "About the threat: Landslides (test)" in page and "Roads?" in page
