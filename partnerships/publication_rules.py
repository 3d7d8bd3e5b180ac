"""What this room lets the public portal show."""

from django.db.models import Q

from partnerships.models import Partner, Partnership
from partnerships.publication import declare


def register() -> None:
    declare(
        Partnership,
        fields=("slug", "name", "country", "area_code", "locality_name", "description", "status"),
    )
    # Partners are organisations and constituencies, never people; those that left are not shown.
    declare(Partner, fields=("name", "partner_type", "joined_on"), where=Q(left_on__isnull=True))
