from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import Consent, Person
from crm.queries.timeline import PAGE_SIZE, person_timeline
from crm.views.organisations import extra_actions, optional_url
from crm.visibility import readable_by


class PersonDetailView(WagtailAdminTemplateMixin, TemplateView):
    """A person: how to reach them, where they work, what they agreed to, and every contact."""

    template_name = "crm/person_detail.html"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.view_person"):
            raise PermissionDenied
        self.person = get_object_or_404(
            Person.objects.filter(erased_at__isnull=True).prefetch_related(
                "emails", "phones", "interests", "roles__organisation"
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.person.full_name

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("crm_person:index"), "label": _("People")},
            {"url": "", "label": self.person.full_name},
        ]

    def get_context_data(self, **kwargs):
        person = self.person
        timeline = person_timeline(person, before=parse_datetime(self.request.GET.get("before", "") or ""))
        context = super().get_context_data(**kwargs)
        context.update(
            person=person,
            timeline=timeline,
            older_url=f"?before={timeline[-1].when.isoformat()}" if len(timeline) == PAGE_SIZE else None,
            consents=Consent.objects.filter(person=person).select_related("recorded_by"),
            reads=readable_by(self.request.user),
            can_edit=self.request.user.has_perm("crm.change_person"),
            history_url=optional_url("crm_history", "person", person.pk),
            export_url=optional_url("crm_person_export", person.pk),
            erase_url=optional_url("crm_person_erase", person.pk),
            merge_url=optional_url("crm_merge_choose", "person", person.pk),
            extra_actions=extra_actions("crm_person_actions", self.request, person),
        )
        return context
