"""The year plan's admin view sets: year plans with their basic tasks, projects (a status change
always lands in the history; a lead edits their own), the board's answers, and the progress
reports, grouped under one menu entry (registered in projects.wagtail_hooks)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from projects import services, views
from projects.forms import AnswerForm, ProjectForm
from projects.models import DecisionRequest, ProgressReport, Project, YearPlan
from projects.permissions import may_change_project


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# --- Year plans and their basic tasks -------------------------------------------------------------


class YearPlanIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(project_count=Count("projects"))


class YearPlanViewSet(ModelViewSet):
    model = YearPlan
    icon = "date"
    menu_label = _("Year plans")
    index_view_class = YearPlanIndexView
    inspect_view_enabled = True
    list_display = ["year", Column("project_count", label=_("Projects"))]
    ordering = ["-year"]
    edit_handler = ObjectList(
        [
            FieldPanel("year"),
            FieldPanel("introduction"),
            InlinePanel("basic_tasks", heading=_("Basic tasks"), label=_("basic task")),
        ]
    )


# --- Projects ------------------------------------------------------------------------------------


class _SavesThroughService:
    def save_instance(self):
        # The form's milestones, decisions and organisations travel with the project (a cluster);
        # the service saves them in the same transaction as the status history.
        project = self.form.save(commit=False)
        return services.save_project(
            project=project,
            user=self.request.user,
            note=self.form.cleaned_data.get("status_note", ""),
        )


class ProjectIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("year_plan", "theme", "lead")

    def get_edit_url(self, instance):
        if self.edit_url_name and may_change_project(self.request.user, instance):
            return reverse(self.edit_url_name, args=(instance.pk,))

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # On a phone the other columns would squeeze the project's name to a syllable per line.
        return super()._get_title_column(field_name, column_class, classname="year-plan-name", **kwargs)


class ProjectCreateView(_SavesThroughService, generic.CreateView):
    pass


class ProjectEditView(_SavesThroughService, generic.EditView):
    def get_object(self, queryset=None):
        project = super().get_object(queryset)
        if not may_change_project(self.request.user, project):
            raise PermissionDenied
        return project


class ProjectInspectView(generic.InspectView):
    """The project with the history of its traffic light, milestones and decisions (what the board reads)."""

    def get_edit_url(self):
        if self.edit_url_name and may_change_project(self.request.user, self.object):
            return reverse(self.edit_url_name, args=(self.object.pk,))

    def get_field_label(self, field_name, field):
        labels = {
            "status_history": _("History of the status"),
            "milestone_list": _("Milestones"),
            "decision_list": _("Requested decisions"),
            "budget": _("Budget"),
        }
        if field_name in labels:
            return labels[field_name]
        return super().get_field_label(field_name, field)

    def get_status_history_display_value(self):
        changes = self.object.status_changes.select_related("changed_by")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}: {} → {}{}{}</li>",
                (
                    (
                        date_format(timezone.localtime(change.changed_at), "SHORT_DATE_FORMAT"),
                        change.get_from_status_display() or "–",
                        change.get_to_status_display(),
                        f" ({change.changed_by.get_full_name()})" if change.changed_by else "",
                        f": {change.note}" if change.note else "",
                    )
                    for change in changes
                ),
            ),
        )

    def get_budget_display_value(self):
        return _("€ %(spent)s spent of € %(planned)s planned") % {
            "spent": _euro(self.object.budget_spent),
            "planned": _euro(self.object.budget_planned),
        }

    def get_is_public_display_value(self):
        return _("Yes") if self.object.is_public else _("No")

    def get_organisations_display_value(self):
        return ", ".join(organisation.name for organisation in self.object.organisations.all()) or "–"

    def get_milestone_list_display_value(self):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {}: {}</li>",
                (
                    ("✓" if m.is_done else "○", date_format(m.due_date, "SHORT_DATE_FORMAT"), m.title)
                    for m in self.object.milestones.all()
                ),
            ),
        )

    def get_decision_list_display_value(self):
        can_answer = self.request.user.has_perm("projects.answer_decisionrequest")
        items = []
        for decision in self.object.decisions.select_related("answered_by"):
            if decision.answer:
                state = format_html(
                    "<strong>{}</strong> ({}, {}){}",
                    decision.get_answer_display(),
                    date_format(decision.answered_on, "SHORT_DATE_FORMAT") if decision.answered_on else "",
                    _person(decision.answered_by),
                    f": {decision.answer_text}" if decision.answer_text else "",
                )
            else:
                state = format_html("<strong>{}</strong>", _("Awaiting the board's answer"))
            link = (
                format_html(
                    ' <a class="button button-small button-secondary" href="{}">{}</a>',
                    reverse("project_decisions:edit", args=[decision.pk]),
                    _("Record the answer"),
                )
                if can_answer
                else ""
            )
            items.append(
                (
                    decision.question,
                    date_format(decision.meeting_date, "SHORT_DATE_FORMAT"),
                    decision.meeting_name,
                    state,
                    link,
                )
            )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} ({} {}): {}{}</li>", items))


def _euro(amount) -> str:
    from django.template.defaultfilters import floatformat

    return floatformat(amount, "2g")


class ProjectViewSet(ModelViewSet):
    model = Project
    icon = "list-ul"
    menu_label = _("Projects")
    index_view_class = ProjectIndexView
    add_view_class = ProjectCreateView
    edit_view_class = ProjectEditView
    inspect_view_enabled = True
    inspect_view_class = ProjectInspectView
    inspect_view_fields = [
        "name",
        "year_plan",
        "theme",
        "lead",
        "goal",
        "summary",
        "status",
        "progress",
        "went_well",
        "risks",
        "budget",
        "start_date",
        "end_date",
        "organisations",
        "milestone_list",
        "decision_list",
        "is_public",
        "status_history",
    ]
    # Few columns, so the list still reads on a lead's phone.
    list_display = [
        "name",
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("lead", label=_("Project lead"), accessor=lambda project: _person(project.lead)),
        "year_plan",
        BooleanColumn("is_public", label=_("On the portal")),
    ]
    list_filter = ["year_plan", "status", "lead", "theme", "is_public"]
    search_fields = ["name", "summary"]
    ordering = ["-year_plan__year", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("year_plan"), FieldPanel("theme"), FieldPanel("lead")]),
            FieldPanel("goal"),
            FieldPanel("summary"),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("status_note"), FieldPanel("progress")],
                heading=_("Status"),
            ),
            FieldPanel("went_well"),
            FieldPanel("risks"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("budget_planned"), FieldPanel("budget_spent")]),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                ],
                heading=_("Budget and time"),
            ),
            InlinePanel("milestones", heading=_("Milestones"), label=_("milestone")),
            InlinePanel(
                "decisions",
                heading=_("Requested decisions"),
                label=_("requested decision"),
                panels=[
                    FieldPanel("question"),
                    FieldRowPanel([FieldPanel("meeting_date"), FieldPanel("meeting_name")]),
                ],
            ),
            FieldPanel("organisations"),
            FieldPanel("is_public"),
        ],
        base_form_class=ProjectForm,
    )


# --- The board's answers ------------------------------------------------------------------------


class DecisionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("project", "project__year_plan", "answered_by")


class AnswerView(generic.EditView):
    """The board records its answer to one requested decision; nothing else can be changed here."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.answer_decision(
            decision=self.object,
            answer=data["answer"],
            text=data.get("answer_text", ""),
            answered_on=data.get("answered_on"),
            user=self.request.user,
        )

    def form_valid(self, form):
        from django.core.exceptions import ValidationError

        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class DecisionViewSet(ModelViewSet):
    model = DecisionRequest
    icon = "tick-inverse"
    menu_label = _("Requested decisions")
    index_view_class = DecisionIndexView
    edit_view_class = AnswerView
    edit_handler = ObjectList(
        [FieldPanel("answer"), FieldPanel("answer_text"), FieldPanel("answered_on")],
        base_form_class=AnswerForm,
    )
    list_display = [
        "question",
        Column("project", label=_("Project")),
        DateColumn("meeting_date", label=_("Board meeting")),
        Column("answer", label=_("Answer"), accessor="get_answer_display"),
        DateColumn("answered_on", label=_("Answered on")),
    ]
    list_filter = ["answer", "meeting_date"]
    ordering = ["-meeting_date"]


# --- Progress reports ---------------------------------------------------------------------------


class ReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().defer("html", "pdf", "data").select_related("sent_by")


class ReportInspectView(generic.InspectView):
    template_name = "projects/report_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sent_by"] = _person(self.object.sent_by) or "–"
        return context


class ProgressReportViewSet(ModelViewSet):
    model = ProgressReport
    icon = "doc-full"
    menu_label = _("Progress reports")
    index_view_class = ReportIndexView
    inspect_view_enabled = True
    inspect_view_class = ReportInspectView
    form_fields = ["title"]
    list_display = [
        "title",
        DateColumn("period_start", label=_("Start of the period")),
        DateColumn("period_end", label=_("End of the period")),
        DateColumn("sent_at", label=_("Sent")),
        Column("sent_by", label=_("Sent by"), accessor="sent_by"),
    ]
    ordering = ["-sent_at"]

    @property
    def add_view(self):
        return views.ComposeReportView.as_view()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pdf/", views.sent_report_pdf, name="pdf"),
            path("<int:pk>/xlsx/", views.sent_report_xlsx, name="xlsx"),
        ]


class YearPlanGroup(ViewSetGroup):
    menu_label = _("Year plan")
    menu_icon = "list-ul"
    menu_order = 250
    items = (
        YearPlanViewSet("year_plans"),
        ProjectViewSet("projects"),
        DecisionViewSet("project_decisions"),
        ProgressReportViewSet("progress_reports"),
    )
