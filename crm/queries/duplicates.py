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
_MAX_GROUP = 10
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
    if len(ids) > _MAX_GROUP:  # a building with many units, a shared switchboard: not evidence
        return
    for index, first in enumerate(ids):
        for second in ids[index + 1 :]:
            if accept(first, second):
                pairs[(first, second)].add(reason)


def _similar_names(pairs, names: list[tuple[int, str]]) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for pk, name in names:
        key = name_key(name)
        if len(key) >= 4:
            groups[key].append(pk)
    for ids in groups.values():
        _pair_all(pairs, ids, "name")  # the same name (a name shared by many is no evidence)
    # Each distinct name once, compared with its neighbours in sorted order, from the front and the
    # back, so a typo at either end is found.
    for order in (None, lambda key: key[::-1]):
        ordered = sorted(groups, key=order)
        for index, key in enumerate(ordered):
            for other in ordered[index + 1 : index + 1 + _WINDOW]:
                first, second = groups[key], groups[other]
                if len(first) * len(second) <= _MAX_GROUP and _similar(key, other):
                    for a in first:
                        for b in second:
                            pairs[(min(a, b), max(a, b))].add("name")


def _similar(first: str, second: str) -> bool:
    # The cheap upper bounds first: most neighbours fail them, and ratio() is the slow part.
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SIMILAR
        and matcher.quick_ratio() >= SIMILAR
        and matcher.ratio() >= SIMILAR
    )
