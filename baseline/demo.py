"""The baseline of the demo partnership (Planadas, Tolima): about thirty
threats across the seven dimensions, rated by the community, the company and
the government — often very differently — and by some segments, with
evidence; needs, vulnerabilities and capacities; and the capacity register.

Localities come from the sample data (``HSBP_SAMPLE_DATA``, by default
``../shared/data`` next to the repository): the department of Tolima from
DANE's DIVIPOLA list, with its boundaries, through ``baseline.localities``.
Without those files a handful of invented localities stand in.

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
    FALLBACK_LOCALITIES,
    HOME,
    HOME_DEPARTMENT,
    NEIGHBOURS,
    SEED,
    THREATS,
)
from baseline.localities import import_localities
from baseline.models import Dimension, Locality, Threat
from partnerships.management.commands.demo import DEMO_EXTENSIONS
from partnerships.models import Partner, Partnership
from stakeholders.models import Segment

DIVIPOLA_FILE = "DIVIPOLA_codigos_municipios_geolocalizados_20250217.csv"
TOPOJSON_FILE = "colombia_2018_simplified.topojson"
GROUPS = ("community", "company", "government")


def sample_data_dir() -> Path:
    default = Path(settings.BASE_DIR).parent / "shared" / "data"
    return Path(os.environ.get("HSBP_SAMPLE_DATA") or default)


def load_localities(partnership: Partnership, fac: Any) -> list[Locality]:
    """Tolima's municipalities with boundaries, or invented ones without the files."""
    colombia = sample_data_dir() / "colombia"
    divipola, topojson = colombia / DIVIPOLA_FILE, colombia / TOPOJSON_FILE
    if divipola.exists():
        import_localities(
            by=fac,
            partnership=partnership,
            divipola=divipola.read_bytes(),
            boundaries=topojson.read_bytes() if topojson.exists() else None,
            departments=[HOME_DEPARTMENT],
        )
        wanted = [HOME, *NEIGHBOURS]
    else:
        for code, name, kind, parent in FALLBACK_LOCALITIES:
            Locality.objects.get_or_create(
                partnership=partnership,
                code=code,
                defaults={"name": name, "kind": kind, "parent_code": parent},
            )
        wanted = [code for code, _n, kind, _p in FALLBACK_LOCALITIES if kind == "municipality"]
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
