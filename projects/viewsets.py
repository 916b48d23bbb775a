"""The year plan's admin view set: its own menu entry, a status change always lands in the history
(registered in projects.wagtail_hooks)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from projects import services
from projects.forms import ProjectForm
from projects.models import Project


class _SavesThroughService:
    def save_instance(self):
        return services.save_project(
            project=self.form.instance,
            user=self.request.user,
            note=self.form.cleaned_data.get("status_note", ""),
        )


class ProjectCreateView(_SavesThroughService, generic.CreateView):
    pass


class ProjectEditView(_SavesThroughService, generic.EditView):
    pass


class ProjectInspectView(generic.InspectView):
    """The project with the history of its traffic light, newest first (what the board reads)."""

    def get_field_label(self, field_name, field):
        if field_name == "status_history":
            return _("History of the status")
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


class ProjectViewSet(ModelViewSet):
    model = Project
    icon = "list-ul"
    menu_label = _("Year plan")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = ProjectCreateView
    edit_view_class = ProjectEditView
    inspect_view_enabled = True
    inspect_view_class = ProjectInspectView
    inspect_view_fields = [
        "name",
        "year",
        "theme",
        "lead",
        "summary",
        "status",
        "is_public",
        "status_history",
    ]
    list_display = [
        "name",
        "year",
        "theme",
        "lead",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "is_public",
        DateColumn("updated_at", label=_("Updated")),
    ]
    list_filter = ["year", "status", "theme", "is_public"]
    search_fields = ["name", "summary"]
    ordering = ["-year", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("year"), FieldPanel("theme"), FieldPanel("lead")]),
            FieldPanel("summary"),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("status_note")],
                heading=_("Status"),
            ),
            FieldPanel("is_public"),
        ],
        base_form_class=ProjectForm,
    )


project_viewset = ProjectViewSet("projects")
