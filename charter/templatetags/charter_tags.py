from django import template

from charter.money import format_money

register = template.Library()


@register.filter
def money(amount_minor: int, currency: str) -> str:
    """``{{ pot.amount_minor|money:pot.currency }}``: localised, with the
    currency's decimal places."""
    return format_money(int(amount_minor), str(currency))
