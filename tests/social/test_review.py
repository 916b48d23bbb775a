"""Four eyes on every social post: a second person approves through the workflow, then it is posted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from social import publishing, services
from social.channels import Channel
from social.models import PostState, SocialPost, SocialReviewTask
from tests.social.conftest import PASSWORD, make_post, submit

pytestmark = pytest.mark.django_db


def act(client, user, post, action, comment=""):
    client.login(username=user.username, password=PASSWORD)
    task_state = post.current_workflow_task_state
    url = reverse("social_posts:workflow_action", args=[post.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_every_post_goes_to_the_social_media_workflow(lotte):
    post = make_post(lotte)
    workflow = post.get_workflow()
    assert workflow.name == "Sociale media"
    task = workflow.tasks.get().specific
    assert isinstance(task, SocialReviewTask)
    assert sorted(task.groups.values_list("name", flat=True)) == ["Centrummanager", "Communicatie"]
    assert post.state == PostState.CONCEPT and not post.live


def test_submitting_puts_the_post_in_review(lotte):
    post = submit(make_post(lotte), lotte)
    assert post.state == PostState.REVIEW


def test_the_author_sees_no_approve_action_a_colleague_does(lotte, ruben, marloes):
    post = submit(make_post(lotte), lotte)
    task = post.current_workflow_task
    assert task.get_actions(post, lotte) == []
    assert [name for name, *_ in task.get_actions(post, ruben)][:2] == ["reject", "approve"]
    assert task.get_actions(post, marloes)


def test_who_asked_the_ai_for_the_draft_counts_as_author_even_if_a_colleague_submits(lotte, ruben, marloes):
    post = submit(make_post(lotte), ruben)
    task = post.current_workflow_task
    assert task.get_actions(post, lotte) == []
    assert task.get_actions(post, ruben) == []
    assert task.get_actions(post, marloes)


def test_a_crafted_self_approval_is_refused(client, lotte):
    post = submit(make_post(lotte), lotte)
    response = act(client, lotte, post, "approve")
    assert response.status_code in (302, 403)
    post.refresh_from_db()
    assert post.state == PostState.REVIEW and post.approved_by is None and not post.live
    with pytest.raises(PermissionDenied):
        post.current_workflow_task.on_action(post.current_workflow_task_state, lotte, "approve")


def test_a_colleague_approves_and_is_recorded(client, lotte, ruben):
    post = submit(make_post(lotte), lotte)
    response = act(client, ruben, post, "approve", "Prima")
    assert response.status_code in (200, 302)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
    assert post.approved_by == ruben and post.approved_at is not None
    assert post.live and not post.has_unpublished_changes
    # The history shows the approval with its approver.
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="social.approved", user=ruben).exists()


def test_asking_for_changes_hands_the_post_back_as_a_draft(client, lotte, marloes):
    post = submit(make_post(lotte), lotte)
    act(client, marloes, post, "reject", "Graag de datum controleren")
    post.refresh_from_db()
    assert post.state == PostState.CONCEPT
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES


def test_cancelling_the_review_makes_it_a_draft_again(lotte):
    post = submit(make_post(lotte), lotte)
    post.current_workflow_state.cancel(user=lotte)
    post.refresh_from_db()
    assert post.state == PostState.CONCEPT


def test_an_edit_after_approval_needs_approval_again_and_the_approved_text_stays_live(client, lotte, ruben):
    post = submit(make_post(lotte), lotte)
    act(client, ruben, post, "approve")
    client.login(username=lotte.username, password=PASSWORD)
    response = client.post(
        reverse("social_posts:edit", args=[post.pk]),
        {
            "channel": "facebook",
            "text": "Nieuwe tekst over de koopzondag.",
            "link": "",
            "hashtags": "",
            "planned_at": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    post.refresh_from_db()
    assert post.state == PostState.CONCEPT and post.approved_by is None
    assert post.has_unpublished_changes
    assert post.text == "Zondag 20 december: koopzondag in de binnenstad."  # the approved text
    assert post.get_latest_revision_as_object().text == "Nieuwe tekst over de koopzondag."
    with pytest.raises(services.PostingError):
        services.record_posted(post=post, url="https://x.com/veldhaven/status/1", user=lotte)


def test_recording_the_posted_address_publishes_the_post(lotte, ruben):
    post = submit(make_post(lotte), lotte)
    post.current_workflow_task.on_action(post.current_workflow_task_state, ruben, "approve")
    post.refresh_from_db()
    result = publishing.publisher_for(post.channel).publish(
        post, user=lotte, posted_url="https://www.facebook.com/veldhaven/posts/123"
    )
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert post.posted_url == result.url == "https://www.facebook.com/veldhaven/posts/123"
    assert post.posted_by == lotte and post.posted_at is not None
    # The bookkeeping survives a revision being restored later.
    restored = post.get_latest_revision().as_object()
    assert restored.state == PostState.PUBLISHED and restored.posted_url == post.posted_url


def test_a_draft_cannot_be_recorded_as_posted(lotte):
    post = make_post(lotte)
    with pytest.raises(services.PostingError) as error:
        services.record_posted(post=post, url="https://x.com/a/status/1", user=lotte)
    assert "goedgekeurd" in str(error.value.messages[0]) or "approved" in str(error.value.messages[0])
    assert SocialPost.objects.get().state == PostState.CONCEPT


@pytest.mark.parametrize("url", ["", "niet een adres", "javascript:alert(1)", "ftp://x.example/a"])
def test_a_posted_address_must_be_a_web_address(lotte, ruben, url):
    post = submit(make_post(lotte), lotte)
    post.current_workflow_task.on_action(post.current_workflow_task_state, ruben, "approve")
    with pytest.raises(services.PostingError):
        services.record_posted(post=post, url=url, user=lotte)
    post.refresh_from_db()
    assert post.state == PostState.APPROVED and not post.posted_url


def test_the_manual_publisher_is_a_publisher_for_every_channel():
    for channel in Channel:
        publisher = publishing.publisher_for(channel)
        assert isinstance(publisher, publishing.Publisher)
        assert publisher.needs_posted_url


def test_a_typed_post_that_does_not_fit_is_refused_with_the_reason(lotte):
    with pytest.raises(ValidationError) as error:
        services.create_post(channel=Channel.X, text="x " * 200, user=lotte)
    assert "280" in str(error.value.message_dict["text"])
    assert not SocialPost.objects.exists()


def test_nobody_publishes_directly_not_even_a_reviewer(client, lotte, marloes):
    post = make_post(lotte)
    client.login(username=marloes.username, password=PASSWORD)
    edit = client.get(reverse("social_posts:edit", args=[post.pk]))
    assert b'name="action-publish"' not in edit.content
    assert b'name="action-submit"' in edit.content
    client.post(
        reverse("social_posts:edit", args=[post.pk]),
        {
            "channel": "facebook",
            "text": post.text,
            "link": "",
            "hashtags": "",
            "planned_at": "",
            "action-publish": "1",
        },
    )
    post.refresh_from_db()
    assert not post.live and post.state == PostState.CONCEPT


def test_moving_the_planned_moment_survives_the_approval(lotte, ruben):
    post = make_post(lotte, planned_at=None)
    moment = timezone.make_aware(dt.datetime(2026, 12, 20, 10, 0))
    services.plan_post(post=post, planned_at=moment, user=lotte)
    post = submit(post, lotte)
    post.current_workflow_task.on_action(post.current_workflow_task_state, ruben, "approve")
    post.refresh_from_db()
    assert post.state == PostState.APPROVED and post.planned_at == moment
