"""Deleting a CRM record says first what goes with it (counted), and that it cannot be undone."""

from collections import Counter

from django.db import router
from django.db.models.deletion import Collector
from django.utils.translation import gettext
from wagtail.admin.views import generic


def consequences(instance) -> list[tuple[str, int]]:
    """What deleting `instance` deletes with it or unlinks, per kind, with counts (Django's own
    deletion collector, so it is what the delete will do, for every app's relations)."""
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    collector.collect([instance])
    counts: Counter = Counter()
    deleted = type(instance)
    for model, rows in collector.data.items():
        if model is not deleted:
            counts[_label(model, deleted)] += len(rows)
    for queryset in collector.fast_deletes:
        counts[_label(queryset.model, deleted)] += queryset.count()
    for (field, _value), rows in collector.field_updates.items():
        counts[_label(field.model, deleted, unlinked=True)] += len(rows)
    return sorted(((label, count) for label, count in counts.items() if count), key=lambda item: -item[1])


def _label(model, deleted, *, unlinked: bool = False) -> str:
    if model._meta.auto_created:  # the table of a many-to-many field: name what it links to
        others = [f.related_model for f in model._meta.get_fields() if f.many_to_one]
        model = next((other for other in others if other is not deleted), deleted)
        unlinked = True
    label = str(model._meta.verbose_name_plural)
    return gettext("%(what)s (only the link)") % {"what": label} if unlinked else label


class DeleteView(generic.DeleteView):
    """Wagtail's delete confirmation, with what the delete takes along."""

    template_name = "crm/confirm_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consequences"] = consequences(self.object)
        return context
