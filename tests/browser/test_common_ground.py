"""Step 3 end to end in a real Chromium: a facilitator opens a statement
conversation, people vote on it (a participant in the browser, the rest
through other channels), the opinion groups show who they are made of and the
statements that bridge them, and a goal built on those statements is endorsed
by every partner type and appears on the public portal."""

from __future__ import annotations

import random
from typing import Any

import pytest

from commonground import services as talk
from commonground.models import Conversation, Participant, Statement
from goals.models import CollectiveGoal, GoalStatus, SdgGoal, SdgTarget
from partnerships.models import PartnerType
from tests.browser.test_journey import sign_in
from tests.conftest import PASSWORD, TOTP_SECRET, World

pytestmark = pytest.mark.browser
STATEMENTS = (
    "The road to the veredas comes first (test)",
    "The company should treat its wastewater (test)",
    "Security is the State's job alone (test)",
    "Young people need a seed fund (test)",
)


def _other_votes(c: Conversation) -> None:
    """Thirty people who voted by other channels: two camps that split on
    statements 2-3 and agree on 1 and 4."""
    rng = random.Random(7)
    c.refresh_from_db()  # opened in the browser since
    statements = {s.number: s for s in Statement.objects.filter(conversation=c)}
    for i in range(30):
        camp = PartnerType.COMPANY if i % 3 == 0 else PartnerType.COMMUNITY
        person = Participant.objects.create(
            partnership=c.partnership, conversation=c, key=f"other-{i}", partner_type=camp
        )
        for number, statement in statements.items():
            if number in (1, 4):
                choice = 1 if rng.random() < 0.9 else 0
            else:
                company_side = (number == 3) == (camp == PartnerType.COMPANY)
                choice = 1 if company_side else -1
            talk.record_vote(participant=person, statement=statement, choice=choice)


@pytest.mark.browser
def test_it_takes_a_partnership_from_a_conversation_to_an_adopted_goal(
    world: World, open_tab: Any
) -> None:
    slug = world.own.slug
    world.own.is_published = True
    world.own.save(update_fields=["is_published"])
    # A live-server test starts from an emptied database (migrations' rows included).
    goal_number, _made = SdgGoal.objects.get_or_create(
        number=9, defaults={"short_names": {"en": "Industry and infrastructure (test)"}}
    )
    SdgTarget.objects.get_or_create(
        code="9.1",
        defaults={"goal": goal_number, "titles": {"en": "Resilient infrastructure (test)"}},
    )

    fac = open_tab("facilitator")
    page = fac.page
    fac.goto("/accounts/login/")
    sign_in(fac, world.facilitator.email, PASSWORD, TOTP_SECRET)

    # --- A conversation, reached from step 3.
    fac.goto(f"/p/{slug}/steps/collective_goals/")
    fac.follow(
        page.get_by_role("main").get_by_role("link", name="Common ground"), "/common-ground/"
    )
    fac.follow(page.get_by_role("link", name="New conversation"), "/common-ground/new/")
    page.locator("input[name=title_en]").fill("Roads and water (test)")
    page.locator("input[name=title_es]").fill("Vías y agua (prueba)")
    fac.follow(page.get_by_role("button", name="Save"))
    conversation = Conversation.objects.get(partnership=world.own)
    for text in STATEMENTS:
        page.locator("textarea[name=text_en]").fill(text)
        page.locator("textarea[name=text_es]").fill(text)  # the first working language
        fac.follow(page.get_by_role("button", name="Add", exact=True))
    assert Statement.objects.filter(conversation=conversation).count() == 4
    page.locator("select[name=status]").select_option("open")
    fac.follow(page.get_by_role("main").get_by_role("button", name="Change"))

    # --- A participant votes in the browser, without JavaScript needing to run.
    voter = open_tab("participant")
    voter.goto("/accounts/login/")
    sign_in(voter, world.participant.email, PASSWORD)
    voter.goto(f"/p/{slug}/common-ground/{conversation.public_id}/vote/")
    for _ in range(4):
        voter.follow(voter.page.get_by_role("button", name="Agree", exact=True))
    assert "You have voted on every statement" in voter.page.content()
    voter.follow(voter.page.get_by_role("link", name="See or change my votes"), "/my-votes/")
    voter.follow(voter.page.get_by_role("button", name="Disagree").first, "/my-votes/")
    voter.close()
    _other_votes(conversation)

    # --- The opinion groups, their make-up and the bridging statements.
    fac.goto(f"/p/{slug}/common-ground/{conversation.public_id}/groups/")
    fac.follow(page.get_by_role("button", name="Recompute now"))
    body = page.content()
    assert "Group A" in body and "Group B" in body and "Made up of" in body
    assert "Bridging statements" in body and STATEMENTS[0] in body

    # --- A goal on that common ground, endorsed by every partner type.
    fac.goto(f"/p/{slug}/goals/")
    fac.follow(page.get_by_role("link", name="Draft a goal"), "/goals/new/")
    assert STATEMENTS[0] in page.content()  # what the earlier steps found
    page.locator("input[name=title_en]").fill("Passable roads all year (test)")
    page.locator("input[name=title_es]").fill("Vías transitables todo el año (prueba)")
    page.locator("textarea[name=outcomes_en]").fill("The harvest reaches the market")
    page.get_by_label(f"#1 {STATEMENTS[0]}").check()
    page.locator("select[name=sdg_targets]").select_option(
        label="9.1 Resilient infrastructure (test)"
    )
    fac.follow(page.get_by_role("button", name="Save"))
    goal = CollectiveGoal.objects.get(partnership=world.own)
    fac.follow(page.get_by_role("button", name="Put to endorsement"))
    for partner in (world.company, world.community):
        page.locator("select[name=partner]").select_option(str(partner.pk))
        page.locator("input[name=position][value=endorse]").check()
        fac.follow(page.get_by_role("button", name="Record"))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ADOPTED

    public = open_tab("anonymous")
    public.goto(f"/portal/{slug}/")
    portal = public.page.content()
    assert "Passable roads all year (test)" in portal and "9.1" in portal
