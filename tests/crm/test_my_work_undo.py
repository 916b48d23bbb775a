"""Ticking off a follow-up in My work: an outcome (required when a member is mailed), an undo for a
while, and the member's mail only after that while, with the outcome in it."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm import services
from crm.models import FollowUp
from portal.members import services as members
from portal.members.models import Report
from portal.members.tasks import tell_reporter_resolved
from tests.builders import make_member, make_organisation

pytestmark = pytest.mark.django_db

MY_WORK = "/admin/crm/my-work/"


@pytest.fixture
def report(hanneke, django_capture_on_commit_callbacks):
    """A member's report of a loose paving stone, with its follow-up for Hanneke."""
    member = make_member(make_organisation("Bakkerij De Korenschoof"))
    with django_capture_on_commit_callbacks(execute=True):
        return members.submit_report(
            membership=member,
            draft=members.ReportDraft(category="heel", description="Losse stoeptegel", location="Markt 1"),
        )


def after_the_undo_period(report: Report) -> None:
    """Let the undo period pass, as the queued task would find it when its countdown ends."""
    past = dt.timedelta(minutes=services.FOLLOW_UP_UNDO_MINUTES, seconds=1)
    Report.objects.filter(pk=report.pk).update(resolved_at=report.resolved_at - past)
    FollowUp.objects.filter(pk=report.follow_up_id).update(done_at=report.resolved_at - past)


def test_completing_a_report_asks_what_was_done_and_mails_it_only_after_the_undo_period(
    client, hanneke, report, django_capture_on_commit_callbacks
):
    client.force_login(hanneke)
    done_url = reverse("crm_follow_up_done", args=[report.follow_up_id])
    page = client.get(MY_WORK).content.decode()
    assert "Wat is er gedaan? Het lid dat het meldde, krijgt deze tekst per e-mail." in page
    assert 'name="outcome" rows="3" maxlength="1000" required' in page
    mail.outbox.clear()

    refused = client.post(done_url, {"outcome": "  "}, follow=True).content.decode()
    assert "Vertel wat er is gedaan" in refused
    report.refresh_from_db()
    assert report.status == Report.Status.NEW and report.follow_up.done_at is None

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(done_url, {"outcome": "De tegel ligt er weer vast in."}, follow=True)
    page = page.content.decode()
    assert "U kunt dit 10 minuten ongedaan maken" in page and "Net afgerond" in page
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.response == "De tegel ligt er weer vast in."
    assert tell_reporter_resolved(report.pk) == "waiting"  # the task ran early: it waits
    assert mail.outbox == []

    after_the_undo_period(report)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_reporter_resolved(report.pk) == "done"
        tell_reporter_resolved(report.pk)  # delivered twice: one mail

    assert len(mail.outbox) == 1
    assert "opgelost" in mail.outbox[0].subject
    assert "De tegel ligt er weer vast in." in mail.outbox[0].body
    assert "Net afgerond" not in client.get(MY_WORK).content.decode()


def test_undoing_within_the_period_reopens_the_follow_up_and_the_report_and_mails_nobody(
    client, hanneke, report, django_capture_on_commit_callbacks
):
    client.force_login(hanneke)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("crm_follow_up_done", args=[report.follow_up_id]), {"outcome": "Gemaakt."})
    page = client.get(MY_WORK).content.decode()
    undo_url = reverse("crm_follow_up_undo", args=[report.follow_up_id])
    assert undo_url in page
    assert client.get(undo_url).status_code == 405  # a GET changes nothing
    mail.outbox.clear()

    page = client.post(undo_url, follow=True).content.decode()

    assert "Weer open: Melding afhandelen" in page
    report.refresh_from_db()
    assert report.follow_up.done_at is None and report.follow_up.outcome == ""
    assert report.status == Report.Status.IN_PROGRESS and report.response == ""
    with django_capture_on_commit_callbacks(execute=True):
        tell_reporter_resolved(report.pk)  # the task queued by the completion finds it reopened
    assert mail.outbox == []
    assert reverse("crm_follow_up_done", args=[report.follow_up_id]) in page


def test_a_completion_cannot_be_undone_after_the_period_nor_by_someone_else(
    client, hanneke, sanne, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_follow_up(follow_up=report.follow_up, user=hanneke, outcome="Gemaakt.")
    client.force_login(sanne)
    assert client.post(reverse("crm_follow_up_undo", args=[report.follow_up_id])).status_code == 404
    report.refresh_from_db()
    after_the_undo_period(report)

    with pytest.raises(ValidationError, match="10 minuten"):
        services.reopen_follow_up(follow_up=report.follow_up, user=hanneke)
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_an_ordinary_follow_up_is_done_with_an_optional_outcome_and_mails_nobody(
    client, sanne, django_capture_on_commit_callbacks
):
    visit = services.log_interaction(
        staff=sanne,
        organisations=[make_organisation("Bakkerij De Korenschoof")],
        follow_ups=[services.FollowUpDraft("Offerte nasturen", dt.date.today())],
    )
    follow_up = visit.follow_ups[0]
    client.force_login(sanne)
    assert "Uitkomst (niet verplicht)" in client.get(MY_WORK).content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("crm_follow_up_done", args=[follow_up.pk]), {"outcome": ""})

    follow_up.refresh_from_db()
    assert follow_up.done_at is not None and follow_up.done_by == sanne
    assert mail.outbox == []
