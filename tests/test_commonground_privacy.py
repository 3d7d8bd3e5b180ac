"""Anonymous votes cannot be read back (issue 10, point 1.2).

The attack: one, two, three (and four) people vote on a statement; everyone
else — facilitator, partner representative, participant, observer, a visitor
of the public link, API tokens — reads every page and API answer that shows
counts, before and after. Two conversations are set up identically except for
how those people voted; if anything anyone can read differs between them, it
says how someone voted. From the fifth voter, counts are published (a batch
of five people). Then a sixth, known voter votes alone: nothing anyone reads
changes until four more people have voted after her."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from commonground import analysis, services
from commonground.models import Conversation, ConversationStatus, Statement
from commonground.views import VISITOR_COOKIE, public_link_token
from tests.conftest import World

PAGE_READERS = ("facilitator", "company_rep", "participant", "observer")
API_READERS = ("observer", "participant")
IGNORED_KEYS = {"id", "counts_as_of", "computed_at"}
NOISE = (
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    re.compile(r"/talk/[^/\"]+/"),
    re.compile(r"/s/[^/\"]+(/|\.svg)"),  # each conversation's short public link
    re.compile(r"Talk [AB]"),
    # When the counts were taken (the two conversations are analysed moments apart).
    re.compile(
        r"(Jan\.|Feb\.|March|April|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.) \d{1,2}, "
        r"\d{4}, (\d{1,2}(:\d{2})? [ap]\.m\.|noon|midnight)"
    ),
)


def talk(world: World, title: str) -> Conversation:
    c = services.create_conversation(
        by=world.facilitator, partnership=world.own, title={"es": title}, public_link=True
    )
    for text in ("Roads first", "Water first", "Schools first"):
        services.add_statement(conversation=c, text=text, seed=True, actor=world.facilitator)
    services.set_status(by=world.facilitator, conversation=c, status=ConversationStatus.OPEN)
    c.refresh_from_db()
    return c


class Voters:
    """The people who vote: the three voting members first, then visitors of
    the public link (each their own browser), all through the real pages."""

    def __init__(self, world: World, c: Conversation) -> None:
        self.world = world
        self.c = c
        self.link = reverse(
            "commonground:public_vote", kwargs={"conversation_link": public_link_token(c)}
        )
        self.members = ["participant", "company_rep", "facilitator"]
        self.count = 0

    def vote(self, statement: int, choice: int) -> None:
        if self.count < len(self.members):
            client = self.world.client_for(self.members[self.count])
            url = reverse(
                "commonground:vote",
                kwargs={"slug": self.world.own.slug, "conversation_id": self.c.public_id},
            )
        else:
            client, url = Client(), self.link
        self.count += 1
        response = client.post(url, {"statement": statement, "choice": str(choice)})
        assert response.status_code == 302


def _clean(text: str) -> str:
    for pattern in NOISE:
        text = pattern.sub("·", text)
    return text


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items() if k not in IGNORED_KEYS}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def observe(world: World, c: Conversation, onlooker: Client) -> dict[str, Any]:
    """Everything anyone but the voters can read about the conversation's counts."""
    seen: dict[str, Any] = {}
    kwargs = {"slug": world.own.slug, "conversation_id": c.public_id}
    for persona in PAGE_READERS:
        client = world.client_for(persona)
        for name in ("detail", "results"):
            page = client.get(reverse(f"commonground:{name}", kwargs=kwargs))
            assert page.status_code == 200
            seen[f"{persona} {name}"] = _clean(page.content.decode())
        listing = client.get(reverse("commonground:list", kwargs={"slug": world.own.slug}))
        row = re.search(rf"<tr><td><a [^>]*>{c.label}</a>.*?</tr>", listing.content.decode())
        assert row is not None
        seen[f"{persona} list"] = _clean(row.group(0))
    for persona in API_READERS:
        _token, raw = ApiToken.issue(user=getattr(world, persona), name="attack")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        base = f"/api/v1/partnerships/{world.own.slug}/conversations"
        listing = Client().get(base, **auth).json()
        mine = next(x for x in listing if x["id"] == str(c.public_id))
        seen[f"{persona} api list"] = _json({**mine, "title": None})
        groups = Client().get(f"{base}/{c.public_id}/groups", **auth).json()
        seen[f"{persona} api groups"] = _json(groups)
    public = reverse(
        "commonground:public_results", kwargs={"conversation_link": public_link_token(c)}
    )
    page = onlooker.get(public)
    assert page.status_code == 200
    seen["public results"] = _clean(page.content.decode())
    return seen


def analyse_everything(*conversations: Conversation) -> None:
    """What the worker does after votes, and a facilitator's "recompute now"."""
    for c in conversations:
        analysis.analyse(c.pk)
        analysis.analyse(c.pk, force=True)


def onlooker_of(c: Conversation) -> Client:
    """A visitor of the public link who votes on another statement, so as to see the groups."""
    visitor = Client()
    link = reverse("commonground:public_vote", kwargs={"conversation_link": public_link_token(c)})
    visitor.post(link, {"statement": 3, "choice": "0"})
    assert VISITOR_COOKIE in visitor.cookies
    return visitor


def test_it_reveals_no_vote_of_one_two_three_or_four_voters(world: World) -> None:
    a, b = talk(world, "Talk A"), talk(world, "Talk B")
    voters = {a.pk: Voters(world, a), b.pk: Voters(world, b)}
    onlookers = {a.pk: onlooker_of(a), b.pk: onlooker_of(b)}
    # Same people, same statement, opposite votes: A agrees where B disagrees.
    for k, choice in enumerate((1, -1, 0, 1), start=1):
        voters[a.pk].vote(1, choice)
        voters[b.pk].vote(1, -1 if choice == 1 else 1)
        analyse_everything(a, b)
        seen_a = observe(world, a, onlookers[a.pk])
        seen_b = observe(world, b, onlookers[b.pk])
        for where in seen_a:
            assert seen_a[where] == seen_b[where], f"{k} voter(s): {where} differs"
    # Nothing about statement 1 was published: no analysis found anything to show.
    for c in (a, b):
        latest = analysis.latest(c)
        assert latest is not None
        assert (
            str(Statement.objects.get(conversation=c, number=1).pk)
            not in (latest.data["published"]["statements"])
        )


def test_it_publishes_a_batch_of_five_and_not_a_known_voter_alone(world: World) -> None:
    a, b = talk(world, "Talk A"), talk(world, "Talk B")
    voters = {a.pk: Voters(world, a), b.pk: Voters(world, b)}
    onlookers = {a.pk: onlooker_of(a), b.pk: onlooker_of(b)}
    for choice in (1, 1, -1, 0, 1):  # five people, the same in both
        voters[a.pk].vote(1, choice)
        voters[b.pk].vote(1, choice)
    analyse_everything(a, b)
    before = observe(world, a, onlookers[a.pk])
    statement = Statement.objects.get(conversation=a, number=1)
    shown = analysis.latest(a).data["published"]["statements"][str(statement.pk)]  # type: ignore[union-attr]
    # Five voters: published, each count of 1-4 hidden with what would reveal it.
    assert shown == {"agree": None, "disagree": None, "pass": None, "total": 5}
    assert "People who voted:" in before["observer detail"]
    # A sixth, known voter: she agrees in A and disagrees in B.
    voters[a.pk].vote(1, 1)
    voters[b.pk].vote(1, -1)
    analyse_everything(a, b)
    after_a = observe(world, a, onlookers[a.pk])
    after_b = observe(world, b, onlookers[b.pk])
    for where in before:
        assert after_a[where] == after_b[where], f"{where} tells her vote"
    # Nothing moved at all, apart from the analysis being recomputed.
    for where in ("observer detail", "observer api list", "participant list"):
        assert before[where] == after_a[where]
    # Four more people after her: a batch of five is published together.
    for choice in (1, 1, 1, 1):
        voters[a.pk].vote(1, choice)
    analyse_everything(a)
    shown = analysis.latest(a).data["published"]["statements"][str(statement.pk)]  # type: ignore[union-attr]
    assert shown["total"] == 10


def test_it_changes_no_count_when_a_voter_changes_her_vote_alone(world: World) -> None:
    c = talk(world, "Talk A")
    voters = Voters(world, c)
    for choice in (1, 1, 1, -1, -1, 0, 0):
        voters.vote(1, choice)
    analyse_everything(c)
    onlooker = onlooker_of(c)
    before = observe(world, c, onlooker)
    # The participant (the first voter) changes her vote, through "My votes".
    world.client_for("participant").post(
        reverse(
            "commonground:vote",
            kwargs={"slug": world.own.slug, "conversation_id": c.public_id},
        ),
        {"statement": 1, "choice": "-1", "back": "mine"},
    )
    analyse_everything(c)
    after = observe(world, c, onlooker)
    for where in before:
        if "results" not in where and "groups" not in where:
            assert before[where] == after[where], where
    mine = world.client_for("participant").get(
        reverse(
            "commonground:my_votes",
            kwargs={"slug": world.own.slug, "conversation_id": c.public_id},
        )
    )
    assert "Disagree</td>" in mine.content.decode()  # the voter still sees her own vote


def test_it_never_shows_live_counters(world: World) -> None:
    c = talk(world, "Talk A")
    voters = Voters(world, c)
    voters.vote(1, 1)
    voters.vote(2, -1)
    c.refresh_from_db()
    assert c.vote_count == 2  # kept, for the services; never shown
    api = json.dumps(
        Client()
        .get(
            f"/api/v1/partnerships/{world.own.slug}/conversations",
            HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=world.observer, name='t')[1]}",
        )
        .json()
    )
    assert '"votes": 0' in api and '"participants": 0' in api
