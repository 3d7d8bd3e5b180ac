"""Forms of the discussion room. Forms parse; ``discussion.services`` decides
(the body's limits and control characters are checked there, so the API
would obey the same rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from discussion.services import MAX_BODY, MAX_REASON


class CommentForm(forms.Form):
    # No max_length here: the service says how long it was, in one message.
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}),
        strip=False,
        required=False,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is hidden (shown to everyone)"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_REASON}),
        required=False,
    )
