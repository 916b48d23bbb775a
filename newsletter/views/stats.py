"""The results of sent newsletters in the admin: an overview, one send's report with a chart, CSV."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newsletter.models import Send
from newsletter.queries.stats import recent_results, send_results
from stadshart import exports

PERMISSION = "newsletter.view_newsletter_results"

# The chart: an inline SVG drawn from numbers computed here (no script, no external library).
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM = 720, 240, 44, 36


class ResultsPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ResultsIndexView(ResultsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/stats/index.html"
    page_title = gettext_lazy("Newsletter results")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        return super().get_context_data(results=recent_results(limit=50), **kwargs)


class SendResultsView(ResultsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/stats/send.html"
    header_icon = "mail"

    def get_page_title(self):
        return _("Results: %(subject)s") % {"subject": self.send.subject}

    def get_breadcrumbs_items(self):
        return []

    def dispatch(self, request, *args, **kwargs):
        self.send = get_object_or_404(Send.objects.select_related("newsletter"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        results = send_results(self.send)
        return super().get_context_data(results=results, chart=chart(results), **kwargs)


def chart(results) -> dict:
    """Bars of human opens and clicks per hour (or day), scaled to the busiest bucket."""
    buckets = results.timeline
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_BOTTOM - 12
    top = max([max(b.opens, b.clicks) for b in buckets] + [1])
    slot = plot_width / max(len(buckets), 1)
    bar = max(slot / 2 - 1, 1)
    label_every = max(1, len(buckets) // 8)
    date_format = "H:i" if results.bucket == "hour" else "d-m"
    bars, labels = [], []
    for index, bucket in enumerate(buckets):
        x = CHART_LEFT + index * slot
        for offset, value, kind in ((0, bucket.opens, "opens"), (bar, bucket.clicks, "clicks")):
            height = plot_height * value / top
            bars.append(
                {
                    "x": round(x + offset, 1),
                    "y": round(12 + plot_height - height, 1),
                    "width": round(bar, 1),
                    "height": round(height, 1),
                    "kind": kind,
                    "value": value,
                    "when": formats.date_format(timezone.localtime(bucket.start), "d-m-Y H:i"),
                }
            )
        if index % label_every == 0:
            labels.append(
                {"x": round(x, 1), "text": formats.date_format(timezone.localtime(bucket.start), date_format)}
            )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "baseline": 12 + plot_height,
        "right": CHART_WIDTH - 8,
        "top_value": top,
        "bars": bars,
        "labels": labels,
        "label_y": 12 + plot_height + 18,
        "empty": not buckets,
    }


def send_results_csv(request, pk: int) -> HttpResponse:
    """The report's numbers and links as a spreadsheet (semicolons: Dutch Excel opens it as is)."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    send = get_object_or_404(Send, pk=pk)
    results = send_results(send)
    table = [[_("Figure"), _("Number"), _("Percentage")]]
    rows = [
        (_("Sent"), results.sent, ""),
        (_("Delivered"), results.delivered, results.delivery_rate),
        (_("Bounced"), results.bounced, results.bounce_rate),
        (_("Unique opens"), results.unique_opens, results.open_rate),
        (_("Unique clicks"), results.unique_clicks, results.click_rate),
        (_("Unsubscribes"), results.unsubscribes, results.unsubscribe_rate),
        (_("Spam complaints"), results.complaints, results.complaint_rate),
        (_("Opens by machines (not counted)"), results.machine_opens, ""),
        (_("Clicks by link scanners (not counted)"), results.machine_clicks, ""),
    ]
    for label, number, rate in rows:
        table.append([label, number, formats.number_format(rate, 1) if rate != "" else ""])
    table += [[], [_("Link"), _("Clicks"), _("Unique clicks")]]
    # A link's URL comes from a click event, which anyone can forge: the writer neutralises it.
    table += [[link.url, link.clicks, link.unique_clicks] for link in results.links]
    table += [[], [_("Time"), _("Opens"), _("Clicks")]]
    table += [[bucket.start, bucket.opens, bucket.clicks] for bucket in results.timeline]
    response = HttpResponse(exports.csv_bytes(table), content_type=exports.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="nieuwsbrief-resultaten-{send.pk}.csv"'
    return response


def page_results(request, page_id: int):
    """The results of a newsletter's newest send, from its menu in the page listing."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    send = Send.objects.filter(newsletter_id=page_id).exclude(started_at=None).order_by("-started_at").first()
    if send is None:
        messages.info(request, _("This newsletter has not been sent yet."))
        return redirect("newsletter_results")
    return redirect("newsletter_results_send", pk=send.pk)
