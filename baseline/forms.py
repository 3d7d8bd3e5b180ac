"""Forms parse input; ``baseline.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baseline.models import (
    ConditionKind,
    ContributionKind,
    Dimension,
    EvidenceKind,
    Locality,
    Nature,
    RatingSource,
    Threat,
    Trend,
)
from partnerships.forms import DateInput, ServiceErrorMixin
from partnerships.languages import TextsForm
from partnerships.models import Partner, Partnership, PartnerType
from stakeholders.models import Segment

SCORES = [(i, str(i)) for i in range(1, 6)]
DATE = DateInput()
TYPES = [t for t in PartnerType.choices if t[0] != PartnerType.FACILITATOR]


def _labelled(field: Any, queryset: Any, label: Any = None) -> None:
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label


class DimensionForm(ServiceErrorMixin, TextsForm):
    """A dimension's name and description in each working language of the
    partnership (``name_<code>``, ``description_<code>``); the first name is
    required, except for a standard dimension, whose empty names speak the
    reader's language."""

    def __init__(
        self, *args: Any, languages: list[str], name_required: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, languages=languages, **kwargs)
        self.add_texts("name", _("Name"), required=name_required, max_length=100)
        self.add_texts("description", _("Description"), required=False, area=True)


class AgeBandForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    min_age = forms.IntegerField(label=_("From age"), required=False, min_value=0, max_value=130)
    max_age = forms.IntegerField(label=_("To age"), required=False, min_value=0, max_value=130)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The set-up page holds this form and the gender one: ids apart, names alike.
        kwargs.setdefault("auto_id", "id_age_band_%s")
        super().__init__(*args, **kwargs)


class GenderOptionForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_gender_%s")
        super().__init__(*args, **kwargs)


class GenderOptionEditForm(ServiceErrorMixin, forms.Form):
    # Empty: a standard option's name in each reader's language (the service decides).
    name = forms.CharField(label=_("Name"), max_length=100, required=False)


STANDARD_NAME_HELP = _(
    "Leave it empty to use the standard name, shown in each reader's language: %(name)s."
)


def offer_standard_name(form: forms.Form, label: str) -> None:
    """For a standard entry: say that an empty name is the standard one."""
    field = form.fields["name"]
    field.help_text = STANDARD_NAME_HELP % {"name": label}
    field.widget.attrs["placeholder"] = label


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class LocalitySearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or code"), required=False, max_length=100)


DIVIPOLA_EXTENSIONS = ("csv", "txt")
BOUNDARY_EXTENSIONS = ("json", "geojson", "topojson")


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


class LocalityImportForm(forms.Form):
    """Files for ``baseline.localities.import_localities``: the same options as
    the ``import_localities`` command."""

    divipola = forms.FileField(
        label=_("DANE's DIVIPOLA list of municipalities (.csv)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,.txt"}),
    )
    boundaries = forms.FileField(
        label=_("Boundaries (.topojson, .geojson or .json)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".topojson,.geojson,.json"}),
    )
    departments = forms.CharField(
        label=_("Only these departments (codes)"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. 73, 52. Empty: the whole list."),
    )
    codes = forms.CharField(
        label=_("Only these municipalities (codes)"),
        required=False,
        max_length=1000,
        help_text=_("Five-digit codes, separated by commas. Empty: the whole list."),
    )
    code_property = forms.CharField(
        label=_("Property of the boundary file that holds the code"),
        required=False,
        max_length=60,
        help_text=_("MPIO_CCNCT in DANE's files."),
    )
    skip_unknown = forms.BooleanField(
        label=_("Skip boundaries of areas that are not localities of this partnership"),
        required=False,
        help_text=_("Otherwise such a boundary file is refused and nothing is imported."),
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        limit = filesizeformat(max_bytes)
        for name in ("divipola", "boundaries"):
            self.fields[name].help_text = _("At most %(size)s.") % {"size": limit}

    def _file(self, name: str, extensions: tuple[str, ...], message: Any) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get(name)
        if upload is None:
            return None
        if _extension(upload.name or "") not in extensions:
            raise forms.ValidationError(message)
        if (upload.size or 0) > self.max_bytes:
            raise forms.ValidationError(
                _("This file is too large: the limit is %(size)s. Split it into smaller files.")
                % {"size": filesizeformat(self.max_bytes)}
            )
        return upload

    def clean_divipola(self) -> UploadedFile | None:
        return self._file("divipola", DIVIPOLA_EXTENSIONS, _("Choose a .csv file."))

    def clean_boundaries(self) -> UploadedFile | None:
        return self._file(
            "boundaries", BOUNDARY_EXTENSIONS, _("Choose a .topojson, .geojson or .json file.")
        )

    def clean_departments(self) -> list[str]:
        return _codes(self.cleaned_data["departments"])

    def clean_codes(self) -> list[str]:
        return _codes(self.cleaned_data["codes"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("divipola") and not data.get("boundaries"):
            raise forms.ValidationError(_("Choose the list, a boundary file or both."))
        return data


class ThreatForm(ServiceErrorMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    dimensions = forms.ModelMultipleChoiceField(
        label=_("Dimensions"),
        queryset=Dimension.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    partner_types = forms.MultipleChoiceField(
        label=_("Partner types affected"),
        required=False,
        choices=TYPES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A business risk is a threat too."),
    )
    segments = forms.ModelMultipleChoiceField(
        label=_("Groups affected"),
        required=False,
        queryset=Segment.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    localities = forms.CharField(
        label=_("Localities (official codes)"),
        required=False,
        help_text=_("The localities' official codes, separated by commas."),
    )
    root_causes = forms.CharField(
        label=_("Root causes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    trend = forms.ChoiceField(label=_("Trend"), choices=Trend.choices, initial=Trend.UNKNOWN)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        _labelled(
            self.fields["dimensions"],
            Dimension.objects.filter(partnership=partnership),
            lambda d: d.label,
        )
        _labelled(
            self.fields["segments"],
            Segment.objects.filter(partnership=partnership),
            lambda s: s.label,
        )

    def clean_localities(self) -> list[Locality]:
        codes = [c.strip() for c in self.cleaned_data["localities"].split(",") if c.strip()]
        found = list(Locality.objects.filter(partnership=self.partnership, code__in=codes))
        unknown = sorted(set(codes) - {loc.code for loc in found})
        if unknown:
            raise forms.ValidationError(
                _("Unknown locality codes: %(c)s") % {"c": ", ".join(unknown[:10])}
            )
        return found

    @classmethod
    def initial_for(cls, threat: Threat) -> dict[str, Any]:
        return {
            "title": threat.title,
            "nature": threat.nature,
            "description": threat.description,
            "dimensions": [d.code for d in threat.dimensions.all()],
            "partner_types": threat.partner_types,
            "segments": [s.code for s in threat.segments.all()],
            "localities": ", ".join(loc.code for loc in threat.localities.all()),
            "root_causes": threat.root_causes,
            "trend": threat.trend,
        }


class ThreatFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    nature = forms.ChoiceField(
        label=_("Nature"),
        required=False,
        # "All" agrees with the field's noun in Spanish (la naturaleza: "Todas").
        choices=[("", pgettext_lazy("every nature of threat", "All")), *Nature.choices],
    )
    group = forms.ChoiceField(label=_("Group affected"), required=False)
    locality = forms.CharField(label=_("Locality code"), required=False, max_length=20)

    def __init__(
        self, *args: Any, dimensions: list[Dimension], segments: list[Segment], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        every = pgettext_lazy("every dimension", "All")
        dimension_choices = [("", every), *((d.code, d.label) for d in dimensions)]
        self.fields["dimension"].choices = dimension_choices  # type: ignore[attr-defined]
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((f"type:{t}", label) for t, label in TYPES),
            *((f"segment:{s.code}", s.label) for s in segments),
        ]


GROUP_HELP = _("A partner type or a segment, not both.")


class GroupFields(forms.Form):
    partner_type = forms.ChoiceField(
        label=_("Partner type"), required=False, choices=[("", "—"), *TYPES], help_text=GROUP_HELP
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"), required=False, queryset=Segment.objects.none(), to_field_name="code"
    )

    def _group_fields(self, partnership: Partnership) -> None:
        _labelled(
            self.fields["segment"],
            Segment.objects.filter(partnership=partnership),
            lambda s: s.label,
        )


class RatingForm(ServiceErrorMixin, GroupFields):
    severity = forms.TypedChoiceField(label=_("Severity"), choices=SCORES, coerce=int)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=SCORES, coerce=int)
    source = forms.ChoiceField(label=_("Source"), choices=RatingSource.choices)
    rated_by = forms.ModelChoiceField(
        label=_("Entered by partner"),
        required=False,
        queryset=Partner.objects.none(),
        to_field_name="public_id",
    )
    rated_on = forms.DateField(label=_("Rated on"), initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, partnership: Partnership, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._group_fields(partnership)
        _labelled(self.fields["rated_by"], partners)


class EvidenceForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Address"), required=False, max_length=500, assume_scheme="https")
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The threat's page holds this form and the rating one: ids apart, names alike.
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)


class ConditionForm(ServiceErrorMixin, GroupFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConditionKind.choices)
    dimension = forms.ModelChoiceField(
        label=_("Dimension"), queryset=Dimension.objects.none(), to_field_name="code"
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        required=False,
        queryset=Locality.objects.none(),
        to_field_name="code",
        widget=forms.TextInput,
        help_text=_("Its official code, if it concerns one locality."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("Where this comes from.")
    )
    recorded_on = forms.DateField(label=_("Recorded on"), initial=timezone.localdate, widget=DATE)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._group_fields(partnership)
        _labelled(
            self.fields["dimension"],
            Dimension.objects.filter(partnership=partnership),
            lambda d: d.label,
        )
        _labelled(self.fields["locality"], Locality.objects.filter(partnership=partnership))


class ContributionForm(ServiceErrorMixin, forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), to_field_name="public_id"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=40,
        help_text=_("e.g. COP, hours per month, hectares"),
    )
    dimensions = forms.ModelMultipleChoiceField(
        label=_("Dimensions"),
        required=False,
        queryset=Dimension.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DATE)

    def __init__(self, *args: Any, partnership: Partnership, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _labelled(self.fields["partner"], partners)
        _labelled(
            self.fields["dimensions"],
            Dimension.objects.filter(partnership=partnership),
            lambda d: d.label,
        )
