"""What people do to a partnership. Views and the API parse input, call one of
these, and render; every write is audited and atomic, so bad input leaves
nothing half-written."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partnerships import background, deletion
from partnerships.audit import delete_audited, save_audited

# Every room's services and views have always taken ServiceError from here:
# it lives in partnerships.errors (beneath languages.py, which raises it too)
# and is handed on under this old name.
from partnerships.errors import ServiceError as ServiceError
from partnerships.models import (
    Invitation,
    Member,
    Partner,
    Partnership,
    PartnershipStatus,
    PartnerType,
    Role,
    Step,
    StepCompletion,
)


class InUse(ServiceError):
    """A refusal to delete a record that others still refer to (the API answers 409)."""


def only_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a change that names fields this workflow does not change."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ServiceError(
            _("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )


def _require_languages(languages: list[str]) -> list[str]:
    from django.conf.locale import LANG_INFO

    cleaned = []
    for code in languages:
        code = code.strip().lower()
        if code not in LANG_INFO:
            raise ServiceError(
                _("“%(code)s” is not a language code we know.") % {"code": code}, field="languages"
            )
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        raise ServiceError(_("Name at least one working language."), field="languages")
    return cleaned


def _require_country(code: str) -> str:
    from django_countries import countries

    code = code.strip().upper()
    if code not in countries:
        raise ServiceError(_("Choose the country from the list."), field="country")
    return code


# --- Partnerships ---------------------------------------------------------------


@transaction.atomic
def create_partnership(
    *,
    creator: Any,
    name: str,
    country: str,
    locality_name: str,
    area_code: str = "",
    description: str = "",
    languages: list[str] | None = None,
) -> Partnership:
    """Set up a partnership; its creator becomes its first facilitator."""
    partnership = Partnership(
        name=name.strip(),
        country=_require_country(country),
        area_code=area_code.strip(),
        locality_name=locality_name.strip(),
        description=description.strip(),
        languages=_require_languages(languages or ["es"]),
    )
    save_audited(partnership, actor=creator)
    _add_member(actor=creator, partnership=partnership, user=creator, role=Role.FACILITATOR)
    return partnership


@transaction.atomic
def update_partnership(*, actor: Any, partnership: Partnership, **fields: Any) -> Partnership:
    only_fields(fields, Partnership.EDITABLE_FIELDS)
    if "languages" in fields:
        fields["languages"] = _require_languages(fields["languages"])
    if "country" in fields:
        fields["country"] = _require_country(fields["country"])
    if "status" in fields and fields["status"] not in PartnershipStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    for key, value in fields.items():
        setattr(partnership, key, value.strip() if isinstance(value, str) else value)
    save_audited(partnership, actor=actor, update_fields=list(fields))
    return partnership


@transaction.atomic
def set_published(*, actor: Any, partnership: Partnership, published: bool) -> Partnership:
    partnership.is_published = published
    save_audited(partnership, actor=actor, update_fields=["is_published"])
    return partnership


# --- Partners -------------------------------------------------------------------


# The partnership's entry and leaver rules live in its charter, a higher floor:
# the charter registers them here. An admission check says why a partner
# cannot be registered now (None: it can), given the reference of the
# decision that admitted it ("" when none is given); leaving terms are what
# the charter asks of a leaving partner, as lines to show on its page.
AdmissionCheck = Callable[[Partnership, str], str | None]
LeavingTerms = Callable[[Partnership], list[str]]
_ADMISSION_CHECKS: list[AdmissionCheck] = []
_LEAVING_TERMS: list[LeavingTerms] = []


def register_admission_check(fn: AdmissionCheck) -> AdmissionCheck:
    _ADMISSION_CHECKS.append(fn)
    return fn


def register_leaving_terms(fn: LeavingTerms) -> LeavingTerms:
    _LEAVING_TERMS.append(fn)
    return fn


def leaving_terms(partnership: Partnership) -> list[str]:
    return [line for fn in _LEAVING_TERMS for line in fn(partnership)]


@transaction.atomic
def add_partner(
    *,
    actor: Any,
    partnership: Partnership,
    name: str,
    partner_type: str,
    description: str = "",
    joined_on: datetime.date | None = None,
    entry_reason: str = "",
    admitted_by: str = "",
) -> Partner:
    """Register a partner. Under a charter whose entry rule asks for a
    decision, only that decision admits one: the decisions room passes its
    reference as ``admitted_by``."""
    for check in _ADMISSION_CHECKS:
        refused = check(partnership, admitted_by)
        if refused is not None:
            raise ServiceError(refused, field="name")
    if partner_type not in PartnerType.values:
        raise ServiceError(_("Unknown partner type."), field="partner_type")
    if Partner.objects.filter(partnership=partnership, name__iexact=name.strip()).exists():
        raise ServiceError(_("A partner with this name is already registered."), field="name")
    partner = Partner(
        partnership=partnership,
        name=name.strip(),
        partner_type=partner_type,
        description=description.strip(),
        joined_on=joined_on or timezone.localdate(),
        entry_reason=entry_reason.strip(),
    )
    save_audited(partner, actor=actor)
    return partner


@transaction.atomic
def update_partner(*, actor: Any, partner: Partner, **fields: Any) -> Partner:
    only_fields(fields, ("name", "partner_type", "description", "joined_on", "entry_reason"))
    if "partner_type" in fields and fields["partner_type"] not in PartnerType.values:
        raise ServiceError(_("Unknown partner type."), field="partner_type")
    if (
        "name" in fields
        and Partner.objects.filter(
            partnership=partner.partnership, name__iexact=fields["name"].strip()
        )
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ServiceError(_("A partner with this name is already registered."), field="name")
    for key, value in fields.items():
        setattr(partner, key, value.strip() if isinstance(value, str) else value)
    save_audited(partner, actor=actor, update_fields=list(fields))
    return partner


@transaction.atomic
def record_partner_leaving(
    *, actor: Any, partner: Partner, left_on: datetime.date, reason: str
) -> Partner:
    if partner.left_on is not None:
        raise ServiceError(_("This partner has already left."))
    if left_on < partner.joined_on:
        raise ServiceError(_("A partner cannot leave before it joined."), field="left_on")
    partner.left_on, partner.leaver_reason = left_on, reason.strip()
    save_audited(partner, actor=actor, update_fields=["left_on", "leaver_reason"])
    return partner


def why_partner_stays(partner: Partner) -> str | None:
    """Why a partner cannot be deleted, or None: a partner someone represents
    has a history, and leaves instead."""
    if Member.objects.filter(partner=partner).exists():
        return _("People still represent this partner; record that it left instead.")
    if Invitation.objects.pending().filter(partner=partner).exists():
        return _("An invitation to represent this partner is waiting; withdraw it first.")
    # Any other record that keeps it (an assessment it made, …): say which.
    return deletion.why_in_use(partner)


@transaction.atomic
def delete_partner(*, actor: Any, partner: Partner) -> None:
    reason = why_partner_stays(partner)
    if reason is not None:
        raise InUse(reason)
    delete_audited(partner, actor=actor)


# --- Members --------------------------------------------------------------------


def _check_role(partnership: Partnership, role: str, partner: Partner | None) -> None:
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    if role == Role.PARTNER_REPRESENTATIVE:
        if partner is None:
            raise ServiceError(_("Choose the partner this person represents."), field="partner")
        if partner.partnership_id != partnership.pk:
            raise ServiceError(_("That partner is not part of this partnership."), field="partner")
        if partner.left_on is not None:
            raise ServiceError(_("That partner has left the partnership."), field="partner")
    elif partner is not None and partner.partnership_id != partnership.pk:
        raise ServiceError(_("That partner is not part of this partnership."), field="partner")


def _add_member(
    *, actor: Any, partnership: Partnership, user: Any, role: str, partner: Partner | None = None
) -> Member:
    _check_role(partnership, role, partner)
    if Member.objects.filter(partnership=partnership, user=user).exists():
        raise ServiceError(_("This person is already a member of %(p)s.") % {"p": partnership.name})
    member = Member(
        partnership=partnership,
        user=user,
        role=role,
        partner=partner,
    )
    try:
        with transaction.atomic():
            save_audited(member, actor=actor)
    except IntegrityError:  # a concurrent acceptance beat us to it
        raise ServiceError(
            _("This person is already a member of %(p)s.") % {"p": partnership.name}
        ) from None
    if role == Role.FACILITATOR:
        _mark_requires_mfa(user)
    return member


def _mark_requires_mfa(user: Any) -> None:
    if not user.requires_mfa:
        user.requires_mfa = True
        user.save(update_fields=["requires_mfa"])


def is_last_facilitator(member: Member) -> bool:
    return (
        member.role == Role.FACILITATOR
        and not Member.objects.filter(partnership_id=member.partnership_id, role=Role.FACILITATOR)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def change_role(*, actor: Any, member: Member, role: str, partner: Partner | None = None) -> Member:
    member = (
        Member.objects.select_for_update().select_related("partnership", "user").get(pk=member.pk)
    )
    _check_role(member.partnership, role, partner)
    if role != Role.FACILITATOR and is_last_facilitator(member):
        raise ServiceError(
            _("A partnership needs at least one facilitator; appoint another first.")
        )
    member.role = role
    member.partner = partner
    save_audited(member, actor=actor, update_fields=["role", "partner"])
    if role == Role.FACILITATOR:
        _mark_requires_mfa(member.user)
    return member


@transaction.atomic
def remove_member(*, actor: Any, member: Member) -> None:
    """A facilitator removes someone, or a member leaves (actor is themself)."""
    member = (
        Member.objects.select_for_update().select_related("partnership", "user").get(pk=member.pk)
    )
    if is_last_facilitator(member):
        raise ServiceError(
            _("A partnership needs at least one facilitator; appoint another first.")
        )
    delete_audited(member, actor=actor)


# --- Invitations ------------------------------------------------------------------

_INVITATION_SALT = "hsbp.partnerships.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.public_id), salt=_INVITATION_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse(
        "partnerships:invitation", args=[invitation_token(invitation)]
    )


_UNUSABLE = {
    "invalid": gettext_noop("This invitation link is not valid. Check that you copied all of it."),
    "used": gettext_noop("This invitation has already been used."),
    "withdrawn": gettext_noop("This invitation was withdrawn. Ask the facilitator for a new one."),
    "expired": gettext_noop("This invitation has expired. Ask the facilitator for a new one."),
}


class InvitationUnusable(ServiceError):
    """An invitation link that cannot be used, with the invitation when the
    link itself was genuine (so the page can speak its language)."""

    def __init__(self, reason: str, *, invitation: Invitation | None = None) -> None:
        super().__init__(_(_UNUSABLE[reason]))
        self.reason = reason
        self.invitation = invitation

    def message_now(self) -> str:
        """The message in the language active now (the page may have switched)."""
        return _(_UNUSABLE[self.reason])


def invitation_language(partnership: Partnership) -> str:
    """The default language of an invitation: the partnership's first working
    language, if the interface speaks it."""
    spoken = {code for code, _name in settings.LANGUAGES}
    first = partnership.languages[0] if partnership.languages else ""
    return first if first in spoken else settings.LANGUAGE_CODE


def inviter_name(invitation: Invitation) -> str:
    """How an invitation names who sent it: their chosen name, else their role."""
    user = invitation.invited_by
    if user is not None and user.display_name:
        return str(user.display_name)
    return _("A facilitator of %(p)s") % {"p": invitation.partnership.name}


@transaction.atomic
def invite(
    *,
    actor: Any,
    partnership: Partnership,
    email: str,
    role: str,
    partner: Partner | None = None,
    language: str = "",
) -> Invitation:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(_("Enter a valid email address."), field="email") from None
    _check_role(partnership, role, partner)
    if Member.objects.filter(partnership=partnership, user__email__iexact=email).exists():
        raise ServiceError(
            _("This person is already a member of %(p)s.") % {"p": partnership.name}, field="email"
        )
    if Invitation.objects.pending().filter(partnership=partnership, email__iexact=email).exists():
        raise ServiceError(_("An invitation to this address is already waiting."), field="email")
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise ServiceError(_("Choose a language from the list."), field="language")
    invitation = Invitation(
        partnership=partnership,
        email=email,
        role=role,
        partner=partner if role == Role.PARTNER_REPRESENTATIVE else None,
        invited_by=actor,
        language=language or invitation_language(partnership),
    )
    save_audited(invitation, actor=actor)
    background.enqueue_on_commit("partnerships.send_invitation_email", invitation.pk)
    return invitation


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation's link. Runs in the background worker."""
    invitation = (
        Invitation.objects.select_related("partnership", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state != Invitation.State.PENDING:
        return False
    with translation.override(invitation.language or invitation_language(invitation.partnership)):
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "inviter": inviter_name(invitation),
        }
        subject = _("You are invited to join %(p)s") % {"p": invitation.partnership.name}
        body = render_to_string("partnerships/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True


def find_invitation(token: str) -> Invitation:
    """The invitation a link points to, or a refusal that says why."""
    try:
        public_id = signing.loads(token, salt=_INVITATION_SALT)
        invitation: Invitation = Invitation.objects.select_related(
            "partnership", "partner", "invited_by"
        ).get(public_id=public_id)
    except (signing.BadSignature, Invitation.DoesNotExist, ValueError):
        raise InvitationUnusable("invalid") from None
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        raise InvitationUnusable("used", invitation=invitation)
    if state == Invitation.State.REVOKED:
        raise InvitationUnusable("withdrawn", invitation=invitation)
    if state == Invitation.State.EXPIRED:
        raise InvitationUnusable("expired", invitation=invitation)
    return invitation


@transaction.atomic
def accept_invitation(*, user: Any, token: str, display_name: str = "") -> Member:
    """Join through an invitation; ``display_name``: the name the new member
    shows to others, if they give one now (their account keeps it)."""
    invitation = find_invitation(token)
    # Lock the row so that two clicks on the same link make one membership.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "partner")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used", invitation=invitation)
    member = _add_member(
        actor=user,
        partnership=invitation.partnership,
        user=user,
        role=invitation.role,
        partner=invitation.partner,
    )
    if display_name.strip():
        user.display_name = display_name.strip()[:150]
        user.save(update_fields=["display_name"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    save_audited(invitation, actor=user, update_fields=["accepted_at", "accepted_by"])
    return member


@transaction.atomic
def revoke_invitation(*, actor: Any, invitation: Invitation) -> Invitation:
    if invitation.state != Invitation.State.PENDING:
        raise ServiceError(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    save_audited(invitation, actor=actor, update_fields=["revoked_at"])
    return invitation


# --- The stepper -----------------------------------------------------------------


def unmet_checks(partnership: Partnership, step: Step) -> tuple[bool, list[str]]:
    """(whether any check shows this step's work, the checks not met), the
    labels in English: the record keeps source text and shows it translated."""
    from partnerships.stepper import step_checks

    checks = step_checks(partnership, step)
    with translation.override("en"):
        return bool(checks), [str(c.label) for c in checks if not c.done]


@transaction.atomic
def complete_step(
    *,
    actor: Any,
    partnership: Partnership,
    step: str,
    completed_on: datetime.date,
    note: str,
    reason: str = "",
) -> StepCompletion:
    """Record that a step is complete. With checks unmet, or none to show the
    step's work, the facilitator says why; that reason and the unmet checks
    are kept with the completion and shown with it."""
    if step not in Step.values:
        raise ServiceError(_("Unknown step."))
    if completed_on > timezone.localdate():
        raise ServiceError(_("A step cannot be completed in the future."), field="completed_on")
    if StepCompletion.objects.filter(partnership=partnership, step=step).exists():
        raise ServiceError(_("This step is already marked complete."))
    checked, unmet = unmet_checks(partnership, Step(step))
    reason = reason.strip()
    if (unmet or not checked) and not reason:
        raise ServiceError(
            _("Some of this step's checks are not met: say why it is complete all the same.")
            if unmet
            else _("Nothing on the platform shows this step's work yet: say what was done."),
            field="reason",
        )
    completion = StepCompletion(
        partnership=partnership,
        step=step,
        completed_on=completed_on,
        note=note.strip(),
        unmet_checks=unmet,
        reason=reason if (unmet or not checked) else "",
        completed_by=actor,
    )
    save_audited(completion, actor=actor)
    return completion


@transaction.atomic
def reopen_step(*, actor: Any, partnership: Partnership, step: str) -> None:
    completion = StepCompletion.objects.filter(partnership=partnership, step=step).first()
    if completion is None:
        raise ServiceError(_("This step is not marked complete."))
    delete_audited(completion, actor=actor)
