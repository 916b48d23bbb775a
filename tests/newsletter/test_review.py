"""The editorial review "Redactie": four eyes on every newsletter, and a record of who approved what."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import WorkflowState

from newsletter.models import EditorialReviewTask, NewsletterApproval
from newsletter.review import approvals_of, approved_revision
from newsletter.services import SendRefused, queue_send
from tests.builders import STAFF_PASSWORD, draft_newsletter, make_segment

pytestmark = pytest.mark.django_db


def submit(page, user):
    page.get_workflow().start(page, user)
    page.refresh_from_db()
    return page


def act(client, user, page, action: str, comment: str = ""):
    client.login(username=user.username, password=STAFF_PASSWORD)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


@pytest.fixture
def draft(lotte):
    """Lotte's December newsletter, submitted for review."""
    return submit(draft_newsletter(owner=lotte), lotte)


def test_every_newsletter_goes_to_the_redactie_workflow(lotte):
    page = draft_newsletter(owner=lotte)
    workflow = page.get_workflow()
    assert workflow.name == "Redactie"
    task = workflow.tasks.get().specific
    assert isinstance(task, EditorialReviewTask)
    assert sorted(task.groups.values_list("name", flat=True)) == ["Centrummanager", "Communicatie"]


def test_the_author_sees_no_approve_action(draft, lotte, ruben, marloes, sanne):
    task = draft.current_workflow_task
    assert task.get_actions(draft, lotte) == []
    assert [name for name, _label, _modal in task.get_actions(draft, ruben)] == [
        "reject",
        "approve",
        "approve",
    ]
    assert task.get_actions(draft, marloes)
    assert task.get_actions(draft, sanne) == []


def test_a_crafted_approval_by_the_author_is_refused(client, draft, lotte):
    response = act(client, lotte, draft, "approve", "Prima zo")
    # Wagtail's admin answers a refused action with a redirect to the dashboard and an error.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    draft.refresh_from_db()
    assert draft.current_workflow_task_state.status == "in_progress"
    assert approved_revision(draft) is None
    with pytest.raises(PermissionDenied):
        draft.current_workflow_task.on_action(draft.current_workflow_task_state, lotte, "approve")
    assert not NewsletterApproval.objects.exists()


def test_the_author_cannot_approve_even_when_a_colleague_submitted_it(lotte, ruben):
    """Whoever wrote the revision under review counts as its author, whoever pressed "submit"."""
    page = submit(draft_newsletter(owner=lotte, revision_user=lotte), ruben)
    task = page.current_workflow_task
    assert task.get_actions(page, lotte) == []
    assert task.get_actions(page, ruben) == []


def test_a_colleague_approves_and_the_approval_is_kept_with_the_revision(client, draft, ruben):
    revision = draft.get_latest_revision()
    response = act(client, ruben, draft, "approve", "Mooi, met één tikfout verbeterd")
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    approval = NewsletterApproval.objects.get()
    assert approval.revision == revision
    assert approval.approved_by == ruben
    assert approval.comment == "Mooi, met één tikfout verbeterd"
    assert approved_revision(draft) == revision
    assert list(approvals_of(draft)) == [approval]
    # Wagtail publishes on approval; the public still sees nothing before it is sent (test_compose_archive).
    assert draft.live


def test_the_centre_manager_may_approve_too(client, draft, marloes):
    act(client, marloes, draft, "approve")
    assert NewsletterApproval.objects.get().approved_by == marloes


def test_an_edit_after_approval_needs_approval_again(client, draft, lotte, ruben):
    act(client, ruben, draft, "approve")
    draft.refresh_from_db()
    assert approved_revision(draft) is not None
    draft.subject = "Nieuwsbrief december (nieuwe datum)"
    draft.save_revision(user=lotte)
    assert approved_revision(draft) is None
    # The earlier approval stays on record.
    assert NewsletterApproval.objects.count() == 1


def test_a_save_that_changes_nothing_a_reader_sees_keeps_the_approval(client, lotte, ruben):
    draft = draft_newsletter(owner=lotte)
    draft.segments.add(make_segment("Alle ondernemers"))
    draft.save_revision(user=lotte)
    draft = submit(draft, lotte)
    # The author's editor tab, left open, saves the form it loaded after her colleague approved it.
    act(client, ruben, draft, "approve")
    draft.refresh_from_db()
    approved = approved_revision(draft)
    draft.save_revision(user=lotte)
    assert draft.get_latest_revision() != approved
    assert approved_revision(draft) == approved

    send = queue_send(draft, user=ruben)
    assert send.revision == approved and send.subject == approved.as_object().subject


def test_a_changed_audience_after_approval_needs_approval_again(client, draft, lotte, ruben):
    act(client, ruben, draft, "approve")
    draft.refresh_from_db()
    draft.save_revision(user=lotte)  # nothing changed: still approved
    assert approved_revision(draft) is not None
    draft.segments.add(make_segment("Marktstraat"))
    draft.save_revision(user=lotte)
    assert approved_revision(draft) is None
    with pytest.raises(SendRefused):
        queue_send(draft, user=ruben)


def test_request_changes_keeps_the_comment_and_hands_the_newsletter_back(client, draft, lotte, marloes):
    act(client, marloes, draft, "reject", "Graag de datum van de koopzondag controleren.")
    draft.refresh_from_db()
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Graag de datum van de koopzondag controleren."
    assert state.current_task_state.finished_by == marloes
    assert approved_revision(draft) is None
    assert not draft.live
    # Back with the author, who may edit again (no review lock) and resubmit.
    assert draft.get_lock() is None


def test_under_review_only_the_reviewers_may_edit(draft, lotte, ruben, sanne):
    task = draft.current_workflow_task
    assert task.locked_for_user(draft, lotte)
    assert task.locked_for_user(draft, sanne)
    assert not task.locked_for_user(draft, ruben)


def test_the_author_is_told_on_the_edit_screen_that_it_awaits_review(client, draft, lotte):
    client.login(username="lotte", password=STAFF_PASSWORD)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="action-workflow-action"' not in content
    assert "Goedkeuren" not in content


def test_the_dashboard_lists_a_newsletter_for_its_reviewers_not_its_author(draft, lotte, ruben):
    task = draft.current_workflow_task
    assert list(task.get_task_states_user_can_moderate(ruben)) == [draft.current_workflow_task_state]
    assert not task.get_task_states_user_can_moderate(lotte).exists()
