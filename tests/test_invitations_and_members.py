"""Invitations, memberships and the rules around the last facilitator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from partnerships import services
from partnerships.models import AuditEntry, Invitation, Member, Role
from partnerships.services import ServiceError
from tests.conftest import PASSWORD, World, make_user


def _invite(
    world: World, email: str = "new-person@example.test", role: str = Role.OBSERVER
) -> Invitation:
    return services.invite(actor=world.facilitator, partnership=world.own, email=email, role=role)


# Committed for real: the worker is a separate actor that reads committed rows
# (and closes its connection when done, as it would in production).
@pytest.mark.django_db(transaction=True)
def test_it_sends_the_invitation_from_the_worker_after_commit(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    assert mail.outbox == []  # queued, not sent in the request
    call_command("db_worker", batch=True, startup_delay=False, reload=False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new-person@example.test"]
    # The link carries a signed, timestamped token: it names this invitation.
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert services.find_invitation(token).pk == invitation.pk


def test_it_does_not_enqueue_when_the_transaction_rolls_back(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(ServiceError):
            services.invite(
                actor=world.facilitator,
                partnership=world.own,
                email="not-an-email",
                role=Role.OBSERVER,
            )
    assert callbacks == []


def test_it_turns_an_accepted_invitation_into_a_membership(world: World) -> None:
    invitation = services.invite(
        actor=world.facilitator,
        partnership=world.own,
        email="rep@example.test",
        role=Role.PARTNER_REPRESENTATIVE,
        partner=world.community,
    )
    user = make_user("rep@example.test")
    member = services.accept_invitation(user=user, token=services.invitation_token(invitation))
    assert member.role == Role.PARTNER_REPRESENTATIVE and member.partner == world.community
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED


def test_it_refuses_a_link_that_was_already_used(world: World) -> None:
    invitation = _invite(world)
    token = services.invitation_token(invitation)
    services.accept_invitation(user=make_user("new-person@example.test"), token=token)
    with pytest.raises(ServiceError, match="already been used"):
        services.accept_invitation(user=make_user("someone-else@example.test"), token=token)


def test_it_refuses_an_expired_link(world: World) -> None:
    invitation = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ServiceError, match="expired"):
        services.accept_invitation(
            user=make_user("new-person@example.test"), token=services.invitation_token(invitation)
        )
    assert not Member.objects.filter(user__email="new-person@example.test").exists()


def test_it_refuses_a_tampered_link(world: World) -> None:
    token = services.invitation_token(_invite(world))
    with pytest.raises(ServiceError, match="not valid"):
        services.accept_invitation(user=world.outsider, token=token[:-3] + "abc")


def test_it_refuses_a_withdrawn_link(world: World) -> None:
    invitation = _invite(world)
    services.revoke_invitation(actor=world.facilitator, invitation=invitation)
    with pytest.raises(ServiceError, match="withdrawn"):
        services.accept_invitation(user=world.outsider, token=services.invitation_token(invitation))


def test_it_refuses_a_duplicate_membership_and_keeps_the_invitation_unused(world: World) -> None:
    invitation = _invite(world, email="elsewhere@example.test")
    # The observer already belongs; accepting someone else's link as them must not double them.
    with pytest.raises(ServiceError, match="already a member"):
        services.accept_invitation(user=world.observer, token=services.invitation_token(invitation))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert Member.objects.filter(partnership=world.own, user=world.observer).count() == 1


def test_it_refuses_to_invite_an_existing_member(world: World) -> None:
    with pytest.raises(ServiceError, match="already a member"):
        _invite(world, email=world.observer.email)


def test_it_needs_a_partner_of_this_partnership_for_a_representative(world: World) -> None:
    with pytest.raises(ServiceError, match="Choose the partner"):
        _invite(world, role=Role.PARTNER_REPRESENTATIVE)
    with pytest.raises(ServiceError, match="not part of this partnership"):
        services.invite(
            actor=world.facilitator,
            partnership=world.own,
            email="x@example.test",
            role=Role.PARTNER_REPRESENTATIVE,
            partner=world.foreign_partner,
        )


def test_it_keeps_the_last_facilitator(world: World) -> None:
    facilitator = world.member(world.facilitator)
    with pytest.raises(ServiceError, match="at least one facilitator"):
        services.remove_member(actor=world.facilitator, member=facilitator)
    with pytest.raises(ServiceError, match="at least one facilitator"):
        services.change_role(actor=world.facilitator, member=facilitator, role=Role.OBSERVER)
    assert Member.objects.filter(partnership=world.own, role=Role.FACILITATOR).count() == 1


def test_it_lets_a_facilitator_leave_once_another_is_appointed(world: World) -> None:
    services.change_role(
        actor=world.facilitator, member=world.member(world.observer), role=Role.FACILITATOR
    )
    world.observer.refresh_from_db()
    assert world.observer.requires_mfa
    services.remove_member(actor=world.facilitator, member=world.member(world.facilitator))
    assert not Member.objects.filter(partnership=world.own, user=world.facilitator).exists()


def test_it_lets_a_member_leave_through_the_page(world: World) -> None:
    client = world.client_for("participant")
    response = client.post(f"/p/{world.own.slug}/membership/leave/")
    assert response.status_code == 302
    assert not Member.objects.filter(partnership=world.own, user=world.participant).exists()
    assert client.get(f"/p/{world.own.slug}/").status_code == 404


def test_it_tells_the_last_facilitator_why_they_cannot_leave(world: World) -> None:
    client = world.client_for("facilitator")
    response = client.post(f"/p/{world.own.slug}/membership/leave/", follow=True)
    assert "at least one facilitator" in response.content.decode()
    assert Member.objects.filter(partnership=world.own, user=world.facilitator).exists()


def test_it_shows_invitation_problems_in_spanish(world: World) -> None:
    invitation = _invite(world)
    services.revoke_invitation(actor=world.facilitator, invitation=invitation)
    client = world.client_for("outsider")
    world.outsider.language = "es"
    world.outsider.save(update_fields=["language"])
    response = client.get(f"/invitations/{services.invitation_token(invitation)}/")
    assert response.status_code == 410
    assert "Esta invitación fue retirada" in response.content.decode()


def test_it_accepts_through_the_page_and_records_who(world: World) -> None:
    invitation = _invite(world, email="outsider@example.test")
    client = world.client_for("outsider")
    url = f"/invitations/{services.invitation_token(invitation)}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"display_name": "Outsider persona"})
    assert response.status_code == 302 and response["Location"] == f"/p/{world.own.slug}/"
    world.outsider.refresh_from_db()
    assert world.outsider.display_name == "Outsider persona"
    entry = AuditEntry.objects.filter(partnership=world.own, kind="member", action="create").first()
    assert entry is not None and entry.actor_id == world.outsider.pk
    # A second click on the same link does nothing more: it leads to the partnership.
    again = client.post(url, {"display_name": "Outsider persona"})
    assert again.status_code == 302 and again["Location"] == f"/p/{world.own.slug}/"
    assert Member.objects.filter(partnership=world.own, user=world.outsider).count() == 1


def test_it_stops_a_participant_from_changing_roles(world: World) -> None:
    client = world.client_for("participant")
    member = world.member(world.participant)
    response = client.post(
        f"/p/{world.own.slug}/members/{member.public_id}/role/", {"role": Role.FACILITATOR}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.PARTICIPANT


# --- The invitation's own page ----------------------------------------------------


def _invitation_url(invitation: Invitation) -> str:
    return f"/invitations/{services.invitation_token(invitation)}/"


def test_it_speaks_the_invitations_language_whatever_the_browser(world: World) -> None:
    invitation = services.invite(
        actor=world.facilitator,
        partnership=world.own,
        email="coffee-rep@example.test",
        role=Role.PARTNER_REPRESENTATIVE,
        partner=world.company,
        language="es",
    )
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en")
    page = browser.get(_invitation_url(invitation)).content.decode()
    assert '<html lang="es">' in page
    assert "Own partnership" in page and "Facilitator persona" in page
    assert "representante de socio" in page and "Test company" in page
    assert "coffee-rep@example.test" in page and 'name="display_name"' in page
    assert 'name="password1"' in page and 'type="email"' not in page  # the address is fixed
    # The invitee can switch: a link on the page, or the switcher of the footer.
    assert (
        '<html lang="en">' in browser.get(_invitation_url(invitation) + "?lang=en").content.decode()
    )
    browser.post("/account/language/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in browser.get(_invitation_url(invitation)).content.decode()


def test_it_creates_the_invited_account_through_allauth_and_joins(world: World) -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import User

    invitation = services.invite(
        actor=world.facilitator,
        partnership=world.own,
        email="coffee-rep@example.test",
        role=Role.PARTNER_REPRESENTATIVE,
        partner=world.company,
        language="es",
    )
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post(
        _invitation_url(invitation),
        {
            "email": "someone-else@example.test",  # ignored: the invited address is fixed
            "display_name": "Rosa de la cooperativa",
            "password1": "a-long-fresh-password-2026",
            "password2": "a-long-fresh-password-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/p/{world.own.slug}/"
    user = User.objects.get(email="coffee-rep@example.test")
    assert not User.objects.filter(email="someone-else@example.test").exists()
    assert (user.display_name, user.language) == ("Rosa de la cooperativa", "es")
    assert EmailAddress.objects.get(user=user).verified  # the link reached the address
    member = Member.objects.get(partnership=world.own, user=user)
    assert (member.role, member.partner) == (Role.PARTNER_REPRESENTATIVE, world.company)
    landing = browser.get(response["Location"])
    assert landing.status_code == 200 and "Rosa de la cooperativa" in landing.content.decode()


def test_it_keeps_what_was_typed_when_the_new_account_is_refused(world: World) -> None:
    invitation = _invite(world, email="coffee-rep@example.test")
    response = Client().post(
        _invitation_url(invitation),
        {"display_name": "Rosa", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Rosa"' in page and 'class="errors"' in page
    assert not Member.objects.filter(user__email="coffee-rep@example.test").exists()


def test_it_asks_an_invitee_with_an_account_to_sign_in_first(world: World) -> None:
    invitation = _invite(world, email=world.outsider.email)
    page = Client().get(_invitation_url(invitation)).content.decode()
    assert 'action="/accounts/login/"' in page
    assert f'name="login" value="{world.outsider.email}"' in page
    assert 'name="password1"' not in page
    signed_in = Client()
    response = signed_in.post(
        "/accounts/login/",
        {"login": world.outsider.email, "password": PASSWORD, "next": _invitation_url(invitation)},
    )
    assert response.status_code == 302 and response["Location"] == _invitation_url(invitation)
    page = signed_in.get(_invitation_url(invitation)).content.decode()
    assert 'name="display_name"' in page and 'name="password' not in page


def test_it_tells_why_an_invitation_cannot_be_used_in_its_language(world: World) -> None:
    expired = _invite(world, email="late@example.test")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(_invitation_url(expired))
    assert response.status_code == 410
    page = response.content.decode()
    with translation.override("es"):
        expected = translation.gettext(
            "This invitation has expired. Ask the facilitator for a new one."
        )
    assert '<html lang="es">' in page and expected in page
    assert "Own partnership" in page
    tampered = Client(HTTP_ACCEPT_LANGUAGE="en").get("/invitations/not-a-token/")
    assert tampered.status_code == 410 and "not valid" in tampered.content.decode()


def test_it_sends_the_email_in_the_invitations_language_naming_the_inviter(world: World) -> None:
    invitation = services.invite(
        actor=world.facilitator,
        partnership=world.own,
        email="visitor@example.test",
        role=Role.OBSERVER,
        language="en",
    )
    assert services.send_invitation_email(invitation_id=invitation.pk)
    assert "Facilitator persona invites you to join the partnership" in mail.outbox[-1].body
    spanish = services.invite(
        actor=world.facilitator,
        partnership=world.own,
        email="otra@example.test",
        role=Role.OBSERVER,
    )
    assert spanish.language == "es"  # the partnership's first working language
    services.send_invitation_email(invitation_id=spanish.pk)
    with translation.override("es"):
        expected = translation.gettext(
            "%(name)s invites you to join the partnership “%(p)s” as %(role)s."
        ) % {
            "name": "Facilitator persona",
            "p": "Own partnership",
            "role": translation.gettext("Observer").lower(),
        }
    assert expected in mail.outbox[-1].body


# --- Deletions ask first, on a page of their own ------------------------------------


@pytest.mark.parametrize(
    "what", ["member", "invitation", "partner", "membership"], ids=lambda w: f"remove-{w}"
)
def test_it_asks_before_removing_and_a_get_removes_nothing(world: World, what: str) -> None:
    from partnerships.models import Partner

    slug = world.own.slug
    invitation = _invite(world, email="pending@example.test")
    urls = {
        "member": f"/p/{slug}/members/{world.member(world.observer).public_id}/remove/",
        "invitation": f"/p/{slug}/invitations/{invitation.public_id}/revoke/",
        "partner": f"/p/{slug}/partners/{world.community.public_id}/delete/",
        "membership": f"/p/{slug}/membership/leave/",
    }
    client = world.client_for("participant" if what == "membership" else "facilitator")
    page = client.get(urls[what])
    assert page.status_code == 200
    assert b'class="danger"' in page.content and b"button secondary" in page.content
    counts = (Member.objects.count(), Partner.objects.count(), Invitation.objects.pending().count())
    assert (
        Member.objects.count(),
        Partner.objects.count(),
        Invitation.objects.pending().count(),
    ) == counts
    assert client.post(urls[what]).status_code == 302
    after = (Member.objects.count(), Partner.objects.count(), Invitation.objects.pending().count())
    assert after != counts


def test_it_links_to_the_confirmations_instead_of_deleting_from_a_list(world: World) -> None:
    _invite(world, email="pending@example.test")
    page = world.client_for("facilitator").get(f"/p/{world.own.slug}/members/").content.decode()
    assert "/remove/" in page and "/revoke/" in page
    assert 'action="/p/own-partnership/members/' not in page  # no one-tap removal
    partner = world.client_for("facilitator").get(
        f"/p/{world.own.slug}/partners/{world.community.public_id}/"
    )
    assert 'class="button danger"' in partner.content.decode()
    # A partner someone represents is not offered for deletion: it leaves instead.
    company = world.client_for("facilitator").get(
        f"/p/{world.own.slug}/partners/{world.company.public_id}/"
    )
    assert "/delete/" not in company.content.decode()


def test_it_tells_the_only_facilitator_before_asking(world: World) -> None:
    response = world.client_for("facilitator").get(
        f"/p/{world.own.slug}/membership/leave/", follow=True
    )
    assert "at least one facilitator" in response.content.decode()
    assert b'class="danger"' not in response.content
