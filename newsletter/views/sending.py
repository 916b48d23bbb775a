"""The admin's send screen: approval, audience count and sample, send now or later, progress, pause/cancel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newsletter import restore, services
from newsletter.models import NewsletterPage, Send
from newsletter.queries.audience import audience_summary
from newsletter.queries.sending import progress
from newsletter.review import approved_revision

PERMISSION = "newsletter.send_newsletter"
RUNNING = (Send.Status.QUEUED, Send.Status.SENDING)


class SendNewsletterView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/sending/send.html"
    page_title = gettext_lazy("Send newsletter")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        self.page = get_object_or_404(NewsletterPage, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Send: %(title)s") % {"title": self.page.title}

    def get_breadcrumbs_items(self):
        # Empty, as on the results screens: the header then shows this screen's own title.
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = approved_revision(self.page)
        send = self.page.sends.order_by("-created_at").first()
        active = send if send and send.status not in (Send.Status.SENT, Send.Status.CANCELLED) else None
        context.update(
            page=self.page,
            revision=revision,
            send=send,
            active=active,
            running=bool(active and active.status in RUNNING),
            counts=progress(send) if send else None,
            hold=restore.hold_evidence(active) if active and active.held_after_restore else None,
            summary=audience_summary(revision.as_object()) if revision and not active else None,
            at_value=self.request.POST.get("at", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        send = self.page.sends.order_by("-created_at").first()
        if send and action == "cancel" and request.POST.get("confirmed") != "1":
            # Cancelling cannot be undone: first say what it does, with the count, and ask again.
            return self.render_to_response(self.get_context_data(confirm_cancel=True))
        if action in ("now", "schedule"):
            at = None
            if action == "schedule":
                at = parse_datetime(request.POST.get("at", ""))
                if at is not None and timezone.is_naive(at):
                    at = timezone.make_aware(at)
                if at is None or at <= timezone.now():
                    messages.error(request, _("Choose a date and time in the future to schedule the send."))
                    return self.render_to_response(self.get_context_data())
            try:
                send = services.queue_send(self.page, user=request.user, at=at)
            except services.SendRefused as refused:
                messages.error(request, " ".join(refused.messages))
                return self.render_to_response(self.get_context_data())
            messages.success(
                request,
                ngettext(
                    "The newsletter is queued for %(count)s recipient.",
                    "The newsletter is queued for %(count)s recipients.",
                    queued := send.deliveries.count(),
                )
                % {"count": queued},
            )
        elif (
            send
            and send.held_after_restore
            and action
            in (
                restore.Choice.RESUME,
                restore.Choice.RESUME_UNPROVEN,
                restore.Choice.CANCEL,
            )
        ):
            changed = restore.release_hold(send, choice=action)
            if action == restore.Choice.CANCEL:
                messages.success(request, _("The send is cancelled; messages already sent stay sent."))
            elif action == restore.Choice.RESUME_UNPROVEN:
                messages.success(
                    request,
                    ngettext(
                        "Sending continues; %(count)s message the ESP reported on after the backup "
                        "counts as sent.",
                        "Sending continues; %(count)s messages the ESP reported on after the backup "
                        "count as sent.",
                        changed,
                    )
                    % {"count": changed},
                )
            else:
                messages.success(request, _("Sending continues."))
        elif send and send.held_after_restore:
            # A held send needs one of the choices above: plain resume would skip the decision.
            messages.error(request, _("Choose how to continue this send after the restore."))
        elif send and action == "pause" and services.pause_send(send):
            messages.success(request, _("Sending is paused."))
        elif send and action == "resume" and services.resume_send(send):
            messages.success(request, _("Sending continues."))
        elif send and action == "cancel":
            services.cancel_send(send)
            messages.success(request, _("The send is cancelled; messages already sent stay sent."))
        return redirect("newsletter_send", page_id=self.page.pk)


class SendProgressView(View):
    """The figures of the send screen as JSON, for the screen to update them in place.

    Reloading the whole admin page every few seconds cost a sidebar and a layout per read and could
    reload the page under a finger on "Pause"; the figures alone are one query.
    """

    def get(self, request, page_id):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        send = Send.objects.filter(newsletter_id=page_id).order_by("-created_at").first()
        if send is None:
            raise Http404
        return JsonResponse(
            {
                "status": send.status,
                "running": send.status in RUNNING,
                "counts": progress(send),
            }
        )
