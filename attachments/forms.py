"""Forms of the attachments room. Forms parse; ``attachments.services``
decides (types by content, size, addresses, captions), so the API would
obey the same rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from attachments.models import AttachmentKind
from partnerships.languages import TextsForm

ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.txt,.csv,.odt,.ods,.odp,.docx,.xlsx,.pptx"


class AttachmentForm(TextsForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("What you attach"),
        choices=AttachmentKind.choices,
        initial=AttachmentKind.PHOTO,
        widget=forms.RadioSelect,
    )
    upload = forms.FileField(
        label=gettext_lazy("File (for a photo or a document)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=gettext_lazy(
            "Photos (JPEG, PNG, WebP), PDF, text or CSV, OpenDocument or Office documents."
        ),
    )
    url = forms.CharField(
        label=gettext_lazy("Web address (for a link)"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    shows_people = forms.BooleanField(
        label=gettext_lazy("It shows people"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Without their consent it is kept inside the partnership: "
            "never on the public portal, in exports or in notifications."
        ),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("The people shown agreed to its being shared"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_texts(
            "caption",
            gettext_lazy("Caption (what it shows or holds)"),
            max_length=300,
        )
        order = ["kind", "upload", "url"]
        order += [f"caption_{code}" for code in self.languages]
        self.order_fields([*order, "shows_people", "consent"])


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        coerce=lambda value: value == "yes",
    )
