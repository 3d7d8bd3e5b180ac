"""Discussion: threaded comments on any registered record (goals here), with
mentions, replies, moderation and an edit history once someone replied."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from discussion import services
from discussion.models import Comment, CommentEdit
from goals.models import CollectiveGoal
from goals.services import create_goal
from notifications.models import Notification
from partnerships import protection
from partnerships.errors import ServiceError
from partnerships.models import AuditEntry
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(world: World) -> CollectiveGoal:
    return create_goal(by=world.facilitator, partnership=world.own, title={"es": "Agua potable"})


def _detail(world: World, goal: CollectiveGoal) -> str:
    return reverse("goals:detail", kwargs={"slug": world.own.slug, "goal_id": goal.public_id})


def _post_url(world: World, goal: CollectiveGoal) -> str:
    return reverse(
        "discussion:post",
        kwargs={"slug": world.own.slug, "target": "collectivegoal", "target_id": goal.public_id},
    )


def _comment(world: World, goal: CollectiveGoal, who: Any, body: str, **kw: Any) -> Comment:
    return services.post_comment(by=who, partnership=world.own, target=goal, body=body, **kw)


def test_it_posts_a_comment_from_the_goal_page(world: World, goal: CollectiveGoal) -> None:
    client = world.client_for("participant")
    page = client.get(_detail(world, goal))
    assert page.status_code == 200
    assert "No comments yet." in page.content.decode()
    response = client.post(_post_url(world, goal), {"body": "Necesitamos un acueducto."})
    assert response.status_code == 302
    assert response["Location"].startswith(_detail(world, goal) + "#c-")
    comment = Comment.objects.get()
    assert comment.author == world.member(world.participant)
    assert "Necesitamos un acueducto." in client.get(_detail(world, goal)).content.decode()
    assert AuditEntry.objects.filter(kind="comment").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a comment."),
        ("   ", "Write a comment."),
        ("x" * 5001, "Keep a comment within 5.000 characters; this one has 5001."),
        ("hola\x00mundo", "Null characters are not allowed."),  # Django's own refusal
        ("hola\x07", "characters that cannot be shown"),
    ],
)
def test_it_refuses_bad_bodies_with_a_message_and_writes_nothing(
    world: World, goal: CollectiveGoal, body: str, message: str
) -> None:
    client = world.client_for("participant")
    response = client.post(_post_url(world, goal), {"body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_it_keeps_a_script_inert(world: World, goal: CollectiveGoal) -> None:
    client = world.client_for("participant")
    client.post(_post_url(world, goal), {"body": "<script>alert('x')</script> hola"})
    html = client.get(_detail(world, goal)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; hola" in html


def test_it_threads_replies_three_levels_deep_and_notifies_the_author(
    world: World, goal: CollectiveGoal
) -> None:
    first = _comment(world, goal, world.participant, "Primero")
    second = _comment(world, goal, world.company_rep, "Segundo", parent=first)
    third = _comment(world, goal, world.participant, "Tercero", parent=second)
    assert (first.depth, second.depth, third.depth) == (0, 1, 2)
    assert third.root == first
    with pytest.raises(ServiceError, match="three levels"):
        _comment(world, goal, world.company_rep, "Cuarto", parent=third)
    replies = Notification.objects.filter(kind="reply")
    assert {n.recipient for n in replies} == {world.participant, world.company_rep}
    assert all(n.params == {"title": "Agua potable"} for n in replies)


def test_it_refuses_a_reply_to_another_partnerships_comment(
    world: World, goal: CollectiveGoal
) -> None:
    foreign_goal = create_goal(
        by=world.foreign_facilitator, partnership=world.foreign, title={"es": "Ajena"}
    )
    foreign = services.post_comment(
        by=world.foreign_facilitator, partnership=world.foreign, target=foreign_goal, body="x"
    )
    client = world.client_for("participant")
    url = reverse(
        "discussion:reply", kwargs={"slug": world.own.slug, "comment_id": foreign.public_id}
    )
    assert client.post(url, {"body": "Intruso"}).status_code == 404
    foreign_post = reverse(
        "discussion:post",
        kwargs={
            "slug": world.own.slug,
            "target": "collectivegoal",
            "target_id": foreign_goal.public_id,
        },
    )
    assert client.post(foreign_post, {"body": "Intruso"}).status_code == 404
    with pytest.raises(ServiceError):
        _comment(world, goal, world.participant, "x", parent=foreign)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("observer", 403), ("outsider", 404), ("foreign_facilitator", 404)]
)
def test_it_takes_comments_only_from_members_who_may(
    world: World, goal: CollectiveGoal, persona: str, status: int
) -> None:
    response = world.client_for(persona).post(_post_url(world, goal), {"body": "Hola"})
    assert response.status_code == status
    assert not Comment.objects.exists()
    with pytest.raises(ServiceError):
        _comment(world, goal, world.outsider, "Hola")


def test_it_notifies_a_mention_and_never_resolves_a_protected_member(
    world: World, goal: CollectiveGoal, monkeypatch: pytest.MonkeyPatch
) -> None:
    _comment(world, goal, world.participant, "Le pregunto a @company persona, ¿qué opina?")
    mention = Notification.objects.get(kind="mention")
    assert mention.recipient == world.company_rep
    assert "company" not in str(mention.params).lower()
    protected = str(world.member(world.company_rep).public_id)
    monkeypatch.setattr(protection, "_LOOKUPS", [lambda ids: {i for i in ids if i == protected}])
    _comment(world, goal, world.participant, "Otra vez @Company persona")
    assert Notification.objects.filter(kind="mention").count() == 1
    # Shown to members without clearance as a protected participant.
    html = world.client_for("participant").get(_detail(world, goal)).content.decode()
    _comment(world, goal, world.company_rep, "Mi opinión")
    html = world.client_for("participant").get(_detail(world, goal)).content.decode()
    assert "A protected participant" in html
    assert "Company persona</strong>" not in html
    facilitator_html = world.client_for("facilitator").get(_detail(world, goal)).content.decode()
    assert "Company persona</strong>" in facilitator_html


def test_it_hides_a_comment_with_a_reason_that_everyone_sees(
    world: World, goal: CollectiveGoal
) -> None:
    comment = _comment(world, goal, world.participant, "Texto ofensivo")
    url = reverse(
        "discussion:hide", kwargs={"slug": world.own.slug, "comment_id": comment.public_id}
    )
    assert world.client_for("company_rep").post(url, {"reason": "x"}).status_code == 403
    refused = world.client_for("facilitator").post(url, {"reason": ""})
    assert "Say why the comment is hidden." in refused.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None
    world.client_for("facilitator").post(url, {"reason": "Lenguaje ofensivo"})
    comment.refresh_from_db()
    assert comment.hidden_reason == "Lenguaje ofensivo"
    reply = reverse(
        "discussion:reply", kwargs={"slug": world.own.slug, "comment_id": comment.public_id}
    )
    quoted = world.client_for("company_rep").get(reply, follow=True).content.decode()
    assert "Texto ofensivo" not in quoted and "A hidden comment takes no replies." in quoted
    observer = world.client_for("observer").get(_detail(world, goal)).content.decode()
    assert "Lenguaje ofensivo" in observer and "Texto ofensivo" not in observer
    author = world.client_for("participant").get(_detail(world, goal)).content.decode()
    assert "Lenguaje ofensivo" in author and "Texto ofensivo" in author
    facilitator = world.client_for("facilitator").get(_detail(world, goal)).content.decode()
    assert "Texto ofensivo" in facilitator


def test_it_edits_freely_until_a_reply_then_keeps_every_earlier_text(
    world: World, goal: CollectiveGoal
) -> None:
    comment = _comment(world, goal, world.participant, "Versión uno")
    client = world.client_for("participant")
    url = reverse(
        "discussion:edit", kwargs={"slug": world.own.slug, "comment_id": comment.public_id}
    )
    client.post(url, {"body": "Versión dos"})
    assert not CommentEdit.objects.exists()
    _comment(world, goal, world.company_rep, "Respuesta", parent=comment)
    client.post(url, {"body": "Versión tres"})
    client.post(url, {"body": "Versión cuatro"})
    comment.refresh_from_db()
    assert comment.body == "Versión cuatro"
    assert list(CommentEdit.objects.values_list("body", flat=True)) == [
        "Versión dos",
        "Versión tres",
    ]
    html = client.get(_detail(world, goal)).content.decode()
    assert "Versión dos" in html and "Versión tres" in html and "Versión uno" not in html
    # Someone else's comment: refused, nothing written.
    other = world.client_for("company_rep").post(url, {"body": "Cambiado"})
    assert other.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Versión cuatro"


def test_it_shows_a_thread_in_constant_queries(
    world: World, goal: CollectiveGoal, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for("participant")
    client.get(_detail(world, goal))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(_detail(world, goal)).status_code == 200
        return len(queries)

    for n in range(3):
        first = _comment(world, goal, world.participant, f"Hilo {n}")
        reply = _comment(world, goal, world.company_rep, "Respuesta", parent=first)
        services.edit_comment(by=world.company_rep, comment=reply, body="Cambiada")
    few = count()
    for n in range(30):
        first = _comment(world, goal, world.participant, f"Hilo {n}")
        reply = _comment(
            world, goal, world.company_rep, "Respuesta @Facilitator persona", parent=first
        )
        _comment(world, goal, world.participant, "Otra", parent=reply)
    many = count()
    assert many == few
    page = client.get(_detail(world, goal))
    assert len(page.content) < 50_000


def test_it_pages_a_long_thread(world: World, goal: CollectiveGoal) -> None:
    for n in range(25):
        _comment(world, goal, world.participant, f"Comentario número {n:02d}")
    client: Client = world.client_for("participant")
    first = client.get(_detail(world, goal)).content.decode()
    assert "Comentario número 00" in first and "Comentario número 24" not in first
    second = client.get(_detail(world, goal) + "?comments=2").content.decode()
    assert "Comentario número 24" in second


def test_it_tells_someone_an_edit_mentions_for_the_first_time(
    world: World, goal: CollectiveGoal
) -> None:
    comment = _comment(world, goal, world.participant, "Hola @Company persona")
    services.edit_comment(by=world.participant, comment=comment, body="Hola @Company persona.")
    assert Notification.objects.filter(kind="mention").count() == 1
    services.edit_comment(
        by=world.participant,
        comment=comment,
        body="Hola @Company persona y @Facilitator persona.",
    )
    assert sorted(
        Notification.objects.filter(kind="mention").values_list("recipient__email", flat=True)
    ) == [world.company_rep.email, world.facilitator.email]
