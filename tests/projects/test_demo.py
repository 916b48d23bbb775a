"""The demo's year plan: basic tasks, projects in every colour, milestones, decisions requested and
answered, and last quarter's report as it was sent to the board."""

import importlib
import random

from django.utils import timezone

from projects.forms import last_quarter
from projects.models import BasicTask, DecisionRequest, Milestone, ProgressReport, Project, Status, YearPlan
from stadshart import demo


def test_the_demo_has_this_years_plan_and_a_report_sent_last_quarter(db):
    ctx = demo.DemoContext(rng=random.Random(1), scale=1, write=lambda line: None)
    for app in ("stadshart", "crm", "portal", "funding", "projects"):
        importlib.import_module(f"{app}.demo").seed(ctx)
    this_year = timezone.localdate().year

    plan = YearPlan.objects.get(year=this_year)
    assert set(plan.basic_tasks.values_list("kind", flat=True)) == set(BasicTask.Kind.values)
    assert set(Project.objects.filter(year_plan=plan).values_list("status", flat=True)) == set(Status.values)
    assert (
        Milestone.objects.filter(is_done=True).exists() and Milestone.objects.filter(is_done=False).exists()
    )
    assert (
        DecisionRequest.objects.exclude(answer="").exists()
        and DecisionRequest.objects.filter(answer="").exists()
    )
    assert not Project.objects.filter(lead__isnull=True).exists()

    sent = ProgressReport.objects.get()
    last_start, last_end = last_quarter(timezone.localdate())
    assert (sent.period_start, sent.period_end) == last_quarter(last_start)
    assert last_start <= timezone.localtime(sent.sent_at).date() <= last_end
    assert sent.sent_by.username == "m.bakker" and bytes(sent.pdf).startswith(b"%PDF-")
    assert sent.data["organisation"] == "Centrummanagement Veldhaven"
    assert "Kerstverlichting binnenstad" in sent.html
    assert sent.data["finances"]["contributions_total"] != "0.00"  # the funding demo's payments
