"""State changes of the year plan. Every change of a traffic light is kept in the project's history;
the board's answers are recorded with who and when; a progress report, once sent, is frozen.

Audit rows come from django-auditlog (registered in projects/apps.py); the acting user is set with
auditlog's context so that changes made outside a web request are attributed too.
"""

import datetime as dt

from auditlog.context import set_actor
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import queries, report
from projects.models import DecisionRequest, ProgressReport, Project, ProjectStatusChange, Status


@transaction.atomic
def save_project(
    *,
    project: Project,
    user: AbstractBaseUser | None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Project:
    """Create or update a project (with its milestones, decisions and organisations when it came
    from the admin form); a new project or a changed status adds a step to its history."""
    project.full_clean(exclude=["organisations"])
    previous = None
    if project.pk:
        previous = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
    with set_actor(user):
        project.save()
    if previous != project.status:
        ProjectStatusChange.objects.create(
            project=project,
            from_status=previous or "",
            to_status=project.status,
            note=note,
            changed_by=user,
            changed_at=at or timezone.now(),
        )
    return project


@transaction.atomic
def change_status(
    *,
    project: Project,
    status: str,
    note: str = "",
    user: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> ProjectStatusChange | None:
    """Set a project's traffic light and record why; setting the colour it already has changes nothing."""
    status = Status(status)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == status:
        return None
    change = ProjectStatusChange.objects.create(
        project=project,
        from_status=project.status,
        to_status=status,
        note=note,
        changed_by=user,
        changed_at=at or timezone.now(),
    )
    project.status = status
    with set_actor(user):
        project.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def answer_decision(
    *,
    decision: DecisionRequest,
    answer: str,
    text: str = "",
    answered_on: dt.date | None = None,
    user: AbstractBaseUser | None,
) -> DecisionRequest:
    """Record the board's answer to a requested decision: agreed, not agreed or deferred."""
    if answer not in DecisionRequest.Answer.values:
        raise ValidationError({"answer": _("Choose agreed, not agreed or deferred.")})
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("The board cannot have answered in the future.")})
    decision = DecisionRequest.objects.select_for_update().get(pk=decision.pk)
    decision.answer = answer
    decision.answer_text = text
    decision.answered_on = answered_on
    decision.answered_by = user
    with set_actor(user):
        decision.save(update_fields=["answer", "answer_text", "answered_on", "answered_by"])
    return decision


@transaction.atomic
def send_progress_report(
    *,
    start: dt.date,
    end: dt.date,
    user: AbstractBaseUser | None,
    introduction: str = "",
    at: dt.datetime | None = None,
) -> ProgressReport:
    """Freeze the progress report for the period as the board receives it: its data, page and PDF.

    The board later reads this copy, not the projects as they are by then.
    """
    data = queries.progress_report(start=start, end=end, introduction=introduction)
    html = report.render_html(data)
    with set_actor(user):
        return ProgressReport.objects.create(
            period_start=start,
            period_end=end,
            title=data["title"],
            data=data,
            html=html,
            pdf=report.render_pdf(data),
            sent_at=at or timezone.now(),
            sent_by=user,
        )
