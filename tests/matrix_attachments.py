"""The attachments room's part of the permission matrix
(tests/test_permission_matrix.py).

The rooms that attach evidence to their records (actions, meetings) stand
above this one; until they register, the matrix attaches to a threat of the
baseline, registered here for the tests (a threat is read by every member
and changed by facilitators and partners' representatives, as evidence on an
action will be), and public, so that the portal's copy answers."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import User
from partnerships.models import Member, Partnership

BODIES: dict[tuple[str, str], dict[str, Any]] = {}
# One small file for every run, written once (the matrix's rows are rolled back).
MATRIX_FILE = "attachments/matrix/matrix.pdf"


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    from attachments import targets
    from attachments.models import Attachment
    from baseline import services
    from baseline.models import Dimension, Threat

    targets.register(Threat, permission_kind="threat", is_public=lambda threat: True)
    threat = services.create_threat(
        by=facilitator,
        partnership=partnership,
        title="Matrix evidence",
        dimensions=[Dimension.objects.filter(partnership=partnership).first()],
    )
    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    attachment = Attachment.objects.create(
        partnership=partnership,
        target_type="threat",
        target_id=threat.public_id,
        kind="file",
        caption={"es": "Acta de la matriz"},
        file=MATRIX_FILE,
        original_name="acta.pdf",
        content_type="application/pdf",
        size=15,
        shows_people=True,
        consent=True,
        uploaded_by=Member.objects.get(partnership=partnership, user=facilitator),
    )
    return {
        "attach_to": "threat",
        "attach_to_id": str(threat.public_id),
        "attachment_id": str(attachment.public_id),
        "public_file": str(attachment.public_id),
    }
