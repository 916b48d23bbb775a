"""The pace of sending: NEWSLETTER_RATE_LIMIT messages a second, and batches sized to match."""

from __future__ import annotations

import time

from django.conf import settings


class RateLimiter:
    """At most NEWSLETTER_RATE_LIMIT messages a second to the ESP, across all workers.

    With Redis as the broker the count is shared in Redis (one counter per second); otherwise each
    process paces itself, so the limit applies per worker process.
    """

    def __init__(self, rate: float):
        self.rate = rate
        self.redis = None
        self.next_at = time.monotonic()
        broker = settings.CELERY_BROKER_URL
        if rate and broker.startswith(("redis://", "rediss://")):
            import redis

            self.redis = redis.Redis.from_url(broker)

    def wait(self) -> None:
        if not self.rate:
            return
        if self.redis is not None:
            while True:
                second = int(time.time())
                key = f"stadshart:newsletter:rate:{second}"
                count = self.redis.incr(key)
                if count == 1:
                    self.redis.expire(key, 5)
                if count <= self.rate:
                    return
                time.sleep(max(0.0, second + 1 - time.time()))
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + 1 / self.rate


def batch_size() -> int:
    size = settings.NEWSLETTER_BATCH_SIZE
    rate = settings.NEWSLETTER_RATE_LIMIT
    if rate:
        # A batch should take seconds, not minutes: its claim must stay younger than the timeout.
        size = min(size, max(1, int(rate * 5)))
    return size
