"""The demo partnership's charter: adapted from the consensus starter and in
force, adopted by every partner type, with a treasurer who spent within the
limit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from charter import services
from charter.models import CharterPosition, CharterRole, SpendingApproval
from partnerships.management.commands.demo import MAIN
from partnerships.models import Partnership


@pytest.mark.usefixtures("demo_once")
@pytest.mark.django_db
def test_it_puts_a_charter_in_force_in_the_demo() -> None:
    brumaverde = Partnership.objects.get(name=MAIN)
    version = services.in_force(brumaverde)
    assert version is not None and version.starter == "consensus"
    assert version.title["es"] == "Acuerdo de gobernanza de la Alianza por Brumaverde"
    types = {p.partner_type for p in CharterPosition.objects.filter(version=version)}
    assert types == {p.partner_type for p in services.present_partners(brumaverde)}
    assert CharterPosition.objects.filter(version=version, position="reservations").count() == 1
    assert CharterRole.objects.filter(version=version, kind="facilitator").count() == 1
    approval = SpendingApproval.objects.get(partnership=brumaverde)
    assert approval.basis == "role:treasurer"
    # The portal shows it (Brumaverde's page is public in the demo).
    if brumaverde.is_published:
        body = Client(HTTP_ACCEPT_LANGUAGE="es").get(
            reverse("portal:partnership", args=[brumaverde.slug])
        )
        assert "Acuerdo de gobernanza de la Alianza por Brumaverde" in body.content.decode()
