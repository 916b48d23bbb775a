"""The demo centre has AI-drafted (template drafter) social posts in every state across the channels."""

import pytest

from social.channels import Channel
from social.models import PostState, SocialPost

pytestmark = pytest.mark.django_db


def test_the_demo_has_drafted_posts_in_every_state_and_channel(demo_centre):
    assert "social: 14 posts" in demo_centre
    posts = list(SocialPost.objects.select_related("approved_by", "posted_by", "created_by"))
    assert {post.state for post in posts} == set(PostState.values)
    assert {post.channel for post in posts} == set(Channel.values)
    for post in posts:
        assert post.ai_template and post.ai_model == "sjabloon" and post.planned_at
        assert not [problem for problem in post.problems if problem.blocking], post
        if post.state in (PostState.APPROVED, PostState.PUBLISHED):
            assert post.approved_by and post.approved_by != post.created_by
        if post.state == PostState.PUBLISHED:
            assert post.posted_url.startswith("https://") and post.posted_by
        if post.state == PostState.REVIEW:
            assert post.workflow_in_progress
