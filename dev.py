#!/usr/bin/env python3
"""The two set-up commands of the HSBP Platform. Needs only Python 3.11+.

    python3 dev.py demo   # isolated environment, demo data, web server + worker
    python3 dev.py test   # test dependencies, then every check and the whole suite
    python3 dev.py test --full-data   # ... and the tests on the whole sample data

Everything is installed into .venv/ beside this file; nothing outside it is touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
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
    url = f"http://127.0.0.1:{port}/"
    env.setdefault("HSBP_SITE_URL", url.rstrip("/"))
    # Emails go to files in data/outbox/ (EMAIL_FILE_PATH), not the console: the
    # worker sends the demo's invitations, and a hundred of them would push the
    # address and the logins off the screen.
    env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    say("Preparing the database (SQLite in data/)")
    run(HSBP, "migrate", "--noinput", "-v", "0", env=env)
    say("Loading the demo partnerships")
    # Kept for the end: the logins are what a newcomer needs once the server answers.
    loaded = subprocess.run(
        [str(HSBP), "demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if loaded.returncode != 0:
        sys.exit(f"Loading the demo failed:\n{loaded.stdout}{loaded.stderr}")
    say("Starting the background worker and the web server")
    # The worker's log goes to a file: a line per task would bury the logins.
    data_dir = Path(env.get("HSBP_DATA_DIR") or ROOT / "data")
    data_dir.mkdir(parents=True, exist_ok=True)
    worker_log = (data_dir / "worker.log").open("a")
    worker = subprocess.Popen(
        [str(HSBP), "worker", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    # A terminal that closes or `kill` stops the worker and the server too.
    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)
    server = subprocess.Popen(
        [str(HSBP), "runserver", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if wait_until_answering(server, url):
            print(f"{loaded.stdout.rstrip()}\n", flush=True)
            shown = data_dir.relative_to(ROOT) if data_dir.is_relative_to(ROOT) else data_dir
            outbox = env.get("EMAIL_FILE_PATH") or f"{shown}/outbox/"
            if env["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
                print(f"Emails (invitations, password resets) are written to {outbox}", flush=True)
            print(f"The background worker's log: {shown}/worker.log", flush=True)
            print(f"\n  Open {url}  and sign in with a login above.  Ctrl-C stops.\n", flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGINT)
        for process in (server, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        worker_log.close()


PROBE = "/healthz?from=dev.py"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def wait_until_answering(server: subprocess.Popen[str], url: str) -> bool:
    """Poll until the server answers a request; pass its log through, less the probes.

    runserver binds its port seconds after it prints its address, so the address
    is printed here, once a request has been answered."""
    answered = threading.Event()

    def relay() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            if PROBE in line:
                answered.set()  # logged after the answer: nothing of the start is left
            else:
                sys.stderr.write(line)
                sys.stderr.flush()

    threading.Thread(target=relay, daemon=True).start()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and server.poll() is None:
        try:
            # An http:// address built above, never a file: one.
            with urllib.request.urlopen(url.rstrip("/") + PROBE, timeout=5):  # noqa: S310
                break
        except urllib.error.HTTPError:
            break  # an answer all the same
        except OSError:
            time.sleep(0.25)  # not listening yet
    else:
        if server.poll() is None:
            print(f"The server did not answer at {url} within 3 minutes.", flush=True)
        return False
    answered.wait(timeout=5)
    return True


def postgres_url() -> str | None:
    url = os.environ.get("HSBP_TEST_POSTGRES_URL", DEFAULT_PG)
    probe = f"import psycopg; psycopg.connect({url!r}.replace('postgres://', 'postgresql://', 1), connect_timeout=3).close()"
    ok = subprocess.run([str(PY), "-c", probe], capture_output=True).returncode == 0
    return url if ok else None


def pytest(
    name: str,
    args: list[str],
    env: dict[str, str],
    totals: dict[str, int],
    skips: list[str],
) -> bool:
    """Run pytest once; add its counts to totals and each skipped test, with why, to skips."""
    report = ARTIFACTS / f"junit-{name}.xml"
    report.unlink(missing_ok=True)
    started = time.monotonic()
    code = run(PY, "-m", "pytest", *args, f"--junitxml={report}", env=env, check=False)
    if report.exists():
        root = ET.parse(report).getroot()
        suite = root.find("testsuite") if root.tag == "testsuites" else root
        if suite is not None:
            tests, failures = int(suite.get("tests", 0)), int(suite.get("failures", 0))
            errors, skipped = int(suite.get("errors", 0)), int(suite.get("skipped", 0))
            # JUnit files an expected failure (xfail) under skipped: it ran, so it
            # counts as passed here, and only a real skip is listed.
            for case in suite.iter("testcase"):
                for skip in case.findall("skipped"):
                    if skip.get("type") == "pytest.xfail":
                        skipped -= 1
                        continue
                    where = f"{case.get('classname')}::{case.get('name')}"
                    skips.append(f"{name}: {where}: {skip.get('message', '')}")
            totals["passed"] += tests - failures - errors - skipped
            totals["failed"] += failures + errors
            totals["skipped"] += skipped
            print(
                f"--- {name}: {tests - failures - errors - skipped} passed, {failures + errors} failed, "
                f"{skipped} skipped in {time.monotonic() - started:.0f} s",
                flush=True,
            )
    return code == 0


def test(options: list[str]) -> None:
    ensure_env("requirements-dev.txt")
    ARTIFACTS.mkdir(exist_ok=True)
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HSBP_MODE")}
    failed: list[str] = []
    skipped: list[str] = []
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    skips: list[str] = []
    # --full-data: also the tests on the whole sample data (tests/data/README.md).
    extra = ["--full-data"] if "--full-data" in options else []
    # The slowest tests, so that a slower suite shows where it went.
    extra.append("--durations=15")
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
        "notifications",
        "discussion",
        "charter",
        "decisions",
        "attachments",
        "actions",
        "meetings",
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
    # Plain load distribution: it keeps pytest-django's order (tests that flush
    # the database last), which --dist loadscope breaks; and --dist loadgroup
    # groups nothing with pytest 9.2 (pytest-xdist issue 1386).
    workers = ["-n", "2"]
    if not pytest("sqlite", ["-m", "not browser", *workers, "-q", *extra], base, totals, skips):
        failed.append("suite on SQLite")

    pg = postgres_url()
    if pg:
        say(f"Test suite on PostgreSQL ({pg.rsplit('@', 1)[-1]}; a fresh test database)")
        # Tests that never touch the database ran above; they add nothing here,
        # nor do those whose outcome the database cannot change (one_database).
        if not pytest(
            "postgresql",
            [
                "-m",
                "not browser and not database_free and not one_database",
                *workers,
                "-q",
                "--create-db",
                *extra,
            ],
            {**base, "DATABASE_URL": pg},
            totals,
            skips,
        ):
            failed.append("suite on PostgreSQL")
    else:
        skipped.append(
            "the suite on PostgreSQL (no server answered at "
            f"{os.environ.get('HSBP_TEST_POSTGRES_URL', DEFAULT_PG)}; set HSBP_TEST_POSTGRES_URL "
            "to a database that exists)"
        )

    if CHROMIUM.exists():
        say("Browser tests (Playwright driving Debian's Chromium)")
        # Two workers: a browser test spends much of its time waiting on Chromium.
        # worksteal: the tests last from ten seconds to minutes; an idle worker
        # takes half of the other's queue instead of waiting.
        browser = ["-m", "browser", "tests/browser", "-q", "-n", "2", "--dist", "worksteal"]
        browser.append("--durations=10")
        if not pytest("browser", browser, base, totals, skips):
            failed.append("browser tests")
    else:
        skipped.append(
            "the browser tests (no /usr/bin/chromium; on Debian: apt-get install chromium)"
        )

    if skips:
        skipped.append(f"{len(skips)} tests that pytest skipped:")
        skipped.extend(f"    {line}" for line in skips)
    if skipped:
        bar = "!" * 78
        print(f"\n{bar}\nSKIPPED — these parts did NOT run:", flush=True)
        for item in skipped:
            print(f"  - {item}" if not item.startswith("    ") else item)
        print(bar)
        if in_ci:
            failed.append("CI must skip nothing (CI=true)")
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
        test(sys.argv[2:])
    else:
        sys.exit(__doc__)
