"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from baseline.models import (
    AgeBand,
    BaselineSettings,
    Condition,
    Contribution,
    Dimension,
    Evidence,
    GenderOption,
    Locality,
    Threat,
    ThreatRating,
)
from partnerships.models import Role
from partnerships.permissions import grant

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Dimensions, localities, age bands and gender options: set up by facilitators.
    grant(
        "baseline_setup",
        {FAC: "vcud", REP: "v", PAR: "v", OBS: "v"},
        models_=[Dimension, Locality, AgeBand, GenderOption],
        label=_("Baseline set-up"),
    )
    # The baseline is shared work: partners register threats and rate them too.
    grant(
        "threat", {FAC: "vcud", REP: "vcu", PAR: "v", OBS: "v"}, models_=[Threat], label=_("Threat")
    )
    grant(
        "threat_rating",
        {FAC: "vcd", REP: "vc", PAR: "v", OBS: "v"},
        models_=[ThreatRating],
        label=_("Threat rating"),
    )
    grant(
        "evidence",
        {FAC: "vcd", REP: "vc", PAR: "v", OBS: "v"},
        models_=[Evidence],
        label=_("Evidence"),
    )
    grant(
        "condition",
        {FAC: "vcud", REP: "vcu", PAR: "v", OBS: "v"},
        models_=[Condition],
        label=_("Needs, vulnerabilities and capacities"),
    )
    # Representatives keep their own partner's entries (the services check whose).
    grant(
        "contribution",
        {FAC: "vcud", REP: "vcud", PAR: "v", OBS: "v"},
        models_=[Contribution],
        label=_("Capacity register"),
    )
    # Showing the baseline summary on the public portal.
    grant(
        "baseline_publication",
        {FAC: "p"},
        models_=[BaselineSettings],
        label=_("Baseline publication"),
    )
