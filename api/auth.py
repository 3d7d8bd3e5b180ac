"""Personal API tokens (``Authorization: Bearer hsbp_…``) and rate limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        request.user = user
        if user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
        return user


class PerUserThrottle(SimpleRateThrottle):
    """One bucket per signed-in user, one per address for the rest."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(settings.HSBP_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the rate at request time so an operator's change (and a test's) applies.
        self.rate = settings.HSBP_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str:
        auth = getattr(request, "auth", None)
        ident = f"user-{auth.pk}" if auth is not None else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def caller(request: HttpRequest) -> User:
    """The user a token authenticated (every operation requires one)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise PermissionError("No authenticated caller.")
    return user
