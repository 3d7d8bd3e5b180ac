from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOW_REGISTRATION)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # New accounts speak the language they signed up in.
        user.language = getattr(request, "LANGUAGE_CODE", "") or ""
        return super().save_user(request, user, form, commit)
