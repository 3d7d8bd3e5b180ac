"""Where the tests find their data.

The suite runs on the small extracts under ``tests/data/`` (see its README), so a
fresh clone needs nothing beside it. A few tests also have a variant on the full
sample data (the whole country's boundaries, for one): those are marked
``full_data`` and are not collected unless pytest is given ``--full-data``; the
data is then read from ``HSBP_SAMPLE_DATA`` (by default ``../shared/data`` beside
the checkout), and its absence is an error, never a quiet skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
COLOMBIA = TEST_DATA / "colombia"
DIVIPOLA = COLOMBIA / "DIVIPOLA_codigos_municipios_geolocalizados_20250217.csv"
# Tolima and Guainía only; make_extract.py beside it says why and how.
TOPOJSON = COLOMBIA / "tolima_guainia_2018_simplified.topojson"
# The SDG titles ship with the platform (goals/data/sdg), and the tests read them there.
SDG = ROOT / "goals" / "data" / "sdg"

full_data = pytest.mark.full_data


def full_data_dir() -> Path:
    default = ROOT.parent / "shared" / "data"
    return Path(os.environ.get("HSBP_SAMPLE_DATA") or default)


def full_topojson() -> Path:
    return full_data_dir() / "colombia" / "colombia_2018_simplified.topojson"
