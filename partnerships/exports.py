"""Exports that outlive a request: asked for on a page, written by a
background task into the default storage, listed with their progress on
"My exports", downloaded under the same permission as the export itself, and
deleted when they expire.

Rooms register what they can export, like the stepper's registries::

    exports.register(exports.Exporter(
        kind="consultations.results",
        capability="results_export",
        write=write_results,          # (job, binary file, progress) -> (filename, type)
        allowed=may_download,         # optional, beyond the capability
    ))

and ask for one with ``exports.request_export(...)`` when it is too large to
write while the request waits. The room's page decides what "large" is.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerships import background
from partnerships.audit import record_event
from partnerships.models import AuditAction, Partnership
from partnerships.models_work import ExportJob, ExportStatus
from partnerships.permissions import Action, Ctx

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# Writes the export into the binary file; returns its file name and content type.
Writer = Callable[[ExportJob, IO[bytes], Progress], tuple[str, str]]
# Progress is written at most this often (seconds): a row per update is cheap,
# one per line of a 100,000-line file is not.
PROGRESS_EVERY = 1.0
# Expired jobs' rows stay listed ("expired") this long, then go.
FORGET_AFTER = timedelta(days=30)


def keep_days() -> int:
    """How long a finished export's file is kept (``HSBP_EXPORT_DAYS``)."""
    return int(getattr(settings, "HSBP_EXPORT_DAYS", 7))


@dataclass(frozen=True)
class Exporter:
    kind: str
    # The permission kind (Action.VIEW) needed to ask for it and to download it.
    capability: str
    write: Writer
    # Any check beyond the capability (raw data for facilitators, say), made
    # both when asking and when downloading.
    allowed: Callable[[Ctx, ExportJob], bool] | None = None


_exporters: dict[str, Exporter] = {}


def register(exporter: Exporter) -> None:
    known = _exporters.get(exporter.kind)
    if known is not None and known.write is not exporter.write:
        raise RuntimeError(f"Two exporters claim the kind {exporter.kind!r}.")
    _exporters[exporter.kind] = exporter


def exporter_of(kind: str) -> Exporter | None:
    return _exporters.get(kind)


def may_download(ctx: Ctx, job: ExportJob) -> bool:
    """The same permission as the export itself, for the member who asked."""
    exporter = exporter_of(job.kind)
    if exporter is None or job.partnership_id != ctx.partnership.pk:
        return False
    if job.requested_by_id != ctx.member.user_id:
        return False
    if not ctx.can(exporter.capability, Action.VIEW):
        return False
    return exporter.allowed is None or exporter.allowed(ctx, job)


# --- Services -------------------------------------------------------------------


def request_export(
    *,
    actor: Any,
    partnership: Partnership,
    kind: str,
    title: str,
    parameters: dict[str, Any],
) -> ExportJob:
    """Record the export asked for, audit it as every export is audited, and
    queue its writing once this transaction commits."""
    exporter = exporter_of(kind)
    if exporter is None:
        raise LookupError(f"No exporter is registered as {kind!r}.")
    with transaction.atomic():
        job = ExportJob.objects.create(
            partnership=partnership,
            requested_by=actor,
            kind=kind,
            title=title[:200],
            parameters=parameters,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        record_event(
            actor=actor,
            partnership=partnership,
            kind=exporter.capability,
            action=AuditAction.EXPORT,
            label=job.title,
            details={"export": str(job.public_id), "in_background": True},
        )
        background.enqueue_on_commit("partnerships.run_export", job.pk)
    return job


def _progress(job_id: int) -> Progress:
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = now
            ExportJob.objects.filter(pk=job_id).update(done=done, total=total)

    return report


def run_export(*, job_id: int) -> bool:
    """Write the export of a job (the background task's work). Runs again from
    the start if its worker died: the file is stored only once written whole."""
    job = ExportJob.objects.select_related("partnership").filter(pk=job_id).first()
    if job is None or not job.waiting:
        return False
    exporter = exporter_of(job.kind)
    if exporter is None:
        _fail(job, _("This kind of export is no longer offered."))
        return False
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, done=0)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        with tempfile.TemporaryFile() as spool:
            try:
                filename, content_type = exporter.write(job, spool, _progress(job.pk))
            except Exception:
                logger.exception("Export %s (%s) failed", job.pk, job.kind)
                _fail(job, _("The export could not be written. Ask for it again."))
                return False
            size = spool.tell()
            spool.seek(0)
            stored = default_storage.save(f"exports/{job.public_id.hex}/{filename}", File(spool))
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        file=stored,
        filename=filename[:200],
        content_type=content_type[:100],
        size=size,
        finished_at=now,
        expires_at=now + timedelta(days=keep_days()),
    )
    return True


def _fail(job: ExportJob, reason: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
    )


def given_up(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The recovery failed the export's task (its worker died twice)."""
    job_id = kwargs.get("job_id", args[0] if args else None)
    if not isinstance(job_id, int):
        return
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is not None and job.waiting:
        _fail(job, _("The export was interrupted twice and was not finished. Ask for it again."))


def expire_old() -> int:
    """Delete the files of expired exports; forget long-expired rows. Returns
    the number of files deleted."""
    now = timezone.now()
    count = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lt=now):
        if job.file:
            try:
                default_storage.delete(job.file)
            except OSError:
                logger.exception("Could not delete the expired export %s", job.file)
                continue
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        count += 1
    ExportJob.objects.filter(created_at__lt=now - FORGET_AFTER).exclude(
        status__in=[ExportStatus.DONE, ExportStatus.QUEUED, ExportStatus.RUNNING]
    ).delete()
    return count
