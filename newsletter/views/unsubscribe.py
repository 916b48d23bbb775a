"""Unsubscribing without logging in: the signed token in the address is the key.

Mail-security scanners open every link in a message, so nothing changes on GET: the footer's link
shows a page with a button, and only its POST unsubscribes. Mail programs use the RFC 8058
one-click address, which accepts only POST. Both are exempt from CSRF: a forged request would need
the recipient's signed token, which is the whole authority here.
"""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsletter import services, tokens
from newsletter.models import Delivery


def _read(token: str):
    """(email, delivery or None), or None for a forged or damaged token."""
    try:
        payload = tokens.read_token(tokens.UNSUBSCRIBE, token)
    except signing.BadSignature:
        return None
    delivery = None
    if payload["delivery_id"]:
        delivery = (
            Delivery.objects.select_related("send__newsletter")
            .filter(pk=payload["delivery_id"], email=payload["email"])
            .first()
        )
    return payload["email"], delivery


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = _read(token)
    if found is None:
        return render(request, "newsletter/unsubscribe/invalid.html", status=400)
    email, delivery = found
    context = {
        "email": email,
        "delivery": delivery,
        "kind": delivery.send.newsletter.kind if delivery else None,
    }
    if request.method == "POST":
        services.unsubscribe(email=email, delivery=delivery, source=services.UnsubscribeSource.PAGE)
        return render(request, "newsletter/unsubscribe/done.html", context)
    return render(request, "newsletter/unsubscribe/confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request, token: str):
    """RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click"; a GET only shows the button page."""
    if request.method == "GET":
        return redirect("newsletter:unsubscribe", token=token)
    found = _read(token)
    if found is None:
        return HttpResponse("Invalid unsubscribe link.", status=400, content_type="text/plain")
    email, delivery = found
    services.unsubscribe(email=email, delivery=delivery, source=services.UnsubscribeSource.ONE_CLICK)
    return HttpResponse("Unsubscribed.", content_type="text/plain")
