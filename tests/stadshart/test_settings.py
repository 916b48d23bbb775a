"""Production settings: strict, complete, and refusing to run on silent defaults."""

import secrets

from tests.services import child_env, manage


def production_env(tmp_path, **overrides):
    env = child_env(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="binnenstad.example",
        SITE_URL="https://binnenstad.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        STADSHART_VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_while_the_esps_webhook_is_unprotected(tmp_path):
    postmark = {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "t",
    }

    unprotected = manage("check", "--deploy", env=production_env(tmp_path, **postmark))
    protected = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(
            tmp_path, **postmark, ANYMAIL_WEBHOOK_SECRET="stadshart:" + secrets.token_urlsafe(30)
        ),
    )

    assert unprotected.returncode != 0
    assert "newsletter.E001" in unprotected.stderr and "ANYMAIL_WEBHOOK_SECRET" in unprotected.stderr
    assert protected.returncode == 0, protected.stdout + protected.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "must be set explicitly" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    env = production_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_settings_come_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        ANYMAIL_MAILGUN_API_KEY="key-123",
        EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
        OPENAI_BASE_URL="http://127.0.0.1:9999/v1",
        OPENAI_MODEL="lokaal-model",
        CELERY_BROKER_URL="redis://cache.internal:6379/2",
    )
    code = (
        "from django.conf import settings as s;"
        "print(s.ANYMAIL, s.EMAIL_BACKEND, s.OPENAI_BASE_URL, s.OPENAI_MODEL, s.CELERY_BROKER_URL,"
        " s.DATABASES['default']['ENGINE'], s.WAGTAILADMIN_BASE_URL, s.SECURE_SSL_REDIRECT)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "{'MAILGUN_API_KEY':",
        "'key-123'}",
        "anymail.backends.mailgun.EmailBackend",
        "http://127.0.0.1:9999/v1",
        "lokaal-model",
        "redis://cache.internal:6379/2",
        "django.db.backends.sqlite3",
        "https://binnenstad.example",
        "True",
    ]
