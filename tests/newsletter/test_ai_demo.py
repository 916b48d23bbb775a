"""The demo centre has AI-drafted newsletters in every state, drafted from its own material."""

import json

import pytest
from wagtail.models import WorkflowState

from newsletter.models import AIDraft
from newsletter.review import approved_revision


@pytest.mark.django_db
def test_the_demo_has_ai_drafted_newsletters_in_every_state(demo_centre):
    assert "AI-drafted newsletters: draft, review, approved" in demo_centre
    drafts = {record.page.title: record for record in AIDraft.objects.select_related("page")}
    assert len(drafts) == 3
    draft = drafts["Concept: koopzondagen in december"].page
    review = drafts["Concept: schoon, heel en veilig"].page
    approved = drafts["Kerstverlichting en de feestdagen"].page
    assert not draft.live and not draft.workflow_in_progress
    state = WorkflowState.objects.get(
        base_content_type=review.get_base_content_type(), object_id=str(review.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert approved_revision(approved) is not None
    for record in drafts.values():
        assert record.template and record.fingerprints["sentences"]
        assert record.sources, record.page.title
        # The AI draft is the page's latest revision: nothing changed it since.
        assert record.page.get_latest_revision().pk == record.revision_id
    # Sources never carry the CRM's people: the demo's staff and contacts are not in them.
    from crm.models import Person

    text = json.dumps([r.sources for r in drafts.values()], ensure_ascii=False)
    for person in Person.objects.order_by("pk")[:200]:
        assert f"{person.first_name} {person.last_name}" not in text
