"""A real Celery worker process picks up a task through a real broker; its result lands in the database.

Run twice: through Redis (production's broker) and through the file broker that the README's run
command uses without any server.
"""

import os
import signal
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django_celery_results.models import TaskResult

from stadshart.celery import app
from stadshart.tasks import health_check
from tests.services import BASE_DIR, child_env, database_url, redis_url, wait_for


def file_broker(tmp_path):
    folder = tmp_path / "queue"
    control = tmp_path / "control"
    folder.mkdir()
    control.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(control)}
    return "filesystem://", options


@pytest.fixture(params=["redis", "filesystem"])
def broker(request, tmp_path):
    """(url, transport options, extra environment for the worker)."""
    if request.param == "redis":
        return redis_url(), {}, {}
    url, options = file_broker(tmp_path)
    # The worker builds the same folders from STADSHART_VAR_DIR (see settings).
    (tmp_path / "celery").mkdir()
    (tmp_path / "celery" / "queue").symlink_to(options["data_folder_in"])
    (tmp_path / "celery" / "control").symlink_to(options["control_folder"])
    return url, options, {"STADSHART_VAR_DIR": str(tmp_path)}


@pytest.fixture
def worker(broker, tmp_path):
    """A worker process on its own queue, pointed at the test database. Yields (queue, process)."""
    url, _, extra_env = broker
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stadshart",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=child_env(
            DATABASE_URL=database_url(connection.settings_dict), CELERY_BROKER_URL=url, **extra_env
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield queue, process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def send_as_beat(broker, queue: str, entry_name: str, *, times: int = 1) -> None:
    """Send the task of one of beat's entries (settings.CELERY_BEAT_SCHEDULE) to the worker's queue,
    with the entry's own options, as beat would."""
    url, options, _ = broker
    entry = settings.CELERY_BEAT_SCHEDULE[entry_name]
    with app.connection_for_write(url, transport_options=options) as connection:
        for _time in range(times):
            app.send_task(entry["task"], queue=queue, connection=connection, **entry["options"])


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_process_runs_a_task_and_its_result_lands_in_the_database(broker, worker, tmp_path):
    url, options, _ = broker
    queue, process = worker
    with app.connection_for_write(url, transport_options=options) as conn:
        sent = health_check.apply_async(queue=queue, connection=conn)

    stored = wait_for(
        lambda: TaskResult.objects.filter(task_id=sent.id, status="SUCCESS").first(), timeout=60
    )
    assert stored is not None, (tmp_path / "worker.log").read_text()
    result = stored.result
    assert f'"database": "{connection.vendor}"' in result
    assert '"database_answer": 1' in result
    assert f'"worker_pid": {os.getpid()}' not in result
    assert f'"worker_pid": {process.pid}' in result
    assert stored.task_name == "stadshart.tasks.health_check"
