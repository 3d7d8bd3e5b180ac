"""Digests: each preference, never twice for one period, batched with a
constant number of queries per batch, in each recipient's language; and
emails through the real task backend (the database worker)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import digests, services
from notifications.models import Notification, SentDigest
from tests.conftest import World, join, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _tell(world: World, recipients: list[Any], title: str = "Agua") -> int:
    return services.notify(
        partnership=world.own,
        kind="announcement",
        recipients=recipients,
        params={"title": title},
        url="/notifications/",
    )


def test_it_sends_each_preference_in_its_own_digest(world: World) -> None:
    services.set_preferences(user=world.company_rep, choices={"announcement": "weekly"})
    services.set_preferences(user=world.observer, choices={"announcement": "never"})
    _tell(world, [world.participant, world.company_rep, world.observer])
    mail.outbox.clear()
    daily = digests.send_digests(frequency="daily")
    assert (daily.sent, daily.notifications) == (1, 1)
    assert mail.outbox[0].to == [world.participant.email]
    # In the partnership's first working language: the participant chose none.
    assert "Nuevo anuncio: Agua" in mail.outbox[0].body
    assert "Own partnership" in mail.outbox[0].body
    weekly = digests.send_digests(frequency="weekly")
    assert weekly.sent == 1 and mail.outbox[1].to == [world.company_rep.email]
    assert not Notification.objects.filter(recipient=world.observer).exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_it_never_sends_a_digest_twice_for_one_period(world: World) -> None:
    _tell(world, [world.participant])
    mail.outbox.clear()
    assert digests.send_digests(frequency="daily").sent == 1
    _tell(world, [world.participant], title="Más tarde")
    again = digests.send_digests(frequency="daily")
    assert (again.sent, again.already_sent) == (0, 1)
    assert len(mail.outbox) == 1
    assert SentDigest.objects.count() == 1
    # The next day, what waited goes.
    tomorrow = digests.send_digests(frequency="daily", now=timezone.now() + timedelta(days=1))
    assert tomorrow.sent == 1 and "Más tarde" in mail.outbox[1].body


def test_it_writes_each_digest_in_its_readers_language(world: World) -> None:
    world.participant.language = "es"
    world.participant.save()
    _tell(world, [world.participant, world.company_rep])
    mail.outbox.clear()
    digests.send_digests(frequency="daily")
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to[world.participant.email].subject == "Su resumen del día"
    # No language of their own: the partnership's first working language (es).
    assert by_to[world.company_rep.email].subject == "Su resumen del día"


def test_it_composes_batches_in_constant_queries(world: World) -> None:
    people = [make_user(f"m{i}@example.test") for i in range(12)]
    for person in people:
        join(world.own, world.facilitator, person, "participant")
    _tell(world, people[:4])
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as small:
        digests.send_digests(frequency="daily", batch=100)
    _tell(world, people, title="Uno")
    _tell(world, people, title="Dos")
    with CaptureQueriesContext(connection) as large:
        run = digests.send_digests(
            frequency="daily", batch=100, now=timezone.now() + timedelta(days=1)
        )
    assert run.sent == 12 and run.notifications == 24
    assert len(large) == len(small)


def test_it_refuses_a_secret_ballot_like_param(world: World) -> None:
    with pytest.raises(ValueError):
        services.notify(
            partnership=world.own,
            kind="announcement",
            recipients=[world.participant],
            params={"title": "Votación", "ballot": "en contra"},
        )
    assert not Notification.objects.exists()


def test_it_runs_from_the_command(world: World) -> None:
    _tell(world, [world.participant])
    out = StringIO()
    call_command("send_digests", "daily", stdout=out)
    assert "1 sent" in out.getvalue()
    call_command("send_digests", "daily", stdout=out)
    assert "0 sent" in out.getvalue().splitlines()[1]


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_it_emails_through_the_database_worker(world: World) -> None:
    services.set_preferences(user=world.company_rep, choices={"announcement": "immediately"})
    mail.outbox.clear()
    _tell(world, [world.company_rep, world.participant])
    assert mail.outbox == []  # queued, not sent in the request
    _run_worker()
    assert [m.to for m in mail.outbox] == [[world.company_rep.email]]
    call_command("send_digests", "daily", "--queue", stdout=StringIO())
    _run_worker()
    assert [m.to for m in mail.outbox][1:] == [[world.participant.email]]
    _run_worker()
    assert len(mail.outbox) == 2
