"""Authenticator-app codes, for the demo and the tests (production users use
their own app). Thin wrappers over allauth's TOTP implementation."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return str(format_hotp_value(hotp_value(secret, counter)))


def activate(user: Any, secret: str) -> None:
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
