"""Importing and exporting the stakeholder map. Thin: the reading, checking,
writing and protection live in ``stakeholders.io``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerships.audit import record_event
from partnerships.models import AuditAction
from partnerships.permissions import GET_POST, Action, Ctx, partnership_view
from stakeholders import io, io_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 500


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[(io.ACTORS, gettext_lazy("Actors")), (io.RELATIONS, gettext_lazy("Relations"))],
        initial=io.ACTORS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File (.csv or .xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows only"),
        required=False,
        help_text=gettext_lazy("Rows with problems are left out; the others are imported."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(io.max_import_bytes())
        self.fields["file"].help_text = _("At most %(size)s.") % {"size": limit}

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if _extension(upload.name or "") not in io.FORMATS:
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        limit = io.max_import_bytes()
        if (upload.size or 0) > limit:
            message = _(
                "This file is too large: the limit is %(size)s. Split it into smaller files."
            )
            raise forms.ValidationError(message % {"size": filesizeformat(limit)})
        return upload


def _imported(what: str, count: int, left_out: int) -> str:
    if what == io.ACTORS:
        text = ngettext("%(n)s actor imported.", "%(n)s actors imported.", count)
    else:
        text = ngettext("%(n)s relation imported.", "%(n)s relations imported.", count)
    text %= {"n": count}
    if left_out:
        more = ngettext(
            "%(n)s row with problems was left out.",
            "%(n)s rows with problems were left out.",
            left_out,
        )
        text += " " + more % {"n": left_out}
    return text


@partnership_view("map_import", Action.CREATE, methods=GET_POST)
def import_map(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report: io.Report | None = None
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        what: str = form.cleaned_data["what"]
        try:
            data = upload.read()
            report = io.check(
                data, _extension(upload.name or ""), what, ctx.partnership, ctx.member
            )
        except io.FileProblem as problem:
            form.add_error("file", problem.message)
        if report is not None and report.valid:
            if not report.problems or form.cleaned_data["valid_only"]:
                try:
                    count = io.apply(report, partnership=ctx.partnership, by=request.user)
                except io.ImportFailed as failed:
                    report.problems.insert(0, failed.problem)
                else:
                    messages.success(request, _imported(what, count, report.rows_with_problems))
                    return redirect("stakeholders:map", slug=ctx.partnership.slug)
    problems = report.problems if report is not None else []
    return render(
        request,
        "stakeholders/import.html",
        {
            "ctx": ctx,
            "form": form,
            "report": report,
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "actor_columns": list(io.ACTOR_COLUMNS),
            "relation_columns": list(io.RELATION_COLUMNS),
            "limit": io.max_import_bytes(),
        },
    )


def _export(ctx: Ctx, what: str, fmt: str) -> HttpResponse:
    if fmt not in io.FORMATS:
        raise Http404
    if what == io.ACTORS:
        table = io_export.actor_table(ctx.partnership, ctx.member)
    else:
        table = io_export.relation_table(ctx.partnership, ctx.member)
    if fmt == "csv":
        response = HttpResponse(io_export.write_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(io_export.write_xlsx(table, title=what), content_type=XLSX)
    record_event(
        actor=ctx.member.user,
        partnership=ctx.partnership,
        kind="map_export",
        action=AuditAction.EXPORT,
        label=f"{ctx.partnership.slug}-{what}.{fmt}",
        details={"rows": len(table[1])},
    )
    response["Content-Disposition"] = f'attachment; filename="{ctx.partnership.slug}-{what}.{fmt}"'
    # Exports may hold contact details: no shared cache keeps them.
    response["Cache-Control"] = "private, no-store"
    return response


@partnership_view("map_export", Action.VIEW)
def export_actors(request: HttpRequest, ctx: Ctx, fmt: str) -> HttpResponse:
    return _export(ctx, io.ACTORS, fmt)


@partnership_view("map_export", Action.VIEW)
def export_relations(request: HttpRequest, ctx: Ctx, fmt: str) -> HttpResponse:
    return _export(ctx, io.RELATIONS, fmt)
