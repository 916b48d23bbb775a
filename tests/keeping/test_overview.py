"""The Beheerder's overview of backups, restores and retention; nobody else sees it."""

import pytest
from django.utils import timezone

from keeping.models import BackupRun, RetentionRun
from tests.builders import make_staff

pytestmark = pytest.mark.django_db
ROLES = ["Beheerder", "Centrummanager", "Accountmanager", "Communicatie", "Facilitair", "Bestuur"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_beheerder_sees_backups_and_retention(client, role):
    BackupRun.objects.create(
        started_at=timezone.now(),
        name="stadshart-20261126-021500",
        state=BackupRun.State.DONE,
        files=[{"name": "stadshart-20261126-021500-db.psql.bin.gz", "bytes": 2_500_000, "sha256": "ab"}],
    )
    RetentionRun.objects.create(
        started_at=timezone.now(), results={"audit_trail": {"period_days": 1825, "removed": 12}}
    )
    client.force_login(make_staff(role.lower(), role))
    response = client.get("/admin/keeping/")
    admin_menu = client.get("/admin/").content.decode()
    if role == "Beheerder":
        page = response.content.decode()
        assert response.status_code == 200
        assert "Back-ups en bewaartermijnen" in page
        assert "stadshart-20261126-021500" in page and "2,4" in page  # 2.4 MB, Dutch decimal comma
        assert "12 verwijderd, 0 geanonimiseerd" in page
        assert "/admin/keeping/" in admin_menu
    else:
        assert response.status_code in (302, 403)
        assert "Back-ups en bewaartermijnen" not in response.content.decode()
        assert "/admin/keeping/" not in admin_menu
