"""Wagtail's images, documents, snippets and redirects apps do all they did, without the v3 API's weight."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models

from social.models import SocialPost
from tests.builders import build_portal, make_news
from tests.services import child_env, manage

pytestmark = pytest.mark.django_db


def test_no_web_or_worker_process_loads_the_headless_api():
    """django-ninja and Wagtail's v3 API (about 20 MB and half a second per process) stay out of
    a process that has set up Django, loaded the tasks and the URLconf and run the checks."""
    code = (
        "import sys; from stadshart.celery import app; app.loader.import_default_modules(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.core.checks import run_checks; run_checks(); "
        "print('ninja' in sys.modules, 'wagtail.api.v3.api' in sys.modules)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=child_env(DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_whoever_imports_the_api_later_gets_wagtails_own():
    """No stand-in is left behind: importing the API after start-up gives Wagtail's NinjaAPI."""
    code = "from wagtail.api.v3.api import api; print(type(api).__name__)"
    result = manage("shell", "--no-imports", "-c", code, env=child_env(DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["NinjaAPI"]


def test_the_apps_registered_everything_else_they_register():
    policies = {
        model: type(policy_registry.get_by_type(model, fallback=False)).__name__
        for model in (Image, Document, Redirect)
    }
    assert policies == {
        Image: "CollectionOwnershipPermissionPolicy",
        Document: "CollectionOwnershipPermissionPolicy",
        Redirect: "ModelPermissionPolicy",
    }
    assert ReferenceIndex.is_indexed(Image) and ReferenceIndex.is_indexed(Document)
    assert SocialPost in get_snippet_models()  # the snippets app registered the deferred snippets


def test_a_renamed_page_still_redirects_from_its_old_address(client, django_capture_on_commit_callbacks):
    """The redirects app's signal handlers are connected: a news item whose slug changes keeps its
    old address working (a link in last month's newsletter)."""
    portal = build_portal()
    news = make_news(portal.news, "Nieuwe fietsenstalling")
    old_url = news.url
    news.slug = "fietsenstalling-open"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals a slug change on commit
        news.save_revision().publish()

    redirect = Redirect.objects.get(redirect_page=news)
    assert redirect.old_path == old_url.rstrip("/")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/fietsenstalling-open/")
