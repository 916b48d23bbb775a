"""Per-recipient tokens for the links in a mail (unsubscribe, preferences): opaque and authenticated.

A token carries the address (and the delivery, for attribution) encrypted and authenticated
with Fernet (AES-128-CBC and HMAC-SHA256, from the `cryptography` package) under a key derived from
SECRET_KEY and the token's purpose: it reveals nothing to whoever sees the link (a forwarded mail,
a proxy's log), nobody can forge one for an address they do not read, and a link for one purpose
cannot be replayed for another. Keys from SECRET_KEY_FALLBACKS are still accepted, so rotating the
secret does not break links already sent. Unsubscribe links never expire: an old mail must still work.

Links sent before this (Django's signed tokens, whose payload is readable base64, recognisable by
their ":") keep working: an unsubscribe link in a mail already delivered must keep working (the
AVG's right to object, and the receivers' bulk-sender rules), and such a token only shows the
address to whoever already has that mail. New mails carry only opaque tokens.
"""

import base64
import binascii
import functools
import json
import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"


def _fernet(purpose: str) -> MultiFernet:
    return _fernet_for(purpose, (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])))


@functools.lru_cache(maxsize=16)
def _fernet_for(purpose: str, secrets: tuple[str, ...]) -> MultiFernet:
    # Kept per purpose and secrets: a batch of a thousand messages makes two thousand tokens.
    keys = [
        base64.urlsafe_b64encode(
            salted_hmac(f"newsletter.tokens.{purpose}", "fernet", secret=secret, algorithm="sha256").digest()
        )
        for secret in secrets
    ]
    return MultiFernet([Fernet(key) for key in keys])


def make_token(purpose: str, *, email: str, delivery_id: int | None = None) -> str:
    payload = {"e": email.lower()}
    if delivery_id is not None:
        payload["d"] = delivery_id
    token = _fernet(purpose).encrypt(json.dumps(payload, separators=(",", ":")).encode())
    return token.decode().rstrip("=")  # the padding only makes the address longer


def read_token(purpose: str, token: str, *, max_age: int | None = None) -> dict:
    """{"email": ..., "delivery_id": ...}; raises signing.BadSignature (or SignatureExpired)."""
    if ":" in token:
        payload = signing.loads(token, salt=f"newsletter.{purpose}", max_age=max_age)  # sent before
    else:
        payload = _decrypt(purpose, token, max_age=max_age)
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise signing.BadSignature("Token without an address")
    return {"email": payload["e"], "delivery_id": payload.get("d")}


def _decrypt(purpose: str, token: str, *, max_age: int | None) -> dict:
    fernet = _fernet(purpose)
    raw = (token + "=" * (-len(token) % 4)).encode("ascii", errors="replace")
    try:
        data = fernet.decrypt(raw)
        created = fernet.extract_timestamp(raw)
    except (InvalidToken, binascii.Error, ValueError, TypeError):
        raise signing.BadSignature("Damaged or forged token") from None
    if max_age is not None and time.time() - created > max_age:
        raise signing.SignatureExpired("Token expired")
    try:
        return json.loads(data)
    except ValueError:
        raise signing.BadSignature("Damaged token") from None
