"""The public business directory: which CRM organisations the portal lists, and how to find them.

Businesses are listed only when the CRM says they chose to be (Organisation.in_directory, set with
their consent) and are still active in the centre. The portal's directory pages read only these.
"""

import datetime as dt

from django.db.models import QuerySet

from crm.models import Organisation
from crm.queries.search import forgiving


def _listed() -> QuerySet[Organisation]:
    return Organisation.objects.filter(in_directory=True).exclude(lifecycle=Organisation.Lifecycle.LEFT)


def entries(*, sector: str = "", street: str = "", name: str = "") -> QuerySet[Organisation]:
    found = _listed()
    if sector:
        found = found.filter(sector=sector)
    if street:
        found = found.filter(street=street)
    found = found.select_related("logo")
    if name.strip():
        # Only the name: the directory searches nothing it does not show (no KvK, no email).
        return forgiving(found, name, field="name_text", then=("name",))
    return found.order_by("name", "pk")


def entry(pk: int) -> Organisation | None:
    return _listed().select_related("logo").filter(pk=pk).first()


def streets() -> list[str]:
    return list(_listed().exclude(street="").order_by("street").values_list("street", flat=True).distinct())


def sitemap() -> list[tuple[int, str, dt.datetime]]:
    return list(_listed().order_by("name", "pk").values_list("pk", "name", "updated_at"))
