"""The consultations room's part of the permission matrix (tests/test_permission_matrix.py):
concrete values for the URL arguments of its pages, and valid API bodies."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from partnerships.models import Partnership

# Valid payloads per (method, last path segment), so that the permission check decides.
# The questionnaire a body names exists only at run time: a permitted caller is
# answered 400 ("not in this partnership"), after the permission check.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "responses"): {
        "questionnaire": "00000000-0000-4000-8000-000000000004",
        "idempotency_key": "matrix-1",
        "answers": {"water": "yes"},
        "attributes": {},
        "consented": True,
    },
}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    """Objects of ``partnership`` made by its facilitator, by URL argument name.

    An open, identified questionnaire (so the raw view of responses exists) with
    one question, a response and a session; and the public link of an open,
    anonymous one. Arguments other rooms' pages may name (the analysis's
    ``question_key``, ``fmt``) are filled too."""
    from consultations import services
    from consultations.models import Channel, Mode
    from consultations.views import public_link_token

    q = services.create_questionnaire(
        by=facilitator,
        partnership=partnership,
        title={"en": "Matrix questionnaire", "es": "Cuestionario de la matriz"},
        mode=Mode.IDENTIFIED,
    )
    services.add_question(
        by=facilitator,
        questionnaire=q,
        key="water",
        kind="single_choice",
        text={"en": "Water?", "es": "¿Agua?"},
        options="yes | Yes | Sí\nno | No | No",
    )
    services.set_status(by=facilitator, questionnaire=q, status="open")
    response = services.record_response(
        questionnaire=q,
        channel=Channel.API,
        idempotency_key="matrix",
        answers={"water": "yes"},
        attributes={},
        consented=True,
    )
    session = services.create_session(
        by=facilitator,
        questionnaire=q,
        held_on=timezone.localdate(q.created_at),
        place="Matrix hall",
    )
    public = services.create_questionnaire(
        by=facilitator, partnership=partnership, title={"es": "Matriz pública"}, mode=Mode.ANONYMOUS
    )
    services.add_question(
        by=facilitator, questionnaire=public, key="note", kind="free_text", text={"es": "Diga"}
    )
    services.set_status(by=facilitator, questionnaire=public, status="open")
    return {
        "questionnaire_id": str(q.public_id),
        "question_key": "water",
        "response_id": str(response.public_id),
        "session_id": str(session.public_id),
        "link": public_link_token(public),
        "fmt": "csv",
    }
