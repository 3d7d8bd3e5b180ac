"""The consultations' part of a member's journey (``partnerships.journey``):
open questionnaires to answer, and the results of closed ones. Two queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from partnerships.journey import JourneyItem, register_results, register_to_do
from partnerships.models import Member
from partnerships.permissions import Action, can

SHOWN = 10  # the newest ones; the list page has the rest


def to_do(member: Member) -> list[JourneyItem]:
    from consultations.models import Questionnaire, QuestionnaireStatus

    if not can(member, "response", Action.CREATE):
        return []
    slug = member.partnership.slug
    return [
        JourneyItem(
            title=q.label,
            url=reverse("consultations:answer", args=[slug, q.public_id]),
            action=_("Answer the questionnaire"),
        )
        for q in Questionnaire.objects.filter(
            partnership_id=member.partnership_id, status=QuestionnaireStatus.OPEN
        ).order_by("-pk")[:SHOWN]
    ]


def results(member: Member) -> list[JourneyItem]:
    from consultations.models import Questionnaire, QuestionnaireStatus

    if not can(member, "results", Action.VIEW):
        return []
    slug = member.partnership.slug
    return [
        JourneyItem(
            title=q.label,
            url=reverse("consultations:results", args=[slug, q.public_id]),
            action=_("See the results"),
            detail=_("The questionnaire is closed."),
        )
        for q in Questionnaire.objects.filter(
            partnership_id=member.partnership_id, status=QuestionnaireStatus.CLOSED
        ).order_by("-pk")[:SHOWN]
    ]


def register() -> None:
    register_to_do(to_do)
    register_results(results)
