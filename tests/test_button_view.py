"""The shape of a page that is only a button (partnerships.form_view.button_view)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.test import RequestFactory

from partnerships.form_view import button_view
from partnerships.models import Member
from tests.conftest import World


def test_it_changes_nothing_when_a_button_is_reached_without_a_post() -> None:
    acted: list[str] = []
    response = button_view(
        RequestFactory().get("/anywhere/"),
        lambda: acted.append("acted"),
        done="Done.",
        then=HttpResponseRedirect("/"),
    )
    assert response.status_code == 405
    assert acted == []


def test_it_says_a_refusal_and_goes_where_a_refusal_goes(world: World) -> None:
    client = world.client_for("facilitator")
    membership = f"/p/{world.own.slug}/membership/"
    response = client.post(f"/p/{world.own.slug}/membership/leave/")
    assert response.status_code == 302
    assert response["Location"] == membership
    page = client.get(membership).content.decode()
    assert "at least one facilitator" in page
    assert Member.objects.filter(partnership=world.own, user=world.facilitator).exists()


def test_it_says_an_incomplete_button_form_in_one_message(world: World) -> None:
    client = world.client_for("facilitator")
    company = world.company
    page = f"/p/{world.own.slug}/partners/{company.public_id}/"
    response = client.post(page + "leave/", {"left_on": "", "reason": ""}, follow=True)
    assert response.redirect_chain[-1][0] == page
    assert "Give the date and the reason the partner left." in response.content.decode()
    company.refresh_from_db()
    assert company.left_on is None
