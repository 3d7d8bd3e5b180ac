"""Sign-in, MFA for facilitators, throttling, language, CSRF, CSP."""

from __future__ import annotations

import re

from django.test import Client

from accounts.totp import current_code
from tests.conftest import PASSWORD, TOTP_SECRET, World, make_user


def _login(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_it_signs_a_facilitator_in_with_password_and_authenticator_code(world: World) -> None:
    client = Client()
    response = _login(client, world.facilitator.email)
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get(f"/p/{world.own.slug}/").status_code == 302  # not yet signed in
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(f"/p/{world.own.slug}/").status_code == 200


def test_it_sends_a_facilitator_without_mfa_to_set_it_up(world: World) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=world.facilitator).delete()
    client = world.client_for("facilitator")
    response = client.get(f"/p/{world.own.slug}/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # The set-up page itself stays reachable.
    assert client.get("/accounts/2fa/totp/activate/").status_code in (200, 302)


def test_it_does_not_ask_participants_for_mfa(world: World) -> None:
    assert world.client_for("participant").get(f"/p/{world.own.slug}/").status_code == 200


def test_it_asks_instance_administrators_for_mfa(db: None) -> None:
    admin = make_user("admin@example.test", is_staff=True)
    client = Client()
    client.force_login(admin)
    assert client.get("/").status_code == 302


def test_it_throttles_failed_logins(world: World) -> None:
    client = Client()
    for _ in range(5):
        response = _login(client, world.participant.email, "wrong password")
        assert response.status_code == 200
    response = _login(client, world.participant.email, PASSWORD)
    # Even the right password is refused while the account is throttled.
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert re.search(r"[Tt]oo many|[Dd]emasiados", response.content.decode())


def test_it_remembers_a_users_language(world: World) -> None:
    client = world.client_for("participant")
    response = client.post(
        "/account/language/", {"language": "es", "next": f"/p/{world.own.slug}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/p/{world.own.slug}/"
    world.participant.refresh_from_db()
    assert world.participant.language == "es"
    # Another device, another browser language: the account's language wins.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(world.participant)
    assert '<html lang="es">' in other.get(f"/p/{world.own.slug}/").content.decode()


def test_it_follows_the_browser_language_for_visitors(db: None) -> None:
    assert '<html lang="en">' in Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert '<html lang="es">' in Client(HTTP_ACCEPT_LANGUAGE="es-CO").get("/").content.decode()


def test_it_refuses_an_open_redirect_from_the_language_switch(db: None) -> None:
    response = Client().post(
        "/account/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_requires_csrf_tokens(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.facilitator)
    response = client.post(
        f"/p/{world.own.slug}/partners/new/", {"name": "X", "partner_type": "company"}
    )
    assert response.status_code == 403


def test_it_sends_a_strict_content_security_policy(db: None) -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode() and "style=" not in response.content.decode()


def test_it_answers_health_checks(db: None) -> None:
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_it_sends_a_password_reset_link(world: World, mailoutbox) -> None:
    response = Client().post("/accounts/password/reset/", {"email": world.participant.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


def test_it_says_signed_in_in_the_users_own_language(world: World) -> None:
    # The browser asks for English; the account speaks Spanish. allauth words
    # its message during the sign-in request: it must already speak Spanish.
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/", {"login": world.participant.email, "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Ha iniciado sesión" in page and "Successfully signed in" not in page


def test_it_asks_a_new_account_for_the_name_others_see(db: None) -> None:
    from accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    assert 'name="display_name"' in client.get("/accounts/signup/").content.decode()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new-person@example.test",
            "display_name": "Lucía",
            "password1": "a-long-fresh-password-2026",
            "password2": "a-long-fresh-password-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new-person@example.test")
    assert (user.display_name, user.language) == ("Lucía", "es")
