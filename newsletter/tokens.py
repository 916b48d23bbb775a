"""Signed per-recipient tokens for the links in a mail (unsubscribe, preferences, web version).

They carry the address (and the delivery, for attribution), signed with SECRET_KEY and a salt per
purpose, so a link for one purpose cannot be replayed for another, and nobody can forge one for an
address they do not read. Unsubscribe links never expire: an old mail must still work.
"""

from django.core import signing

UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"


def make_token(purpose: str, *, email: str, delivery_id: int | None = None) -> str:
    payload = {"e": email.lower()}
    if delivery_id is not None:
        payload["d"] = delivery_id
    return signing.dumps(payload, salt=f"newsletter.{purpose}", compress=True)


def read_token(purpose: str, token: str, *, max_age: int | None = None) -> dict:
    """{"email": ..., "delivery_id": ...}; raises signing.BadSignature (or SignatureExpired)."""
    payload = signing.loads(token, salt=f"newsletter.{purpose}", max_age=max_age)
    return {"email": payload["e"], "delivery_id": payload.get("d")}
