"""The "Geschiedenis" (history) of one CRM record: who changed what when, from the audit trail
(read and made readable by crm.queries.history)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import Person
from crm.queries.history import describe_entries, history_models, record_entries
from crm.views.organisations import optional_url
from crm.visibility import readable_by

PAGE_SIZE = 25


class HistoryView(WagtailAdminTemplateMixin, TemplateView):
    """Newest first, paginated; a person's history also shows their emails, phones, roles and consents."""

    template_name = "crm/history/history.html"
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        self.model = history_models().get(kwargs["model_name"])
        if self.model is None:
            raise Http404
        if not request.user.has_perm(f"crm.view_{self.model._meta.model_name}"):
            raise PermissionDenied
        self.object = self.model._base_manager.filter(pk=kwargs["pk"]).first()
        self.entries = record_entries(self.model, kwargs["pk"], self.object)
        if self.object is None and not self.entries.exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def record_name(self) -> str:
        if self.object is not None:
            return str(self.object)
        latest = self.entries.first()
        return latest.object_repr if latest else ""

    def get_page_title(self):
        return gettext("History: %(name)s") % {"name": self.record_name()}

    def get_breadcrumbs_items(self):
        name = self.model._meta.model_name
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {
                "url": optional_url(f"crm_{name}:index") or "",
                "label": self.model._meta.verbose_name_plural.capitalize(),
            },
            {
                "url": (optional_url(f"crm_{name}:detail", self.kwargs["pk"]) or "") if self.object else "",
                "label": self.record_name(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def person_actions(self) -> list[tuple[str, str, str]]:
        """The AVG actions on a person's history, as (label, url, button class), for who may use them."""
        if self.model is not Person or self.object is None:
            return []
        user, pk = self.request.user, self.object.pk
        actions = []
        if user.has_perm("crm.export_person_data"):
            actions.append((gettext("Export personal data"), reverse("crm_person_export", args=[pk]), ""))
        if user.has_perm("crm.erase_person") and self.object.erased_at is None:
            actions.append(
                (gettext("Erase personal data"), reverse("crm_person_erase", args=[pk]), "serious")
            )
        return actions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.entries, PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            page=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            rows=describe_entries(list(page.object_list), reads=readable_by(self.request.user)),
            model_verbose_name=self.model._meta.verbose_name,
            object_exists=self.object is not None,
            actions=self.person_actions(),
        )
        return context
