"""Invitations, memberships and the rules around the last facilitator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from partnerships import services
from partnerships.models import AuditEntry, Invitation, Member, Role
from partnerships.services import ServiceError
from tests.conftest import World, make_user


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
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/p/{world.own.slug}/"
    entry = AuditEntry.objects.filter(partnership=world.own, kind="member", action="create").first()
    assert entry is not None and entry.actor_id == world.outsider.pk
    # A second click on the same link does nothing more.
    assert client.post(url).status_code == 410


def test_it_stops_a_participant_from_changing_roles(world: World) -> None:
    client = world.client_for("participant")
    member = world.member(world.participant)
    response = client.post(
        f"/p/{world.own.slug}/members/{member.public_id}/role/", {"role": Role.FACILITATOR}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.PARTICIPANT
