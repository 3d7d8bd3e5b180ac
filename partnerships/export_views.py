""" "My exports": the exports a member asked for in this partnership, with
their progress (htmx polls the list while one is being written), and their
download. Thin: the rules are in ``partnerships.exports``."""

from __future__ import annotations

from typing import Any, cast

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partnerships import exports
from partnerships.models_work import ExportJob, ExportStatus
from partnerships.permissions import Action, Ctx, get_owned_or_404, partnership_view
from partnerships.recovery import lost_work

LISTED = 50


@partnership_view("own_export", Action.VIEW)
def export_list(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    jobs = list(
        ExportJob.objects.for_partnership(ctx.partnership).filter(requested_by=ctx.member.user)[
            :LISTED
        ]
    )
    rows: list[dict[str, Any]] = []
    for job in jobs:
        waiting = job.waiting
        rows.append(
            {
                "job": job,
                "lost": lost_work("partnerships.run_export", job.pk) if waiting else None,
                "downloadable": job.status == ExportStatus.DONE and exports.may_download(ctx, job),
            }
        )
    return render(
        request,
        "partnerships/exports.html",
        {
            "ctx": ctx,
            "rows": rows,
            "waiting": any(r["job"].waiting for r in rows),
            "keep_days": exports.keep_days(),
        },
    )


@partnership_view("own_export", Action.VIEW)
def export_download(request: HttpRequest, ctx: Ctx, export_id: Any) -> HttpResponse:
    job = get_owned_or_404(ExportJob, ctx.partnership, public_id=export_id)
    if job.requested_by_id != ctx.member.user_id:
        raise Http404  # someone else's export: as if absent
    if job.status != ExportStatus.DONE or not job.file:
        return redirect("partnerships:exports", ctx.partnership.slug)  # not (or no longer) there
    if not exports.may_download(ctx, job):
        raise Http404  # a permission this member no longer has
    try:
        handle = default_storage.open(job.file, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=job.filename, content_type=job.content_type
    )
    # Exports may hold what only this member may read: no shared cache keeps them.
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a FileResponse, to the decorator an HttpResponse
