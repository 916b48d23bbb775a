"""Every role's home page: each role sees the panels of its own work, filled from the centre's
data, and nothing that says nothing (no page counts, no empty "My work")."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_results.models import TaskResult

from crm.models import FollowUp
from drafting.models import AICall
from insights.home import panels
from portal.members.models import Report
from social import services as social_services
from social.channels import Channel
from stadshart import roles
from tests.builders import draft_newsletter, make_organisation, make_send, make_staff

pytestmark = pytest.mark.django_db

PANELS = ("home-work", "home-communication", "home-reports", "home-health")


def shown_panels(client, user) -> set[str]:
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "w-summary" not in html, "Wagtail's page and image counts are gone"
    assert "crm-home-panel" not in html, "the CRM's own My work panel is replaced"
    return {name for name in PANELS if f'id="{name}' in html}


def submit(obj, user):
    obj.get_workflow().start(obj, user)
    obj.refresh_from_db()
    return obj


def some_work(sanne, lotte, ruben, *, n: int = 1, start: int = 0):
    """n of everything the panels show: follow-ups, quiet businesses, reports, newsletters in
    review, posts in review and planned, sends, failed tasks."""
    today = timezone.localdate()
    for i in range(start, start + n):
        shop = make_organisation(f"Schoenen Van Dijk {i}", street="Marktstraat", account_manager=sanne)
        FollowUp.objects.create(
            organisation=shop,
            description="Terugbellen over de gevel",
            due_on=today - dt.timedelta(days=2),
            assigned_to=sanne,
        )
        Report.objects.create(
            organisation=shop,
            category="heel",
            description="Losse tegel",
            location=f"Marktstraat {i}",
            created_at=timezone.now() - dt.timedelta(days=40),
        )
        submit(draft_newsletter(f"Nieuwsbrief {i}", owner=lotte), lotte)
        post = social_services.create_post(
            channel=Channel.FACEBOOK, text=f"Koopzondag {i}", user=ruben, planned_at=timezone.now()
        )
        submit(post, ruben)
        make_send(f"Nieuws {i}")
        TaskResult.objects.create(task_id=f"failed-{i}", task_name="newsletter.tasks.x", status="FAILURE")


def test_each_role_sees_the_panels_of_its_own_work(client, sanne, marloes, pieter, lotte, ruben, hanneke):
    beheerder = make_staff("beheer", roles.BEHEERDER, first_name="Bas", last_name="Beheer")
    some_work(sanne, lotte, ruben)

    assert shown_panels(client, sanne) == {"home-work"}
    assert shown_panels(client, lotte) == {"home-communication"}
    assert shown_panels(client, marloes) == {"home-communication", "home-reports"}
    assert shown_panels(client, hanneke) == {"home-reports"}
    assert shown_panels(client, beheerder) == {"home-health"}
    # The board's five figures are the board dashboard's own panel; none of these.
    assert shown_panels(client, pieter) == set()

    client.force_login(sanne)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Schoenen Van Dijk 0" in html and "1 vervolgactie te laat" in html
    assert "Terugbellen over de gevel" in html

    client.force_login(lotte)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Nieuwsbrief 0" in html and "ingediend door Lotte Kok" in html
    assert "Koopzondag 0" in html and "Nieuws 0" in html

    client.force_login(hanneke)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 melding open" in html and "Ouder dan een maand" in html
    assert "Marktstraat 0" in html and "Schoenen Van Dijk 0" in html


def test_a_follow_up_overdue_since_last_year_shows_its_year(client, sanne):
    today = timezone.localdate()
    shop = make_organisation("Bakkerij De Vries", street="Marktstraat", account_manager=sanne)
    for due_on, description in (
        (dt.date(today.year - 1, 12, 10), "Ontbijt"),
        (dt.date(today.year, 1, 1), "Gevel"),
    ):
        FollowUp.objects.create(organisation=shop, description=description, due_on=due_on, assigned_to=sanne)
    client.force_login(sanne)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    whens = re.findall(r'home-panel__when[^"]*">([^<]+)</span>', html)
    # Not "10 dec", which would read as a date coming up.
    assert whens == [f"10 dec {today.year - 1}", "1 jan"]


def test_an_accountmanager_without_work_gets_no_empty_my_work(client, sanne):
    assert shown_panels(client, sanne) == set()


def test_each_panel_reads_in_a_fixed_number_of_queries(sanne, lotte, ruben, marloes):
    beheerder = make_staff("beheer", roles.BEHEERDER)
    users = {
        panels.WorkPanel: sanne,
        panels.CommunicationPanel: lotte,
        panels.ReportsPanel: marloes,
        panels.HealthPanel: beheerder,
    }
    some_work(sanne, lotte, ruben, n=5)
    counts = {}
    for panel_class, user in users.items():
        # A fresh user each time: permissions are read once per request, as in the admin.
        user = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as queries:
            assert panel_class(user).render_html({})
        counts[panel_class] = len(queries)
    some_work(sanne, lotte, ruben, n=3, start=5)
    for panel_class, user in users.items():
        user = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as queries:
            panel_class(user).render_html({})
        assert len(queries) == counts[panel_class], panel_class.__name__
    # Beside reading the user's permissions (two queries, once per request):
    assert counts == {
        panels.WorkPanel: 2 + 7,  # one of them: which CRM texts the user reads (crm.visibility)
        panels.CommunicationPanel: 0 + 10,
        panels.ReportsPanel: 2 + 2,
        panels.HealthPanel: 0 + 5,
    }


def test_the_beheerder_sees_the_heartbeat_failures_and_ai_budget(client, settings):
    beheerder = make_staff("beheer", roles.BEHEERDER)
    client.force_login(beheerder)
    settings.AI_MONTHLY_BUDGET_TOKENS = 10_000
    AICall.objects.create(purpose="test", tokens_in=2000, tokens_out=500)
    TaskResult.objects.create(
        task_id="t1",
        task_name="newsletter.tasks.send_newsletter_batches",
        status="FAILURE",
        result='{"exc_type": "SMTPServerDisconnected", "exc_message": []}',
    )
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Nog geen hartslag" in html
    assert "1 mislukte taak in de laatste 7 dagen" in html and "SMTPServerDisconnected" in html
    assert "25% van het budget gebruikt" in html

    TaskResult.objects.create(
        task_id=settings.HEARTBEAT_TASK_ID, task_name="stadshart.tasks.health_check", status="SUCCESS"
    )
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Actief: de laatste hartslag" in html

    stale = timezone.now() - dt.timedelta(minutes=12)
    TaskResult.objects.filter(task_id=settings.HEARTBEAT_TASK_ID).update(date_done=stale)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"Geen hartslag sinds 12 minuten", html)
    assert reverse("insights_ask_workers") in html


def test_only_the_beheerder_may_ask_the_workers(client, marloes):
    client.force_login(marloes)
    response = client.get(reverse("insights_ask_workers"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
