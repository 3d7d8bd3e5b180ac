"""Secret ballots: nobody, facilitators included, can tell who voted how —
not from a page, the portal, the feed, a notification, the audit trail, nor
the rows themselves; results stay hidden until the close; counts of people
are suppressed.

The strongest check is a permutation: two voters of the same partner type
swap their choices, and every page every persona can read must come out the
same. Whatever a page shows, it then cannot link a voter to a choice
(Loomio's leak through notification avatars, loomio#6949, would show here as
a difference)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from charter.rules import DecisionRule, Method, Voters
from decisions import services
from decisions.models import Ballot, Decision, DecisionStatus, Participation
from notifications.models import Notification
from partnerships import services as partnership_services
from partnerships.models import AuditEntry, Partner, PartnerType
from tests.conftest import World
from tests.decisions_helpers import GENERAL, charter_in_force, proposal, rep_of

SECRET = DecisionRule(
    method=Method.MAJORITY, voters=Voters.PARTNERS, quorum_percent=50, secret=True
)


@pytest.fixture
def secret_vote(world: World) -> tuple[Decision, Any, Any]:
    charter_in_force(world, general=SECRET)
    second = Partner.objects.create(
        partnership=world.own, name="Second community group", partner_type=PartnerType.COMMUNITY
    )
    first_rep = rep_of(world, world.community, "first-voter@example.test", "Aurora First")
    second_rep = rep_of(world, second, "second-voter@example.test", "Bruno Second")
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    decision = services.open_vote(by=world.facilitator, decision=proposal(world))
    return decision, first_rep, second_rep


NOISE = [
    re.compile(r"\d{4}-\d{2}-\d{2}T[0-9:.+-]+(Z)?"),
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
    # A notification's own random id (made afresh in each run).
    re.compile(r"/notifications/[0-9a-f-]{36}/"),
    re.compile(r"\d{1,2}:\d{2}(:\d{2})?( ?[ap]\.?m\.?)?", re.I),
    re.compile(r"<updated>[^<]*</updated>"),
    re.compile(r"<published>[^<]*</published>"),
]


def _normal(content: bytes | str) -> str:
    text = content.decode() if isinstance(content, bytes) else content
    for pattern in NOISE:
        text = pattern.sub("", text)
    return text


def _client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(world: World, decision: Decision, voter: Any) -> dict[str, str]:
    slug = world.own.slug
    member_urls = [
        reverse("decisions:detail", args=[slug, decision.public_id]),
        reverse("decisions:list", args=[slug]),
        reverse("partnerships:overview", args=[slug]),
        reverse("partnerships:record", args=[slug]),
        reverse("partnerships:step", args=[slug, "strategies"]),
        reverse("partnerships:home"),
        reverse("notifications:list"),
    ]
    public_urls = [
        reverse("portal:partnership", args=[slug]),
        reverse("decisions:public_log", args=[slug]),
        reverse("decisions:public_feed", args=[slug]),
    ]
    found: dict[str, str] = {}
    for persona in ("facilitator", "company_rep", "participant", "observer", "voter_one"):
        client = world.client_for(persona) if persona != "voter_one" else _client_of(voter)
        for url in member_urls:
            response = client.get(url)
            assert response.status_code == 200, url
            found[f"{persona} {url}"] = _normal(response.content)
    for url in public_urls:
        response = Client().get(url)
        assert response.status_code == 200, url
        found[f"public {url}"] = _normal(response.content)
    notes = Notification.objects.order_by("recipient", "kind").values_list(
        "recipient", "kind", "params", "url"
    )
    found["notifications"] = _normal(repr(list(notes)))
    trail = AuditEntry.objects.order_by("pk").values_list("kind", "object_label", "changes")
    found["audit"] = _normal(repr(list(trail)))
    return found


def _run(
    world: World, decision: Decision, first: Any, second: Any, choices: tuple[str, str]
) -> dict[str, dict[str, str]]:
    """Vote, read every page, close, read again; then roll it all back."""
    with transaction.atomic():
        services.vote(by=world.company_rep, decision=decision, choice="agree")
        services.vote(by=first, decision=decision, choice=choices[0])
        services.vote(by=second, decision=decision, choice=choices[1])
        during = _pages(world, decision, first)
        services.close(decision=decision)
        after = _pages(world, decision, first)
        transaction.set_rollback(True)
    return {"during": during, "after": after}


def _difference(one: str, other: str) -> str:
    import difflib

    lines = difflib.unified_diff(one.splitlines(), other.splitlines(), lineterm="", n=0)
    return "\n".join(list(lines)[:12])


def test_it_shows_nothing_that_links_a_voter_to_a_choice(
    world: World, secret_vote: tuple[Decision, Any, Any]
) -> None:
    decision, first, second = secret_vote
    one = _run(world, decision, first, second, ("agree", "disagree"))
    other = _run(world, decision, first, second, ("disagree", "agree"))
    for moment in ("during", "after"):
        for page, content in one[moment].items():
            assert content == other[moment][page], f"{moment}: {page} tells who voted how: " + (
                _difference(content, other[moment][page])
            )
    # And the pages were worth reading: the voters are named, the result is shown.
    assert "Aurora First" in one["during"]["audit"]
    detail = next(v for k, v in one["after"].items() if k.startswith("facilitator /p/"))
    assert "Passed" in detail


def test_it_keeps_the_choice_apart_from_the_voter_in_the_rows(
    world: World, secret_vote: tuple[Decision, Any, Any]
) -> None:
    decision, first, _second = secret_vote
    services.vote(by=first, decision=decision, choice="disagree")
    ballot = Ballot.objects.get(decision=decision)
    participation = Participation.objects.get(decision=decision)
    assert ballot.cast_by is None and ballot.cast_at is None and ballot.partner is None
    assert ballot.voter != participation.voter and participation.voter not in ballot.voter
    assert "disagree" not in repr(ballot)
    # The audit trail knows that someone voted, never how.
    for entry in AuditEntry.objects.filter(partnership=world.own):
        assert "disagree" not in repr(entry.changes)
        assert entry.kind != "ballot" or "choice" not in entry.changes
    services.vote(by=first, decision=decision, choice="agree")  # a change replaces it
    assert Ballot.objects.filter(decision=decision).count() == 1
    services.close(decision=decision)
    # Rewritten at the close: new rows, new ids, no HMAC (nothing the database
    # kept of each vote's write survives to line up with the participations).
    assert not Ballot.objects.filter(pk=ballot.pk).exists()
    sealed = Ballot.objects.get(decision=decision)
    assert sealed.voter.startswith("sealed:") and sealed.choice == "agree"


def test_it_hides_the_results_until_the_close(
    world: World, secret_vote: tuple[Decision, Any, Any]
) -> None:
    decision, first, _second = secret_vote
    services.vote(by=world.company_rep, decision=decision, choice="agree")
    services.vote(by=first, decision=decision, choice="disagree")
    assert services.running_tally(decision) is None
    url = reverse("decisions:detail", args=[world.own.slug, decision.public_id])
    page = world.client_for("facilitator").get(url).content.decode()
    assert "Ballots by partner type" not in page and "The tally so far" not in page
    # The turnout is a count of people in a secret vote: three voters are too few to show.
    assert '<data class="people" value="hidden">' in page
    services.close(decision=decision)
    page = world.client_for("facilitator").get(url).content.decode()
    assert "Ballots by partner type" in page
    # One company and one community ballot: every cell is small, so hidden.
    assert 'value="1"' not in page and '<data class="people" value="hidden">' in page


def test_it_shows_only_suppressed_totals_of_a_secret_vote_in_public(
    world: World, secret_vote: tuple[Decision, Any, Any]
) -> None:
    decision, first, second = secret_vote
    for user in (world.company_rep, first, second):
        services.vote(by=user, decision=decision, choice="agree")
    closed = services.close(decision=decision)
    assert closed.status == DecisionStatus.PASSED
    page = Client().get(reverse("decisions:public_log", args=[world.own.slug])).content.decode()
    assert "Arreglar la vía a Nogalito" in page or "Fix the road to Nogalito" in page
    assert "Ballots by partner type" not in page  # totals only
    assert '<data class="people" value="hidden">' in page
    assert "Aurora First" not in page and "Bruno Second" not in page


def test_it_never_notifies_about_a_ballot(
    world: World, secret_vote: tuple[Decision, Any, Any]
) -> None:
    decision, first, _second = secret_vote
    before = Notification.objects.count()
    services.vote(by=first, decision=decision, choice="disagree")
    assert Notification.objects.count() == before
    services.close(decision=decision)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds <= {"decision_opened", "decision_closed"}
    for params in Notification.objects.values_list("params", flat=True):
        assert set(params) <= {"title", "result"}
        assert "disagree" not in repr(params)


def test_it_refuses_the_general_decision_without_a_secret_rule_leaking(world: World) -> None:
    # A charter may not ask for a secret ballot that shows each voter.
    assert "public_by_voter" in DecisionRule(secret=True, public_by_voter=True).problems()
    assert GENERAL == "general"
