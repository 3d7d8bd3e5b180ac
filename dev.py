#!/usr/bin/env python3
"""The two set-up commands of the HSBP Platform. Needs only Python 3.11+.

    python3 dev.py demo   # isolated environment, demo data, web server + worker
    python3 dev.py test   # test dependencies, then every check and the whole suite

Everything is installed into .venv/ beside this file; nothing outside it is touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
HSBP = BIN / "hsbp"
CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
ARTIFACTS = ROOT / "test-artifacts"


def say(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(f"Failed ({result.returncode}): {' '.join(str(a) for a in args)}")
    return result.returncode


def ensure_env(requirements: str) -> None:
    """Create .venv and install the pinned requirements, once per lock-file change."""
    if sys.version_info < (3, 11):
        sys.exit("The HSBP Platform needs Python 3.11 or newer.")
    if not PY.exists():
        say("Creating the isolated environment in .venv/")
        venv.create(VENV, with_pip=True)
    lock = (ROOT / requirements).read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    stamp = VENV / f".installed-{requirements}"
    digest = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"Installing {requirements} into .venv/")
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
    run(
        PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", "."
    )
    stamp.write_text(digest)


def demo() -> None:
    ensure_env("requirements.txt")
    env = {**os.environ, "HSBP_MODE": os.environ.get("HSBP_MODE", "development")}
    port = os.environ.get("PORT", "8000")
    env.setdefault("HSBP_SITE_URL", f"http://127.0.0.1:{port}")
    say("Preparing the database (SQLite in data/)")
    run(HSBP, "migrate", "--noinput", "-v", "0", env=env)
    say("Loading the demo partnerships")
    run(HSBP, "demo", env=env)
    say("Starting the background worker and the web server")
    worker = subprocess.Popen([str(HSBP), "worker", "--no-reload"], cwd=ROOT, env=env)
    print(
        f"\n  Open http://127.0.0.1:{port}/  (the demo logins are listed above; Ctrl-C stops)\n",
        flush=True,
    )
    try:
        run(HSBP, "runserver", f"127.0.0.1:{port}", env=env, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def postgres_url() -> str | None:
    url = os.environ.get("HSBP_TEST_POSTGRES_URL", DEFAULT_PG)
    probe = f"import psycopg; psycopg.connect({url!r}.replace('postgres://', 'postgresql://', 1), connect_timeout=3).close()"
    ok = subprocess.run([str(PY), "-c", probe], capture_output=True).returncode == 0
    return url if ok else None


def pytest(name: str, args: list[str], env: dict[str, str], totals: dict[str, int]) -> bool:
    report = ARTIFACTS / f"junit-{name}.xml"
    started = time.monotonic()
    code = run(PY, "-m", "pytest", *args, f"--junitxml={report}", env=env, check=False)
    if report.exists():
        suite = ET.parse(report).getroot()
        suite = suite.find("testsuite") if suite.tag == "testsuites" else suite
        if suite is not None:
            tests, failures = int(suite.get("tests", 0)), int(suite.get("failures", 0))
            errors, skipped = int(suite.get("errors", 0)), int(suite.get("skipped", 0))
            totals["passed"] += tests - failures - errors - skipped
            totals["failed"] += failures + errors
            totals["skipped"] += skipped
            print(
                f"--- {name}: {tests - failures - errors - skipped} passed, {failures + errors} failed, "
                f"{skipped} skipped in {time.monotonic() - started:.0f} s",
                flush=True,
            )
    return code == 0


def test() -> None:
    ensure_env("requirements-dev.txt")
    ARTIFACTS.mkdir(exist_ok=True)
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HSBP_MODE")}
    failed: list[str] = []
    skipped: list[str] = []
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    packages = [
        "hsbp",
        "partnerships",
        "accounts",
        "api",
        "portal",
        "stakeholders",
        "baseline",
        "consultations",
        "commonground",
        "goals",
    ]

    checks = [
        ("ruff lint", [BIN / "ruff", "check", "."]),
        ("ruff format", [BIN / "ruff", "format", "--check", "."]),
        ("mypy (strict)", [BIN / "mypy", *packages]),
        ("migrations committed", [HSBP, "makemigrations", "--check", "--dry-run"]),
        ("translation catalogues", [HSBP, "check_catalogues"]),
    ]
    for name, command in checks:
        say(name)
        if run(*command, env=base, check=False) != 0:
            failed.append(name)
    if not shutil.which("xgettext"):
        skipped.append("catalogue freshness (GNU gettext is not installed)")

    say("Test suite on SQLite")
    if not pytest("sqlite", ["-m", "not browser", "-n", "2", "-q"], base, totals):
        failed.append("suite on SQLite")

    pg = postgres_url()
    if pg:
        say(f"Test suite on PostgreSQL ({pg.rsplit('@', 1)[-1]}; a fresh test database)")
        # Tests that never touch the database ran above; they add nothing here.
        if not pytest(
            "postgresql",
            ["-m", "not browser and not database_free", "-n", "2", "-q", "--create-db"],
            {**base, "DATABASE_URL": pg},
            totals,
        ):
            failed.append("suite on PostgreSQL")
    else:
        skipped.append(
            f"the suite on PostgreSQL (no server answered at {DEFAULT_PG}; "
            "set HSBP_TEST_POSTGRES_URL)"
        )

    if CHROMIUM.exists():
        say("Browser tests (Playwright driving Debian's Chromium)")
        # Two workers: a browser test spends much of its time waiting on Chromium.
        if not pytest("browser", ["-m", "browser", "tests/browser", "-q", "-n", "2"], base, totals):
            failed.append("browser tests")
    else:
        skipped.append(
            "the browser tests (no /usr/bin/chromium; on Debian: apt-get install chromium)"
        )

    if skipped:
        bar = "!" * 78
        print(f"\n{bar}\nSKIPPED — these parts did NOT run:", flush=True)
        for item in skipped:
            print(f"  - {item}")
        print(bar)
        if in_ci:
            failed.append("CI must skip nothing")
    print()
    if failed:
        print("FAILED: " + "; ".join(failed))
    print(
        f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped",
        flush=True,
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "demo":
        demo()
    elif command == "test":
        test()
    else:
        sys.exit(__doc__)
