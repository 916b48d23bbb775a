"""The Beheerder's heartbeat with a real worker: beat's heartbeat entry, run by a worker process,
keeps one result row whose time the home page reads; asking the workers finds the live one."""

import pytest
from django.urls import reverse
from django_celery_results.models import TaskResult

from stadshart import roles
from tests.builders import make_staff
from tests.integration.test_worker import broker, send_as_beat, worker  # noqa: F401  (the worker process fixtures)
from tests.services import wait_for


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_running_beats_heartbeat_shows_as_alive_on_the_beheerders_home(
    broker,  # noqa: F811
    worker,  # noqa: F811
    client,
    settings,
    tmp_path,
):
    url, _options, _ = broker
    queue, _process = worker
    client.force_login(make_staff("beheer", roles.BEHEERDER, first_name="Bas", last_name="Beheer"))
    assert "Nog geen hartslag" in client.get(reverse("wagtailadmin_home")).content.decode()

    # What beat sends, twice: the same task id each time, so one row that moves on.
    send_as_beat(broker, queue, "system-heartbeat", times=2)
    done = wait_for(
        lambda: TaskResult.objects.filter(task_id=settings.HEARTBEAT_TASK_ID, status="SUCCESS").first(),
        timeout=60,
    )
    assert done is not None, (tmp_path / "worker.log").read_text()
    assert TaskResult.objects.filter(task_name="stadshart.tasks.health_check").count() == 1

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Actief: de laatste hartslag was om" in html
    if url.startswith("redis") and url == settings.CELERY_BROKER_URL:
        # The site's own broker is this Redis (as in CI): the ping reaches the worker process. With
        # the embedded default the site's broker is the file broker, which has no broadcast.
        answer = client.get(reverse("insights_ask_workers")).content.decode()
        assert "1 worker antwoordde" in answer
