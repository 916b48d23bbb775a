"""The year plan: traffic lights with their history, kept by the centre manager and read by the board."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import ProjectStatusChange, Status
from projects.queries import public_projects
from tests.projects.conftest import new_project, project_form_data

pytestmark = pytest.mark.django_db


def test_a_new_project_starts_its_history(marloes):
    project = new_project(marloes)

    (change,) = project.status_changes.all()
    assert (change.from_status, change.to_status, change.note, change.changed_by) == (
        "",
        "groen",
        "Gestart.",
        marloes,
    )


def test_changing_the_status_records_from_to_why_who_and_when(marloes):
    project = new_project(marloes)
    when = timezone.now() - dt.timedelta(days=1)

    change = services.change_status(
        project=project, status=Status.ORANGE, note="Levering vertraagd.", user=marloes, at=when
    )

    project.refresh_from_db()
    assert project.status == "oranje"
    assert (change.from_status, change.to_status, change.note, change.changed_at) == (
        "groen",
        "oranje",
        "Levering vertraagd.",
        when,
    )
    assert project.status_changes.count() == 2


def test_setting_the_same_status_again_changes_nothing(marloes):
    project = new_project(marloes)
    assert services.change_status(project=project, status=Status.GREEN, user=marloes) is None
    assert project.status_changes.count() == 1


def test_an_unknown_status_is_refused(marloes):
    project = new_project(marloes)
    with pytest.raises(ValueError):
        services.change_status(project=project, status="paars", user=marloes)


def test_public_projects_leave_out_internal_ones_and_read_history_in_fixed_queries(
    marloes, django_assert_num_queries
):
    for number in range(5):
        project = new_project(marloes, name=f"Project {number}")
        services.change_status(project=project, status=Status.RED, note="Ingrijpen.", user=marloes)
    new_project(marloes, name="Cameratoezicht", is_public=False)

    with django_assert_num_queries(2):
        projects = list(public_projects())
        histories = [list(project.status_changes.all()) for project in projects]

    assert "Cameratoezicht" not in [project.name for project in projects]
    assert all(history[0].to_status == "rood" for history in histories)


def test_the_centre_manager_edits_a_project_in_the_admin_and_the_change_lands_in_history(client, marloes):
    project = new_project(marloes)
    client.force_login(marloes)

    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        project_form_data(
            project, summary="Nieuwe lichtlijnen.", status="rood", status_note="Leverancier failliet."
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = ProjectStatusChange.objects.filter(project=project).first()
    assert (latest.from_status, latest.to_status, latest.note, latest.changed_by) == (
        "groen",
        "rood",
        "Leverancier failliet.",
        marloes,
    )


def test_the_board_reads_the_year_plan_but_cannot_change_it(client, marloes, pieter):
    project = new_project(marloes)
    client.force_login(pieter)

    assert client.get(reverse("projects:index")).status_code == 200
    assert "Kerstverlichting binnenstad" in client.get(reverse("projects:index")).content.decode()
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code in (302, 403)
    services.change_status(
        project=project, status=Status.ORANGE, note="Levering <b>vertraagd</b>.", user=marloes
    )
    inspect = client.get(reverse("projects:inspect", args=[project.pk])).content.decode()
    assert "Verloop van de status" in inspect
    assert "Groen: loopt op schema → Oranje: dreigende problemen" in inspect
    assert "Levering &lt;b&gt;vertraagd&lt;/b&gt;." in inspect


def test_the_admin_menu_shows_the_year_plan_in_dutch(client, marloes):
    client.force_login(marloes)
    assert "Jaarplan" in client.get(reverse("wagtailadmin_home")).content.decode()
