"""Per-user language, and multi-factor authentication for those who need it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

_LANGS = {code for code, _name in settings.LANGUAGES}
# Set when someone picks a language with the switcher in this session, so that
# a page that would otherwise speak its own language (an invitation speaks the
# inviter's choice) follows the visitor's explicit choice instead.
LANGUAGE_CHOSEN_SESSION_KEY = "hsbp_language_chosen"


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        )
        if language in _LANGS:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


MFA_SESSION_KEY = "hsbp_mfa_enrolled"
# Paths a user who must set up MFA can still reach: the set-up itself, signing
# out, the language switch, static files.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/account/language/", "/healthz")


class RequireMFAMiddleware:
    """Facilitators and instance administrators must have an authenticator app
    (TOTP) before they can do anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.is_staff or user.requires_mfa)
            and not request.session.get(MFA_SESSION_KEY)
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            if not user.has_mfa:
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            request.session[MFA_SESSION_KEY] = True
        return self.get_response(request)
