"""The demo baseline: threats on every dimension, divergent ratings, NVC
entries and a capacity register; localities from the sample data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from baseline import analysis, services
from baseline.demo import extend_demo, sample_data_dir
from baseline.models import Condition, Contribution, Dimension, Locality, Threat, ThreatRating
from partnerships.management.commands.demo import DEMO_EXTENSIONS, MAIN
from partnerships.models import AuditEntry, Partner, Partnership


@pytest.fixture
def demo(db: None) -> Partnership:
    assert DEMO_EXTENSIONS.count(extend_demo) == 1
    call_command("demo", verbosity=0)
    return Partnership.objects.get(name=MAIN)


def test_it_gives_the_demo_partnership_a_baseline(demo: Partnership) -> None:
    assert 25 <= Threat.objects.filter(partnership=demo).count() <= 40
    empty = Dimension.objects.filter(partnership=demo, threats__isnull=True)
    assert not empty.exists()
    types = set(
        ThreatRating.objects.filter(partnership=demo)
        .exclude(partner_type="")
        .values_list("partner_type", flat=True)
    )
    assert {"community", "company", "government"} <= types
    # Divergent ratings: a threat the community rates 5 and the company 2 or less.
    spreads = [
        analysis.disagreement(services.current_ratings(t))
        for t in Threat.objects.filter(partnership=demo)
    ]
    assert max(spreads) >= 3 and sum(s >= 2 for s in spreads) >= 10
    assert len(analysis.mutual_risks(demo)) >= 3
    assert Condition.objects.filter(partnership=demo).values("kind").distinct().count() == 3
    partners = Partner.objects.filter(partnership=demo, contributions__isnull=False).distinct()
    assert partners.count() >= 6
    assert Contribution.objects.filter(partnership=demo).count() >= 10
    assert AuditEntry.objects.filter(partnership=demo, kind="threat").exists()


def test_it_loads_tolima_from_the_sample_data(demo: Partnership) -> None:
    assert (sample_data_dir() / "colombia").exists()
    planadas = Locality.objects.get(partnership=demo, code="73555")
    assert planadas.boundary is not None and planadas.parent_name == "Tolima"
    assert Locality.objects.filter(partnership=demo, parent_code="73").count() == 47
    assert not Locality.objects.filter(partnership=demo).exclude(code__startswith="73").exists()
    assert Threat.objects.filter(partnership=demo, localities__code="73555").exists()


def test_it_loads_once_and_invents_localities_without_sample_data(
    db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HSBP_SAMPLE_DATA", str(tmp_path))
    call_command("demo", verbosity=0)
    demo = Partnership.objects.get(name=MAIN)
    codes = set(Locality.objects.filter(partnership=demo).values_list("code", flat=True))
    assert codes == {"99", "99001", "99002", "99003", "99004"}
    threats = Threat.objects.filter(partnership=demo).count()
    call_command("demo", verbosity=0)
    assert Threat.objects.filter(partnership=demo).count() == threats
