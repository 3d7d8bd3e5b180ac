"""The page an invitation link opens.

It names the partnership, who invites and as what, and speaks the
invitation's language (the inviter chose it), unless the visitor picks
another. Then, in one place:

- a visitor with no account creates one (the invited address, fixed; the name
  others see; a password), through allauth's own sign-up form and sign-in
  flow, and joins at once;
- a visitor whose address has an account signs in (allauth's sign-in, which
  brings them back here), then joins;
- someone signed in joins, giving the name others see if they have none.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships import services
from partnerships.errors import ServiceError
from partnerships.models import Invitation, Member
from partnerships.permissions import GET_POST, public_view
from partnerships.services import InvitationUnusable

_SPOKEN = {code for code, _name in settings.LANGUAGES}


class JoinForm(forms.Form):
    """What a signed-in invitee confirms: the name others will see."""

    display_name = forms.CharField(
        label=gettext_lazy("Your name as others see it"),
        max_length=150,
        help_text=gettext_lazy("A first name, a nickname or the name of your organisation's role."),
    )


def page_language(request: HttpRequest, invitation: Invitation | None) -> str:
    """The language of the invitation's pages: the visitor's explicit choice
    (a language link on the page, the switcher in this session, a signed-in
    account's setting), else the invitation's, never just the browser's."""
    from accounts.middleware import LANGUAGE_CHOSEN_SESSION_KEY

    asked = request.GET.get("lang", "")
    if asked in _SPOKEN:
        return asked
    user: Any = request.user
    if user.is_authenticated and user.language in _SPOKEN:
        return str(user.language)
    chosen = request.session.get(LANGUAGE_CHOSEN_SESSION_KEY, "")
    if chosen in _SPOKEN:
        return str(chosen)
    if invitation is not None and invitation.language in _SPOKEN:
        return invitation.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _speak(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _signup_form(invitation: Invitation, data: Any = None) -> Any:
    """allauth's own sign-up form, with the invited address fixed."""
    from allauth.account.forms import SignupForm

    if data is not None:
        data = data.copy()
        data["email"] = invitation.email  # whatever was posted, the invited address
    form = SignupForm(data=data, initial={"email": invitation.email})
    form.fields["email"].widget = forms.HiddenInput()
    form.order_fields(["display_name", "password1", "password2"])
    return form


def _create_account_and_join(request: HttpRequest, token: str, form: Any) -> HttpResponse | None:
    """Make the account with allauth's form, mark the invited address as
    verified (the link reached it), join, and sign in through allauth's flow
    (its signals, its MFA and messages). None when the form was refused."""
    from allauth.account.internal.flows.signup import complete_signup
    from allauth.account.models import EmailAddress

    if not form.is_valid():
        return None
    if form.account_already_exists:  # made meanwhile: sign in instead
        form.add_error(None, _("An account with this address exists now: sign in below."))
        return None
    try:
        with transaction.atomic():
            user = form.save(request)
            EmailAddress.objects.filter(user=user, email__iexact=user.email).update(
                verified=True, primary=True
            )
            member = services.accept_invitation(user=user, token=token)
    except ServiceError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, _("Welcome to %(p)s.") % {"p": member.partnership.name})
    response: HttpResponse = complete_signup(
        request,
        user=user,
        redirect_url=reverse("partnerships:overview", args=[member.partnership.slug]),
    )
    return response


@public_view(methods=GET_POST)
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = services.find_invitation(token)
    except InvitationUnusable as problem:
        _speak(request, page_language(request, problem.invitation))
        member = _own_membership(request, problem.invitation)
        if member is not None:  # their own link, used already: take them there
            return redirect("partnerships:overview", slug=member.partnership.slug)
        return render(
            request,
            "partnerships/invitation_invalid.html",
            {"message": problem.message_now(), "invitation": problem.invitation},
            status=410,
        )
    language = page_language(request, found)
    _speak(request, language)
    user: Any = request.user
    has_account = False
    signup_form = join_form = None
    if user.is_authenticated:
        join_form = JoinForm(
            request.POST if request.method == "POST" else None,
            initial={"display_name": user.display_name},
        )
        if request.method == "POST" and join_form.is_valid():
            try:
                member = services.accept_invitation(
                    user=user, token=token, display_name=join_form.cleaned_data["display_name"]
                )
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect(request.get_full_path())
            messages.success(request, _("Welcome to %(p)s.") % {"p": member.partnership.name})
            return redirect("partnerships:overview", slug=member.partnership.slug)
    else:
        from accounts.models import User

        has_account = User.objects.filter(email__iexact=found.email).exists()
        if not has_account:
            signup_form = _signup_form(found, request.POST if request.method == "POST" else None)
            if request.method == "POST":
                done = _create_account_and_join(request, token, signup_form)
                if done is not None:
                    return done
    return render(
        request,
        "partnerships/invitation_accept.html",
        {
            "invitation": found,
            "inviter": services.inviter_name(found),
            "has_account": has_account,
            "signup_form": signup_form,
            "join_form": join_form,
            "here": request.path,
            "other_languages": [
                (code, name) for code, name in settings.LANGUAGES if code != language
            ],
        },
    )


def _own_membership(request: HttpRequest, invitation: Invitation | None) -> Member | None:
    user: Any = request.user
    if invitation is None or not user.is_authenticated:
        return None
    member: Member | None = (
        Member.objects.filter(partnership=invitation.partnership, user=user)
        .select_related("partnership")
        .first()
    )
    return member
