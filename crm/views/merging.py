"""Merging duplicates: pick the record to keep (or a likely duplicate pair), compare field by field and
choose, confirm; a merge can be undone for merging.UNDO_DAYS from its own page."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm import merging
from crm.merging import MergeError, merge_organisations, merge_people
from crm.models import MergeRecord, Organisation, Person
from crm.queries.duplicates import likely_duplicates
from crm.queries.search import forgiving

KINDS: dict[str, type[Model]] = {"organisation": Organisation, "person": Person}
SEARCH_LIMIT = 20
# What the comparison counts per kind, as (annotation, label).
COUNTED = {
    "organisation": [
        ("roles", _("contacts (roles)")),
        ("interactions", _("contacts (visits, calls, meetings)")),
        ("signals", _("signals")),
        ("follow_ups", _("follow-ups")),
        ("occupancies", _("occupancies")),
        ("owned_premises", _("owned premises")),
        ("relations_from", _("relations")),
    ],
    "person": [
        ("roles", _("roles")),
        ("interactions", _("contacts (visits, calls, meetings)")),
        ("emails", _("email addresses")),
        ("phones", _("phone numbers")),
        ("consents", _("consents")),
    ],
}
PERSON_EXTRA_ROWS = [
    (_("email addresses"), lambda person: ", ".join(address.email for address in person.emails.all())),
    (_("phone numbers"), lambda person: ", ".join(phone.number for phone in person.phones.all())),
    (
        _("organisations"),
        lambda person: ", ".join(role.organisation.name for role in person.roles.all()),
    ),
]
HIDDEN_FIELDS = {"id", "search_text", "name_text", "erased_at", "created_at", "updated_at"}


def _merge_queryset(kind: str):
    queryset = KINDS[kind].objects.all()
    if kind == "person":
        # An erased person is never merged: it would bring their anonymised history into a live record.
        queryset = queryset.filter(erased_at__isnull=True).prefetch_related("roles__organisation")
    return queryset


def search_records(kind: str, query: str, *, exclude: int | None = None):
    """Records whose name (or other searchable text) contains the query, or whose id it is."""
    query = (query or "").strip()
    if not query:
        return []
    queryset = _merge_queryset(kind)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    found = list(forgiving(queryset, query)[:SEARCH_LIMIT])
    if query.isdigit() and not any(record.pk == int(query) for record in found):
        found = list(queryset.filter(pk=int(query))) + found[: SEARCH_LIMIT - 1]
    return found


class MergePermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.merge_records"):
            raise PermissionDenied
        self.kind = kwargs.get("kind") or request.GET.get("kind") or "organisation"
        if self.kind not in KINDS:
            raise Http404
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the records the view is about (after the permission check, so a 404 leaks nothing)."""

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("crm_merge"), "label": _("Merge")},
            {"url": "", "label": self.get_page_title()},
        ]


class MergeChooseView(MergePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Step 1 (no `keep`): find the record to keep. Step 2 (with `keep`): find its duplicate."""

    template_name = "crm/merge/choose.html"
    header_icon = "resubmit"

    def load(self, **kwargs) -> None:
        self.keep = None
        if kwargs.get("keep") is not None:
            self.keep = get_object_or_404(_merge_queryset(self.kind), pk=kwargs["keep"])

    def get_page_title(self):
        if self.keep is None:
            return gettext("Merge duplicates")
        return gettext("Merge a duplicate into %(name)s") % {"name": self.keep}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        results = search_records(self.kind, query, exclude=self.keep.pk if self.keep else None)
        if self.keep is None:
            links = [(record, reverse("crm_merge_choose", args=[self.kind, record.pk])) for record in results]
        else:
            links = [
                (record, reverse("crm_merge_compare", args=[self.kind, self.keep.pk, record.pk]))
                for record in results
            ]
        context.update(
            kind=self.kind,
            kinds=[("organisation", _("Organisations")), ("person", _("People"))],
            keep=self.keep,
            query=query,
            results=links,
            duplicates_url=reverse("crm_merge_duplicates") + f"?kind={self.kind}",
            recent_merges=[
                (merge, merging.undo_deadline(merge), merging.can_undo(merge))
                for merge in MergeRecord.objects.select_related("merged_by")[:10]
            ]
            if self.keep is None
            else [],
            undo_days=merging.UNDO_DAYS,
        )
        return context


class MergeCompareView(MergePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Step 3: the two records side by side; POST merges the duplicate into the record kept."""

    template_name = "crm/merge/compare.html"
    header_icon = "resubmit"
    http_method_names = ["get", "post"]

    def load(self, **kwargs) -> None:
        counted = [name for name, _label in COUNTED[self.kind]]
        queryset = _merge_queryset(self.kind).annotate(
            **{f"n_{name}": Count(name, distinct=True) for name in counted}
        )
        if self.kind == "person":
            queryset = queryset.prefetch_related("emails", "phones")
        self.keep = get_object_or_404(queryset, pk=kwargs["keep"])
        self.duplicate = get_object_or_404(queryset, pk=kwargs["duplicate"])

    def get_page_title(self):
        return gettext("Compare and merge")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        taken = self.taken_fields()
        # Names first: they are what tells two records apart.
        fields = sorted(
            merging.choosable_fields(KINDS[self.kind]),
            key=lambda f: f.name not in {"name", "first_name", "last_name"},
        )
        for field in fields:
            kept, offered = _value(self.keep, field), _value(self.duplicate, field)
            if kept or offered:
                rows.append(
                    {
                        "name": field.name,
                        "label": field.verbose_name,
                        "keep": kept,
                        "duplicate": offered,
                        "differs": kept != offered,
                        "take": field.name in taken,
                    }
                )
        if self.kind == "person":
            for label, describe in PERSON_EXTRA_ROWS:
                kept, offered = describe(self.keep), describe(self.duplicate)
                if kept or offered:
                    rows.append({"label": label, "keep": kept, "duplicate": offered, "differs": False})
        counts = [
            {
                "label": label,
                "keep": getattr(self.keep, f"n_{name}"),
                "duplicate": getattr(self.duplicate, f"n_{name}"),
            }
            for name, label in COUNTED[self.kind]
        ]
        context.update(
            kind=self.kind,
            keep=self.keep,
            duplicate=self.duplicate,
            rows=rows,
            differences=sum(1 for row in rows if row["differs"]),
            counts=counts,
            numbers=merging.different_numbers(self.keep, self.duplicate),
            undo_days=merging.UNDO_DAYS,
            swap_url=reverse("crm_merge_compare", args=[self.kind, self.duplicate.pk, self.keep.pk]),
            back_url=reverse("crm_merge_choose", args=[self.kind, self.keep.pk]),
        )
        return context

    def taken_fields(self) -> set[str]:
        """The fields whose value comes from the duplicate: the POSTed choice, or by default every
        field the kept record leaves empty."""
        if self.request.method == "POST":
            return {
                name[len("take_") :]
                for name, value in self.request.POST.items()
                if name.startswith("take_") and value == "duplicate"
            }
        return {
            field.name
            for field in merging.choosable_fields(KINDS[self.kind])
            if getattr(self.keep, field.attname) in (None, "")
            and getattr(self.duplicate, field.attname) not in (None, "")
        }

    def post(self, request, *args, **kwargs):
        options = {"take": self.taken_fields()}
        if self.kind == "organisation":
            merge = merge_organisations
            options["numbers_confirmed"] = request.POST.get("numbers_confirmed") == "1"
        else:
            merge = merge_people
        try:
            kept = merge(keep=self.keep, duplicate=self.duplicate, user=request.user, **options)
        except MergeError as error:
            messages.error(request, str(error))
            return redirect("crm_merge_compare", self.kind, self.keep.pk, self.duplicate.pk)
        messages.success(
            request,
            gettext("%(duplicate)s was merged into %(keep)s.")
            % {"duplicate": self.duplicate, "keep": self.keep},
        )
        return redirect("crm_merge_record", kept.merge_record.pk)


class DuplicatesView(MergePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Likely duplicates to review: compare and merge, or mark as "not a duplicate" (remembered)."""

    template_name = "crm/merge/duplicates.html"
    header_icon = "resubmit"
    http_method_names = ["get", "post"]

    def get_page_title(self):
        return gettext("Possible duplicates")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidates = likely_duplicates(self.kind)
        context.update(
            kind=self.kind,
            kinds=[("organisation", _("Organisations")), ("person", _("People"))],
            candidates=[
                (
                    candidate,
                    reverse("crm_merge_compare", args=[self.kind, candidate.first.pk, candidate.second.pk]),
                )
                for candidate in candidates
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            merging.mark_not_duplicate(
                kind=self.kind,
                first_id=int(request.POST.get("first", "")),
                second_id=int(request.POST.get("second", "")),
                user=request.user,
            )
        except (ValueError, MergeError):
            messages.error(request, gettext("Choose two different records."))
        else:
            messages.success(request, gettext("Noted: these two are not offered as duplicates again."))
        return redirect(reverse("crm_merge_duplicates") + f"?kind={self.kind}")


class MergeRecordView(MergePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """One merge: what it did, and "Undo merge" while that is possible (POST undoes)."""

    template_name = "crm/merge/record.html"
    header_icon = "resubmit"
    http_method_names = ["get", "post"]

    def load(self, **kwargs) -> None:
        self.merge = get_object_or_404(
            MergeRecord.objects.select_related("merged_by", "undone_by"), pk=kwargs["pk"]
        )
        self.kind = self.merge.kind

    def get_page_title(self):
        return gettext("Merge of %(duplicate)s into %(keep)s") % {
            "duplicate": self.merge.absorbed_name,
            "keep": self.merge.kept_name,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        detail = "crm_organisation:detail" if self.kind == "organisation" else "crm_person:detail"
        moved = sum(len(row["ids"]) for row in self.merge.moved)
        context.update(
            merge=self.merge,
            moved=moved,
            deadline=merging.undo_deadline(self.merge),
            can_undo=merging.can_undo(self.merge),
            kept_url=reverse(detail, args=[self.merge.kept_id]),
            absorbed_url=reverse(detail, args=[self.merge.absorbed_id]) if self.merge.undone_at else "",
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            kept, restored = merging.undo_merge(merge=self.merge, user=request.user)
        except MergeError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("The merge was undone: %(restored)s and %(kept)s are separate again.")
                % {"restored": restored, "kept": kept},
            )
        return redirect("crm_merge_record", self.merge.pk)


def _value(record: Model, field) -> str:
    value = getattr(record, field.name)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(getattr(record, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "d-m-Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "d-m-Y")
    return str(value)
