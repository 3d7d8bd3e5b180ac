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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.confirm import CONFIRM_METHODS, confirm_page
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
from partnerships.errors import ServiceError
from partnerships.form_view import button_view, form_view
from partnerships.languages import working_languages
from partnerships.models import Partner, PartnerType, Role
from partnerships.paging import paged
from partnerships.permissions import GET_POST, POST, Action, Ctx, get_owned_or_404, partnership_view
from stakeholders.io import max_import_bytes
from stakeholders.models import Segment

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
    return form_view(
        request,
        form,
        lambda: services.add_dimension(
            by=request.user,
            partnership=ctx.partnership,
            names=form.texts("name"),
            descriptions=form.texts("description"),
        ),
        done=_("Dimension added."),
        then=lambda _saved: redirect("baseline:setup", slug=ctx.partnership.slug),
        page=lambda: _setup_page(request, ctx, dimension_form=form),
    )


@partnership_view("baseline_setup", Action.CREATE, methods=POST)
def age_band_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = AgeBandForm(request.POST)
    return form_view(
        request,
        form,
        lambda: services.add_age_band(
            by=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Age band added."),
        then=lambda _saved: redirect("baseline:setup", slug=ctx.partnership.slug),
        page=lambda: _setup_page(request, ctx, age_band_form=form),
    )


@partnership_view("baseline_setup", Action.CREATE, methods=POST)
def gender_create(request: HttpRequest, ctx: Ctx) -> HttpResponse:
    form = GenderOptionForm(request.POST)
    return form_view(
        request,
        form,
        lambda: services.add_gender_option(
            by=request.user, partnership=ctx.partnership, **form.cleaned_data
        ),
        done=_("Gender option added."),
        then=lambda _saved: redirect("baseline:setup", slug=ctx.partnership.slug),
        page=lambda: _setup_page(request, ctx, gender_form=form),
    )


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


def _removal(
    request: HttpRequest,
    ctx: Ctx,
    *,
    item: Any,
    stays: str,
    edit: str,
    title: str,
    remove: Any,
    done: str,
    section: str,
) -> HttpResponse:
    """A set-up entry's removal: GET asks on a page of its own, POST removes.
    An entry that something uses cannot go: GET and POST say why, on its
    edit page."""
    edit_url = reverse(f"baseline:{edit}", args=[ctx.partnership.slug, item.public_id])
    if stays:
        messages.error(request, stays)
        return redirect(edit_url)
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=title,
            consequences=[
                _("Nothing uses it now: no threat, entry, question or answer refers to it."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove"),
            cancel_url=edit_url,
        )
    return button_view(
        request, remove, done=done, then=_to_setup(ctx, section), refused=redirect(edit_url)
    )


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
    return form_view(
        request,
        form,
        lambda: services_setup.update_dimension(
            by=request.user,
            dimension=dimension,
            names=form.texts("name"),
            descriptions=form.texts("description"),
        ),
        done=_("Dimension saved."),
        then=lambda _saved: _to_setup(ctx, "dimensions-h"),
        page=lambda: _item_page(
            request,
            ctx,
            form=form,
            item=dimension,
            title=_("Edit the dimension"),
            stays=services_setup.why_dimension_stays(dimension),
            delete="dimension_delete",
        ),
    )


@partnership_view("baseline_setup", Action.DELETE, methods=CONFIRM_METHODS)
def dimension_delete(request: HttpRequest, ctx: Ctx, dimension_id: str) -> HttpResponse:
    dimension = get_owned_or_404(Dimension, ctx.partnership, public_id=dimension_id)
    return _removal(
        request,
        ctx,
        item=dimension,
        stays=services_setup.why_dimension_stays(dimension),
        edit="dimension_edit",
        title=_("Remove the dimension “%(name)s”?") % {"name": dimension.label},
        remove=lambda: services_setup.delete_dimension(by=request.user, dimension=dimension),
        done=_("Dimension removed."),
        section="dimensions-h",
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
    return form_view(
        request,
        form,
        lambda: services_setup.update_age_band(by=request.user, band=band, **form.cleaned_data),
        done=_("Age band saved."),
        then=lambda _saved: _to_setup(ctx, "age-bands-h"),
        page=lambda: _item_page(
            request,
            ctx,
            form=form,
            item=band,
            title=_("Edit the age band"),
            stays=services_setup.why_age_band_stays(band),
            delete="age_band_delete",
        ),
    )


@partnership_view("baseline_setup", Action.DELETE, methods=CONFIRM_METHODS)
def age_band_delete(request: HttpRequest, ctx: Ctx, age_band_id: str) -> HttpResponse:
    band = get_owned_or_404(AgeBand, ctx.partnership, public_id=age_band_id)
    return _removal(
        request,
        ctx,
        item=band,
        stays=services_setup.why_age_band_stays(band),
        edit="age_band_edit",
        title=_("Remove the age band “%(name)s”?") % {"name": band.label},
        remove=lambda: services_setup.delete_age_band(by=request.user, band=band),
        done=_("Age band removed."),
        section="age-bands-h",
    )


@partnership_view("baseline_setup", Action.CHANGE, methods=GET_POST)
def gender_edit(request: HttpRequest, ctx: Ctx, gender_id: str) -> HttpResponse:
    option = get_owned_or_404(GenderOption, ctx.partnership, public_id=gender_id)
    form = GenderOptionEditForm(
        request.POST if request.method == "POST" else None, initial={"name": option.name}
    )
    if option.code in services_setup.DEFAULT_GENDER_CODES:
        offer_standard_name(form, GenderOption(code=option.code).label)
    return form_view(
        request,
        form,
        lambda: services_setup.update_gender_option(
            by=request.user, option=option, name=form.cleaned_data["name"]
        ),
        done=_("Gender option saved."),
        then=lambda _saved: _to_setup(ctx, "genders-h"),
        page=lambda: _item_page(
            request,
            ctx,
            form=form,
            item=option,
            title=_("Edit the gender option"),
            stays=services_setup.why_gender_option_stays(option),
            delete="gender_delete",
        ),
    )


@partnership_view("baseline_setup", Action.DELETE, methods=CONFIRM_METHODS)
def gender_delete(request: HttpRequest, ctx: Ctx, gender_id: str) -> HttpResponse:
    option = get_owned_or_404(GenderOption, ctx.partnership, public_id=gender_id)
    return _removal(
        request,
        ctx,
        item=option,
        stays=services_setup.why_gender_option_stays(option),
        edit="gender_edit",
        title=_("Remove the gender option “%(name)s”?") % {"name": option.label},
        remove=lambda: services_setup.delete_gender_option(by=request.user, option=option),
        done=_("Gender option removed."),
        section="genders-h",
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
    return form_view(
        request,
        form,
        lambda: services.create_threat(
            by=request.user, partnership=ctx.partnership, **_threat_fields(form)
        ),
        done=_("Threat registered."),
        then=lambda threat: redirect(
            "baseline:threat", slug=ctx.partnership.slug, threat_id=threat.public_id
        ),
        page=lambda: render(request, "baseline/threat_form.html", {"ctx": ctx, "form": form}),
    )


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
    return _threat_page(request, ctx, _threat(ctx, threat_id))


def _threat(ctx: Ctx, threat_id: str) -> Threat:
    threat: Threat = get_owned_or_404(
        Threat.objects.prefetch_related("dimensions", "localities", "segments"),
        ctx.partnership,
        public_id=threat_id,
    )
    return threat


def _threat_page(
    request: HttpRequest,
    ctx: Ctx,
    threat: Threat,
    *,
    rating_form: RatingForm | None = None,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    """The threat's page; a form given here (bound, with its errors) replaces
    the empty one, so that what was typed survives a mistake."""
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
    if rating_form is None and ctx.can("threat_rating", Action.CREATE):
        rating_form = _rating_form(ctx)
    if evidence_form is None and ctx.can("evidence", Action.CREATE):
        evidence_form = EvidenceForm()
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
            "rating_form": rating_form,
            "evidence_form": evidence_form,
        },
    )


@partnership_view("threat", Action.CHANGE, methods=GET_POST)
def threat_edit(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    form = ThreatForm(
        request.POST or None, partnership=ctx.partnership, initial=ThreatForm.initial_for(threat)
    )
    return form_view(
        request,
        form,
        lambda: services.update_threat(by=request.user, threat=threat, **_threat_fields(form)),
        done=_("Saved."),
        then=lambda _saved: redirect(
            "baseline:threat", slug=ctx.partnership.slug, threat_id=threat.public_id
        ),
        page=lambda: render(
            request, "baseline/threat_form.html", {"ctx": ctx, "form": form, "threat": threat}
        ),
    )


@partnership_view("threat", Action.DELETE, methods=CONFIRM_METHODS)
def threat_delete(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = get_owned_or_404(Threat, ctx.partnership, public_id=threat_id)
    if request.method != "POST":
        ratings, evidence = threat.ratings.count(), threat.evidence.count()
        return confirm_page(
            request,
            ctx,
            title=_("Remove the threat “%(title)s” from the register?") % {"title": threat.title},
            consequences=[
                ngettext(
                    "Its rating goes with it (%(n)s, with its history).",
                    "Its ratings go with it (%(n)s, with their history).",
                    ratings,
                )
                % {"n": ratings},
                ngettext(
                    "Its piece of evidence goes with it.",
                    "Its %(n)s pieces of evidence go with it.",
                    evidence,
                )
                % {"n": evidence},
                _("The stress map and the mutual risks are worked out again without it."),
                _("Statements and collective goals that refer to it no longer show it."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove the threat"),
            cancel_url=_threat_url(ctx, threat),
        )
    services.delete_threat(by=request.user, threat=threat)
    messages.success(request, _("Threat removed from the register."))
    return redirect("baseline:threats", slug=ctx.partnership.slug)


def _threat_url(ctx: Ctx, threat: Threat) -> str:
    return reverse("baseline:threat", args=[ctx.partnership.slug, threat.public_id])


@partnership_view("threat_rating", Action.CREATE, methods=POST)
def rate(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = _threat(ctx, threat_id)
    form = _rating_form(ctx, request.POST)
    return form_view(
        request,
        form,
        lambda: services.rate_threat(
            by=request.user, threat=threat, member=ctx.member, **form.cleaned_data
        ),
        done=_("Rating recorded."),
        then=lambda _saved: redirect(_threat_url(ctx, threat)),
        # The threat's page again, with what was typed and each error on its field.
        page=lambda: _threat_page(request, ctx, threat, rating_form=form),
    )


@partnership_view("threat_rating", Action.DELETE, methods=CONFIRM_METHODS)
def rating_delete(request: HttpRequest, ctx: Ctx, rating_id: str) -> HttpResponse:
    rating = get_owned_or_404(
        ThreatRating.objects.select_related("threat", "segment"),
        ctx.partnership,
        public_id=rating_id,
    )
    back = _threat_url(ctx, rating.threat)
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Remove the rating of “%(threat)s” by %(group)s on %(date)s?")
            % {
                "threat": rating.threat.title,
                "group": rating.group_label,
                "date": date_format(rating.rated_on, "DATE_FORMAT"),
            },
            consequences=[
                _(
                    "If the group rated the threat before, that earlier rating becomes its "
                    "current one; otherwise the group no longer rates it."
                ),
                _("The threat's severity and likelihood are worked out again."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove the rating"),
            cancel_url=back,
        )
    services.delete_rating(by=request.user, rating=rating)
    messages.success(request, _("Rating removed."))
    return redirect(back)


@partnership_view("evidence", Action.CREATE, methods=POST)
def evidence_add(request: HttpRequest, ctx: Ctx, threat_id: str) -> HttpResponse:
    threat = _threat(ctx, threat_id)
    form = EvidenceForm(request.POST)
    return form_view(
        request,
        form,
        lambda: services.add_evidence(by=request.user, threat=threat, **form.cleaned_data),
        done=_("Evidence added."),
        then=lambda _saved: redirect(_threat_url(ctx, threat)),
        page=lambda: _threat_page(request, ctx, threat, evidence_form=form),
    )


@partnership_view("evidence", Action.DELETE, methods=CONFIRM_METHODS)
def evidence_delete(request: HttpRequest, ctx: Ctx, evidence_id: str) -> HttpResponse:
    evidence = get_owned_or_404(
        Evidence.objects.select_related("threat"), ctx.partnership, public_id=evidence_id
    )
    back = _threat_url(ctx, evidence.threat)
    if request.method != "POST":
        return confirm_page(
            request,
            ctx,
            title=_("Remove the evidence “%(title)s”?") % {"title": evidence.title},
            consequences=[
                _("The threat stays in the register, with its ratings."),
                _("The record keeps a trace of the removal."),
            ],
            button=_("Remove the evidence"),
            cancel_url=back,
        )
    services.delete_evidence(by=request.user, evidence=evidence)
    messages.success(request, _("Evidence removed."))
    return redirect(back)
