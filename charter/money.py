"""Amounts of money: integers in a currency's minor units, never floats.

A currency is its ISO 4217 code; its exponent (how many minor units make one
major unit: 2 for pesos and dollars, 0 for yen) comes from the table below,
the currencies a partnership is likely to budget in. A code not listed is
refused rather than guessed. Formatting is localised (``1.500.000,50 COP`` in
Spanish, ``1,500,000.50 COP`` in English).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partnerships.errors import ServiceError

# ISO 4217 minor-unit exponents.
EXPONENTS: dict[str, int] = {
    "ARS": 2, "BAM": 2, "BOB": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "COP": 2,
    "CRC": 2, "DOP": 2, "EUR": 2, "GBP": 2, "GHS": 2, "GTQ": 2, "HNL": 2, "JPY": 0,
    "KES": 2, "KWD": 3, "LRD": 2, "MXN": 2, "NGN": 2, "NIO": 2, "PAB": 2, "PEN": 2,
    "PYG": 0, "SLE": 2, "USD": 2, "UYU": 2, "VES": 2, "XAF": 0, "XOF": 0, "ZAR": 2,
}  # fmt: skip
# The largest amount a pot or a limit holds (a BigIntegerField holds more;
# this keeps a typing slip from becoming a budget).
MAX_MINOR = 10**15


def clean_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in EXPONENTS:
        raise ServiceError(
            _("Choose a currency by its ISO 4217 code (COP, USD, EUR…)."), field="currency"
        )
    return code


def exponent(currency: str) -> int:
    return EXPONENTS[currency]


def clean_minor(amount_minor: object, *, field: str, allow_zero: bool = False) -> int:
    """An amount in minor units: an integer (never a float), positive (or
    zero where allowed), within ``MAX_MINOR``."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise ServiceError(_("An amount is a whole number of the currency's cents."), field=field)
    if amount_minor < 0 or (amount_minor == 0 and not allow_zero):
        raise ServiceError(_("The amount must be more than zero."), field=field)
    if amount_minor > MAX_MINOR:
        raise ServiceError(_("This amount is too large."), field=field)
    return amount_minor


def to_minor(amount: Decimal, currency: str, *, field: str) -> int:
    """A decimal amount typed in a form, in minor units; more decimals than
    the currency has are refused, not rounded."""
    places = exponent(currency)
    try:
        scaled = amount.scaleb(places)
    except InvalidOperation:  # pragma: no cover - Decimal fields parse already
        raise ServiceError(_("Enter an amount."), field=field) from None
    if scaled != scaled.to_integral_value():
        raise ServiceError(
            _("%(currency)s has %(n)s decimal places.") % {"currency": currency, "n": places},
            field=field,
        )
    return int(scaled)


def to_major(amount_minor: int, currency: str) -> Decimal:
    return Decimal(amount_minor).scaleb(-exponent(currency))


def format_money(amount_minor: int, currency: str) -> str:
    """``1.500.000,50 COP``: localised, with the currency's decimal places."""
    places = exponent(currency) if currency in EXPONENTS else 0
    number = number_format(
        Decimal(amount_minor).scaleb(-places),
        decimal_pos=places,
        use_l10n=True,
        force_grouping=True,
    )
    return f"{number} {currency}"
