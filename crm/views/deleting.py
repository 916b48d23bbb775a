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
            counts[_kind(model, deleted)] += len(rows)
    for queryset in collector.fast_deletes:
        counts[_kind(queryset.model, deleted)] += queryset.count()
    for (field, _value), rows in collector.field_updates.items():
        model, _unlinked = _kind(field.model, deleted)
        counts[(model, True)] += len(rows)
    return sorted(
        ((_label(model, unlinked, count), count) for (model, unlinked), count in counts.items() if count),
        key=lambda item: -item[1],
    )


def _kind(model, deleted) -> tuple:
    if model._meta.auto_created:  # the table of a many-to-many field: name what it links to
        others = [f.related_model for f in model._meta.get_fields() if f.many_to_one]
        return next((other for other in others if other is not deleted), deleted), True
    return model, False


def _label(model, unlinked: bool, count: int) -> str:
    label = str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)
    return gettext("%(what)s (only the link)") % {"what": label} if unlinked else label


class DeleteView(generic.DeleteView):
    """Wagtail's delete confirmation, with what the delete takes along."""

    template_name = "crm/confirm_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consequences"] = consequences(self.object)
        return context
