"""The deployment files: no Docker engine runs here, so they are read and checked against the settings."""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.services import BASE_DIR, child_env, manage

COMPOSE = yaml.safe_load((BASE_DIR / "docker" / "compose.yaml").read_text())
DOCKERFILE = (BASE_DIR / "docker" / "Dockerfile").read_text()
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def settings_variables() -> set[str]:
    """Every environment variable that stadshart/settings.py reads."""
    source = (BASE_DIR / "stadshart" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', source))


def test_compose_has_web_worker_beat_postgresql_and_redis():
    assert set(COMPOSE["services"]) == {"migrate", "web", "worker", "beat", "db", "redis"}
    assert COMPOSE["services"]["db"]["image"].startswith("postgres:")
    assert COMPOSE["services"]["redis"]["image"].startswith("redis:")
    assert "gunicorn" in DOCKERFILE  # the web service runs the image's default command
    assert COMPOSE["services"]["worker"]["command"][:4] == ["celery", "-A", "stadshart", "worker"]
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "stadshart", "beat"]


@pytest.mark.parametrize("service", ["web", "worker", "beat", "db", "redis"])
def test_every_long_running_service_has_a_health_check(service):
    health = COMPOSE["services"][service]["healthcheck"]
    assert health["test"] and health["interval"] and health["retries"] >= 3


def test_data_lives_in_named_volumes():
    named = set(COMPOSE["volumes"])
    mounts = {
        mount.split(":")[0]
        for service in COMPOSE["services"].values()
        for mount in service.get("volumes", [])
    }
    assert {"postgres", "redis", "media", "beat"} <= named
    assert mounts == named, "every mount is a named volume, and every named volume is used"


def test_app_services_only_set_variables_the_settings_read():
    known = settings_variables()
    for name in APP_SERVICES:
        environment = COMPOSE["services"][name]["environment"]
        unknown = {key for key in environment if key not in known}
        assert not unknown, f"{name} sets {unknown}, which stadshart/settings.py never reads"
        for required in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "CELERY_BROKER_URL"):
            assert required in environment
        assert environment["DEBUG"] == "0"


def test_app_services_reach_the_database_and_broker_by_their_service_names():
    environment = COMPOSE["services"]["web"]["environment"]
    database = environment["DATABASE_URL"].replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "x")
    assert urlparse(database).hostname == "db"
    assert urlparse(environment["CELERY_BROKER_URL"]).hostname == "redis"
    assert urlparse(environment["CACHE_URL"]).hostname == "redis"


def test_secrets_have_no_default_in_compose():
    environment = COMPOSE["services"]["web"]["environment"]
    for secret in ("SECRET_KEY", "ALLOWED_HOSTS"):
        assert ":?" in environment[secret], f"{secret} must be required, not defaulted"


def test_the_image_runs_as_a_non_root_user_with_collected_static_files():
    users = re.findall(r"^USER (\S+)", DOCKERFILE, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert "collectstatic --noinput" in DOCKERFILE
    assert DOCKERFILE.startswith("#") and "FROM python:3.11" in DOCKERFILE
    assert "constraints.txt" in DOCKERFILE, "the image installs the same pinned versions"


def test_collectstatic_works_under_production_settings(tmp_path):
    """The image's build step: hashed, compressed static files for whitenoise."""
    env = child_env(
        DEBUG="0",
        SECRET_KEY="build-only",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{tmp_path / 'build.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        STADSHART_VAR_DIR=str(tmp_path / "var"),
    )
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    manifest = Path(tmp_path / "static" / "staticfiles.json").read_text()
    assert "stadshart/css/portal.css" in manifest
    assert list((tmp_path / "static" / "stadshart" / "css").glob("portal.*.css.gz"))


def test_the_web_service_runs_gunicorn_with_the_settings_that_freeze_the_loaded_site():
    command = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE).group(1)
    assert yaml.safe_load(command) == [
        "gunicorn",
        "-c",
        "python:stadshart.gunicorn_conf",
        "stadshart.wsgi:application",
    ]
    # What a gunicorn worker does with that file once it has loaded the site, in a fresh process.
    worker = (
        "import gc, sys; from stadshart import wsgi, gunicorn_conf as conf; "
        "loaded = 'stadshart.urls' in sys.modules; conf.post_worker_init(worker=None); "
        "print(conf.bind, conf.workers, loaded, 'stadshart.urls' in sys.modules, gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", worker],
        cwd=BASE_DIR,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    bind, workers, before, after, frozen = result.stdout.split()
    assert (bind, workers) == ("0.0.0.0:8000", "3")
    # The site's views are loaded before the first request, and the collector no longer walks what
    # the worker loaded (Django, Wagtail, the libraries: well over 100,000 objects).
    assert (before, after) == ("False", "True")
    assert int(frozen) > 100_000
