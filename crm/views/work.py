"""My work: the accountmanager's start of the day, and a calendar feed of their follow-ups."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm import services
from crm.models import FollowUp
from crm.queries import work
from crm.visibility import readable_by

FEED_SALT = "crm.follow-up-feed"
QUIET_DAYS = (30, 60, 90, 180)
# Follow-ups shown per list (overdue, coming up); the heading counts them all. A page of hundreds
# of overdue items helps nobody and cost a quarter of a second to draw; the calendar feed has them all.
SHOWN = 25


def _password_fingerprint(user) -> str:
    # Changing the password (or making it unusable) turns every old feed address off.
    return salted_hmac(FEED_SALT, user.password).hexdigest()[:16]


def feed_token(user) -> str:
    return signing.dumps({"u": user.pk, "p": _password_fingerprint(user)}, salt=FEED_SALT)


def my_work(request):
    try:
        days = int(request.GET.get("days", 60))
    except ValueError:
        days = 60
    days = days if days in QUIET_DAYS else 60
    today = timezone.localdate()
    open_follow_ups = work.open_follow_ups(request.user)
    return TemplateResponse(
        request,
        "crm/my_work.html",
        {
            "page_title": _("My work"),
            "counts": work.follow_up_counts(request.user, today=today),
            "overdue": list(open_follow_ups.filter(due_on__lt=today)[:SHOWN]),
            "upcoming": list(open_follow_ups.filter(due_on__gte=today)[:SHOWN]),
            "quiet": work.quiet_businesses(request.user, days=days),
            "days": days,
            "quiet_days": QUIET_DAYS,
            "signals": work.recent_signals(request.user),
            "just_done": [
                (done, services.undo_deadline(done))
                for done in work.recently_completed(request.user, minutes=services.FOLLOW_UP_UNDO_MINUTES)
            ],
            "undo_minutes": services.FOLLOW_UP_UNDO_MINUTES,
            "feed_url": request.build_absolute_uri(
                reverse("crm_follow_up_feed", args=[feed_token(request.user)])
            ),
            "today": today,
            "reads": readable_by(request.user),
        },
    )


@require_POST
def complete_follow_up(request, pk: int):
    follow_up = get_object_or_404(FollowUp, pk=pk, assigned_to=request.user)
    try:
        services.complete_follow_up(
            follow_up=follow_up, user=request.user, outcome=request.POST.get("outcome", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Done: %(what)s. You can undo this for %(minutes)s minutes under “Just done”.")
            % {
                "what": readable_by(request.user).task(follow_up),
                "minutes": services.FOLLOW_UP_UNDO_MINUTES,
            },
        )
    return redirect(_next(request))


@require_POST
def reopen_follow_up(request, pk: int):
    follow_up = get_object_or_404(FollowUp, pk=pk, done_by=request.user)
    try:
        services.reopen_follow_up(follow_up=follow_up, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Open again: %(what)s") % {"what": readable_by(request.user).task(follow_up)}
        )
    return redirect(_next(request))


def _next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("crm_my_work")


def follow_up_feed(request, token: str):
    """ICS feed of my open follow-ups; the signed token stands in for a login (calendar apps have none)."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        raise Http404 from None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(data.get("p", ""), _password_fingerprint(user)):
        raise Http404
    from icalendar import Calendar, Event  # only here: see portal.models.articles.EventPage.ics

    calendar = Calendar()
    calendar.add("prodid", "-//Stadshart//Follow-ups//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Stadshart follow-ups"))
    reads = readable_by(user)
    for follow_up in work.open_follow_ups(user)[:500]:
        event = Event()
        event.add("uid", f"follow-up-{follow_up.pk}@stadshart")
        event.add("summary", reads.task(follow_up))
        event.add("dtstart", follow_up.due_on)
        event.add("dtend", follow_up.due_on + dt.timedelta(days=1))
        event.add("dtstamp", follow_up.created_at)
        if follow_up.organisation:
            event.add("description", follow_up.organisation.name)
            event.add(
                "url",
                request.build_absolute_uri(
                    reverse("crm_organisation:detail", args=[follow_up.organisation_id])
                ),
            )
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="stadshart-follow-ups.ics"'
    return response
