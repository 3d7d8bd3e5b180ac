"""Server time and queries of the consultation analysis at 200,000 responses.

Seeds ``consultations_seed.seed_consultations()`` (BENCH_RESPONSES responses,
default 200,000, over five partnerships, 30 questions each) into a scratch
database (SQLite, or PostgreSQL when DATABASE_URL points at a server), then:

- refreshes one questionnaire's aggregates (cube + suppressed tables) and
  reports the time, and the cube's size;
- requests, BENCH_REQUESTS times each through Django's test client, the
  analysis page of a single choice, a scale and a threat grid by three
  variables, the map by locality, and baseline's stress map; reports median and
  p95 in ms and the queries per request;
- exports the whole questionnaire by three variables to CSV and XLSX
  (streamed), reporting the time and the peak of Python memory (tracemalloc),
  at two sizes, to show memory does not grow with the output.

    .venv/bin/python benchmarks/consultation_analysis.py
    BENCH_RESPONSES=20000 .venv/bin/python benchmarks/consultation_analysis.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/consultation_analysis.py

``BENCH_REFRESH=1``: the refresh alone, on one questionnaire of BENCH_RESPONSES
responses (default 40,000): a full refresh, then BENCH_ROUNDS (3) times 1,000
new responses (the same seeded generator) and an incremental refresh; prints
each and the median. ``BENCH_PROFILE=1``: a cProfile of the first incremental
refresh (cumulative time).

    BENCH_REFRESH=1 .venv/bin/python benchmarks/consultation_analysis.py

``BENCH_SUPPRESS=1``: suppression alone, no database (CPU-bound, to compare
versions back to back on a loaded machine): the same seeded generator's
answers counted in memory at BENCH_RESPONSES (default 40,000), every measure
suppressed from scratch, then 1,000 more responses and every measure
suppressed again, from scratch and from its last pattern.

    BENCH_SUPPRESS=1 .venv/bin/python benchmarks/consultation_analysis.py
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsbp.settings")
os.environ.setdefault("HSBP_DATA_DIR", tempfile.mkdtemp(prefix="hsbp-bench-"))
os.environ["HSBP_TASK_BACKEND"] = "immediate"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
# BENCH_ONLY=export: only the whole-questionnaire exports, BENCH_RUNS times each
# (median reported), with a cProfile of the first XLSX run when BENCH_PROFILE=1.
ONLY = os.environ.get("BENCH_ONLY", "")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "200000"))
BY3 = "by=segment&by=gender&by=locality"


def measure(client: object, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], len(queries)


def export(client: object, url: str) -> tuple[float, float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size = 0
    if hasattr(response, "streaming_content"):
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    elapsed = (time.perf_counter() - start) * 1000
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200, url
    return elapsed, peak / 1e6, size


def refresh_only() -> None:
    """A full refresh at BENCH_RESPONSES (default 40,000), then incremental
    refreshes after 1,000 new responses each."""
    import random

    from django.test.utils import setup_databases, teardown_databases

    import benchmarks.consultations_seed as seed

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from consultations import analysis
        from consultations.models import Question

        size = int(os.environ.get("BENCH_RESPONSES", "40000"))
        seed.PARTNERSHIPS = 1  # one questionnaire of ``size`` responses
        partnership, q = seed.seed_consultations(responses=size)[0]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        start = time.perf_counter()
        rows = analysis.refresh_aggregates(q.pk)
        print(
            f"full refresh at {size} responses on {connection.vendor}: "
            f"{time.perf_counter() - start:.1f} s ({rows} cube rows)",
            flush=True,
        )
        from baseline.models import Locality
        from stakeholders.models import Segment

        mine = {"partnership": partnership}
        attrs = {
            "segments": list(
                Segment.objects.filter(code__startswith="bench-", **mine).order_by("pk")
            ),
            "localities": list(Locality.objects.filter(**mine).order_by("pk")),
        }
        questions = list(Question.objects.filter(version=q.current_version_id).order_by("position"))
        rng = random.Random(2)
        times = []
        for round_ in range(int(os.environ.get("BENCH_ROUNDS", "3"))):
            q.refresh_from_db()
            seed._responses(partnership, q, questions, 1000, rng, attrs, start=size + 1000 * round_)
            profiler = (
                cProfile.Profile() if round_ == 0 and os.environ.get("BENCH_PROFILE") else None
            )
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            analysis.refresh_aggregates(q.pk)
            times.append(time.perf_counter() - start)
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            print(f"incremental refresh after 1,000 new responses: {times[-1]:.1f} s", flush=True)
        print(f"median of {len(times)}: {statistics.median(times):.1f} s")
    finally:
        teardown_databases(old, verbosity=0)


def export_only(q: object) -> None:
    """The whole questionnaire by three variables, written to a file as the
    background export job writes it; median of BENCH_RUNS runs per format."""
    import cProfile
    import pstats

    from consultations import analysis_export
    from consultations.analysis_results import Labels
    from consultations.models import Question

    by = ["segment", "gender", "locality"]
    version = q.current_version_id  # type: ignore[attr-defined]
    questions = list(Question.objects.filter(version_id=version).order_by("position"))
    print(f"\nWhole-questionnaire export by 3 on {connection.vendor} ({RUNS} runs)")
    for fmt in ("csv", "xlsx"):
        times = []
        for run in range(RUNS):
            with tempfile.TemporaryFile() as target:
                profile = (
                    cProfile.Profile() if run == 0 and os.environ.get("BENCH_PROFILE") else None
                )
                start = time.perf_counter()
                if profile:
                    profile.enable()
                analysis_export.write(
                    q, questions, by, fmt=fmt, raw=False, labels=Labels(q, by), target=target
                )
                if profile:
                    profile.disable()
                times.append(time.perf_counter() - start)
                size = target.tell()
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        print(
            f"{fmt}: median {statistics.median(times):.1f} s "
            f"(runs {', '.join(f'{t:.1f}' for t in times)}), {size / 1e6:.1f} MB",
            flush=True,
        )


def _cube_in_memory(count: int, rng: random.Random, start: int, cube: dict[Any, Any]) -> None:
    """The cube of ``count`` more generated responses, counted as the refresh does."""
    import benchmarks.consultations_seed as seed
    from consultations import analysis
    from consultations.models import Question, QuestionKind

    kinds = [QuestionKind.SINGLE_CHOICE] * 18 + [QuestionKind.SCALE] * 6
    kinds += [QuestionKind.MULTIPLE_CHOICE] * 2 + [QuestionKind.NUMBER, QuestionKind.THREAT_RATING]
    kinds += [QuestionKind.RANKING, QuestionKind.FREE_TEXT]
    threats = [{"code": f"threat-{i}", "label": {"en": f"Threat {i}"}} for i in range(4)]
    questions = []
    for position, kind in enumerate(kinds):
        fields: dict[str, Any] = {"options": seed.OPTIONS}
        if kind in (QuestionKind.SCALE, QuestionKind.THREAT_RATING):
            fields.update(minimum=1, maximum=5)
        if kind == QuestionKind.THREAT_RATING:
            fields["options"] = threats
        if kind == QuestionKind.RANKING:
            fields["options"] = seed.OPTIONS[:3]
        key = f"q{position + 1:02d}"
        questions.append(Question(pk=position + 1, key=key, position=position, kind=kind, **fields))
    by_id = {q.pk: q for q in questions}
    types = ["community", "company", "government", "civil_society", "facilitator"]
    for r in range(count):
        s, loc = rng.randrange(8), rng.randrange(20)
        gender, age, partner = rng.choice(seed.GENDERS), rng.choice(seed.AGES)[0], rng.choice(types)
        attrs = (s + 1, gender, age, loc + 1, partner)
        analysis._add(cube, ("", "", "", *attrs), 1, 0.0)
        for _, qid, item, choice, number, _text in seed._answers(rng, start + r, questions, s, loc):
            q = by_id[qid]
            if q.kind in analysis.CHOICE_KINDS:
                analysis._add(cube, (q.key, "", choice, *attrs), 1, 0.0)
            elif q.kind in analysis.VALUE_KINDS:
                analysis._add(cube, (q.key, item, analysis._value_code(number), *attrs), 1, number)
            else:
                analysis._add(cube, (q.key, "", analysis.ANSWERED, *attrs), 1, number or 0.0)
    cube["questions"] = {q.key: q for q in questions}


def suppress_only() -> None:
    """Every measure's family suppressed, without the database: from scratch
    at BENCH_RESPONSES, then BENCH_ROUNDS times BENCH_STEP (1,000) more
    responses, each time from scratch and warm (``suppress(last=...)``, from
    the last warm pattern, so that any drift accumulates): time and cells
    hidden."""
    from consultations import analysis
    from partnerships import suppression

    size = int(os.environ.get("BENCH_RESPONSES", "40000"))
    step = int(os.environ.get("BENCH_STEP", "1000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    rng = random.Random(1)
    cube: dict[Any, Any] = {}
    _cube_in_memory(size, rng, 0, cube)
    questions = cube.pop("questions")

    def everything(previous: dict[Any, Any] | None) -> tuple[float, dict[Any, Any], int]:
        measures = analysis._measures(cube, questions)
        start = time.perf_counter()
        patterns = {}
        warm = 0
        for m in measures:
            last = None if previous is None else previous.get((m.question_key, m.item))
            published = suppression.suppress(m.finest, analysis.VARIABLES, m.categories, last=last)
            patterns[(m.question_key, m.item)] = published.last()
            warm += published.warm
        suppression.forget_structures()
        return time.perf_counter() - start, patterns, warm

    def hidden(patterns: dict[Any, Any]) -> int:
        return sum(map(len, patterns.values()))

    took, kept, _ = everything(None)
    print(
        f"{len(kept)} measures at {size} responses, from scratch: {took:.1f} s, "
        f"{hidden(kept)} cells hidden (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    generator = random.Random(2)
    for round_ in range(rounds):
        _cube_in_memory(step, generator, size + step * round_, cube)
        cube.pop("questions")
        scratch, fresh, _ = everything(None)
        took, kept, warm = everything(kept)
        print(
            f"+{step * (round_ + 1)}: from scratch {scratch:.1f} s, {hidden(fresh)} hidden; "
            f"warm {took:.1f} s ({warm} of {len(kept)} warm), {hidden(kept)} hidden "
            f"({100 * (hidden(kept) / max(hidden(fresh), 1) - 1):+.2f} %) "
            f"(load {os.getloadavg()[0]:.1f})",
            flush=True,
        )


def main() -> None:
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import User
        from benchmarks.consultations_seed import seed_consultations
        from consultations import analysis
        from consultations.models import Answer, Response
        from consultations.models_analysis import Aggregate, ResultTable

        started = time.perf_counter()
        made = seed_consultations(responses=RESPONSES)
        seeded = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"seeded {Response.objects.count()} responses, {Answer.objects.count()} answers "
            f"in {seeded:.0f} s on {connection.vendor}",
            flush=True,
        )
        partnership, q = made[0]
        start = time.perf_counter()
        analysis.refresh_aggregates(q.pk)
        refresh = time.perf_counter() - start
        cube = Aggregate.objects.filter(questionnaire=q).count()
        tables = ResultTable.objects.filter(questionnaire=q).count()
        print(
            f"refresh of one questionnaire ({RESPONSES // 5} responses): {refresh:.1f} s; {cube} cube rows, {tables} tables",
            flush=True,
        )
        if ONLY == "export":
            export_only(q)
            return
        # The other questionnaires are not refreshed: the pages read one questionnaire's
        # tables, and the other partnerships' rows are there to make any leak show.

        # Serve as a web process does: hsbp.wsgi loads the views and freezes what
        # start-up made, out of the garbage collector's sight.
        import hsbp.wsgi  # noqa: F401

        base = f"/p/{partnership.slug}/consultations/{q.public_id}/results/"
        pages = {
            "single choice by 3": f"{base}q/q01/?{BY3}",
            "scale by 3": f"{base}q/q19/?{BY3}",
            "threat grid by 3": f"{base}q/q28/?{BY3}",
            "grid item by 3": f"{base}q/q28/?{BY3}&item=threat-1",
            "single choice by 3 p.5": f"{base}q/q01/?{BY3}&page=5",
            "results index": base,
            "map by locality": f"{base}map/?question=q19&indicator=mean",
            "stress map": f"/p/{partnership.slug}/baseline/stress/",
        }
        print(f"\nAnalysis on {connection.vendor}: {REQUESTS} requests each (ms; queries)\n")
        print(f"{'page':<26}{'persona':<13}{'median':>9}{'p95':>9}{'queries':>9}")
        from accounts.totp import activate

        facilitator = User.objects.get(email="bench-facilitator-1@example.test")
        activate(facilitator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        for persona in ("facilitator", "participant"):
            client = Client()
            client.force_login(User.objects.get(email=f"bench-{persona}-1@example.test"))
            for label, url in pages.items():
                try:
                    med, p95, queries = measure(client, url)
                except AssertionError as exc:
                    print(f"{label:<26}{persona:<13}  skipped ({exc})")
                    continue
                print(f"{label:<26}{persona:<13}{med:>9.1f}{p95:>9.1f}{queries:>9}")
        client = Client()
        client.force_login(User.objects.get(email="bench-facilitator-1@example.test"))
        print("\nExports (streamed): time, peak Python memory, size")
        for label, url in {
            "one question by 3, CSV": f"{base}q/q01/export.csv?{BY3}",
            "whole questionnaire by 1, CSV": f"{base}export.csv?by=gender",
            "whole questionnaire by 3, CSV": f"{base}export.csv?{BY3}",
            "whole questionnaire by 3, XLSX": f"{base}export.xlsx?{BY3}",
        }.items():
            elapsed, peak, size = export(client, url)
            print(f"{label:<34}{elapsed:>9.0f} ms{peak:>9.1f} MB{size / 1e6:>9.2f} MB")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    if os.environ.get("BENCH_SUPPRESS"):
        suppress_only()
    elif os.environ.get("BENCH_REFRESH"):
        refresh_only()
    else:
        main()
