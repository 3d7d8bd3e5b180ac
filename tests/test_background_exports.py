"""Exports that outlive a request, and pages that say when the worker doing
their work died (its state as a killed worker leaves it; the kill itself is
in test_worker_recovery.py)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from consultations import analysis, views_analysis
from consultations.models import QuestionKind
from partnerships import background, recovery
from partnerships.models import (
    AuditAction,
    AuditEntry,
    ExportJob,
    ExportStatus,
    LostWork,
    LostWorkOutcome,
)
from tests import consultations_factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world: World) -> Any:
    q = f.questionnaire(world.own)
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE, options=[f.WATER, f.JOBS])
    f.many(q, 3, {need: "water"}, gender="woman")
    f.many(q, 9, {need: "jobs"}, gender="woman")
    f.many(q, 9, {need: "jobs"}, gender="man")
    analysis.refresh_aggregates(q.pk)
    q.refresh_from_db()
    return q


def _export_url(world: World, q: Any, fmt: str) -> str:
    return reverse(
        "consultations:results_export_all",
        kwargs={"slug": world.own.slug, "questionnaire_id": q.public_id, "fmt": fmt},
    )


def _run_worker() -> None:
    # The worker closes the connection between tasks: only in a transactional test.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _large(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every questionnaire counts as large here: the threshold is the view's.
    monkeypatch.setattr(views_analysis, "BACKGROUND_EXPORT", 0)


@pytest.mark.django_db(transaction=True)
def test_it_writes_a_large_export_in_the_background_for_who_asked(
    world: World,
    survey: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _large(monkeypatch)
    observer = world.client_for("observer")
    with django_capture_on_commit_callbacks(execute=True):
        response = observer.get(_export_url(world, survey, "xlsx") + "?by=gender")
    exports_url = reverse("partnerships:exports", kwargs={"slug": world.own.slug})
    assert response.status_code == 302 and response["Location"] == exports_url
    job = ExportJob.objects.get()
    assert (job.status, job.requested_by, job.partnership) == (
        ExportStatus.QUEUED,
        world.observer,
        world.own,
    )
    # Audited when asked for, like every export.
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, kind="results_export")
    assert entry.actor == world.observer and "results-gender.xlsx" in entry.object_label
    waiting = observer.get(exports_url).content.decode()
    assert "Waiting" in waiting and 'hx-trigger="every 3s"' in waiting

    _run_worker()
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.percent == 100
    assert job.expires_at is not None and job.expires_at > timezone.now() + timedelta(days=6)
    page = observer.get(exports_url).content.decode()
    download = reverse(
        "partnerships:export_download", kwargs={"slug": world.own.slug, "export_id": job.public_id}
    )
    assert download in page and "hx-trigger" not in page  # nothing left to wait for
    got = observer.get(download)
    assert got.status_code == 200 and got["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(b"".join(got.streaming_content)), read_only=True)
    assert book.sheetnames == ["results", "Why some numbers are hidden"]
    lines = list(book.worksheets[0].iter_rows(values_only=True))
    assert lines[0][:4] == ("question", "question_text", "item", "gender")
    women = {line[4]: line for line in lines[1:] if line[3] and line[3].lower() == "woman"}
    # The same suppression as the page: three women chose water, so both cells are hidden.
    assert women["Water"][5] is None and women["Water"][-1].startswith("Hidden: fewer than 5")
    counts = [v for line in lines[1:] for v in line[5:6] if isinstance(v, int | float)]
    assert counts and not any(0 < v < 5 for v in counts)

    # Only who asked may download it; another partnership's people not even see it.
    assert world.client_for("facilitator").get(download).status_code == 404
    assert (
        "results-gender.xlsx"
        not in world.client_for("facilitator").get(exports_url).content.decode()
    )
    foreign = reverse(
        "partnerships:export_download",
        kwargs={"slug": world.foreign.slug, "export_id": job.public_id},
    )
    assert world.client_for("foreign_facilitator").get(foreign).status_code == 404


def test_it_keeps_small_exports_immediate_and_audits_them(world: World, survey: Any) -> None:
    response = world.client_for("observer").get(_export_url(world, survey, "csv") + "?by=gender")
    assert response.status_code == 200 and response.streaming
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert {r["gender"].lower() for r in rows} >= {"woman", "man"}
    assert not ExportJob.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, kind="results_export").count() == 1


def test_it_refuses_raw_numbers_to_who_may_not_read_single_responses(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    _large(monkeypatch)
    q = f.questionnaire(world.own, mode="identified")
    need = f.question(q, "main_need", QuestionKind.SINGLE_CHOICE, options=[f.WATER, f.JOBS])
    f.many(q, 6, {need: "water"}, gender="woman")
    analysis.refresh_aggregates(q.pk)
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for("observer").get(_export_url(world, q, "csv") + "?raw=1")
    assert ExportJob.objects.get().parameters["raw"] is False


@pytest.mark.django_db(transaction=True)
def test_it_deletes_expired_exports(
    world: World,
    survey: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _large(monkeypatch)
    client = world.client_for("observer")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_export_url(world, survey, "csv"))
    _run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and default_storage.exists(job.file)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("recover_work", stdout=io.StringIO())
    stored = job.file
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not default_storage.exists(stored)
    download = reverse(
        "partnerships:export_download", kwargs={"slug": world.own.slug, "export_id": job.public_id}
    )
    assert client.get(download).status_code == 302  # back to the list, which says so
    assert (
        "Deleted: ask for it again."
        in client.get(
            reverse("partnerships:exports", kwargs={"slug": world.own.slug})
        ).content.decode()
    )


# --- Pages that wait on work whose worker died ----------------------------------------


def _lose(name: str, *args: Any, runs: int = 1) -> DBTaskResult:
    """The named work as a killed worker leaves it: RUNNING, by a worker that
    stopped beating long ago; then the recovery."""
    result = background.enqueue(name, *args)
    long_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=long_ago, worker_ids=[f"gone-{n}" for n in range(runs)]
    )
    recovery.recover(grace=60)
    return DBTaskResult.objects.get(pk=result.id)


RESTARTED = "It has been started again, and this page shows the result when it is ready."
FAILED = "could not be finished: the background worker doing it stopped. Ask for it again"


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_results_page_when_a_refresh_was_interrupted(
    world: World, survey: Any
) -> None:
    url = reverse(
        "consultations:results",
        kwargs={"slug": world.own.slug, "questionnaire_id": survey.public_id},
    )
    client = world.client_for("participant")
    assert RESTARTED not in client.get(url).content.decode()
    restarted = _lose("consultations.refresh_results", survey.pk)
    assert restarted.status == "READY"
    assert RESTARTED in client.get(url).content.decode()
    # Lost a second time: given up, with a reason and what to do.
    failed = _lose("consultations.refresh_results", survey.pk, runs=2)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "partnerships.recovery.WorkerLost"
    assert FAILED in client.get(url).content.decode()
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "no pudo terminarse" in spanish
    # The restarted run finishes: nothing more to say about it.
    _run_worker()
    assert LostWork.objects.filter(outcome=LostWorkOutcome.RESTARTED).count() == 0


def test_it_tells_the_common_ground_and_network_pages_too(world: World) -> None:
    from tests.test_commonground_conversations import conversation

    c = conversation(world)
    _lose("commonground.analyse_conversation", c.pk)
    page = reverse(
        "commonground:results", kwargs={"slug": world.own.slug, "conversation_id": c.public_id}
    )
    assert RESTARTED in world.client_for("facilitator").get(page).content.decode()
    _lose("stakeholders.layout_network", world.own.pk, runs=2)
    network = reverse("stakeholders:network", kwargs={"slug": world.own.slug})
    assert FAILED in world.client_for("facilitator").get(network).content.decode()


def test_it_fails_an_export_whose_worker_died_twice(world: World, survey: Any) -> None:
    job = ExportJob.objects.create(
        partnership=world.own,
        requested_by=world.observer,
        kind="consultations.results",
        title="Household survey: results.csv",
        parameters={"questionnaire": survey.pk, "by": [], "fmt": "csv"},
    )
    _lose("partnerships.run_export", job.pk, runs=2)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    page = world.client_for("observer").get(
        reverse("partnerships:exports", kwargs={"slug": world.own.slug})
    )
    assert "The export was interrupted twice and was not finished." in page.content.decode()
