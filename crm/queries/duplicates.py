"""Likely duplicates ("Mogelijke dubbelen"): pairs of organisations or people that may be one.

Found in Python over one narrow query per kind, so it works the same on SQLite and PostgreSQL:
exact matches are grouped by key (same KvK number, same address, same phone number), and similar
names by the sorted-neighbourhood method: names are normalised (no accents, legal forms and
articles dropped), sorted, and each is compared with its next few neighbours, also sorted from the
end, so a typo at either end is found. Pairs someone marked "not a duplicate" are left out.
A fixed number of queries, whatever the number of records.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from crm.models import NotADuplicate, Organisation, Person, PhoneNumber
from crm.text import normalise

# Words that say nothing about which business it is.
_NOISE = re.compile(r"\b(b\.?v\.?|v\.?o\.?f\.?|n\.?v\.?|de|het|'t|en|van|vof|bv|nv|holding)\b")
_WINDOW = 4
SIMILAR = 0.86
REASONS = {
    "kvk": _("Same KvK number"),
    "address": _("Same address"),
    "name": _("Similar name"),
    "phone": _("Same phone number"),
}
# Strongest evidence first.
_WEIGHT = {"kvk": 3, "phone": 3, "address": 2, "name": 1}


@dataclass
class Candidate:
    first: Model
    second: Model
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]


def name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _NOISE.sub(" ", normalise(name)))


def likely_duplicates(kind: str, *, limit: int = 50) -> list[Candidate]:
    """The likely duplicate pairs of `kind` ("organisation" or "person"), strongest evidence first."""
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    if kind == "organisation":
        rows = list(
            Organisation.objects.values_list(
                "pk", "name", "kvk_number", "branch_number", "street", "house_number", "house_number_addition"
            )
        )
        by_kvk, by_address = defaultdict(list), defaultdict(list)
        branches = {}
        for pk, _name, kvk, branch, street, number, addition in rows:
            branches[pk] = branch
            if kvk:
                by_kvk[kvk].append(pk)
            if street and number:
                by_address[(normalise(street), number.lower(), normalise(addition))].append(pk)
        for ids in by_kvk.values():
            # One KvK number with two different branch numbers is two branches of one company.
            _pair_all(
                pairs,
                ids,
                "kvk",
                lambda a, b: not (branches[a] and branches[b] and branches[a] != branches[b]),
            )
        for ids in by_address.values():
            _pair_all(pairs, ids, "address")
        names = [(pk, name) for pk, name, *_rest in rows]
    else:
        rows = list(
            Person.objects.filter(erased_at__isnull=True).values_list("pk", "first_name", "last_name")
        )
        names = [(pk, f"{first} {last}") for pk, first, last in rows]
        by_phone = defaultdict(list)
        for person_id, number in PhoneNumber.objects.filter(person__erased_at__isnull=True).values_list(
            "person_id", "number"
        ):
            by_phone[number].append(person_id)
        for ids in by_phone.values():
            _pair_all(pairs, sorted(set(ids)), "phone")
    _similar_names(pairs, names)

    dismissed = set(NotADuplicate.objects.filter(kind=kind).values_list("first_id", "second_id"))
    ranked = sorted(
        ((pair, reasons) for pair, reasons in pairs.items() if pair not in dismissed),
        key=lambda item: (-sum(_WEIGHT[reason] for reason in item[1]), item[0]),
    )[:limit]
    model = Organisation if kind == "organisation" else Person
    records = model.objects.in_bulk({pk for pair, _reasons in ranked for pk in pair})
    return [
        Candidate(records[a], records[b], sorted(reasons, key=lambda r: -_WEIGHT[r]))
        for (a, b), reasons in ranked
        if a in records and b in records
    ]


def _pair_all(pairs, ids, reason, accept=lambda a, b: True) -> None:
    ids = sorted(ids)
    if len(ids) > 10:  # a building with many units, a shared switchboard: not evidence
        return
    for index, first in enumerate(ids):
        for second in ids[index + 1 :]:
            if accept(first, second):
                pairs[(first, second)].add(reason)


def _similar_names(pairs, names: list[tuple[int, str]]) -> None:
    keyed = [(name_key(name), pk) for pk, name in names]
    keyed = [(key, pk) for key, pk in keyed if len(key) >= 4]
    for order in (lambda item: item[0], lambda item: item[0][::-1]):
        ordered = sorted(keyed, key=order)
        for index, (key, pk) in enumerate(ordered):
            for other_key, other_pk in ordered[index + 1 : index + 1 + _WINDOW]:
                if pk == other_pk:
                    continue
                if key == other_key or SequenceMatcher(None, key, other_key).ratio() >= SIMILAR:
                    pairs[(min(pk, other_pk), max(pk, other_pk))].add("name")
