"""Log a visit: the accountmanager's screen in the street, made for a phone.

The page keeps what is typed in the browser (localStorage) until the server confirms the save,
so a lost connection or an expired login never costs the user their notes (see log-visit.js).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm import services
from crm.forms.visits import LogVisitForm
from crm.models import Organisation, Role
from crm.queries.lookup import find_organisations


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def log_visit(request):
    if not request.user.has_perm("crm.add_interaction"):
        raise PermissionDenied
    form = LogVisitForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                logged = services.log_interaction(
                    staff=request.user,
                    organisations=[data["organisation"]],
                    kind=data["kind"],
                    occurred_at=data["occurred_at"],
                    notes=data["notes"],
                    topics=data["topics"],
                    attendees=data["attendees"],
                    attitude=data["attitude"],
                    signals=[services.SignalDraft(data["signal_kind"], data["signal_note"])]
                    if data["signal_kind"]
                    else [],
                    follow_ups=[
                        services.FollowUpDraft(data["follow_up"], data["follow_up_due"], data["follow_up_by"])
                    ]
                    if data["follow_up"]
                    else [],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("crm_organisation:detail", args=[data["organisation"].pk])
                message = _("Saved: %(kind)s at %(name)s.") % {
                    "kind": logged.interaction.get_kind_display().lower(),
                    "name": data["organisation"].name,
                }
                messages.success(request, message)
                if _wants_json(request):
                    return JsonResponse({"ok": True, "url": url, "message": message})
                return redirect(url)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)

    preselected = None
    organisation_id = request.GET.get("organisation") or form["organisation"].value()
    if organisation_id and str(organisation_id).isdigit():
        preselected = _organisation_card(Organisation.objects.filter(pk=organisation_id))
        preselected = preselected[0] if preselected else None
    return TemplateResponse(
        request,
        "crm/log_visit.html",
        {
            "form": form,
            "preselected": preselected,
            "page_title": _("Log a visit"),
            "lookup_url": reverse("crm_organisation_lookup"),
            "login_url": reverse("wagtailadmin_login") + "?next=" + request.path,
        },
    )


def _organisation_card(queryset) -> list[dict]:
    contacts = Role.objects.select_related("person").filter(person__erased_at__isnull=True)
    rows = queryset.prefetch_related(Prefetch("roles", queryset=contacts))
    return [
        {
            "id": organisation.pk,
            "name": organisation.name,
            "address": organisation.street_address,
            "kvk": organisation.kvk_number,
            "contacts": [
                {"id": role.person_id, "name": role.person.full_name, "title": role.title}
                for role in organisation.roles.all()
            ],
        }
        for organisation in rows
    ]


@require_GET
def organisation_lookup(request):
    """Businesses matching a few typed characters of name, street or KvK (JSON, for the visit form)."""
    if not request.user.has_perm("crm.add_interaction"):
        raise PermissionDenied
    return JsonResponse({"results": _organisation_card(find_organisations(request.GET.get("q", "")))})
