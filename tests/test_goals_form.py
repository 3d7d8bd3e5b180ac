"""The goal form's SDG picker: one ``<details>`` per SDG goal with its targets
as checkboxes, working without JavaScript, light, and read in one query."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from goals.models import CollectiveGoal, SdgGoal, SdgTarget
from tests.conftest import World


def targets(count_per_goal: int) -> list[SdgTarget]:
    made = []
    for goal in SdgGoal.objects.filter(number__in=(6, 9, 11)):
        for n in range(1, count_per_goal + 1):
            made.append(
                SdgTarget.objects.create(
                    goal=goal,
                    code=f"{goal.number}.{n}",
                    titles={"en": f"Target {goal.number}.{n} (test)", "es": f"Meta {n} (prueba)"},
                )
            )
    return made


def create_url(world: World) -> str:
    return reverse("goals:create", kwargs={"slug": world.own.slug})


def test_it_groups_targets_by_goal_in_closed_details_with_checkboxes(world: World) -> None:
    targets(3)
    page = world.client_for("company_rep").get(create_url(world)).content.decode()
    picker = page.split('<div class="sdg-picker">')[1].split("</div>")[0]
    assert '<select name="sdg_targets"' not in page
    assert picker.count("<details>") == 3 and "<details open>" not in picker
    assert "<summary>9. Resilient infrastructure and industry</summary>" in picker
    assert '<legend class="visually-hidden">9. Resilient infrastructure and industry</legend>' in (
        picker
    )
    assert picker.count('type="checkbox" name="sdg_targets"') == 9
    assert re.search(r'<label><input type="checkbox" name="sdg_targets" value="\d+"> 9\.2 ', picker)


def test_it_saves_chosen_targets_and_opens_their_goals_with_a_count(world: World) -> None:
    made = {t.code: t for t in targets(3)}
    client = world.client_for("company_rep")
    response = client.post(
        create_url(world),
        {
            "title_es": "Water and roads",
            "sdg_targets": [made["9.1"].pk, made["9.3"].pk, made["6.2"].pk],
        },
    )
    assert response.status_code == 302
    goal = CollectiveGoal.objects.get()
    assert sorted(t.code for t in goal.sdg_targets.all()) == ["6.2", "9.1", "9.3"]
    edit = reverse("goals:edit", kwargs={"slug": world.own.slug, "goal_id": goal.public_id})
    page = client.get(edit).content.decode()
    picker = page.split('<div class="sdg-picker">')[1].split("</div>")[0]
    opened = re.findall(
        r"<details open><summary>([^<]*) <span class=\"chosen\">\(([^)]*)\)", picker
    )
    assert opened == [
        ("6. Water and sanitation for all", "1 target chosen"),
        ("9. Resilient infrastructure and industry", "2 targets chosen"),
    ]
    assert picker.count("checked") == 3
    # Saved again unchanged, the targets stay.
    client.post(edit, {"title_es": "Water and roads", "sdg_targets": [made["9.1"].pk]})
    assert [t.code for t in goal.sdg_targets.all()] == ["9.1"]


def test_it_speaks_spanish_in_the_picker(world: World) -> None:
    targets(2)
    client = world.client_for("company_rep")
    page = client.get(create_url(world), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<summary>6. Agua y saneamiento para todos</summary>" in page
    assert "> 6.1 Meta 1 (prueba)</label>" in page


def test_it_reads_the_picker_in_one_query_however_many_targets(
    world: World, django_assert_max_num_queries: Any
) -> None:
    targets(2)
    client = world.client_for("facilitator")
    with django_assert_max_num_queries(40) as few:
        client.get(create_url(world))
    SdgTarget.objects.all().delete()
    targets(9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(create_url(world))
    assert response.content.decode().count('name="sdg_targets"') == 27


def test_it_adds_little_markup_per_target(world: World) -> None:
    """The picker's weight is the targets' own titles: what it adds around
    each one is a checkbox in its label (the goal form is read on phones)."""
    made = targets(9)
    page = world.client_for("facilitator").get(create_url(world)).content.decode()
    picker = page.split('<div class="sdg-picker">')[1].split("</div>")[0]
    titles = sum(len(t.label) for t in made)
    per_target = (len(picker) - titles) / len(made)
    # (Ids carry database keys, a digit or two longer on PostgreSQL.)
    assert per_target < 100, per_target
