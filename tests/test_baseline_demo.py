"""The demo baseline: threats on every dimension, divergent ratings, NVC
entries and a capacity register; the invented region's localities with their
boundaries, imported as a real partnership imports them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from baseline import analysis, services
from baseline.demo import extend_demo, sample_data_dir
from baseline.models import Condition, Contribution, Dimension, Locality, Threat, ThreatRating
from partnerships.management.commands.demo import DEMO_EXTENSIONS, HOME_CODE, MAIN
from partnerships.models import AuditEntry, Partner, Partnership


@pytest.fixture
def demo(demo_once: None, db: None) -> Partnership:
    assert DEMO_EXTENSIONS.count(extend_demo) == 1
    # Loaded once for the module (tests/demo_once.py); each test's changes are undone.
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


def test_it_loads_the_invented_region_with_its_boundaries(demo: Partnership) -> None:
    home = Locality.objects.get(partnership=demo, code=HOME_CODE)
    assert home.name == "Brumaverde" and home.parent_name == "Región de Demostración"
    municipalities = Locality.objects.filter(partnership=demo, kind="municipality")
    assert municipalities.count() == 8
    assert not municipalities.filter(boundary__isnull=True).exists()
    assert set(Locality.objects.filter(partnership=demo).values_list("parent_code", "kind")) == {
        ("", "department"),
        ("00", "municipality"),
    }
    # Through the import, as a real partnership's list: on the audit trail.
    assert AuditEntry.objects.filter(partnership=demo, object_label=str(home)).exists()
    assert Threat.objects.filter(partnership=demo, localities__code=HOME_CODE).exists()


def test_it_needs_no_data_from_outside_the_repository(
    db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HSBP_SAMPLE_DATA", str(tmp_path))
    assert not (sample_data_dir() / "colombia").exists()
    call_command("demo", verbosity=0)
    demo = Partnership.objects.get(name=MAIN)
    found = Locality.objects.filter(partnership=demo, boundary__isnull=False)
    assert found.count() == 8
    threats = Threat.objects.filter(partnership=demo).count()
    call_command("demo", verbosity=0)
    assert Threat.objects.filter(partnership=demo).count() == threats
    assert Locality.objects.filter(partnership=demo).count() == 9
