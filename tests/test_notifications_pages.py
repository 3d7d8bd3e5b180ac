"""The notifications page, the header's unread count, preferences and
announcements, as each role sees them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.announcements import post_announcement
from notifications.hooks import _PLAN_CHECKS, register_plan_check
from notifications.models import Announcement, Notification, Preference
from partnerships import services as partnership_services
from partnerships.errors import ServiceError
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _tell(world: World, n: int, who: Any = None) -> None:
    for i in range(n):
        services.notify(
            partnership=world.own,
            kind="announcement",
            recipients=[who or world.participant],
            params={"title": f"Aviso {i}"},
            url="/notifications/preferences/",
        )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_counts_unread_in_the_header_in_one_query(world: World) -> None:
    client = world.client_for("participant")
    home = reverse("partnerships:home")
    before = _queries(client, home)
    _tell(world, 3)
    html = client.get(home).content.decode()
    assert "Notifications (3 unread)" in html
    assert _queries(client, home) == before


def test_it_lists_notifications_in_constant_queries(world: World) -> None:
    client = world.client_for("participant")
    url = reverse("notifications:list")
    _tell(world, 2)
    few = _queries(client, url)
    _tell(world, 60)
    assert _queries(client, url) == few
    page = client.get(url).content.decode()
    assert "Aviso 59" in page and "Page 1 of 4" in page


def test_it_marks_read_one_and_all_and_only_ones_own(world: World) -> None:
    _tell(world, 2)
    _tell(world, 1, who=world.observer)
    mine = Notification.objects.filter(recipient=world.participant).first()
    theirs = Notification.objects.get(recipient=world.observer)
    client = world.client_for("participant")
    opened = client.post(reverse("notifications:read", args=[mine.public_id]), {"open": "1"})
    assert opened["Location"] == "/notifications/preferences/"
    assert services.unread_count(world.participant) == 1
    client.post(reverse("notifications:read", args=[theirs.public_id]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:read_all"))
    assert services.unread_count(world.participant) == 0
    assert services.unread_count(world.observer) == 1
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_it_saves_preferences_and_refuses_an_unknown_kind(world: World) -> None:
    client = world.client_for("participant")
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "Announcements from the facilitators" in page and "Mentions of you" in page
    refused = client.post(url, {"kind_announcement": "weekly", "kind_gossip": "daily"})
    assert refused.status_code == 200
    assert "There is no kind of notification called “gossip”." in refused.content.decode()
    assert not Preference.objects.exists()
    bad = client.post(url, {"kind_announcement": "hourly"})
    assert bad.status_code == 200 and not Preference.objects.exists()
    every = {f"kind_{k}": "daily" for k in services.preferences_of(world.participant)}
    saved = client.post(url, {**every, "kind_announcement": "weekly"})
    assert saved.status_code == 302
    assert services.preferences_of(world.participant)["announcement"] == "weekly"
    assert Preference.objects.count() == 1  # the defaults are not copied


def test_it_posts_an_internal_announcement_to_its_audience_only(world: World) -> None:
    client = world.client_for("facilitator")
    url = reverse("notifications:announcement_create", args=[world.own.slug])
    response = client.post(
        url,
        {
            "scope": "members",
            "audience": "partner_type",
            "partner_type": "company",
            "role": "",
            "title_es": "Reunión de empresas",
            "body_es": "El martes.",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    announcement = Announcement.objects.get()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.company_rep.pk]
    detail = reverse("notifications:announcement", args=[world.own.slug, announcement.public_id])
    assert world.client_for("company_rep").get(detail).status_code == 200
    assert world.client_for("participant").get(detail).status_code == 404
    listing = reverse("notifications:announcements", args=[world.own.slug])
    assert (
        "Reunión de empresas" not in world.client_for("participant").get(listing).content.decode()
    )
    assert "Reunión de empresas" in world.client_for("company_rep").get(listing).content.decode()
    assert world.client_for("participant").post(url, {}).status_code == 403


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"title_es": "", "body_es": "x"}, "This field is required."),
        ({"title_es": "T", "body_es": "x", "audience": "partner_type"}, "Choose the partner type"),
        ({"title_es": "T", "body_es": "x", "audience": "role", "role": "king"}, "king"),
        ({"title_es": "T", "body_es": "x\x07"}, "characters that cannot be shown"),
    ],
)
def test_it_refuses_bad_announcements_and_writes_nothing(
    world: World, data: dict[str, str], field_message: str
) -> None:
    url = reverse("notifications:announcement_create", args=[world.own.slug])
    form = {"scope": "members", "audience": "all", "partner_type": "", "role": "", **data}
    response = world.client_for("facilitator").post(url, form)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_it_asks_the_communication_plan(world: World) -> None:
    register_plan_check(
        lambda partnership, audience, languages: (
            "Public announcements need English too."
            if audience == "public" and "en" not in languages
            else None
        )
    )
    try:
        with pytest.raises(ServiceError, match="English"):
            post_announcement(
                by=world.facilitator,
                partnership=world.own,
                scope="public",
                title={"es": "Hola"},
                body={"es": "Texto"},
            )
        post_announcement(
            by=world.facilitator,
            partnership=world.own,
            scope="members",
            title={"es": "Hola"},
            body={"es": "Texto"},
        )
    finally:
        _PLAN_CHECKS.pop()
    assert Announcement.objects.count() == 1


def test_it_shows_external_announcements_on_the_portal_only(world: World) -> None:
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    for scope, title in (("public", "Feria del agua"), ("members", "Solo miembros")):
        post_announcement(
            by=world.facilitator,
            partnership=world.own,
            scope=scope,
            title={"es": title},
            body={"es": "Texto"},
        )
    portal = world.client_for("anonymous").get(reverse("portal:partnership", args=[world.own.slug]))
    html = portal.content.decode()
    assert "Feria del agua" in html and "Solo miembros" not in html
    assert not Notification.objects.filter(params__title="Feria del agua").exists()
    public = Announcement.objects.get(scope="public")
    client = world.client_for("facilitator")
    client.post(
        reverse("notifications:announcement_withdraw", args=[world.own.slug, public.public_id])
    )
    html = (
        world.client_for("anonymous")
        .get(reverse("portal:partnership", args=[world.own.slug]))
        .content.decode()
    )
    assert "Feria del agua" not in html


def test_it_keeps_participant_pages_small(world: World) -> None:
    _tell(world, 40)
    client = world.client_for("participant")
    for url in (
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("notifications:announcements", args=[world.own.slug]),
    ):
        assert len(client.get(url).content) < 50_000
