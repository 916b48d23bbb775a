"""The funding screens in the admin: participation, the levy-list import and the BIZ ballots. Thin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.importing import ImportFileError, read_bytes
from funding import levy, queries, services
from funding.forms import VOTE_CHOICES, BallotForm, LevyUploadForm, TotalsForm, parse_votes
from funding.models import Ballot, LevyImport
from funding.tasks import check_levy_list, run_levy_import
from funding.verdict import BallotError, verdict


class FundingScreen(WagtailAdminTemplateMixin, TemplateView):
    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        # Permission first: someone without it learns nothing, not even whether an object exists.
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the object a screen is about (after the permission check)."""

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            *self.extra_breadcrumbs(),
            {"url": "", "label": self.get_page_title()},
        ]

    def extra_breadcrumbs(self):
        return []


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 1990 <= year <= this_year + 5 else this_year


class ParticipationView(FundingScreen):
    """Who takes part in the fund, per street and sector, and who stopped: for the accountmanagers."""

    permission_required = "funding.view_participation"
    template_name = "funding/participation.html"
    page_title = gettext_lazy("Participation in the fund")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        streets = queries.participation_by_street(year=year)
        sectors = queries.participation_by_sector(year=year)
        this_year = timezone.localdate().year
        return super().get_context_data(
            year=year,
            years=list(range(this_year, this_year - 6, -1)),
            streets=streets,
            sectors=sectors,
            total=queries.participation_total(streets),
            stopped=queries.stopped_contributing(year=year),
            **kwargs,
        )


# ---------------------------------------------------------------------------------------------
# The levy list


class LevyUploadView(FundingScreen):
    permission_required = "funding.import_levy_list"
    template_name = "funding/levy_upload.html"
    page_title = gettext_lazy("Import the levy list")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", LevyUploadForm())
        return super().get_context_data(recent=LevyImport.objects.select_related("created_by")[:10], **kwargs)

    def post(self, request):
        form = LevyUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        year, kind = form.cleaned_data["year"], form.cleaned_data["kind"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            data = read_bytes(upload)
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        levy_import = levy.start_import(
            data=data, filename=upload.name, year=year, kind=kind, user=request.user, dry_run=dry_run
        )
        # The worker reads the file (a dry run checks it, an import imports it); the report page
        # waits for it. A file it cannot read is refused there with the reason.
        task = check_levy_list if dry_run else run_levy_import
        transaction.on_commit(lambda: task.delay(levy_import.pk))
        return redirect("funding_levy:report", pk=levy_import.pk)


class LevyReportView(FundingScreen):
    permission_required = "funding.import_levy_list"
    template_name = "funding/levy_report.html"
    header_icon = "upload"

    def load(self, **kwargs):
        self.levy_import = get_object_or_404(LevyImport.objects.select_related("created_by"), pk=kwargs["pk"])

    def get_page_title(self):
        return self.levy_import.filename

    def extra_breadcrumbs(self):
        return [{"url": reverse("funding_levy:upload"), "label": _("Import the levy list")}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(levy_import=self.levy_import, **kwargs)

    def post(self, request, pk):
        if request.POST.get("action") == "import":
            # The checked file is imported as it was stored: no second upload.
            if levy.import_checked(levy_import=self.levy_import, user=request.user):
                transaction.on_commit(lambda: run_levy_import.delay(self.levy_import.pk))
            return redirect("funding_levy:report", pk=pk)
        try:
            count = levy.undo_levy_import(levy_import=self.levy_import, user=request.user)
        except levy.LevyUndoError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The import has been undone: %(count)s ledger line was deleted.",
                    "The import has been undone: %(count)s ledger lines were deleted.",
                    count,
                )
                % {"count": count},
            )
        return redirect("funding_levy:report", pk=pk)


# ---------------------------------------------------------------------------------------------
# BIZ ballots


class BallotListView(FundingScreen):
    permission_required = "funding.view_ballot"
    template_name = "funding/ballot_list.html"
    page_title = gettext_lazy("BIZ ballots")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        return super().get_context_data(ballots=Ballot.objects.all(), **kwargs)


class BallotCreateView(FundingScreen):
    permission_required = "funding.add_ballot"
    template_name = "funding/ballot_form.html"
    page_title = gettext_lazy("Register a BIZ ballot")
    header_icon = "doc-full"

    def extra_breadcrumbs(self):
        return [{"url": reverse("funding_ballot:list"), "label": _("BIZ ballots")}]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", BallotForm(initial={"period_start": timezone.localdate().year + 1}))
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = BallotForm(request.POST)
        if form.is_valid():
            try:
                ballot = services.register_ballot(ballot=form.save(commit=False), user=request.user)
            except BallotError as error:
                # What was typed stays in the form; the reasons are shown above it.
                return self.render_to_response(self.get_context_data(form=form, errors=error.reasons))
            messages.success(request, _("The ballot has been registered."))
            return redirect("funding_ballot:detail", pk=ballot.pk)
        return self.render_to_response(self.get_context_data(form=form))


class BallotDetailView(FundingScreen):
    """The verdict with each condition's figures; before the vote, the forecast and whom to visit."""

    permission_required = "funding.view_ballot"
    template_name = "funding/ballot_detail.html"
    header_icon = "doc-full"

    def load(self, **kwargs):
        self.ballot = get_object_or_404(Ballot, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Ballot %(ballot)s") % {"ballot": self.ballot}

    def extra_breadcrumbs(self):
        return [{"url": reverse("funding_ballot:list"), "label": _("BIZ ballots")}]

    def get_context_data(self, **kwargs):
        ballot = self.ballot
        context = {"ballot": ballot, "vote_choices": VOTE_CHOICES, "errors": [], **kwargs}
        can_write = self.request.user.has_perm("funding.change_ballotparty")
        context["can_write"] = can_write
        if ballot.mode == Ballot.Mode.TOTALS:
            try:
                context["result"] = verdict(services.tally_of_totals(ballot))
            except BallotError as error:
                context["errors"] += error.reasons
            return super().get_context_data(**context)
        parties = queries.ballot_parties(ballot)
        context["parties"] = parties
        context["voted"] = any(party.vote for party in parties)
        if context["voted"]:
            try:
                context["result"] = verdict(queries.tally_of_parties(parties))
            except BallotError as error:
                context["errors"] += error.reasons
        else:
            try:
                forecast = queries.forecast(parties)
                context["forecast"] = forecast
                context["forecast_result"] = verdict(forecast.tally)
            except BallotError as error:
                context["errors"] += error.reasons
            context["undecided"] = context["forecast"].undecided[:25] if "forecast" in context else []
        return super().get_context_data(**context)

    def post(self, request, pk):
        if not request.user.has_perm("funding.change_ballotparty") or self.ballot.mode != Ballot.Mode.PARTIES:
            raise PermissionDenied
        party_ids = list(self.ballot.parties.values_list("pk", flat=True))
        changes, errors = parse_votes(request.POST, party_ids)
        if errors:
            return self.render_to_response(self.get_context_data(form_errors=errors))
        try:
            count = services.record_votes(ballot=self.ballot, changes=changes, user=request.user)
        except BallotError as error:
            return self.render_to_response(self.get_context_data(form_errors=error.reasons))
        changed = ngettext("%(count)s party changed.", "%(count)s parties changed.", count)
        messages.success(request, changed % {"count": count})
        return redirect("funding_ballot:detail", pk=pk)


class BallotTotalsView(FundingScreen):
    permission_required = "funding.change_ballot"
    template_name = "funding/ballot_form.html"
    header_icon = "doc-full"

    def load(self, **kwargs):
        self.ballot = get_object_or_404(Ballot, pk=kwargs["pk"], mode=Ballot.Mode.TOTALS)

    def get_page_title(self):
        return _("Totals of %(ballot)s") % {"ballot": self.ballot}

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("funding_ballot:list"), "label": _("BIZ ballots")},
            {"url": reverse("funding_ballot:detail", args=[self.ballot.pk]), "label": str(self.ballot)},
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", TotalsForm(instance=self.ballot))
        return super().get_context_data(**kwargs)

    def post(self, request, pk):
        form = TotalsForm(request.POST, instance=self.ballot)
        if form.is_valid():
            try:
                services.update_totals(ballot=form.save(commit=False), user=request.user)
            except BallotError as error:
                return self.render_to_response(self.get_context_data(form=form, errors=error.reasons))
            messages.success(request, _("The totals have been saved."))
            return redirect("funding_ballot:detail", pk=pk)
        return self.render_to_response(self.get_context_data(form=form))
