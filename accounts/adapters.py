from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOW_REGISTRATION)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # New accounts speak the language they signed up in, under the name they chose.
        user.language = getattr(request, "LANGUAGE_CODE", "") or ""
        user.display_name = (form.cleaned_data.get("display_name") or "").strip()
        return super().save_user(request, user, form, commit)

    def login(self, request: HttpRequest, user: Any) -> None:
        """Sign in, then speak the user's own language at once: allauth words
        its "Signed in as ..." message right after this, in the request's
        language, which was still the browser's (the user's saved language is
        applied by ``UserLanguageMiddleware`` only from the next request)."""
        super().login(request, user)
        language = getattr(user, "language", "")
        if language in {code for code, _name in settings.LANGUAGES}:
            translation.activate(language)
            request.LANGUAGE_CODE = language
