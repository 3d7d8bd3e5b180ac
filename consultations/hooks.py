"""How this room plugs into the shared mechanisms (stepper, demo) and into the
baseline's set-up (which gender and age-band codes its records keep).

Step 1's consultation checks: whether a questionnaire has responses, and
which groups (segments of the population) have been heard — a segment with
no response is "not heard". One query, whatever the number of responses.
"""

from __future__ import annotations

from django.db.models import Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from baseline.services_setup import register_code_uses
from partnerships.models import Partnership, Step
from partnerships.stepper import Check, progress, register_room


def consultation_checks(partnership: Partnership) -> list[Check]:
    from consultations.models import Questionnaire, Response
    from stakeholders.models import Segment

    total = (
        Questionnaire.objects.filter(partnership=partnership)
        .order_by()
        .values("partnership")
        .annotate(n=Sum("response_count"))
        .values("n")
    )
    # Each segment with whether anyone of it has answered, and the partnership's
    # response count riding along on every row (an uncorrelated subquery).
    segments = list(
        Segment.objects.filter(partnership=partnership)
        .annotate(
            heard=Exists(Response.objects.filter(segment=OuterRef("pk"))),
            responses=Coalesce(Subquery(total[:1], output_field=IntegerField()), Value(0)),
        )
        .order_by("code")
    )
    if segments:
        responses = segments[0].responses
    else:
        responses = (
            Questionnaire.objects.filter(partnership=partnership).aggregate(
                n=Sum("response_count")
            )["n"]
            or 0
        )
    heard = [s for s in segments if s.heard]
    unheard = [s.label for s in segments if not s.heard]
    return [
        Check(_("A questionnaire has responses"), responses > 0, _responses_said(responses)),
        Check(
            _("Every group mapped has been consulted"),
            bool(segments) and not unheard,
            ngettext(
                "%(heard)s of %(n)s group heard", "%(heard)s of %(n)s groups heard", len(segments)
            )
            % {"heard": len(heard), "n": len(segments)},
        ),
        Check(
            _("No group is left unheard"),
            bool(segments) and not unheard,
            _("Not heard: %(groups)s") % {"groups": ", ".join(unheard)} if unheard else "",
        ),
    ]


def _responses_said(responses: int) -> str:
    """The count as the step page says it: a count of people, through
    suppression like every other (the step pages are read by every member)."""
    from partnerships.suppression import MIN_CELL, suppress_count

    shown = suppress_count(responses)
    if shown is None:
        return ngettext("fewer than %(n)s response", "fewer than %(n)s responses", MIN_CELL) % {
            "n": MIN_CELL
        }
    return ngettext("%(n)s response", "%(n)s responses", shown) % {"n": shown}


def code_uses(partnership_id: int, attribute: str, code: str) -> list[str]:
    """The consultation records that keep a gender or age-band code of the
    baseline's set-up, so that it cannot be removed while they do."""
    from consultations.models import RespondentProfile, Response, Session
    from consultations.models_analysis import Aggregate

    uses = []
    for model in (Response, RespondentProfile):
        count = model.objects.filter(partnership_id=partnership_id, **{attribute: code}).count()
        if count:
            uses.append(f"{model._meta.verbose_name_plural} ({count})")
    if attribute == "gender":
        count = Session.objects.filter(
            partnership_id=partnership_id, attendance__has_key=code
        ).count()
        if count:
            uses.append(f"{Session._meta.verbose_name_plural} ({count})")
    if (
        not uses
        and Aggregate.objects.filter(
            questionnaire__partnership_id=partnership_id, **{attribute: code}
        ).exists()
    ):
        uses.append(gettext("consultation results"))
    return uses


def register() -> None:
    progress(Step.SITUATIONAL_ANALYSIS)(consultation_checks)
    register_code_uses(code_uses)
    register_room(Step.SITUATIONAL_ANALYSIS, "consultations:list", _("Consultations"))
    import consultations.demo  # noqa: F401  (adds the demo questionnaire to the demo command)
