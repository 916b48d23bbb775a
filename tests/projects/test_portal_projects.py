"""The portal's projects page shows the public projects with their light and its history."""

import pytest

from projects import services
from projects.models import Project, Status
from tests.projects.conftest import year_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def test_the_projects_page_shows_public_projects_with_their_light_and_history(client, portal):
    project = services.save_project(
        project=Project(
            name="Vergroening Kerkplein", year_plan=year_plan(2026), status=Status.GREEN, is_public=True
        ),
        user=None,
        note="Bewonersavond gehouden.",
    )
    services.change_status(project=project, status=Status.ORANGE, note="Kabels liggen anders.", user=None)
    services.save_project(
        project=Project(
            name="Cameratoezicht", year_plan=year_plan(2026), status=Status.GREEN, is_public=False
        ),
        user=None,
    )

    html = client.get("/projecten/").content.decode()

    assert "Vergroening Kerkplein" in html and "Cameratoezicht" not in html
    assert "Oranje: dreigende problemen" in html
    assert "Kabels liggen anders." in html and "Bewonersavond gehouden." in html
    assert "Jaarplan 2026" in html
