"""The demo data: loads, loads again without doubling, and names no real person."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User
from partnerships.models import AuditEntry, Member, Partner, Partnership, PartnerType, Role


@pytest.mark.django_db
def test_it_loads_the_demo_idempotently() -> None:
    call_command("demo", verbosity=0)
    counts = (
        Partnership.objects.count(),
        Partner.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )
    call_command("demo", verbosity=0)
    assert counts == (
        Partnership.objects.count(),
        Partner.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )
    assert counts[0] == 2


@pytest.mark.django_db
def test_it_gives_the_demo_every_partner_type_and_every_role() -> None:
    call_command("demo", verbosity=0)
    main = Partnership.objects.get(area_code="73555")
    assert set(
        Partner.objects.filter(partnership=main).values_list("partner_type", flat=True)
    ) == set(PartnerType.values)
    assert set(Member.objects.filter(partnership=main).values_list("role", flat=True)) == set(
        Role.values
    )
    assert main.is_published


@pytest.mark.django_db
def test_it_uses_only_reserved_demo_addresses() -> None:
    call_command("demo", verbosity=0)
    assert all(
        email.endswith("@demo.hsbp.invalid")
        for email in User.objects.values_list("email", flat=True)
    )
