"""The baseline room's part of the permission matrix (tests/test_permission_matrix.py):
concrete values for the URL arguments of its pages, and valid API bodies."""

from __future__ import annotations

import uuid
from typing import Any

from accounts.models import User
from partnerships.models import Partnership

# Valid payloads per (method, last path segment), so that the permission check decides.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "threats"): {"title": "Matrix threat", "dimensions": ["economic"]},
    ("patch", "{threat_id}"): {"trend": "stable"},
    ("post", "ratings"): {"partner_type": "community", "severity": 3, "likelihood": 2},
}


def values(partnership: Partnership, facilitator: User) -> dict[str, str]:
    """Objects of ``partnership`` made by its facilitator, by URL argument name:
    a threat with a rating and evidence, an NVC entry, a contribution of the
    partner a representative speaks for (so that they may edit it), and an
    unused dimension, age band and gender option of its own."""
    from baseline import services
    from baseline.models import Dimension
    from partnerships.models import Member, Partner, Role

    dimension = Dimension.objects.filter(partnership=partnership).first()
    threat = services.create_threat(
        by=facilitator, partnership=partnership, title="Matrix threat", dimensions=[dimension]
    )
    rating = services.rate_threat(
        by=facilitator, threat=threat, partner_type="community", severity=4, likelihood=3
    )
    evidence = services.add_evidence(by=facilitator, threat=threat, kind="link", title="Matrix")
    condition = services.record_condition(
        by=facilitator,
        partnership=partnership,
        kind="need",
        partner_type="community",
        dimension=dimension,
        description="Matrix need",
        source="Matrix",
    )
    rep = Member.objects.filter(partnership=partnership, role=Role.PARTNER_REPRESENTATIVE).first()
    partner = (rep.partner if rep else None) or Partner.objects.filter(
        partnership=partnership
    ).first()
    contribution = services.add_contribution(
        by=facilitator,
        partnership=partnership,
        partner=partner,
        kind="skills",
        description="Matrix skills",
    )
    # Set-up entries of the partnership's own, that nothing uses (so that a
    # permitted removal succeeds). Fresh names: this runs more than once a test.
    suffix = uuid.uuid4().hex[:8]
    own_dimension = services.add_dimension(
        by=facilitator,
        partnership=partnership,
        names={"es": f"Dimensión de la matriz {suffix}"},
        descriptions={},
    )
    band = services.add_age_band(
        by=facilitator,
        partnership=partnership,
        name=f"Matrix band {suffix}",
        min_age=90,
        max_age=None,
    )
    gender = services.add_gender_option(
        by=facilitator, partnership=partnership, name=f"Matrix gender {suffix}"
    )
    return {
        "dimension_id": str(own_dimension.public_id),
        "age_band_id": str(band.public_id),
        "gender_id": str(gender.public_id),
        "threat_id": str(threat.public_id),
        "rating_id": str(rating.public_id),
        "evidence_id": str(evidence.public_id),
        "condition_id": str(condition.public_id),
        "contribution_id": str(contribution.public_id),
    }
