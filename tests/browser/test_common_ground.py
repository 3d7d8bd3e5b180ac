"""Step 3 end to end in a real Chromium: a facilitator opens a statement
conversation, people vote on it (a participant in the browser, the rest
through other channels), the opinion groups show who they are made of and the
statements that bridge them, and a goal built on those statements is endorsed
by every partner type and appears on the public portal."""

from __future__ import annotations

from typing import Any

import pytest

from commonground import services as talk
from commonground.models import Conversation, Participant, Statement
from goals import services as goal_services
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
    c.refresh_from_db()  # opened in the browser since
    statements = {s.number: s for s in Statement.objects.filter(conversation=c)}
    for i in range(30):
        camp = PartnerType.COMPANY if i % 3 == 0 else PartnerType.COMMUNITY
        person = Participant.objects.create(
            partnership=c.partnership, conversation=c, key=f"other-{i}", partner_type=camp
        )
        for number, statement in statements.items():
            if number in (1, 4):
                # Everyone agrees: a group's count of 1-4 passes would be hidden,
                # and with it the share that makes a statement bridging.
                choice = 1
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
    # Changes statement 2 (the rows are in statement order), one the camps split on.
    voter.follow(voter.page.get_by_role("button", name="Disagree").nth(1), "/my-votes/")
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
    target = page.get_by_label("9.1 Resilient infrastructure (test)")
    page.locator("details", has=target).locator("summary").click()  # a goal's targets fold
    target.check()
    fac.follow(page.get_by_role("button", name="Save"))
    goal = CollectiveGoal.objects.get(partnership=world.own)
    fac.follow(page.get_by_role("button", name="Ask the partners to endorse it"))
    # The company speaks through its representative; the community group has
    # none, so the facilitator records its position on its behalf, with a mandate.
    goal_services.endorse(
        by=world.company_rep, goal=goal, partner=world.company, position="endorse"
    )
    page.locator("select[name=partner]").select_option(str(world.community.public_id))
    page.locator("input[name=position][value=endorse]").check()
    page.locator("textarea[name=mandate]").fill("Agreed aloud at the meeting of 3 May (test)")
    fac.follow(page.get_by_role("button", name="Record this position"))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ADOPTED

    public = open_tab("anonymous")
    public.goto(f"/portal/{slug}/")
    portal = public.page.content()
    assert "Passable roads all year (test)" in portal and "9.1" in portal


@pytest.mark.browser
def test_it_lets_a_participant_and_a_public_visitor_vote_in_spanish_on_a_phone(
    world: World, open_tab: Any, site: str
) -> None:
    """Voting at 360 px in Spanish: three buttons that differ by word, mark,
    shape and colour, each big enough to tap; then the opinion groups, for a
    participant and for a visitor of the public link."""
    from commonground import analysis
    from commonground.views import public_link_token

    c = talk.create_conversation(
        by=world.facilitator,
        partnership=world.own,
        title={"es": "Vías y agua (prueba)", "en": "Roads and water (test)"},
        public_link=True,
    )
    for number, text in enumerate(STATEMENTS, start=1):
        talk.add_statement(
            conversation=c,
            text={"en": text, "es": f"Afirmación {number} en español (prueba)"},
            seed=True,
            actor=world.facilitator,
        )
    talk.set_status(by=world.facilitator, conversation=c, status="open")
    _other_votes(c)
    found = analysis.analyse(c.pk)
    assert found is not None and found.state == "groups"
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])

    def vote_everything(tab: Any) -> None:
        page = tab.page
        looks = []
        for word in ("De acuerdo", "En desacuerdo", "Paso / no sé"):
            button = page.get_by_role("button", name=word, exact=True)
            box = button.bounding_box()
            assert box is not None and box["width"] >= 24 and box["height"] >= 24
            looks.append(
                button.evaluate(
                    "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).borderRadius,"
                    " getComputedStyle(b).borderStyle]"
                )
            )
        assert len({look[0] for look in looks}) == 3  # colours
        assert len({look[1] for look in looks}) == 3  # shapes
        for word in ("De acuerdo", "Paso / no sé", "En desacuerdo", "De acuerdo"):
            tab.follow(page.get_by_role("button", name=word, exact=True))
        assert "Ha votado sobre todas las afirmaciones" in page.content()

    voter = open_tab("participant", width=360)
    voter.goto("/accounts/login/")
    sign_in(voter, world.participant.email, PASSWORD)
    voter.goto(f"/p/{world.own.slug}/common-ground/{c.public_id}/vote/")
    vote_everything(voter)
    voter.follow(
        voter.page.get_by_role("link", name="Ver los grupos de opinión y lo que la gente comparte"),
        "/groups/",
    )
    body = voter.page.content()
    assert "Grupo A" in body and "Afirmaciones puente" in body

    visitor = open_tab("public visitor", width=360)
    visitor.context.add_cookies([{"name": "django_language", "value": "es", "url": site}])
    visitor.goto(f"/talk/{public_link_token(c)}/")
    vote_everything(visitor)
    visitor.follow(
        visitor.page.get_by_role(
            "link", name="Ver los grupos de opinión y lo que la gente comparte"
        ),
        "/groups/",
    )
    body = visitor.page.content()
    assert "Grupo A" in body and "Afirmaciones puente" in body and "Volver a votar" in body
