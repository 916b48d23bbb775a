"""One search box over organisations, people and premises.

Every record keeps a normalised `search_text` (lower case, no accents; see crm.text). A query is
normalised the same way and split into words; a record matches when every word is in its text.

- PostgreSQL: a word matches as a substring (`LIKE '%word%'`) or, to forgive typos, by trigram
  strict word similarity (`word <<% search_text`). Both use the pg_trgm GIN index of migration 0004, so a
  search stays fast on large tables. Results are ranked by similarity of the whole query,
  with boosts for a name that starts with the query, a KvK number or a postcode typed as a prefix.
- SQLite (the embedded default) has no trigrams: words match as substrings, and words of five
  letters or more also match with one letter wrong, missing or extra (LIKE patterns with `_`)
  or with two neighbouring letters swapped.

Whatever the data size, a search runs one SQL query per kind of record (at most three), and on
PostgreSQL one more that sets the planner up for this transaction (see _tune_planner).
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Replace, Upper
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from crm.models import Organisation, Person, Premises, Role
from crm.text import normalise

KINDS = ("organisation", "person", "premises")
KIND_LABELS = {
    "organisation": _("Organisations"),
    "person": _("People"),
    "premises": _("Premises"),
}
# Words beyond this many add little to a search box query and only slow it down.
MAX_WORDS = 6
# The shortest word worth a trigram comparison; shorter ones only match as substrings.
MIN_TRIGRAM_WORD = 3
# How close a word must be to a whole word of the text (pg_trgm's strict_word_similarity, 0-1).
WORD_SIMILARITY = 0.4
# SQLite's typo tolerance starts at this word length: shorter words would match too much.
MIN_TYPO_WORD = 5

FUZZY_WORD = re.compile(r"[a-z'-]+")
POSTCODE = re.compile(r"^(\d{4})\s?([a-z]{0,2})$")


@dataclass(frozen=True)
class SearchResult:
    kind: str  # one of KINDS
    pk: int
    title: str
    detail: str
    url: str
    score: float


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    label: str
    results: list[SearchResult]


def admin_url(obj) -> str:
    """The admin page of a CRM record: its detail page, else its edit page, else "#" (no screen yet)."""
    for view in ("detail", "edit"):
        try:
            return reverse(f"crm_{obj._meta.model_name}:{view}", args=[obj.pk])
        except NoReverseMatch:
            continue
    return "#"


def search(query: str, *, limit: int = 20, kinds=KINDS) -> list[SearchResult]:
    """Records matching `query`: up to `limit` per kind, best first, organisations, people, premises.

    One SQL query per kind in `kinds` (the caller leaves out kinds the user may not see).
    """
    words = _words(query)
    if not words:
        return []
    postgres = connection.vendor == "postgresql"
    searches = {
        "organisation": _organisations,
        "person": _people,
        "premises": _premises,
    }
    results = []
    # SET LOCAL needs a transaction of its own; SQLite has nothing to set.
    nested = connection.in_atomic_block
    with transaction.atomic() if postgres else nullcontext():
        as_typed = frozenset()
        if postgres:
            _tune_planner()
            as_typed = _found_as_typed(words)
        for kind in KINDS:
            if kind not in kinds:
                continue
            queryset = searches[kind](words, postgres=postgres, as_typed=as_typed)[:limit]
            results.extend(_result(kind, obj) for obj in queryset)
        if postgres and nested:
            # Inside a caller's transaction SET LOCAL would outlive this search: undo it.
            _tune_planner(reset=True)
    return results


def _tune_planner(*, reset: bool = False) -> None:
    """Settings for this transaction only (SET LOCAL), sent as one statement.

    - The planner prices a trigram comparison like an equality test, so on tables of a few
      thousand rows it picks a sequential scan that compares every row (about 140 ms for
      9,000 organisations) over the trigram index (about 10 ms). Here it must use the index.
    - A strict word similarity of 0.4 instead of pg_trgm's default 0.5 lets one wrong letter
      in a short word ('fatma' for 'fatima', 0.44) still match, while 'markstraat' no longer
      matches 'poststraat' (0.29); the ranking keeps the close ones first.
    """
    seqscan, threshold = ("DEFAULT", "DEFAULT") if reset else ("off", WORD_SIMILARITY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SET LOCAL enable_seqscan = {seqscan}; "
            f"SET LOCAL pg_trgm.strict_word_similarity_threshold = {threshold}"
        )


def _found_as_typed(words: list[str]) -> frozenset[str]:
    """The words that occur exactly in some record: for those the typo search is skipped.

    One statement for all words. A typo comparison against a word that many records share
    ('marktstraat') rechecks every one of them; when the word exists as typed, the user did
    not make a typo, and the exact match is both right and fast.
    """
    fuzzy = [word for word in words if FUZZY_WORD.fullmatch(word) and len(word) >= MIN_TRIGRAM_WORD]
    if not fuzzy:
        return frozenset()
    tables = ["crm_organisation", "crm_person", "crm_premises"]
    # Only constant table names are formatted in; the words travel as parameters.
    any_table = " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE search_text LIKE %s)" for table in tables)  # noqa: S608
    checks = " UNION ALL ".join([f"SELECT %s WHERE {any_table}"] * len(fuzzy))  # noqa: S608
    params = []
    for word in fuzzy:
        pattern = "%" + word + "%"  # FUZZY_WORD has no LIKE wildcards: nothing to escape
        params += [word, *([pattern] * len(tables))]
    with connection.cursor() as cursor:
        cursor.execute(checks, params)
        return frozenset(row[0] for row in cursor.fetchall())


def group_by_kind(results: list[SearchResult]) -> list[SearchGroup]:
    """The results as groups per kind, in the order of KINDS, leaving out empty groups."""
    groups = []
    for kind in KINDS:
        hits = [result for result in results if result.kind == kind]
        if hits:
            groups.append(SearchGroup(kind=kind, label=str(KIND_LABELS[kind]), results=hits))
    return groups


def _words(query: str) -> list[str]:
    words = []
    for word in normalise(query).split(" "):
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _matching(
    queryset: QuerySet, words: list[str], *, postgres: bool, as_typed: frozenset[str] = frozenset()
) -> QuerySet:
    """Keep the records whose search_text has every word (or, forgiving a typo, something close)."""
    for word in words:
        # search_text is already lower case, so a case-sensitive LIKE is right, and unlike
        # Django's icontains (UPPER(...) LIKE UPPER(...)) it can use the trigram index.
        condition = Q(search_text__contains=word)
        if not FUZZY_WORD.fullmatch(word):
            # Numbers (postcodes, KvK, house numbers) and email addresses must be typed as they are:
            # their trigrams ("481", "11 ") occur in almost every record and would match them all.
            queryset = queryset.filter(condition)
            continue
        if postgres and len(word) >= MIN_TRIGRAM_WORD and word not in as_typed:
            from django.contrib.postgres.lookups import TrigramStrictWordSimilar

            # `search_text %>> word`, i.e. `word <<% search_text`: the word is close to a whole word
            # of the text (plain word similarity also matches parts: 'markstraat' ~ 'poststraat').
            condition |= Q(TrigramStrictWordSimilar(F("search_text"), Value(word)))
        elif not postgres and len(word) >= MIN_TYPO_WORD:
            for pattern in _typo_patterns(word):
                condition |= Q(_Like(F("search_text"), Value(pattern)))
        queryset = queryset.filter(condition)
    return queryset


def _typo_patterns(word: str) -> list[str]:
    """LIKE patterns matching `word` with one letter wrong, missing or extra, or two neighbours swapped."""
    letters = list(word)  # only plain words get here (FUZZY_WORD): nothing to escape
    patterns = set()
    for index in range(len(word)):
        patterns.add("".join(letters[:index] + ["_"] + letters[index + 1 :]))  # one letter wrong
        patterns.add("".join(letters[:index] + letters[index + 1 :]))  # one letter extra in the query
    for index in range(1, len(word)):
        patterns.add("".join(letters[:index] + ["_"] + letters[index:]))  # one letter missing
    for index in range(len(word) - 1):
        swapped = [*letters[:index], letters[index + 1], letters[index], *letters[index + 2 :]]
        patterns.add("".join(swapped))
    return sorted(f"%{pattern}%" for pattern in patterns)


class _Like(Lookup):
    """`lhs LIKE rhs` with the pattern as given (Django's lookups would escape its wildcards)."""

    lookup_name = "crm_search_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def _ranked(
    queryset: QuerySet, words: list[str], *, postgres: bool, boosts: list[Q], then: list[str]
) -> QuerySet:
    """Best first: closeness of the whole query, plus one point for each boost that holds."""
    phrase = " ".join(words)
    if postgres:
        from django.contrib.postgres.search import TrigramStrictWordSimilarity

        # Below 1 for a record found through a typo only. Rows holding every word as typed skip
        # the comparison (CASE stops at the first match), which keeps broad searches cheap.
        fuzzy = TrigramStrictWordSimilarity(Value(phrase), "search_text")
    else:
        fuzzy = Value(0.5)
    every_word = Q()
    for word in words:
        every_word &= Q(search_text__contains=word)
    closeness = Case(
        When(search_text__contains=phrase, then=Value(1.5)),
        When(every_word, then=Value(1.0)),
        default=fuzzy,
        output_field=FloatField(),
    )
    score = closeness
    for boost in [Q(search_text__startswith=phrase), *boosts]:
        score = score + Case(When(boost, then=Value(1.0)), default=Value(0.0))
    return queryset.annotate(score=ExpressionWrapper(score, output_field=FloatField())).order_by(
        "-score", "pk"
    )


def _organisations(words: list[str], *, postgres: bool, as_typed: frozenset[str] = frozenset()) -> QuerySet:
    boosts = []
    joined = "".join(words)
    if joined.isdigit():
        # A KvK or branch number typed from the start: that organisation first.
        boosts.append(Q(kvk_number__startswith=joined) | Q(branch_number__startswith=joined))
    if match := POSTCODE.match(" ".join(words)):
        compact = (match.group(1) + match.group(2)).upper()
        boosts.append(Q(compact_postcode__startswith=compact))
    queryset = Organisation.objects.annotate(
        compact_postcode=Replace(Upper("postcode"), Value(" "), Value(""))
    )
    queryset = _matching(queryset, words, postgres=postgres, as_typed=as_typed)
    return _ranked(queryset, words, postgres=postgres, boosts=boosts, then=["name"]).only(
        "pk", "name", "street", "house_number", "house_number_addition", "postcode", "town", "kvk_number"
    )


def _people(words: list[str], *, postgres: bool, as_typed: frozenset[str] = frozenset()) -> QuerySet:
    # Where someone works tells two people of the same name apart; a subquery keeps it one query.
    workplace = (
        Role.objects.filter(person=OuterRef("pk"))
        .order_by("-is_primary_contact", "pk")
        .values("organisation__name")[:1]
    )
    queryset = Person.objects.filter(erased_at__isnull=True).annotate(workplace=Subquery(workplace))
    queryset = _matching(queryset, words, postgres=postgres, as_typed=as_typed)
    return _ranked(queryset, words, postgres=postgres, boosts=[], then=["last_name", "first_name"]).only(
        "pk", "first_name", "last_name"
    )


def _premises(words: list[str], *, postgres: bool, as_typed: frozenset[str] = frozenset()) -> QuerySet:
    boosts = []
    if match := POSTCODE.match(" ".join(words)):
        compact = (match.group(1) + match.group(2)).upper()
        boosts.append(Q(compact_postcode__startswith=compact))
    queryset = Premises.objects.annotate(compact_postcode=Replace(Upper("postcode"), Value(" "), Value("")))
    queryset = _matching(queryset, words, postgres=postgres, as_typed=as_typed)
    return _ranked(queryset, words, postgres=postgres, boosts=boosts, then=["street", "house_number"]).only(
        "pk", "street", "house_number", "house_number_addition", "postcode", "town"
    )


def _result(kind: str, obj) -> SearchResult:
    if kind == "organisation":
        title = obj.name
        detail = " · ".join(
            part for part in (obj.full_address, obj.kvk_number and f"KvK {obj.kvk_number}") if part
        )
    elif kind == "person":
        title = obj.full_name
        detail = obj.workplace or ""
    else:
        title = obj.street_address or str(obj)
        detail = " ".join(part for part in (obj.postcode, obj.town) if part)
    return SearchResult(kind=kind, pk=obj.pk, title=title, detail=detail, url=admin_url(obj), score=obj.score)
