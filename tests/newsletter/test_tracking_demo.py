"""The demo centre's newsletters: a year of sent issues with realistic results, and a draft under review."""

import pytest
from wagtail.models import WorkflowState

from newsletter.models import DeliveryEvent, NewsletterPage, Send, Suppression
from newsletter.queries.stats import recent_results
from newsletter.review import approved_revision


@pytest.mark.django_db
def test_demo_has_a_year_of_newsletters_with_believable_results(demo_centre):
    assert "newsletters: 12 sent" in demo_centre

    sends = Send.objects.filter(status=Send.Status.SENT)
    assert sends.count() == 12
    assert {send.newsletter.kind for send in sends} == {"service", "marketing"}
    assert all(approved_revision(send.newsletter) == send.revision for send in sends)
    results = recent_results()
    for item in results:
        assert 200 <= item.sent <= 1000
        assert 95 <= item.delivery_rate <= 99.5
        # One small send may draw no bounce at all; over the year about 2 % bounce.
        assert item.bounce_rate <= 4
        assert 30 <= item.open_rate <= 55
        assert 3 <= item.click_rate <= 12
        assert item.machine_opens > 0
    year_bounce_rate = 100 * sum(item.bounced for item in results) / sum(item.sent for item in results)
    assert 0.5 <= year_bounce_rate <= 4
    assert DeliveryEvent.objects.filter(event_type="unsubscribed").exists()
    assert Suppression.objects.filter(reason=Suppression.Reason.HARD_BOUNCE).exists()

    draft = NewsletterPage.objects.get(live=False, sends__isnull=True, ai_drafts__isnull=True)
    state = WorkflowState.objects.get(
        base_content_type=draft.get_base_content_type(), object_id=str(draft.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by.groups.filter(name="Communicatie").exists()
