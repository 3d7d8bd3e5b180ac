"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from consultations.models import (
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RespondentProfile,
    Response,
    Session,
)
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    grant(
        "questionnaire",
        {FAC: "vcud", REP: "v", PAR: "v", OBS: "v"},
        models_=[Questionnaire, QuestionnaireVersion, Question],
        label=_("Questionnaire"),
    )
    # Answering: every member but observers. Viewing single responses is the
    # facilitator's raw view, and only of identified questionnaires.
    grant("response", {FAC: "vc", REP: "c", PAR: "c"}, models_=[Response], label=_("Response"))
    grant(
        "session",
        {FAC: "vcud", REP: "v"},
        models_=[Session],
        label=_("Facilitated session"),
    )
    # Aggregated, suppressed results and their export.
    grant("results", {FAC: "v", REP: "v", PAR: "v", OBS: "v"}, label=_("Consultation results"))
    grant(
        "results_export",
        {FAC: "v", REP: "v", OBS: "v"},
        label=_("Results export"),
        audited=True,
    )
    # Each member's own attributes (gender, age band, group, locality).
    grant(
        "respondent_profile",
        {FAC: "vu", REP: "vu", PAR: "vu", OBS: "vu"},
        models_=[RespondentProfile],
        label=_("My respondent profile"),
    )
