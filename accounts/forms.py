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


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
