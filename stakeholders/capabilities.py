"""This room's rows of the permission table (see docs/permissions.md)."""

from django.utils.translation import gettext_lazy as _

from partnerships.models import Role
from partnerships.permissions import grant
from stakeholders.models import Actor, Assessment, Relation, RiskFlag, Segment

FAC, REP, PAR, OBS = Role.FACILITATOR, Role.PARTNER_REPRESENTATIVE, Role.PARTICIPANT, Role.OBSERVER


def register() -> None:
    # Mapping is joint: partner representatives add and assess actors too.
    grant("actor", {FAC: "vcud", REP: "vcu", PAR: "v", OBS: "v"}, models_=[Actor], label=_("Actor"))
    grant(
        "assessment",
        {FAC: "vcd", REP: "vc", PAR: "v", OBS: "v"},
        models_=[Assessment],
        label=_("Assessment"),
    )
    grant(
        "relation",
        {FAC: "vcud", REP: "vcd", PAR: "v", OBS: "v"},
        models_=[Relation],
        label=_("Relation"),
    )
    grant(
        "segment",
        {FAC: "vcud", REP: "v", PAR: "v", OBS: "v"},
        models_=[Segment],
        label=_("Segment"),
    )
    # Contact details of actors: not for participants or observers.
    grant("contact", {FAC: "v", REP: "v"}, label=_("Contact details"))
    # Who may see a protected person's identity (clearance), and the flags themselves.
    grant("protected_person", {FAC: "v"}, label=_("Protected people"))
    grant("participation_risk", {FAC: "vcd"}, models_=[RiskFlag], label=_("Participation risk"))
    # Importing and exporting the map.
    grant("map_import", {FAC: "c", REP: "c"}, label=_("Map import"))
    # Exports leave the platform: the trail records each one.
    grant("map_export", {FAC: "v", REP: "v", OBS: "v"}, label=_("Map export"), audited=True)
