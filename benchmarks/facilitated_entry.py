"""Server time of a facilitated session's bulk entry: one request that records
a sheet of paper forms.

Seeds ``consultations_seed.seed_consultations()`` (BENCH_RESPONSES responses,
default 5,000, over five partnerships, 30 questions each) into a scratch
database (SQLite, or PostgreSQL when DATABASE_URL points at a server), then,
BENCH_REQUESTS times, records a new session and posts its sheet of
BENCH_FORMS forms (default 200, every question answered: about 34 answers a
form) to the entry page through Django's test client, as a facilitator.
Reports median and p95 in ms and the queries per request. The target is one
second for a 200-form session.

    .venv/bin/python benchmarks/facilitated_entry.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/facilitated_entry.py
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
os.environ.setdefault("HSBP_DATA_DIR", tempfile.mkdtemp(prefix="hsbp-bench-"))
# As in production: the request queues the results refresh for the worker.
os.environ["HSBP_TASK_BACKEND"] = "database"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "5000"))
FORMS = int(os.environ.get("BENCH_FORMS", "200"))


def sheet_text(questions: list, segments: list[str], localities: list[str], seed: int) -> str:
    """A session's sheet as a facilitator would fill it in: the header, then
    one line per paper form."""
    from benchmarks.consultations_seed import AGES, GENDERS
    from consultations import sheet
    from consultations.models import QuestionKind

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.header(questions))
    for _ in range(FORMS):
        cells = [
            rng.choice(GENDERS),
            rng.choice(AGES)[0],
            rng.choice(segments),
            rng.choice(localities),
        ]
        for q in questions:
            codes = [str(o["code"]) for o in q.options]
            if q.kind == QuestionKind.SINGLE_CHOICE:
                cells.append(rng.choice(codes))
            elif q.kind == QuestionKind.MULTIPLE_CHOICE:
                cells.append(";".join(rng.sample(codes, rng.randint(1, 3))))
            elif q.kind == QuestionKind.RANKING:
                cells.append(";".join(rng.sample(codes, len(codes))))
            elif q.kind == QuestionKind.THREAT_RATING:
                cells.append(";".join(f"{c}={rng.randint(1, 5)}" for c in codes))
            elif q.kind == QuestionKind.SCALE:
                cells.append(str(rng.randint(1, 5)))
            elif q.kind == QuestionKind.NUMBER:
                cells.append(str(rng.randint(0, 12)))
            else:
                cells.append(rng.choice(["", "More water, please", "Roads"]))
        writer.writerow(cells)
    return out.getvalue()


def main() -> None:
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User
        from accounts.totp import activate
        from baseline.models import Locality
        from benchmarks.consultations_seed import seed_consultations
        from consultations import services
        from consultations.models import Response
        from partnerships.models import Member
        from stakeholders.models import Segment

        made = seed_consultations(responses=RESPONSES)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        partnership, q = made[0]
        facilitator = User.objects.get(email="bench-facilitator-1@example.test")
        activate(facilitator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        member = Member.objects.get(partnership=partnership, user=facilitator)
        questions = services.questionnaire_questions(q)
        segments = list(
            Segment.objects.filter(partnership=partnership).values_list("code", flat=True)
        )
        localities = list(
            Locality.objects.filter(partnership=partnership).values_list("code", flat=True)
        )
        client = Client()
        client.force_login(facilitator)
        times, queries = [], []
        # One session more than measured: the first request warms up (imports,
        # templates, the connection); it is left out of the figures.
        for i in range(REQUESTS + 1):
            session = services.create_session(
                by=facilitator,
                questionnaire=q,
                held_on=datetime.date(2026, 11, 2),
                place=f"Bench village hall {i}",
                facilitated_by=member,
            )
            url = f"/p/{partnership.slug}/consultations/sessions/{session.public_id}/entry/"
            data = {"sheet": sheet_text(questions, segments, localities, i), "consented": "on"}
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post(url, data)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, (response.status_code, url)
            recorded = Response.objects.filter(session=session).count()
            assert recorded == FORMS, f"{recorded} of {FORMS} forms recorded"
            queries.append(len(captured))
            if i == 0:
                times.clear()
                queries.clear()
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"bulk entry of a {FORMS}-form session ({len(questions)} questions) on "
            f"{connection.vendor}, {REQUESTS} requests: median {statistics.median(times):.0f} ms, "
            f"p95 {p95:.0f} ms, {statistics.median(queries):.0f} queries"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
