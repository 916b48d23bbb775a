"""Background drafts: queued in the web process, made in the worker, polled by the editor."""

import signal
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from drafting import services
from drafting.api import DraftRequest, Source, job_status, register_handler, start_draft
from drafting.models import DraftJob
from stadshart import roles
from tests.drafting import schemas
from tests.services import BASE_DIR, child_env, database_url, wait_for

GOOD = {"text": "De winkels zijn op zondag 20 december open."}
REQUEST = DraftRequest(
    purpose="rewrite",
    prompt="rewrite",
    schema=schemas.REWRITE,
    brief="Maak het korter.",
    sources=(Source(kind="event", title="Koopzondag", text="Zondag 20 december open."),),
    options={
        "action": "shorter",
        "format": "plain",
        "text": "De winkels zijn op zondag 20 december gewoon open.",
    },
)
STORED: list = []


def remember(job, result, target):
    STORED.append((job.pk, result.data, target))
    return {"revision_id": 41, "edit_url": "/admin/pages/7/edit/"}


def explode(job, result, target):
    raise RuntimeError("the page is locked")


register_handler("tests.remember", remember)
register_handler("tests.explode", explode)


def communicatie(username="redacteur"):
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=roles.COMMUNICATIE))
    return user


@pytest.fixture(autouse=True)
def forget():
    STORED.clear()


@pytest.mark.django_db
def test_a_draft_is_queued_after_commit_made_in_the_worker_and_handed_to_the_handler(
    ai, client, django_capture_on_commit_callbacks
):
    editor = communicatie()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_draft(REQUEST, user=editor, handler="tests.remember", target={"page_id": 7})
    assert job.state == DraftJob.State.QUEUED and len(callbacks) == 1
    assert job_status(job.pk, user=editor)["message"] == "Wacht op de AI-redacteur…"

    ai.queue({"content": GOOD})
    services.run_job(job_id=job.pk)  # what the Celery task does
    assert STORED == [(job.pk, GOOD, {"page_id": 7})]

    client.force_login(editor)
    status = client.get(reverse("drafting:job", args=[job.pk])).json()
    assert status["state"] == "done" and status["message"] == "Het concept is klaar."
    assert status["result"] == {"revision_id": 41, "edit_url": "/admin/pages/7/edit/"}
    assert status["model"] == "scripted-model" and status["template"] is False

    services.run_job(job_id=job.pk)  # the task delivered twice: nothing happens again
    assert len(STORED) == 1


@pytest.mark.django_db
def test_only_the_jobs_own_user_can_poll_it(client):
    editor, colleague = communicatie(), communicatie("collega")
    job = start_draft(REQUEST, user=editor, handler="tests.remember", target={})
    client.force_login(colleague)
    assert client.get(reverse("drafting:job", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("drafting:job", args=[job.pk])).status_code == 302


@pytest.mark.django_db
def test_a_failed_draft_says_why_and_can_be_retried(ai, client, django_capture_on_commit_callbacks):
    editor = communicatie()
    job = start_draft(REQUEST, user=editor, handler="tests.remember", target={"page_id": 7})
    ai.queue({"status": 503, "headers": {"retry-after": "20"}})
    services.run_job(job_id=job.pk)
    client.force_login(editor)
    status = client.get(reverse("drafting:job", args=[job.pk])).json()
    assert status["state"] == "failed"
    assert status["message"] == "De AI-server heeft een storing (fout 503). Probeer het later opnieuw."
    assert (status["retryable"], status["retry_after"]) == (True, 20)
    assert STORED == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(status["retry_url"])
    assert response.status_code == 202 and len(callbacks) == 1
    retried = DraftJob.objects.get(pk=response.json()["id"])
    assert retried.state == "queued" and retried.target == {"page_id": 7} and retried.request == job.request
    ai.queue({"content": GOOD})
    services.run_job(job_id=retried.pk)
    assert STORED == [(retried.pk, GOOD, {"page_id": 7})]


@pytest.mark.django_db
def test_a_handler_that_fails_leaves_a_clear_message(ai):
    editor = communicatie()
    job = start_draft(REQUEST, user=editor, handler="tests.explode", target={})
    ai.queue({"content": GOOD})
    services.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.retryable
    assert job.error_message == "Het concept is gemaakt maar kon niet worden opgeslagen. Probeer het opnieuw."


@pytest.mark.django_db
def test_an_unknown_handler_or_prompt_fails_in_the_caller():
    editor = communicatie()
    with pytest.raises(LookupError):
        start_draft(REQUEST, user=editor, handler="nobody", target={})
    with pytest.raises(ValueError, match="No prompt file"):
        start_draft(
            DraftRequest(purpose="x", prompt="does_not_exist", schema={}),
            user=editor,
            handler="tests.remember",
            target={},
        )
    assert not DraftJob.objects.exists()


@pytest.fixture
def worker(ai_server, tmp_path):
    """A real Celery worker on its own queue, pointed at the test database and the scripted server."""
    queue = f"drafting-{uuid.uuid4().hex[:8]}"
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    env = child_env(
        DATABASE_URL=database_url(connection.settings_dict),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        OPENAI_BASE_URL=ai_server.url,
        OPENAI_API_KEY="test-key",
        AI_MONTHLY_BUDGET_TOKENS="0",
        AI_RATE_LIMIT_PER_HOUR="0",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "stadshart", "worker", "--pool=solo", "--loglevel=INFO",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield queue
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_makes_the_draft_while_the_editor_polls(ai, worker, client, tmp_path):
    editor = communicatie()
    ai.queue({"content": GOOD, "delay": 1})
    with override_settings(DRAFTING_TASK_QUEUE=worker):
        job = start_draft(REQUEST, user=editor, handler="drafting.return_data", target={})
    client.force_login(editor)
    url = reverse("drafting:job", args=[job.pk])
    seen = set()

    def finished():
        status = client.get(url).json()
        seen.add(status["state"])
        return status if status["state"] in {"done", "failed"} else None

    status = wait_for(finished, timeout=90)
    assert status is not None, (tmp_path / "worker.log").read_text()
    assert status["state"] == "done", status
    assert status["result"]["data"] == GOOD
    assert seen & {"queued", "running"}  # the editor saw progress before the result
