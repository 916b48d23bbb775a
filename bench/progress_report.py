"""Time the progress report: read, page, PDF and XLSX for a year plan of N projects.

    STADSHART_VAR_DIR=/tmp/bench-report DEBUG=1 .venv/bin/python bench/progress_report.py [PROJECTS]

Makes a year plan with PROJECTS projects (each with a status history, three milestones and a
requested decision) in a fresh database, then builds last quarter's report five times and prints
the queries and the median seconds of each step. Asserts nothing about time.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from projects import queries, report  # noqa: E402
from projects.forms import last_quarter  # noqa: E402
from projects.models import DecisionRequest, Milestone, Project, ProjectStatusChange, YearPlan  # noqa: E402

COLOURS = ["groen", "oranje", "rood", "grijs"]


def seed(count: int, start: dt.date) -> None:
    plan, _ = YearPlan.objects.get_or_create(year=start.year)
    Project.objects.filter(year_plan=plan).delete()
    projects = Project.objects.bulk_create(
        Project(
            name=f"Project {n:03d}",
            year_plan=plan,
            status=COLOURS[n % 4],
            progress="Loopt volgens plan; de volgende stap is in voorbereiding. " * 3,
            went_well="De ondernemers doen mee." if n % 3 == 0 else "",
            risks="Capaciteit is krap." if n % 4 == 1 else "",
            budget_planned=10000 + n * 250,
            budget_spent=4000 + n * 100,
        )
        for n in range(count)
    )
    at = timezone.make_aware(dt.datetime.combine(start, dt.time(10)))
    ProjectStatusChange.objects.bulk_create(
        ProjectStatusChange(project=p, to_status=p.status, note="Gestart.", changed_at=at) for p in projects
    )
    Milestone.objects.bulk_create(
        Milestone(project=p, title=f"Stap {k}", due_date=start + dt.timedelta(days=20 * k), is_done=k == 0)
        for p in projects
        for k in range(3)
    )
    DecisionRequest.objects.bulk_create(
        DecisionRequest(
            project=p, question="Akkoord op de volgende stap?", meeting_date=start + dt.timedelta(days=30)
        )
        for p in projects
    )


def median_seconds(step, runs: int = 5):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    call_command("migrate", verbosity=0)
    start, end = last_quarter(timezone.localdate())
    seed(count, start)
    queries.progress_report(start=start, end=end)  # the first read creates the site's settings row
    with CaptureQueriesContext(connection) as captured:
        data = queries.progress_report(start=start, end=end)
    read, data = median_seconds(lambda: queries.progress_report(start=start, end=end))
    page, _ = median_seconds(lambda: report.render_html(data))
    pdf_time, pdf = median_seconds(lambda: report.render_pdf(data), runs=3)
    xlsx_time, xlsx = median_seconds(lambda: report.render_xlsx(data))
    print(f"projects: {count}, period {start} to {end}")
    print(f"read: {len(captured)} queries, {read * 1000:.0f} ms")
    print(f"page (HTML): {page * 1000:.0f} ms")
    print(f"PDF: {pdf_time:.2f} s, {len(pdf) // 1024} KiB")
    print(f"XLSX: {xlsx_time * 1000:.0f} ms, {len(xlsx) // 1024} KiB")


if __name__ == "__main__":
    main()
