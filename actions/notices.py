"""What this room tells people through ``notifications.notify``: a
commitment is overdue (to its partner's representatives, in their digest,
once a week while it stays overdue)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import Commitment, CommitmentStatus
from notifications.kinds import Kind, register_kind
from notifications.services import notify
from partnerships.languages import first_language
from partnerships.models import Member, Role

AGAIN_AFTER = datetime.timedelta(days=7)


def _overdue(params: Mapping[str, Any]) -> str:
    return _("A commitment of %(partner)s is overdue (due %(due)s): %(what)s") % {
        "partner": params.get("partner", ""),
        "due": params.get("due", ""),
        "what": params.get("what", ""),
    }


KINDS = (
    Kind(
        "commitment_overdue",
        gettext_lazy("A commitment of your partner is overdue"),
        _overdue,
        params=("partner", "due", "what"),
    ),
)


def register() -> None:
    for kind in KINDS:
        register_kind(kind)


def remind_overdue(today: datetime.date | None = None) -> int:
    """Remind the representatives of each partner whose promised commitment
    is past due (once, then again a week later while still overdue)."""
    today = today or timezone.localdate()
    due = (
        Commitment.objects.filter(status=CommitmentStatus.PROMISED, due_on__lt=today)
        .exclude(reminded_on__gt=today - AGAIN_AFTER)
        .select_related("partner", "partnership", "action")
        .order_by("pk")
    )
    sent = 0
    for commitment in due[:500]:
        with transaction.atomic():
            reps = [
                m.user
                for m in Member.objects.filter(
                    partner_id=commitment.partner_id, role=Role.PARTNER_REPRESENTATIVE
                ).select_related("user")
            ]
            first = first_language(commitment.partnership)
            what = commitment.description.get(first) or str(commitment.get_kind_display())
            url = (
                reverse(
                    "actions:detail",
                    args=[commitment.partnership.slug, commitment.action.public_id],
                )
                if commitment.action is not None
                else ""
            )
            sent += notify(
                partnership=commitment.partnership,
                kind="commitment_overdue",
                recipients=reps,
                params={
                    "partner": commitment.partner.name,
                    "due": commitment.due_on.isoformat(),
                    "what": what[:200],
                },
                url=url,
            )
            Commitment.objects.filter(pk=commitment.pk).update(reminded_on=today)
    return sent
