"""The demo partnership's decisions (Brumaverde, an invented municipality):
a decision taken under the charter with its tally by partner type and its
outcome statement, a vote open now, a facilitator-led operational decision,
and a proposal under discussion. Only where the demo has a charter in force
(the charter room's demo gives it one); nothing twice.

Every person is a demo persona; the titles name invented places only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from charter.rules import DecisionKind
from decisions import charter_link, services
from decisions.models import Decision
from discussion import services as talk
from partnerships.errors import ServiceError
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Member, Partnership, Role

REPS = ("empresa", "alcaldia", "victimas", "cooperativa")


def _propose(partnership: Partnership, by: Any, kind: str, es: str, en: str, body: str) -> Decision:
    return services.propose(
        by=by, partnership=partnership, kind=kind, title={"es": es, "en": en}, body={"es": body}
    )


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if Decision.objects.filter(partnership=partnership).exists():
        return
    types = {t.code for t in charter_link.decision_types(partnership)}
    if DecisionKind.GENERAL not in types:
        return  # no charter in force: nothing is decided yet
    fac = users["facilitadora"]
    reps = [
        users[login]
        for login in REPS
        if login in users
        and Member.objects.filter(
            partnership=partnership, user=users[login], role=Role.PARTNER_REPRESENTATIVE
        ).exists()
    ]
    try:
        with transaction.atomic():
            _scenes(partnership, fac, reps, types)
    except ServiceError:
        # A charter whose rules do not allow these scenes (a role that may not
        # propose, say): the demo goes on without them rather than with half.
        return


def _scenes(partnership: Partnership, fac: Any, reps: list[Any], types: set[str]) -> None:
    # Decided three weeks ago: every partner voted, and the outcome is written.
    taken = _propose(
        partnership,
        fac,
        DecisionKind.GENERAL,
        "Mantenimiento compartido de la vía a Nogalito",
        "Shared maintenance of the road to Nogalito",
        "Cada socio aporta jornales o maquinaria dos sábados al mes durante 2027.",
    )
    start = timezone.now() - timedelta(days=40)
    services.open_vote(by=fac, decision=taken, now=start)
    for n, rep in enumerate(reps):
        services.vote(
            by=rep,
            decision=taken,
            choice="abstain" if n == 1 else "agree",
            now=start + timedelta(days=1 + n),
        )
    if reps:
        # Its discussion (the discussion room's demo then leaves this thread
        # alone: it only starts threads where there is none).
        talk.post_comment(
            by=reps[0],
            partnership=partnership,
            target=taken,
            body="Podemos poner la volqueta dos sábados al mes.",
        )
    taken = services.close(decision=taken, now=taken.closes_at)
    services.record_outcome(
        by=fac,
        decision=taken,
        outcome={
            "es": "La alianza mantiene la vía a Nogalito con jornadas mensuales; "
            "la alcaldía coordina la maquinaria.",
            "en": "The partnership maintains the road to Nogalito with monthly work "
            "days; the mayor's office coordinates the machinery.",
        },
    )
    # Open now: the representatives who have not voted find it on their journey.
    open_now = _propose(
        partnership,
        fac,
        DecisionKind.GENERAL,
        "Fondo semilla para emprendimientos juveniles",
        "A seed fund for youth enterprises",
        "Un fondo conjunto de capital semilla para jóvenes de las veredas.",
    )
    services.open_vote(by=fac, decision=open_now)
    if reps:
        services.vote(by=reps[0], decision=open_now, choice="agree")
    if DecisionKind.OPERATIONAL in types:
        operational = _propose(
            partnership,
            fac,
            DecisionKind.OPERATIONAL,
            "Fecha de la próxima asamblea",
            "Date of the next assembly",
            "La asamblea se reúne en la casa comunal de Nogalito.",
        )
        services.record_outcome(
            by=fac,
            decision=operational,
            outcome={"es": "La asamblea será el primer sábado de marzo."},
            result="passed",
        )
    _propose(
        partnership,
        reps[0] if reps else fac,
        DecisionKind.GENERAL,
        "Compras locales para el casino de la planta",
        "Local purchasing for the plant's canteen",
        "Comprar a la cooperativa al menos la mitad de los alimentos del casino.",
    )


def register() -> None:
    if extend_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extend_demo)
