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
from consultations.models import Mode, Question, QuestionKind, Questionnaire
from partnerships.forms import DateInput, ServiceErrorMixin
from partnerships.languages import (
    TEXTAREA,
    TextsForm,
    initial_texts_of,
)
from stakeholders.models import Segment

MAX_SHEET_BYTES = 2 * 1024 * 1024
QUESTIONNAIRE_TEXTS = ("title", "introduction", "consent")
# A question's texts: the form's prefix, and the question's attribute.
QUESTION_TEXTS = {"text": "text", "help": "help_text", "low": "low_label", "high": "high_label"}


class QuestionnaireForm(ServiceErrorMixin, TextsForm):
    """A questionnaire's texts, one field per working language of the
    partnership (the first required), and its mode."""

    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"), choices=Mode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, languages=languages, **kwargs)
        mode = self.fields.pop("mode")
        self.add_texts("title", _("Title"))
        self.add_texts("introduction", _("Introduction"), required=False, area=True)
        self.add_texts("consent", _("Consent text"), required=False, area=True)
        self.fields["mode"] = mode
        self.fields[f"consent_{self.languages[0]}"].help_text = _(
            "When there is consent text, respondents must agree to it before answering."
        )

    @staticmethod
    def initial_for(q: Questionnaire, languages: list[str]) -> dict[str, Any]:
        return {"mode": q.mode, **initial_texts_of(q, QUESTIONNAIRE_TEXTS, languages)}

    def values(self) -> dict[str, Any]:
        return {**self.texts_of(QUESTIONNAIRE_TEXTS), "mode": self.cleaned_data["mode"]}


# The kinds whose answers are options a facilitator writes, one row each.
OPTION_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING)
# The kinds with a lowest and a highest value.
RANGE_KINDS = (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.THREAT_RATING)
# The kinds whose ends have labels.
END_LABEL_KINDS = (QuestionKind.SCALE, QuestionKind.RANKING, QuestionKind.THREAT_RATING)
EXTRA_ROWS = 2  # empty option rows under the filled ones
MORE_ROWS = 3  # rows "add more rows" adds
MAX_ROWS = 60


class OptionRows:
    """A question's options as rows — a label per working language, the first
    required — that can be added, removed and moved without JavaScript: every
    row button posts the whole form back, the rows change, nothing is saved
    and nothing typed is lost. Each row carries its code in a hidden field, so
    an option keeps its code when its label changes (a new row gets one from
    its label when the question is saved).

    Fields: ``option-count``; per row ``option-<i>-code`` and
    ``option-<i>-label_<language>``; the buttons are ``row_action`` =
    ``add``, ``up-<i>``, ``down-<i>`` or ``remove-<i>``."""

    def __init__(
        self,
        languages: list[str],
        *,
        data: Any = None,
        options: list[dict[str, Any]] | None = None,
    ) -> None:
        self.languages = languages
        self.changed = False  # a row button was pressed: show the rows again, unsaved
        if data is not None:
            self.rows = self._read(data)
            self.changed = self._apply(str(data.get("row_action") or ""))
        else:
            self.rows = [
                {"code": str(o.get("code", "")), "label": dict(o.get("label") or {})}
                for o in options or []
            ]
        filled = [r for r in self.rows if not self._empty(r)]
        if not self.changed:  # a new question starts with three empty rows
            extra = EXTRA_ROWS if filled else EXTRA_ROWS + 1
            self.rows = filled + [self._blank() for _ in range(extra)]

    def _blank(self) -> dict[str, Any]:
        return {"code": "", "label": {}}

    @staticmethod
    def _empty(row: dict[str, Any]) -> bool:
        return not row["code"] and not any(v.strip() for v in row["label"].values())

    def _read(self, data: Any) -> list[dict[str, Any]]:
        try:
            count = min(int(data.get("option-count") or 0), MAX_ROWS)
        except ValueError:
            count = 0
        rows = []
        for i in range(count):
            rows.append(
                {
                    "code": str(data.get(f"option-{i}-code") or "").strip()[:60],
                    "label": {
                        code: str(data.get(f"option-{i}-label_{code}") or "")
                        for code in self.languages
                    },
                }
            )
        return rows

    def _apply(self, action: str) -> bool:
        if action == "add":
            room = MAX_ROWS - len(self.rows)
            self.rows.extend(self._blank() for _ in range(max(0, min(MORE_ROWS, room))))
            return True
        verb, _sep, number = action.partition("-")
        if verb not in ("up", "down", "remove") or not number.isdigit():
            return False
        i = int(number)
        if not 0 <= i < len(self.rows):
            return True
        if verb == "remove":
            del self.rows[i]
        else:
            j = i - 1 if verb == "up" else i + 1
            if 0 <= j < len(self.rows):
                self.rows[i], self.rows[j] = self.rows[j], self.rows[i]
        if not self.rows:
            self.rows = [self._blank()]
        return True

    def values(self) -> list[dict[str, Any]]:
        """The filled rows, in order, as the service takes them."""
        return [dict(r) for r in self.rows if not self._empty(r)]

    def for_template(self) -> list[dict[str, Any]]:
        from partnerships.languages import field_label

        shown = []
        for i, row in enumerate(self.rows):
            shown.append(
                {
                    "index": i,
                    "number": i + 1,
                    "code": row["code"],
                    "first": i == 0,
                    "last": i == len(self.rows) - 1,
                    "labels": [
                        {
                            "name": f"option-{i}-label_{code}",
                            "label": field_label(_("Label"), code),
                            "value": row["label"].get(code, ""),
                            "lang": code,
                            "required": n == 0,
                        }
                        for n, code in enumerate(self.languages)
                    ],
                }
            )
        return shown


class QuestionForm(ServiceErrorMixin, TextsForm):
    """A question of one kind: only the fields that kind uses. The kind is
    chosen before (``?kind=``); the key is made from the text by the service;
    options are ``OptionRows``."""

    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)

    def __init__(
        self,
        *args: Any,
        kind: str,
        languages: list[str],
        options: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, languages=languages, **kwargs)
        self.question_kind = kind  # posted back by the page as a hidden "kind"
        required = self.fields.pop("required")
        self.add_texts("text", _("Question"), area=True)
        self.add_texts("help", _("Help for the respondent"), required=False)
        self.fields["required"] = required
        if kind in RANGE_KINDS:
            self.fields["minimum"] = forms.FloatField(
                label=_("Lowest value"), required=kind == QuestionKind.SCALE
            )
            self.fields["maximum"] = forms.FloatField(
                label=_("Highest value"), required=kind == QuestionKind.SCALE
            )
            if kind == QuestionKind.SCALE:
                self.initial.setdefault("minimum", 1)
                self.initial.setdefault("maximum", 5)
            if kind == QuestionKind.THREAT_RATING:
                for name in ("minimum", "maximum"):
                    self.fields[name].help_text = _("Empty: from 1 to 5.")
        if kind in END_LABEL_KINDS:
            self.add_texts("low", _("Label of the low end"), required=False)
            self.add_texts("high", _("Label of the high end"), required=False)
        if kind == QuestionKind.FREE_TEXT:
            self.fields["max_length"] = forms.IntegerField(
                label=_("Longest answer (characters)"), min_value=1, max_value=10_000, initial=2000
            )
        self.rows = (
            OptionRows(self.languages, data=self.data if self.is_bound else None, options=options)
            if kind in OPTION_KINDS
            else None
        )

    options_error = ""

    def add_service_error(self, error: Any) -> None:
        # The options are rows, not one field: their problem is shown beside them.
        if error.field == "options" and self.rows is not None:
            self.options_error = error.message
            self.add_error(None, _("Some options need attention: see below."))
            return
        super().add_service_error(error)

    @property
    def row_action(self) -> bool:
        """A row button was pressed: show the form again, save nothing."""
        return self.rows is not None and self.rows.changed

    @staticmethod
    def initial_for(q: Question, languages: list[str]) -> dict[str, Any]:
        return {
            "required": q.required,
            "minimum": q.minimum,
            "maximum": q.maximum,
            "max_length": q.max_length,
            **initial_texts_of(q, QUESTION_TEXTS, languages),
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "kind": self.question_kind,
            "required": data["required"],
            "text": self.texts("text"),
            "help_text": self.texts("help"),
        }
        if self.question_kind in RANGE_KINDS:
            values["minimum"], values["maximum"] = data["minimum"], data["maximum"]
        else:
            values["minimum"] = values["maximum"] = None
        if self.question_kind in END_LABEL_KINDS:
            values["low_label"] = self.texts("low")
            values["high_label"] = self.texts("high")
        else:
            values["low_label"] = values["high_label"] = {}
        if self.question_kind == QuestionKind.FREE_TEXT:
            values["max_length"] = data["max_length"] or 2000
        if self.rows is not None:
            values["options"] = self.rows.values()
        elif self.question_kind != QuestionKind.THREAT_RATING:
            values["options"] = []
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
