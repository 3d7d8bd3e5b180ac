"""Records of background work: the workers' signs of life, work a dead worker
left behind, and exports that run in the background.

Imported by ``partnerships.models`` so that Django finds them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerships.owned import PartnershipOwned


class WorkerBeat(models.Model):
    """A background worker's last sign of life. ``hsbp worker`` beats every few
    seconds from a thread of its own, so a long task does not stop the beat;
    the recovery (``partnerships.recovery``) treats work claimed by a worker
    that stopped beating as lost."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class LostWorkOutcome(models.TextChoices):
    RESTARTED = "restarted", _("Interrupted and restarted")
    FAILED = "failed", _("Interrupted and not finished")


class LostWork(models.Model):
    """Work whose worker died, while it matters to the pages that wait on it:
    written by the recovery, removed when the restarted run finishes or when
    the same work is asked for again. Rare, so the pages' look-up is cheap."""

    task_path = models.CharField(max_length=255)
    # The task's arguments as canonical JSON: pages name the work they wait for
    # by the task's name and its arguments (an id), never by a result id.
    args_key = models.CharField(max_length=255)
    result_id = models.CharField(max_length=64, unique=True)
    outcome = models.CharField(max_length=10, choices=LostWorkOutcome.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["task_path", "args_key"])]

    def __str__(self) -> str:
        return f"{self.task_path}({self.args_key}): {self.outcome}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export", "Waiting")
    RUNNING = "running", pgettext_lazy("export", "Being prepared")
    DONE = "done", pgettext_lazy("export", "Ready")
    FAILED = "failed", pgettext_lazy("export", "Failed")
    EXPIRED = "expired", pgettext_lazy("export", "Expired")


class ExportJob(PartnershipOwned):
    """An export too large to write while a request waits: asked for by one
    member, written by a background task (``partnerships.exports``) into the
    default storage, downloaded by that member under the same permission as
    the export itself, and deleted when it expires."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The registered exporter's name, e.g. "consultations.results".
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    parameters = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    file = models.CharField(_("file"), max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    audit_fields: ClassVar[tuple[str, ...]] = ("kind", "title", "status")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def waiting(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
