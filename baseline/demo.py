"""The baseline of the demo partnership (Brumaverde, an invented
municipality): about thirty threats across the seven dimensions, rated by the
community, the company and the government — often very differently — and by
some segments, with evidence; needs, vulnerabilities and capacities; and the
capacity register.

The localities are the invented municipalities of the demo's invented region,
with boundaries of their own (``baseline/demo_places/``), imported as a real
partnership imports DANE's list and boundaries: through
``baseline.localities.import_localities``. So the maps work, and the demo
needs no data from outside the repository.

``extend_demo`` registers itself in ``DEMO_EXTENSIONS`` at import and does
nothing if the partnership already has threats. Everything goes through the
audited services; it is deterministic (a seeded random generator for dates).
"""

from __future__ import annotations

import datetime
import os
import random
from pathlib import Path
from typing import Any

from django.conf import settings

from baseline import services
from baseline.demo_data import (
    CONDITIONS,
    CONTRIBUTIONS,
    EVIDENCE,
    HOME,
    NEIGHBOURS,
    PLACES_BOUNDARIES,
    PLACES_CODE_PROPERTY,
    PLACES_LIST,
    SEED,
    THREATS,
)
from baseline.localities import import_localities
from baseline.models import Dimension, Locality, Threat
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Partner, Partnership
from stakeholders.models import Segment

PLACES_DIR = Path(__file__).resolve().parent / "demo_places"
GROUPS = ("community", "company", "government")


def sample_data_dir() -> Path:
    """The shared sample data (the SDG titles the goals demo loads when present)."""
    default = Path(settings.BASE_DIR).parent / "shared" / "data"
    return Path(os.environ.get("HSBP_SAMPLE_DATA") or default)


def load_localities(partnership: Partnership, fac: Any) -> list[Locality]:
    """The invented region's municipalities with their boundaries, through the
    import a real partnership uses; the home municipality and its neighbours first."""
    import_localities(
        by=fac,
        partnership=partnership,
        divipola=(PLACES_DIR / PLACES_LIST).read_bytes(),
        boundaries=(PLACES_DIR / PLACES_BOUNDARIES).read_bytes(),
        code_property=PLACES_CODE_PROPERTY,
    )
    wanted = [HOME, *NEIGHBOURS]
    found = {
        loc.code: loc for loc in Locality.objects.filter(partnership=partnership, code__in=wanted)
    }
    return [found[code] for code in wanted if code in found]


def _rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


def extend_demo(partnership: Partnership, users: dict[str, Any]) -> None:
    if Threat.objects.filter(partnership=partnership).exists():
        return
    rng = random.Random(SEED)
    fac = users["facilitadora"]
    services.ensure_defaults(partnership=partnership, by=fac)
    dimensions = {d.code: d for d in Dimension.objects.filter(partnership=partnership)}
    segments = {s.code: s for s in Segment.objects.filter(partnership=partnership)}
    partners = {p.name: p for p in Partner.objects.filter(partnership=partnership)}
    by_type = {p.partner_type: p for p in partners.values()}
    localities = load_localities(partnership, fac)
    spokespeople = {"company": users.get("empresa"), "government": users.get("alcaldia"),
                    "community": users.get("victimas")}  # fmt: skip
    start = datetime.date(2025, 9, 1)

    threats: dict[str, Threat] = {}
    for number, row in enumerate(_rows(THREATS)):
        title, dims, nature, trend, types, segs, scores, causes = row
        threat = services.create_threat(
            by=fac,
            partnership=partnership,
            title=title,
            nature="downside" if nature == "d" else "opportunity",
            trend=trend,
            dimensions=[dimensions[c] for c in dims.split(",")],
            partner_types=[t for t in types.split(",") if t],
            segments=[segments[c] for c in segs.split(",") if c],
            localities=localities[: 1 + number % 3],
            root_causes=causes,
        )
        threats[title] = threat
        for group, score in zip(GROUPS, scores.split(), strict=True):
            severity, likelihood = (int(v) for v in score.split("/"))
            on = start + datetime.timedelta(days=rng.randrange(0, 120))
            # A first, older view for some threats: the baseline is revisited.
            if number % 4 == 0:
                services.rate_threat(
                    by=fac, threat=threat, partner_type=group, source="workshop",
                    severity=max(1, severity - 1), likelihood=likelihood,
                    rated_on=on - datetime.timedelta(days=60),
                )  # fmt: skip
            services.rate_threat(
                by=spokespeople.get(group) or fac,
                threat=threat,
                partner_type=group,
                severity=severity,
                likelihood=likelihood,
                source="partner",
                rated_by=by_type.get(group),
                rated_on=on,
            )
        # The segments the threat affects rate it too (from consultations).
        for code in segs.split(","):
            if code:
                services.rate_threat(
                    by=fac, threat=threat, segment=segments[code], source="consultation",
                    severity=min(5, 3 + rng.randrange(0, 3)), likelihood=3 + rng.randrange(0, 3),
                    rated_on=start + datetime.timedelta(days=130),
                )  # fmt: skip
    for title, kind, label in EVIDENCE:
        services.add_evidence(
            by=fac, threat=threats[title], kind=kind, title=label,
            note="Documento inventado para la demostración.",
        )  # fmt: skip

    for kind, group, dimension, description, source in _rows(CONDITIONS):
        which, _sep, code = group.partition(":")
        services.record_condition(
            by=fac,
            partnership=partnership,
            kind=kind,
            partner_type=code if which == "type" else "",
            segment=segments[code] if which == "segment" else None,
            dimension=dimensions[dimension],
            locality=localities[0] if localities and kind == "vulnerability" else None,
            description=description,
            source=source,
        )

    for name, kind, description, quantity, unit, dims in _rows(CONTRIBUTIONS):
        if name not in partners:
            continue
        services.add_contribution(
            by=fac,
            partnership=partnership,
            partner=partners[name],
            kind=kind,
            description=description,
            quantity=quantity or None,
            unit=unit,
            dimensions=[dimensions[c] for c in dims.split(",") if c],
            available_from=datetime.date(2026, 1, 1),
            available_until=datetime.date(2027, 12, 31),
        )


if extend_demo not in DEMO_EXTENSIONS:
    DEMO_EXTENSIONS.append(extend_demo)
