"""State changes of the year plan: every change of a traffic light is kept in the project's history."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from projects.models import Project, ProjectStatusChange, Status


@transaction.atomic
def save_project(
    *,
    project: Project,
    user: AbstractBaseUser | None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Project:
    """Create or update a project; a new project or a changed status adds a step to its history."""
    project.full_clean()
    previous = None
    if project.pk:
        previous = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
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
    project.save(update_fields=["status", "updated_at"])
    return change
