"""notify(): the one entry point. It stores kind and params (never a rendered
text), tells members only, never the actor, follows each person's preference
(a digest by default), refuses undeclared params, and emails the immediate
ones through the task queue in the recipient's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from notifications import services
from notifications.kinds import Frequency, Kind, kind_named, register_kind
from notifications.models import Notification, Preference
from partnerships.errors import ServiceError
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _text(params: Any) -> str:
    return translation.gettext("Announcements from the facilitators") + f": {params['title']}"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_it_notifies_members_but_not_the_actor_nor_outsiders(world: World) -> None:
    n = services.notify(
        partnership=world.own,
        kind="announcement",
        recipients=[
            world.facilitator,
            world.participant,
            world.outsider,
            world.foreign_facilitator,
        ],
        params={"title": "Water"},
        actor=world.facilitator,
    )
    assert n == 1
    row = Notification.objects.get()
    assert row.recipient == world.participant
    assert row.params == {"title": "Water"}
    assert row.delivery == Frequency.DAILY  # a digest by default


def test_it_refuses_params_the_kind_did_not_declare(world: World) -> None:
    with pytest.raises(ValueError, match="choice"):
        services.notify(
            partnership=world.own,
            kind="announcement",
            recipients=[world.participant],
            params={"title": "Vote", "choice": "against"},
        )
    with pytest.raises(LookupError):
        services.notify(partnership=world.own, kind="no_such_kind", recipients=[world.participant])
    assert not Notification.objects.exists()


def test_it_renders_the_text_in_the_readers_language(world: World) -> None:
    services.notify(
        partnership=world.own,
        kind="announcement",
        recipients=[world.participant],
        params={"title": "Agua"},
    )
    row = Notification.objects.get()
    with translation.override("en"):
        assert row.text == "New announcement: Agua"
    with translation.override("es"):
        assert row.text != "New announcement: Agua" and "Agua" in row.text


def test_it_follows_each_preference(world: World) -> None:
    services.set_preferences(user=world.participant, choices={"announcement": "never"})
    services.set_preferences(user=world.company_rep, choices={"announcement": "immediately"})
    with translation.override("es"):
        world.company_rep.language = "es"
        world.company_rep.save()
    n = services.notify(
        partnership=world.own,
        kind="announcement",
        recipients=[world.participant, world.company_rep, world.observer],
        params={"title": "Agua"},
    )
    assert n == 2
    assert dict(Notification.objects.values_list("recipient__email", "delivery")) == {
        world.company_rep.email: "immediately",
        world.observer.email: "daily",
    }


@pytest.mark.django_db(transaction=True)
def test_it_emails_the_immediate_ones_through_the_task_queue(world: World) -> None:
    services.set_preferences(user=world.company_rep, choices={"announcement": "immediately"})
    world.company_rep.language = "es"
    world.company_rep.save()
    mail.outbox.clear()  # the invitations of the world
    services.notify(
        partnership=world.own,
        kind="announcement",
        recipients=[world.company_rep, world.observer],
        params={"title": "Agua"},
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.company_rep.email]
    assert "Agua" in mail.outbox[0].subject
    assert Notification.objects.get(recipient=world.company_rep).emailed_at is not None
    assert Notification.objects.get(recipient=world.observer).emailed_at is None


def test_it_refuses_a_preference_for_a_kind_that_does_not_exist(world: World) -> None:
    with pytest.raises(ServiceError) as refused:
        services.set_preferences(
            user=world.participant, choices={"announcement": "weekly", "nonsense": "daily"}
        )
    assert "nonsense" in refused.value.message
    with pytest.raises(ServiceError):
        services.set_preferences(user=world.participant, choices={"announcement": "hourly"})
    assert not Preference.objects.exists()


def test_it_keeps_one_code_per_kind() -> None:
    kind = kind_named("announcement")
    assert kind is not None
    register_kind(kind)  # the same again is fine
    with pytest.raises(RuntimeError):
        register_kind(Kind(code="announcement", label=kind.label, text=_text))


def test_it_counts_unread_and_marks_read(world: World) -> None:
    for title in ("a", "b"):
        services.notify(
            partnership=world.own,
            kind="announcement",
            recipients=[world.participant],
            params={"title": title},
        )
    assert services.unread_count(world.participant) == 2
    first = Notification.objects.first()
    assert first is not None
    assert not services.mark_read(user=world.observer, public_id=first.public_id)
    assert services.mark_read(user=world.participant, public_id=first.public_id)
    assert services.unread_count(world.participant) == 1
    assert services.mark_all_read(user=world.participant) == 1
    assert services.unread_count(world.participant) == 0
