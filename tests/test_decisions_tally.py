"""The pure tally (decisions.tally), method by method: no database."""

from __future__ import annotations

from charter.rules import DecisionRule, Method, Voters
from decisions.tally import NO_PARTNER, Ballot, Choice, Result, choices_for, tally

# Two companies, three community groups, one government body.
ELECTORATE = {
    "partner:c1": "company",
    "partner:c2": "company",
    "partner:k1": "community",
    "partner:k2": "community",
    "partner:k3": "community",
    "partner:g1": "government",
}


def ballots(**choices: str) -> list[Ballot]:
    found = []
    for voter, choice in choices.items():
        reason = "It would dry the spring." if choice == Choice.OBJECT else ""
        found.append(Ballot(f"partner:{voter}", ELECTORATE[f"partner:{voter}"], choice, reason))
    return found


def rule(method: str, **extra: object) -> DecisionRule:
    return DecisionRule(method=method, voters=Voters.PARTNERS, **extra)  # type: ignore[arg-type]


def test_it_passes_consensus_when_every_type_agrees_and_nobody_blocks() -> None:
    outcome = tally(
        rule(Method.CONSENSUS),
        ballots(c1="agree", k1="agree", k2="abstain", g1="agree"),
        ELECTORATE,
    )
    assert outcome.result == Result.PASSED and outcome.quorum_met


def test_it_lets_one_block_stop_a_consensus() -> None:
    outcome = tally(
        rule(Method.CONSENSUS),
        ballots(c1="agree", c2="agree", k1="agree", k2="object", g1="agree"),
        ELECTORATE,
    )
    assert outcome.result == Result.NOT_PASSED
    assert outcome.objections == ["It would dry the spring."]


def test_it_needs_a_voice_in_favour_from_every_type_for_consensus() -> None:
    outcome = tally(
        rule(Method.CONSENSUS),
        ballots(c1="agree", c2="agree", k1="disagree", k2="abstain", g1="agree"),
        ELECTORATE,
    )
    assert outcome.result == Result.NOT_PASSED


def test_it_passes_consent_unless_a_reasoned_objection_stands() -> None:
    many_against = ballots(c1="disagree", c2="disagree", k1="disagree", k2="agree")
    assert tally(rule(Method.CONSENT), many_against, ELECTORATE).result == Result.PASSED
    objected = ballots(c1="agree", c2="agree", k1="agree", k2="object")
    assert tally(rule(Method.CONSENT), objected, ELECTORATE).result == Result.NOT_PASSED


def test_it_counts_a_majority_without_the_abstentions() -> None:
    # 2 agree, 1 disagree, 3 abstain: 2/3 of those who took a side.
    votes = ballots(c1="agree", k1="agree", g1="disagree", c2="abstain", k2="abstain", k3="abstain")
    outcome = tally(rule(Method.MAJORITY), votes, ELECTORATE)
    assert outcome.result == Result.PASSED
    assert outcome.total("abstain") == 3 and outcome.cast == 6


def test_it_refuses_a_tie_as_a_majority_and_honours_the_threshold() -> None:
    tie = ballots(c1="agree", k1="agree", g1="disagree", k2="disagree")
    assert tally(rule(Method.MAJORITY), tie, ELECTORATE).result == Result.NOT_PASSED
    two_thirds = ballots(c1="agree", k1="agree", g1="agree", k2="disagree")
    assert tally(rule(Method.MAJORITY, threshold_percent=66), two_thirds, ELECTORATE).passed
    assert not tally(rule(Method.MAJORITY, threshold_percent=75), two_thirds, ELECTORATE).passed


def test_it_counts_one_ballot_per_partner_type() -> None:
    types = {
        "type:company": "company",
        "type:community": "community",
        "type:government": "government",
    }
    votes = [
        Ballot("type:company", "company", "agree"),
        Ballot("type:community", "community", "disagree"),
        Ballot("type:government", "government", "agree"),
    ]
    one_per_type = DecisionRule(method=Method.ONE_PER_TYPE, voters=Voters.PARTNER_TYPES)
    outcome = tally(one_per_type, votes, types)
    assert outcome.result == Result.PASSED
    assert [(r.partner_type, r.agree, r.disagree) for r in outcome.by_type] == [
        ("company", 1, 0),
        ("community", 0, 1),
        ("government", 1, 0),
    ]


def test_it_says_when_the_quorum_is_not_met() -> None:
    votes = ballots(c1="agree", c2="agree")  # 2 of 6: a third
    outcome = tally(rule(Method.MAJORITY, quorum_percent=50), votes, ELECTORATE)
    assert outcome.result == Result.QUORUM_NOT_MET and not outcome.quorum_met
    assert not outcome.passed
    assert tally(rule(Method.MAJORITY), [], {}).result == Result.QUORUM_NOT_MET


def test_it_counts_abstentions_towards_the_quorum() -> None:
    votes = ballots(c1="agree", c2="abstain", k1="abstain")  # 3 of 6
    outcome = tally(rule(Method.MAJORITY, quorum_percent=50), votes, ELECTORATE)
    assert outcome.quorum_met and outcome.result == Result.PASSED


def test_it_shows_a_majority_every_community_voted_against() -> None:
    votes = ballots(c1="agree", c2="agree", g1="agree", k1="disagree", k2="disagree", k3="disagree")
    outcome = tally(rule(Method.MAJORITY, threshold_percent=49), votes, ELECTORATE)
    # 3 of 6 is not more than 50 %, but more than 49 %: passed, and the table says by whom.
    assert outcome.passed
    community = next(r for r in outcome.by_type if r.partner_type == "community")
    assert (community.agree, community.disagree, community.electorate) == (0, 3, 3)
    assert outcome.as_data()["by_type"][1] == {
        "partner_type": "community",
        "electorate": 3,
        "agree": 0,
        "abstain": 0,
        "disagree": 3,
        "object": 0,
    }


def test_it_leaves_out_the_ballot_of_a_voter_who_left() -> None:
    votes = ballots(c1="agree", c2="agree", k1="disagree", k2="disagree", k3="disagree")
    still_here = {k: v for k, v in ELECTORATE.items() if k != "partner:k3"}
    outcome = tally(rule(Method.MAJORITY), votes, still_here)
    assert outcome.cast == 4 and outcome.total("disagree") == 2


def test_it_counts_members_without_a_partner_apart() -> None:
    members = {"member:a": "community", "member:b": NO_PARTNER, "member:c": NO_PARTNER}
    votes = [Ballot("member:b", NO_PARTNER, "agree"), Ballot("member:c", NO_PARTNER, "agree")]
    outcome = tally(DecisionRule(method=Method.MAJORITY, voters=Voters.MEMBERS), votes, members)
    assert [r.partner_type for r in outcome.by_type] == ["community", NO_PARTNER]
    assert outcome.passed


def test_it_offers_an_objection_only_where_it_weighs() -> None:
    assert Choice.OBJECT in choices_for(rule(Method.CONSENT))
    assert Choice.OBJECT in choices_for(rule(Method.CONSENSUS))
    assert Choice.OBJECT not in choices_for(rule(Method.MAJORITY))
