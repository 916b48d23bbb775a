"""A problem report in the admin shows what was reported beside the form that handles it: the
description, photo, place, reporter and times in local time; read-only roles see the same."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from portal.members.models import Report
from tests.builders import image_upload

pytestmark = pytest.mark.django_db


def details(html: str) -> str:
    """The report's details as a person reads them."""
    return BeautifulSoup(html, "html.parser").select_one(".report-details").get_text(" ", strip=True)


def _report(member_client, **extra):
    data = {
        "category": "heel",
        "description": "Losse stoeptegel voor de deur, mensen struikelen erover",
        "location": "Marktstraat 1",
    }
    data.update(extra)
    member_client.post(reverse("members:new_report"), data)
    return Report.objects.get()


def test_the_report_opens_with_what_was_reported_beside_the_status_form(
    member_client, fatima, hanneke, client
):
    report = _report(member_client, photo=image_upload())
    # 14:05 UTC on a winter day is 15:05 in Veldhaven.
    Report.objects.filter(pk=report.pk).update(created_at=dt.datetime(2026, 11, 23, 14, 5, tzinfo=dt.UTC))
    client.force_login(hanneke)
    html = client.get(reverse("members_report:edit", args=[report.pk])).content.decode()
    assert "Losse stoeptegel voor de deur, mensen struikelen erover" in html
    assert "Marktstraat 1" in html and "Bakkerij De Korenschoof" in html
    assert "Fatima Bouzid" in html and "fatima@korenschoof.example" in html
    assert "maandag 23 november 2026, 15:05" in html
    assert reverse("members_report:photo", args=[report.pk]) in html
    assert 'name="status"' in html and 'name="response"' in html
    for wrong in ("None", "True", "False"):
        assert wrong not in details(html)


def test_roles_that_only_read_reports_see_the_same_details_and_no_form(
    member_client, fatima, sanne, pieter, client
):
    report = _report(member_client)
    for reader, sees_reporter in ((sanne, True), (pieter, False)):
        client.force_login(reader)
        listing = client.get(reverse("members_report:index")).content.decode()
        inspect_url = reverse("members_report:inspect", args=[report.pk])
        assert inspect_url in listing and reverse("members_report:edit", args=[report.pk]) not in listing
        html = client.get(inspect_url).content.decode()
        text = details(html)
        # What the member wrote is read as notes (crm.visibility): the accountmanager reads it, the
        # board does not; the board reads reports but no personal data either.
        assert ("Losse stoeptegel" in text) is sees_reporter
        assert ("Fatima Bouzid" in text) is sees_reporter
        assert "Gesloten" not in text and "None" not in text  # not closed yet: no empty "closed" line
        assert 'name="status"' not in html


def test_a_closed_report_shows_when_it_was_closed_and_the_answer(member_client, fatima, hanneke, client):
    report = _report(member_client)
    closed = timezone.make_aware(dt.datetime(2026, 7, 1, 9, 30))
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RESOLVED, resolved_at=closed, response="De tegel ligt weer vast."
    )
    client.force_login(hanneke)
    html = client.get(reverse("members_report:inspect", args=[report.pk])).content.decode()
    assert "woensdag 1 juli 2026, 09:30" in html and "De tegel ligt weer vast." in html
