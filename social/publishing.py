"""How an approved post reaches its network: one interface, so publishing through the networks'
APIs can be added later without touching the screens.

Today every channel has the ManualPublisher: a person copies the text, posts it at the planned
moment and records the address where it went live. A future LinkedInPublisher (say) implements
the same protocol, calls the network and returns the address itself; `publisher_for` then picks it
for its channel.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _

from social import services
from social.models import PostState, SocialPost


@dataclass(frozen=True)
class PublishResult:
    url: str
    posted_at: dt.datetime


@runtime_checkable
class Publisher(Protocol):
    """Puts an approved post on its network and records where it went live."""

    key: str
    label: str
    # True when a person posts by hand and gives the address; False for an API that posts itself.
    needs_posted_url: bool

    def can_publish(self, post: SocialPost) -> bool: ...

    def publish(self, post: SocialPost, *, user, posted_url: str = "") -> PublishResult: ...


class ManualPublisher:
    """A person posts by hand (copy button) and records the address of the post."""

    key = "manual"
    label = _("by hand")
    needs_posted_url = True

    def can_publish(self, post: SocialPost) -> bool:
        return post.state in (PostState.APPROVED, PostState.PUBLISHED)

    def publish(self, post: SocialPost, *, user, posted_url: str = "") -> PublishResult:
        post = services.record_posted(post=post, url=posted_url, user=user)
        return PublishResult(url=post.posted_url, posted_at=post.posted_at)


_MANUAL = ManualPublisher()
# Channel key → publisher; channels not listed are published by hand.
PUBLISHERS: dict[str, Publisher] = {}


def publisher_for(channel: str) -> Publisher:
    return PUBLISHERS.get(channel, _MANUAL)
