"""Pages of the baseline's set-up and threat register. Thin: parse, call one
service, render. (The analysis, the NVC matrix, the capacity register and
publication are in ``views_analysis``.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from baseline import analysis, services, services_setup
from baseline.forms import (
    AgeBandForm,
    DimensionForm,
    EvidenceForm,
    GenderOptionEditForm,
    GenderOptionForm,
    LocalityImportForm,
    LocalitySearchForm,
    MoveForm,
    RatingForm,
    ThreatFilterForm,
    ThreatForm,
    offer_standard_name,
)
from baseline.localities import (
    DEFAULT_CODE_PROPERTY,
    SHOWN_CODES,
    ImportResult,
    import_localities,
    problems_of,
)
from baseline.models import (
    AgeBand,
    Dimension,
    Evidence,
    GenderOption,
    Locality,
    Threat,
    ThreatRating,
)
from partnerships.languages import working_languages
from partnerships.models import Partner, PartnerType, Role
from partnerships.paging import paged
from partnerships.permissions import Action, Ctx, get_owned_or_404, partnership_view
from partnerships.services import ServiceError
from stakeholders.io import max_import_bytes
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
        "dimension_form": forms.get("dimension_form")
        or (DimensionForm(languages=working_languages(ctx.partnership)) if may_add else None),
        "age_band_form": forms.get("age_band_form") or (AgeBandForm() if may_add else None),
        "gender_form": forms.get("gender_form") or (GenderOptionForm() if may_add else None),
        "may_change": ctx.can("baseline_setup", Action.CHANGE),
    }
    return render(request, "baseline/setup.html", context)


@partnership_view("baseline_setup", Action.VIEW)
def setup(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    return _setup_page(request, ctx)


@partnership_view("baseline_setup", Action.CREATE, methods=POST)
def dimension_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = DimensionForm(request.POST, languages=working_languages(ctx.partnership))
    if form.is_valid():
        try:
            services.add_dimension(
                by=request.user,
                partnership=ctx.partnership,
                names=form.texts("name"),
                descriptions=form.texts("description"),
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


def _to_setup(ctx: Ctx, section: str = "") -> HttpResponse:
    url = reverse("baseline:setup", kwargs={"slug": ctx.partnership.slug})
    return redirect(f"{url}#{section}" if section else url)


def _item_page(
    request: HttpRequest, ctx: Ctx, *, form: Any, item: Any, title: str, stays: str, delete: str
) -> HttpResponse:
    """The edit page of one entry of the set-up, with its remove button, or
    why it cannot be removed."""
    return render(
        request,
        "baseline/setup_item.html",
        {
            "ctx": ctx,
            "form": form,
            "item": item,
            "title": title,
            "stays": stays,
            "delete_url": reverse(
                f"baseline:{delete}", args=[ctx.partnership.slug, item.public_id]
            ),
        },
    )


def _removed(request: HttpRequest, ctx: Ctx, remove: Any, done: str, section: str) -> HttpResponse:
    """Call a removal service; a refusal is shown on the set-up page."""
    try:
        remove()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _to_setup(ctx, section)


def _moved(request: HttpRequest, ctx: Ctx, move: Any, section: str) -> HttpResponse:
    form = MoveForm(request.POST)
    if form.is_valid():
        move(form.cleaned_data["direction"])
    else:
        messages.error(request, _("Choose up or down."))
    return _to_setup(ctx, section)


@partnership_view("baseline_setup", Action.CHANGE, methods=GET_POST)
def dimension_edit(request: HttpRequest, ctx: Ctx, dimension_id: str) -> HttpResponse:
    dimension = get_owned_or_404(Dimension, ctx.partnership, public_id=dimension_id)
    names, descriptions = services_setup.dimension_texts(dimension)
    initial = {
        **{f"name_{lang}": text for lang, text in names.items()},
        **{f"description_{lang}": text for lang, text in descriptions.items()},
    }
    form = DimensionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        languages=working_languages(ctx.partnership),
        name_required=dimension.code not in services_setup.DEFAULT_DIMENSION_CODES,
    )
    if form.is_valid():
        try:
            services_setup.update_dimension(
                by=request.user,
                dimension=dimension,
                names=form.texts("name"),
                descriptions=form.texts("description"),
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Dimension saved."))
            return _to_setup(ctx, "dimensions-h")
    return _item_page(
        request,
        ctx,
        form=form,
        item=dimension,
        title=_("Edit the dimension"),
        stays=services_setup.why_dimension_stays(dimension),
        delete="dimension_delete",
    )


@partnership_view("baseline_setup", Action.DELETE, methods=POST)
def dimension_delete(request: HttpRequest, ctx: Ctx, dimension_id: str) -> HttpResponse:
    dimension = get_owned_or_404(Dimension, ctx.partnership, public_id=dimension_id)
    return _removed(
        request,
        ctx,
        lambda: services_setup.delete_dimension(by=request.user, dimension=dimension),
        _("Dimension removed."),
        "dimensions-h",
    )


@partnership_view("baseline_setup", Action.CHANGE, methods=POST)
def dimension_move(request: HttpRequest, ctx: Ctx, dimension_id: str) -> HttpResponse:
    dimension = get_owned_or_404(Dimension, ctx.partnership, public_id=dimension_id)
    return _moved(
        request,
        ctx,
        lambda direction: services_setup.move_dimension(
            by=request.user, dimension=dimension, direction=direction
        ),
        "dimensions-h",
    )


@partnership_view("baseline_setup", Action.CHANGE, methods=GET_POST)
def age_band_edit(request: HttpRequest, ctx: Ctx, age_band_id: str) -> HttpResponse:
    band = get_owned_or_404(AgeBand, ctx.partnership, public_id=age_band_id)
    form = AgeBandForm(
        request.POST if request.method == "POST" else None,
        initial={"name": band.name, "min_age": band.min_age, "max_age": band.max_age},
    )
    if band.code in services_setup.DEFAULT_AGE_BAND_CODES:
        offer_standard_name(form, AgeBand(code=band.code).label)
    if form.is_valid():
        try:
            services_setup.update_age_band(by=request.user, band=band, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Age band saved."))
            return _to_setup(ctx, "age-bands-h")
    return _item_page(
        request,
        ctx,
        form=form,
        item=band,
        title=_("Edit the age band"),
        stays=services_setup.why_age_band_stays(band),
        delete="age_band_delete",
    )


@partnership_view("baseline_setup", Action.DELETE, methods=POST)
def age_band_delete(request: HttpRequest, ctx: Ctx, age_band_id: str) -> HttpResponse:
    band = get_owned_or_404(AgeBand, ctx.partnership, public_id=age_band_id)
    return _removed(
        request,
        ctx,
        lambda: services_setup.delete_age_band(by=request.user, band=band),
        _("Age band removed."),
        "age-bands-h",
    )


@partnership_view("baseline_setup", Action.CHANGE, methods=GET_POST)
def gender_edit(request: HttpRequest, ctx: Ctx, gender_id: str) -> HttpResponse:
    option = get_owned_or_404(GenderOption, ctx.partnership, public_id=gender_id)
    form = GenderOptionEditForm(
        request.POST if request.method == "POST" else None, initial={"name": option.name}
    )
    if option.code in services_setup.DEFAULT_GENDER_CODES:
        offer_standard_name(form, GenderOption(code=option.code).label)
    if form.is_valid():
        try:
            services_setup.update_gender_option(
                by=request.user, option=option, name=form.cleaned_data["name"]
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Gender option saved."))
            return _to_setup(ctx, "genders-h")
    return _item_page(
        request,
        ctx,
        form=form,
        item=option,
        title=_("Edit the gender option"),
        stays=services_setup.why_gender_option_stays(option),
        delete="gender_delete",
    )


@partnership_view("baseline_setup", Action.DELETE, methods=POST)
def gender_delete(request: HttpRequest, ctx: Ctx, gender_id: str) -> HttpResponse:
    option = get_owned_or_404(GenderOption, ctx.partnership, public_id=gender_id)
    return _removed(
        request,
        ctx,
        lambda: services_setup.delete_gender_option(by=request.user, option=option),
        _("Gender option removed."),
        "genders-h",
    )


@partnership_view("baseline_setup", Action.CHANGE, methods=POST)
def gender_move(request: HttpRequest, ctx: Ctx, gender_id: str) -> HttpResponse:
    option = get_owned_or_404(GenderOption, ctx.partnership, public_id=gender_id)
    return _moved(
        request,
        ctx,
        lambda direction: services_setup.move_gender_option(
            by=request.user, option=option, direction=direction
        ),
        "genders-h",
    )


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


def _imported(result: ImportResult) -> str:
    text = _(
        "Localities created: %(created)d; updated: %(updated)d; boundaries stored: %(boundaries)d."
    ) % {"created": result.created, "updated": result.updated, "boundaries": result.boundaries}
    if result.skipped_codes:
        codes = result.skipped_codes
        more = "…" if len(codes) > SHOWN_CODES else ""
        text += " " + _(
            "Boundaries left out (not localities of this partnership): %(n)d (%(codes)s%(more)s)."
        ) % {"n": len(codes), "codes": ", ".join(codes[:SHOWN_CODES]), "more": more}
    return text


@partnership_view("baseline_setup", Action.CREATE, methods=GET_POST)
def locality_import(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    """Upload DANE's DIVIPOLA list and/or a boundary file: the same service
    as the ``import_localities`` command; every problem is reported and
    nothing is written unless the files are right."""
    limit = max_import_bytes()
    posted = request.method == "POST"
    form = LocalityImportForm(
        request.POST if posted else None, request.FILES if posted else None, max_bytes=limit
    )
    problems: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = import_localities(
                by=request.user,
                partnership=ctx.partnership,
                divipola=data["divipola"].read() if data["divipola"] else None,
                boundaries=data["boundaries"].read() if data["boundaries"] else None,
                departments=data["departments"],
                codes=data["codes"],
                code_property=data["code_property"] or DEFAULT_CODE_PROPERTY,
                skip_unknown=data["skip_unknown"],
            )
        except ServiceError as error:
            problems = problems_of(error)
        else:
            messages.success(request, _imported(result))
            return redirect("baseline:localities", slug=ctx.partnership.slug)
    return render(
        request,
        "baseline/locality_import.html",
        {"ctx": ctx, "form": form, "problems": problems, "code_property": DEFAULT_CODE_PROPERTY},
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
