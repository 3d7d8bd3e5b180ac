"""The demo partnership's announcements (Brumaverde, an invented
municipality): one to every member, which notifies them, and one on the
public portal. Idempotent: nothing is added when the partnership has
announcements already."""

from __future__ import annotations

from typing import Any

from notifications.announcements import post_announcement
from notifications.models import Announcement
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Partnership


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if Announcement.objects.filter(partnership=partnership).exists():
        return
    facilitator = users["facilitadora"]
    post_announcement(
        by=facilitator,
        partnership=partnership,
        scope="members",
        title={
            "es": "Asamblea de la alianza en la vereda Nogalito",
            "en": "Partnership assembly in Nogalito",
        },
        body={
            "es": "Nos reunimos el primer sábado del mes en la escuela de Nogalito para revisar "
            "las metas colectivas. Cada socio trae su propuesta de compromisos.",
            "en": "We meet on the first Saturday of the month at the Nogalito school to review "
            "the collective goals. Each partner brings its proposed commitments.",
        },
    )
    post_announcement(
        by=facilitator,
        partnership=partnership,
        scope="public",
        title={
            "es": "Feria de emprendimiento juvenil de Brumaverde",
            "en": "Brumaverde youth entrepreneurship fair",
        },
        body={
            "es": "La alianza invita a los jóvenes del municipio a presentar sus ideas de "
            "negocio en la plaza principal.",
            "en": "The partnership invites the municipality's young people to present their "
            "business ideas in the main square.",
        },
    )


def register() -> None:
    if extend_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extend_demo)
