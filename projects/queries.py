"""Read paths of the year plan shared by the portal, the admin and the board's progress report."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projects.models import BasicTask, DecisionRequest, Milestone, Project, ProjectStatusChange

ZERO = Decimal("0.00")


def public_projects(*, year: int | None = None) -> QuerySet[Project]:
    """Projects shown on the portal, with theme, lead and status history in a fixed number of queries."""
    projects = Project.objects.filter(is_public=True).select_related("theme", "lead", "year_plan")
    if year is not None:
        projects = projects.filter(year_plan__year=year)
    return projects.prefetch_related(
        Prefetch("status_changes", queryset=ProjectStatusChange.objects.order_by("-changed_at", "-pk"))
    ).order_by("-year_plan__year", "name")


def public_years() -> list[int]:
    return list(
        Project.objects.filter(is_public=True)
        .order_by("-year_plan__year")
        .values_list("year_plan__year", flat=True)
        .distinct()
    )


def organisation_name() -> str:
    """The centre organisation's name, as set in the admin (the one place that knows where it lives)."""
    from wagtail.models import Site

    from stadshart.models import CentreSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return CentreSettings.for_site(site).name if site else ""


def check_period(*, start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    if (end - start).days > 366:
        raise ValidationError({"end": _("A progress report covers at most one year.")})


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _money(amount) -> str:
    return str((amount or ZERO).quantize(ZERO))


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def progress_report(*, start: dt.date, end: dt.date, introduction: str = "") -> dict:
    """Everything the progress report for a period says, as plain JSON-able data (it is frozen as is).

    The projects are those of the year plans the period falls in; each shows its light as it was at
    the end of the period. Decisions are those for meetings in the period and those still waiting
    for an answer. Fixed number of queries, however many projects.
    """
    from funding.queries import contributions_received

    check_period(start=start, end=end)
    end_of_period = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    years = range(start.year, end.year + 1)
    projects = list(
        Project.objects.filter(year_plan__year__in=years)
        .select_related("lead", "year_plan")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=ProjectStatusChange.objects.filter(changed_at__lt=end_of_period).order_by(
                    "-changed_at", "-pk"
                ),
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch(
                "decisions",
                queryset=DecisionRequest.objects.filter(
                    Q(meeting_date__range=(start, end)) | Q(answer="", meeting_date__lt=start)
                ).order_by("meeting_date", "pk"),
            ),
        )
        .order_by("year_plan__year", "name")
    )
    basic_tasks = BasicTask.objects.filter(year_plan__year__in=years).select_related("lead", "year_plan")

    rows, successes, decisions, risks = [], [], [], []
    for project in projects:
        history = list(project.status_changes.all())
        status = history[0].to_status if history else project.status
        remark = project.progress or next((change.note for change in history if change.note), "")
        rows.append(
            {
                "name": project.name,
                "year": project.year_plan.year,
                "lead": _name(project.lead),
                "status": status,
                "remark": remark,
                "goal": project.goal,
                "start": _day(project.start_date),
                "end": _day(project.end_date),
                "budget_planned": _money(project.budget_planned),
                "budget_spent": _money(project.budget_spent),
                "milestones": [
                    {"title": m.title, "date": _day(m.due_date), "done": m.is_done}
                    for m in project.milestones.all()
                    if m.due_date <= end
                ],
            }
        )
        if project.went_well:
            successes.append({"project": project.name, "text": project.went_well})
        if project.risks:
            risks.append({"project": project.name, "text": project.risks})
        decisions.extend(
            {
                "project": project.name,
                "question": decision.question,
                "meeting_date": _day(decision.meeting_date),
                "meeting_name": decision.meeting_name,
                "answer": decision.answer,
                "answer_text": decision.answer_text,
                "answered_on": _day(decision.answered_on),
            }
            for decision in project.decisions.all()
        )
    decisions.sort(key=lambda decision: (decision["meeting_date"], decision["project"]))
    received = contributions_received(start=start, end=end)
    organisation = organisation_name()
    period = _("%(start)s to %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }
    return {
        "organisation": organisation,
        "title": _("Progress report %(period)s") % {"period": period},
        "period": {"start": start.isoformat(), "end": end.isoformat(), "label": period},
        "introduction": introduction,
        "basic_tasks": [
            {
                "kind": task.kind,
                "description": task.description,
                "budget": _money(task.budget) if task.budget is not None else None,
                "lead": _name(task.lead),
            }
            for task in basic_tasks
        ],
        "projects": rows,
        "successes": successes,
        "decisions": decisions,
        "risks": risks,
        "finances": {
            "planned": _money(sum((project.budget_planned for project in projects), ZERO)),
            "spent": _money(sum((project.budget_spent for project in projects), ZERO)),
            "contributions": [
                {"kind": kind, "label": str(received["labels"].get(kind, kind)), "amount": _money(amount)}
                for kind, amount in received["by_kind"].items()
            ],
            "contributions_total": _money(received["total"]),
        },
    }


def public_status_changes(*, since, until) -> list[ProjectStatusChange]:
    """Status changes of public projects in [since, until), oldest first, with their project and theme.

    One query. Who made a change is left out on purpose: other apps summarise these for readers.
    """
    return list(
        ProjectStatusChange.objects.filter(
            project__is_public=True, changed_at__gte=since, changed_at__lt=until
        )
        .select_related("project", "project__theme")
        .order_by("changed_at", "pk")
    )
