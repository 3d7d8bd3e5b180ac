"""The transparency portal: no login. Reads partnership data only through the
publication declarations (``partnerships.publication``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partnerships.models import Partner, Partnership, PartnershipStatus, PartnerType
from partnerships.permissions import public_view
from partnerships.publication import (
    public_partnership,
    public_partnerships,
    public_records,
    public_summaries,
)
from partnerships.stepper import current_step
from partnerships.suppression import MIN_CELL


@public_view()
def index(request: HttpRequest) -> HttpResponse:
    partnerships = public_partnerships().values("slug", "name", "locality_name", "country")
    return render(request, "portal/index.html", {"partnerships": partnerships})


@public_view()
def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    data = public_partnership(slug)
    if data is None:
        raise Http404
    partners = public_records(Partner, data["id"])
    types = dict(PartnerType.choices)
    for row in partners:
        row["type_label"] = types.get(row["partner_type"], "")
    step = current_step(Partnership(pk=data["id"]))
    return render(
        request,
        "portal/partnership.html",
        {
            "p": data,
            "partners": partners,
            "step": step,
            "status_label": dict(PartnershipStatus.choices).get(data["status"], ""),
            "summaries": public_summaries(data["id"]),
        },
    )


@public_view()
def small_numbers(request: HttpRequest) -> HttpResponse:
    """Why some numbers are hidden: every hidden count links here."""
    return render(request, "portal/small_numbers.html", {"min_cell": MIN_CELL})
