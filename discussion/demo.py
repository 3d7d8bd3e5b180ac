"""The demo partnership's discussion: a short exchange, with a reply, a
mention and an edit after the reply, on the first record of each registered
kind (a collective goal). Those records belong to rooms above this one, made
by their own parts of the demo, so this part runs after every other: on its
turn it adds ``_discuss`` at the end of the list the demo command is going
through. Idempotent: nothing is added where a thread exists."""

from __future__ import annotations

from typing import Any

from discussion import services, targets
from discussion.models import Comment
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Partnership


def _discuss(partnership: Partnership, users: dict[str, Any]) -> None:
    for target in targets.all_targets():
        record = (
            target.model._default_manager.filter(partnership=partnership).order_by("pk").first()
        )
        if (
            record is None
            or Comment.objects.filter(
                partnership=partnership, target_type=target.code, target_pk=record.pk
            ).exists()
        ):
            continue
        first = services.post_comment(
            by=users["victimas"],
            partnership=partnership,
            target=record,
            body="Pedimos que se incluya a las familias retornadas de la vereda Nogalito.",
        )
        services.post_comment(
            by=users["empresa"],
            partnership=partnership,
            target=record,
            parent=first,
            body="De acuerdo. @Facilitadora (demo), ¿lo llevamos a la próxima asamblea?",
        )
        services.edit_comment(
            by=users["victimas"],
            comment=first,
            body="Pedimos que se incluya a las familias retornadas de Nogalito y de la "
            "parte alta de la quebrada.",
        )


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if _discuss not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(_discuss)


def register() -> None:
    if extend_demo not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(extend_demo)
