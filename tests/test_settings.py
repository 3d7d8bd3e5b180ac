"""The settings module: typed environment helpers and production refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hsbp.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "s" * 64


def test_it_reads_typed_values() -> None:
    env = {"A": " yes ", "B": "42", "C": "a, b,,c", "D": "rq"}
    assert env_bool("A", False, environ=env) is True
    assert env_int("B", 0, environ=env) == 42
    assert env_list("C", [], environ=env) == ["a", "b", "c"]
    assert env_choice("D", "database", ("database", "rq"), environ=env) == "rq"
    assert env_str("MISSING", "default", environ=env) == "default"


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda e: env_bool("X", False, environ=e), "maybe", "X must be one of true/false"),
        (lambda e: env_int("X", 1, environ=e), "ten", "X must be a whole number"),
        (lambda e: env_int("X", 1, minimum=1, environ=e), "0", "X must be at least 1"),
        (lambda e: env_choice("X", "a", ("a", "b"), environ=e), "c", "X must be one of a, b"),
    ],
)
def test_it_refuses_bad_values_with_a_clear_message(reader, value: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        reader({"X": value})


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HSBP_", "SECRET_KEY", "DEBUG", "DATABASE_URL"))
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "hsbp.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_a_production_start_without_a_secret_key() -> None:
    result = _start(HSBP_MODE="production", ALLOWED_HOSTS="hsbp.example.org")
    assert result.returncode != 0
    assert "Refusing to start in production mode: SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_production_start_with_debug_or_insecure_cookies() -> None:
    result = _start(
        HSBP_MODE="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="h.example.org", DEBUG="true"
    )
    assert result.returncode != 0 and "DEBUG must be off" in result.stderr
    result = _start(
        HSBP_MODE="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="h.example.org",
        SESSION_COOKIE_SECURE="false",
    )
    assert result.returncode != 0 and "COOKIE_SECURE" in result.stderr


def test_it_starts_in_production_when_configured_safely(tmp_path: Path) -> None:
    result = _start(
        HSBP_MODE="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="h.example.org",
        HSBP_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_it_selects_postgresql_from_database_url(tmp_path: Path) -> None:
    result = _start(DATABASE_URL="postgres://hsbp@127.0.0.1:5432/hsbp", HSBP_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_it_refuses_a_bad_database_url(tmp_path: Path) -> None:
    result = _start(DATABASE_URL="mongodb://x/y", HSBP_DATA_DIR=str(tmp_path))
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_it_uses_sqlite_in_wal_mode_by_default(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(HSBP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="hsbp.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "wal", result.stderr
    assert (tmp_path / "hsbp.sqlite3").exists()


def test_it_documents_every_environment_variable_it_reads() -> None:
    import re

    source = (ROOT / "hsbp" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', source))
    documented = set(
        re.findall(r"^# ([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read - documented == set()
    assert len(read) > 30


def test_it_keeps_the_translation_catalogues_complete_and_compiled(db: None) -> None:
    # Whether they match the code needs GNU gettext; the test command runs the
    # full `hsbp check_catalogues` where it is installed.
    import polib

    for lang in ("en", "es"):
        po = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))
        assert po.untranslated_entries() == [] and po.fuzzy_entries() == [], lang
        # Keyed by context too: "Closed" is one entry per thing that closes.
        mo = {
            (e.msgctxt, e.msgid): e.msgstr
            for e in polib.mofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.mo"))
        }
        assert mo == {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}, lang
