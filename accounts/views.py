from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.access import GET_POST, POST, login_view, public_view
from accounts.confirm import CONFIRM_METHODS, confirm_page
from accounts.forms import LanguageForm, ProfileForm, TokenForm
from accounts.middleware import LANGUAGE_CHOSEN_SESSION_KEY
from accounts.models import ApiToken, signed_in_user


@public_view(methods=POST)
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher. Remembered in a cookie, and on the account of a
    signed-in user so it follows them to other devices."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        translation.activate(language)
        request.session[LANGUAGE_CHOSEN_SESSION_KEY] = language
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
            httponly=True,
        )
    return response


@login_view(methods=GET_POST)
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=signed_in_user(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_view(methods=GET_POST)
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = ApiToken.issue(user=signed_in_user(request), name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "raw": raw,
            "tokens": ApiToken.objects.filter(user=signed_in_user(request)),
        },
    )


@login_view(methods=CONFIRM_METHODS)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=signed_in_user(request), pk=token_id).first()
    if token is None:
        raise Http404
    if request.method != "POST":
        return confirm_page(
            request,
            None,
            title=_("Revoke the token “%(name)s”?") % {"name": token.name},
            consequences=[_("Every program that uses it loses access to the API at once.")],
            button=_("Revoke the token"),
            cancel_url=reverse("accounts:tokens"),
        )
    token.revoke()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
