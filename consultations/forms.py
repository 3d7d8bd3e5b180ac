"""Forms of the questionnaire builder, the sessions and the respondent's
profile. Forms parse; ``consultations.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baseline.models import Locality
from consultations.checking import format_options
from consultations.models import Mode, Question, QuestionKind, Questionnaire
from partnerships.forms import DateInput, ServiceErrorMixin
from stakeholders.models import Segment

# The languages every questionnaire can be written in (the product's own).
LANGUAGES = (("en", gettext_lazy("English")), ("es", gettext_lazy("Spanish")))
MAX_SHEET_BYTES = 2 * 1024 * 1024
TEXTAREA = {"rows": 2}


def _texts(data: dict[str, Any], prefix: str) -> dict[str, str]:
    return {code: data.get(f"{prefix}_{code}") or "" for code, _label in LANGUAGES}


def _text_fields(
    form: forms.Form, prefix: str, label: Any, *, required: bool = False, area: bool = False
) -> None:
    for code, name in LANGUAGES:
        widget = forms.Textarea(attrs=TEXTAREA) if area else forms.TextInput()
        form.fields[f"{prefix}_{code}"] = forms.CharField(
            label=f"{label} ({name})",
            required=required and code == "en",
            widget=widget,
            max_length=5000,
        )


class QuestionnaireForm(ServiceErrorMixin, forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"), choices=Mode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mode = self.fields.pop("mode")
        _text_fields(self, "title", _("Title"), required=True)
        _text_fields(self, "introduction", _("Introduction"), area=True)
        _text_fields(self, "consent", _("Consent text"), area=True)
        self.fields["mode"] = mode
        self.fields["consent_en"].help_text = _(
            "When there is consent text, respondents must agree to it before answering."
        )

    @staticmethod
    def initial_for(q: Questionnaire) -> dict[str, Any]:
        initial: dict[str, Any] = {"mode": q.mode}
        for prefix in ("title", "introduction", "consent"):
            for code, _label in LANGUAGES:
                initial[f"{prefix}_{code}"] = getattr(q, prefix).get(code, "")
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": _texts(data, "title"),
            "introduction": _texts(data, "introduction"),
            "consent": _texts(data, "consent"),
            "mode": data["mode"],
        }


class QuestionForm(ServiceErrorMixin, forms.Form):
    key = forms.SlugField(
        label=gettext_lazy("Key"),
        max_length=60,
        help_text=gettext_lazy(
            "Short and stable, e.g. water_access: the analysis adds answers up by key across versions."
        ),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of question"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    options = forms.CharField(
        label=gettext_lazy("Options or items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One per line: code | English label | etiqueta en español. "
            "For a threat-rating grid, leave empty: the partnership's threats are used."
        ),
    )
    minimum = forms.FloatField(label=gettext_lazy("Lowest value"), required=False)
    maximum = forms.FloatField(label=gettext_lazy("Highest value"), required=False)
    max_length = forms.IntegerField(
        label=gettext_lazy("Longest answer (characters)"), required=False, initial=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tail = {
            n: self.fields.pop(n)
            for n in ("required", "options", "minimum", "maximum", "max_length")
        }
        _text_fields(self, "text", _("Question"), required=True, area=True)
        _text_fields(self, "help", _("Help"))
        self.fields.update(tail)
        _text_fields(self, "low", _("Label of the low end"))
        _text_fields(self, "high", _("Label of the high end"))

    @staticmethod
    def initial_for(q: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "key": q.key,
            "kind": q.kind,
            "required": q.required,
            "options": format_options(q.options) if q.kind != QuestionKind.THREAT_RATING else "",
            "minimum": q.minimum,
            "maximum": q.maximum,
            "max_length": q.max_length,
        }
        for prefix, attr in (
            ("text", "text"),
            ("help", "help_text"),
            ("low", "low_label"),
            ("high", "high_label"),
        ):
            for code, _label in LANGUAGES:
                initial[f"{prefix}_{code}"] = getattr(q, attr).get(code, "")
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "key": data["key"],
            "kind": data["kind"],
            "required": data["required"],
            "text": _texts(data, "text"),
            "help_text": _texts(data, "help"),
            "low_label": _texts(data, "low"),
            "high_label": _texts(data, "high"),
            "minimum": data["minimum"],
            "maximum": data["maximum"],
            "max_length": data["max_length"] or 2000,
        }
        if data["kind"] != QuestionKind.THREAT_RATING:
            values["options"] = data["options"] or ""
        return values


class SessionForm(ServiceErrorMixin, forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Held on"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    locality = forms.ModelChoiceField(
        label=gettext_lazy("Locality"),
        required=False,
        queryset=Locality.objects.none(),
        to_field_name="code",
    )
    total = forms.IntegerField(label=gettext_lazy("Attendance: total"), min_value=0, required=False)
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(
        self, *args: Any, localities: Any, genders: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities  # type: ignore[attr-defined]
        self.genders = genders
        notes = self.fields.pop("notes")
        for code, label in genders:
            self.fields[f"attendance_{code}"] = forms.IntegerField(
                label=_("Attendance: %(gender)s") % {"gender": label}, min_value=0, required=False
            )
        self.fields["notes"] = notes

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        attendance = {code: data[f"attendance_{code}"] for code, _l in self.genders}
        attendance["total"] = data["total"]
        return {
            "held_on": data["held_on"],
            "place": data["place"],
            "locality": data["locality"],
            "notes": data["notes"],
            "attendance": {k: v for k, v in attendance.items() if v is not None},
        }


class SheetForm(forms.Form):
    sheet = forms.CharField(
        label=gettext_lazy("Rows of the sheet (CSV, with the header row)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a CSV file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    consented = forms.BooleanField(
        label=gettext_lazy("Every respondent in this sheet gave their consent"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s.") % {
            "size": filesizeformat(MAX_SHEET_BYTES)
        }

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if upload is not None and (upload.size or 0) > MAX_SHEET_BYTES:
            raise forms.ValidationError(
                _("This file is too large: the limit is %(size)s. Split the session's sheet.")
                % {"size": filesizeformat(MAX_SHEET_BYTES)}
            )
        return upload

    def clean_sheet(self) -> str:
        text: str = self.cleaned_data.get("sheet") or ""
        if len(text.encode()) > MAX_SHEET_BYTES:
            raise forms.ValidationError(
                _("These rows are too long: the limit is %(size)s. Split the session's sheet.")
                % {"size": filesizeformat(MAX_SHEET_BYTES)}
            )
        return text

    def text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            raw = upload.read()
            try:
                return str(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                return str(raw.decode("latin-1"))
        return str(self.cleaned_data.get("sheet") or "")


class ProfileForm(ServiceErrorMixin, forms.Form):
    segment = forms.ModelChoiceField(
        label=gettext_lazy("Group"),
        required=False,
        queryset=Segment.objects.none(),
        to_field_name="code",
    )
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), required=False)
    age_band = forms.ChoiceField(label=gettext_lazy("Age band"), required=False)
    locality = forms.ModelChoiceField(
        label=gettext_lazy("Locality"),
        required=False,
        queryset=Locality.objects.none(),
        to_field_name="code",
    )

    def __init__(
        self,
        *args: Any,
        segments: Any,
        localities: Any,
        genders: list[tuple[str, str]],
        age_bands: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments  # type: ignore[attr-defined]
        self.fields["segment"].label_from_instance = lambda s: s.label  # type: ignore[attr-defined]
        self.fields["locality"].queryset = localities  # type: ignore[attr-defined]
        self.fields["gender"].choices = [("", "—"), *genders]  # type: ignore[attr-defined]
        self.fields["age_band"].choices = [("", "—"), *age_bands]  # type: ignore[attr-defined]
