from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["display_name", "language"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond email and password (its
    ``ACCOUNT_SIGNUP_FORM_CLASS``): the name others see. Without it a member
    shows as a reference such as ``#f044d920``."""

    display_name = forms.CharField(
        label=_("Your name as others see it"),
        max_length=150,
        help_text=_("A first name, a nickname or the name of your organisation's role."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request: Any, user: Any) -> None:
        # The adapter already stored it (accounts.adapters.AccountAdapter.save_user).
        return None


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
