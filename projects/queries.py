"""Read paths of the year plan shared by the portal and the board's views."""

from django.db.models import Prefetch, QuerySet

from projects.models import Project, ProjectStatusChange


def public_projects(*, year: int | None = None) -> QuerySet[Project]:
    """Projects shown on the portal, with theme, lead and status history in a fixed number of queries."""
    projects = Project.objects.filter(is_public=True).select_related("theme", "lead")
    if year is not None:
        projects = projects.filter(year=year)
    return projects.prefetch_related(
        Prefetch("status_changes", queryset=ProjectStatusChange.objects.order_by("-changed_at", "-pk"))
    ).order_by("-year", "name")


def public_years() -> list[int]:
    return list(
        Project.objects.filter(is_public=True).order_by("-year").values_list("year", flat=True).distinct()
    )


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
