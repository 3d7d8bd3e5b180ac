"""Pages of the baseline's set-up and threat register. Thin: parse, call one
service, render. (The analysis, the NVC matrix, the capacity register and
publication are in ``views_analysis``.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baseline import analysis, services
from baseline.forms import (
    AgeBandForm,
    DimensionForm,
    EvidenceForm,
    GenderOptionForm,
    LocalitySearchForm,
    RatingForm,
    ThreatFilterForm,
    ThreatForm,
)
from baseline.models import AgeBand, Evidence, GenderOption, Locality, Threat, ThreatRating
from partnerships.models import Partner, PartnerType, Role
from partnerships.paging import paged
from partnerships.permissions import Action, Ctx, get_owned_or_404, partnership_view
from partnerships.services import ServiceError
from stakeholders.models import Segment

GET_POST = ("GET", "HEAD", "POST")
POST = ("POST",)
PAGE_SIZE = 50
LOCALITIES_PER_PAGE = 100


# -- set-up --------------------------------------------------------------------


def _setup_page(request: HttpRequest, ctx: Ctx, **forms: Any) -> HttpResponse:
    may_add = ctx.can("baseline_setup", Action.CREATE)
    context = {
        "ctx": ctx,
        "dimensions": list(services.dimensions_of(ctx.partnership)),
        "age_bands": list(AgeBand.objects.filter(partnership=ctx.partnership)),
        "genders": list(GenderOption.objects.filter(partnership=ctx.partnership)),
        "dimension_form": forms.get("dimension_form") or (DimensionForm() if may_add else None),
        "age_band_form": forms.get("age_band_form") or (AgeBandForm() if may_add else None),
        "gender_form": forms.get("gender_form") or (GenderOptionForm() if may_add else None),
    }
    return render(request, "baseline/setup.html", context)


@partnership_view("baseline_setup", Action.VIEW)
def setup(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return _setup_page(request, ctx)


@partnership_view("baseline_setup", Action.CREATE, methods=POST)
def dimension_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = DimensionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_dimension(
                by=request.user,
                partnership=ctx.partnership,
                names={"en": data["name_en"], "es": data["name_es"]},
                descriptions={"en": data["description_en"], "es": data["description_es"]},
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Dimension added."))
            return redirect("baseline:setup", slug=ctx.partnership.slug)
    return _setup_page(request, ctx, dimension_form=form)


@partnership_view("baseline_setup", Action.CREATE, methods=POST)
def age_band_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = AgeBandForm(request.POST)
    if form.is_valid():
        try:
            services.add_age_band(by=request.user, partnership=ctx.partnership, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Age band added."))
            return redirect("baseline:setup", slug=ctx.partnership.slug)
    return _setup_page(request, ctx, age_band_form=form)


@partnership_view("baseline_setup", Action.CREATE, methods=POST)
def gender_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = GenderOptionForm(request.POST)
    if form.is_valid():
        try:
            services.add_gender_option(
                by=request.user, partnership=ctx.partnership, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Gender option added."))
            return redirect("baseline:setup", slug=ctx.partnership.slug)
    return _setup_page(request, ctx, gender_form=form)


@partnership_view("baseline_setup", Action.VIEW)
def localities(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = LocalitySearchForm(request.GET or None)
    found = (
        Locality.objects.filter(partnership=ctx.partnership)
        .defer("boundary")
        .annotate(
            has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        )
    )
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        found = found.filter(
            Q(name__icontains=q) | Q(code__startswith=q) | Q(parent_name__icontains=q)
        )
    listing = paged(request, found.order_by("code"), LOCALITIES_PER_PAGE)
    return render(
        request,
        "baseline/localities.html",
        {"ctx": ctx, "form": form, **listing, "total": listing["page"].paginator.count},
    )


# -- threats -------------------------------------------------------------------


@partnership_view("threat", Action.VIEW)
def threats(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    dimensions = list(services.dimensions_of(ctx.partnership))
    segments = list(Segment.objects.filter(partnership=ctx.partnership))
    form = ThreatFilterForm(request.GET or None, dimensions=dimensions, segments=segments)
    found = Threat.objects.filter(partnership=ctx.partnership)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            found = found.filter(
                Q(title__icontains=data["q"]) | Q(root_causes__icontains=data["q"])
            )
        if data["dimension"]:
            found = found.filter(dimensions__code=data["dimension"])
        if data["nature"]:
            found = found.filter(nature=data["nature"])
        if data["locality"]:
            found = found.filter(localities__code=data["locality"].strip())
        kind, _sep, value = (data["group"] or "").partition(":")
        if kind == "type":
            # The JSON list as text: '"company"' matches one element exactly.
            found = found.filter(partner_types__icontains=f'"{value}"')
        elif kind == "segment":
            found = found.filter(segments__code=value)
    # Unrated threats last on every database (PostgreSQL puts nulls first).
    found = (
        found.distinct()
        .order_by(F("severity").desc(nulls_last=True), "title", "pk")
        .prefetch_related("dimensions")
    )
    listing = paged(request, found, PAGE_SIZE)
    return render(
        request,
        "baseline/threats.html",
        {"ctx": ctx, "form": form, **listing, "total": listing["page"].paginator.count},
    )


def _threat_fields(form: ThreatForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@partnership_view("threat", Action.CREATE, methods=GET_POST)
def threat_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = ThreatForm(request.POST or None, partnership=ctx.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            threat = services.create_threat(
                by=request.user, partnership=ctx.partnership, **_threat_fields(form)
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Threat registered."))
            return redirect(
                "baseline:threat", slug=ctx.partnership.slug, threat_id=threat.public_id
            )
    return render(request, "baseline/threat_form.html", {"ctx": ctx, "form": form})


def _rating_partners(ctx: Ctx) -> QuerySet[Partner]:
    partners = Partner.objects.filter(partnership=ctx.partnership, left_on__isnull=True)
    if ctx.member.role == Role.PARTNER_REPRESENTATIVE:
        partners = partners.filter(pk=ctx.member.partner_id)
    return partners


def _rating_form(ctx: Ctx, data: Any = None) -> RatingForm:
    initial = {}
    if ctx.member.role == Role.PARTNER_REPRESENTATIVE and ctx.member.partner is not None:
        initial = {
            "rated_by": ctx.member.partner.public_id,
            "partner_type": ctx.member.partner.partner_type,
        }
    return RatingForm(
        data, partnership=ctx.partnership, partners=_rating_partners(ctx), initial=initial
    )


@partnership_view("threat", Action.VIEW)
def threat_detail(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(
        Threat.objects.prefetch_related("dimensions", "localities", "segments"),
        ctx.partnership,
        public_id=threat_id,
    )
    history = list(
        threat.ratings.select_related("segment", "rated_by").order_by(
            "-rated_on", "-created_at", "-id"
        )
    )
    current: dict[str, ThreatRating] = {}
    for rating in history:
        current.setdefault(rating.group_key, rating)
    ratings = sorted(current.values(), key=lambda r: (-r.severity, r.group_label))
    spread = analysis.disagreement(ratings)
    return render(
        request,
        "baseline/threat_detail.html",
        {
            "ctx": ctx,
            "threat": threat,
            "partner_type_labels": ", ".join(
                str(PartnerType(t).label) for t in threat.partner_types if t in PartnerType.values
            ),
            "current": ratings,
            "history": history,
            "spread": spread,
            "disagree": spread >= analysis.DISAGREEMENT,
            "highest": ratings[0] if spread >= analysis.DISAGREEMENT else None,
            "lowest": ratings[-1] if spread >= analysis.DISAGREEMENT else None,
            "evidence": list(threat.evidence.all()),
            "rating_form": _rating_form(ctx) if ctx.can("threat_rating", Action.CREATE) else None,
            "evidence_form": EvidenceForm() if ctx.can("evidence", Action.CREATE) else None,
        },
    )


@partnership_view("threat", Action.CHANGE, methods=GET_POST)
def threat_edit(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    form = ThreatForm(
        request.POST or None, partnership=ctx.partnership, initial=ThreatForm.initial_for(threat)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_threat(by=request.user, threat=threat, **_threat_fields(form))
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                "baseline:threat", slug=ctx.partnership.slug, threat_id=threat.public_id
            )
    return render(
        request, "baseline/threat_form.html", {"ctx": ctx, "form": form, "threat": threat}
    )


@partnership_view("threat", Action.DELETE, methods=POST)
def threat_delete(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    services.delete_threat(by=request.user, threat=threat)
    messages.success(request, _("Threat removed from the register."))
    return redirect("baseline:threats", slug=ctx.partnership.slug)


@partnership_view("threat_rating", Action.CREATE, methods=POST)
def rate(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    form = _rating_form(ctx, request.POST)
    if form.is_valid():
        try:
            services.rate_threat(
                by=request.user, threat=threat, member=ctx.member, **form.cleaned_data
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Rating recorded."))
    else:
        messages.error(
            request,
            _("Check the rating: a group, and severity and likelihood from 1 to 5."),
        )
    return redirect("baseline:threat", slug=ctx.partnership.slug, threat_id=threat.public_id)


@partnership_view("threat_rating", Action.DELETE, methods=POST)
def rating_delete(request: HttpRequest, ctx: Ctx, rating_id: str) -> HttpResponse:
    rating = get_owned_or_404(
        ThreatRating.objects.select_related("threat"), ctx.partnership, public_id=rating_id
    )
    services.delete_rating(by=request.user, rating=rating)
    messages.success(request, _("Rating removed."))
    return redirect("baseline:threat", slug=ctx.partnership.slug, threat_id=rating.threat.public_id)


@partnership_view("evidence", Action.CREATE, methods=POST)
def evidence_add(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.add_evidence(by=request.user, threat=threat, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Evidence added."))
    else:
        messages.error(request, _("Check the evidence: a kind, a title and a valid address."))
    return redirect("baseline:threat", slug=ctx.partnership.slug, threat_id=threat.public_id)


@partnership_view("evidence", Action.DELETE, methods=POST)
def evidence_delete(request: HttpRequest, ctx: Ctx, evidence_id: str) -> HttpResponse:
    evidence = get_owned_or_404(
        Evidence.objects.select_related("threat"), ctx.partnership, public_id=evidence_id
    )
    services.delete_evidence(by=request.user, evidence=evidence)
    messages.success(request, _("Evidence removed."))
    return redirect(
        "baseline:threat", slug=ctx.partnership.slug, threat_id=evidence.threat.public_id
    )
