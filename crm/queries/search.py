"""One forgiving search behind every search box: the CRM search, the visit lookup, merging, the
admin's lists, the export filter and the portal's business directory (`forgiving`), and the CRM
search page over organisations, people and premises (`search`).

Every record keeps normalised text (lower case, no accents; see crm.text): `search_text` (name,
address, postcode, KvK, email) and, for organisations, `name_text` (the name alone: the public
directory searches only what it shows). A query is normalised the same way and split into words.

- A word matches where it occurs in the text. A word of letters, MIN_TYPO_WORD long or more, also
  matches with one letter wrong, missing or extra, or two neighbours swapped ('kafe' finds 'café',
  'leuw' finds 'leeuw'). These are LIKE patterns, the same on SQLite and PostgreSQL, so both
  databases find the same records; numbers (KvK, postcodes, house numbers) and email addresses
  must be typed as they are. Only patterns an index can serve are tried (`indexed_variants`).
- Records holding every word come first. When no record holds every word, those holding the most
  of them are shown ('cafe hoekje' finds Woonwinkel Het Hoekje), unless every word is required (an
  export takes exactly what was asked for).
- Best first: each word scores by how it matched (a whole word, the start of a word, inside a word,
  a whole word with a typo, a typo inside a word) times its length, as a longer word says more; the
  query as typed, as whole words, scores on top ('havenkade 1' puts Havenkade 1 before Havenkade 11).
  Equal scores go by name.
- Indexes: on PostgreSQL the pg_trgm GIN indexes of migrations 0004 and 0010 serve the patterns; on
  SQLite the FTS5 trigram tables of migration 0011 (crm.search_index) do.

Whatever the data size, one SQL query per search box (at most two per kind of record for the search
page, see `search`), and on PostgreSQL one more that sets the planner up for that transaction.
Where the time goes at scale: `python -m bench.crm_queries --scale 100 --only search` prints it.
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Replace, Upper
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from crm import search_index
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
# Typo tolerance starts at this word length: shorter words would match too much.
MIN_TYPO_WORD = 4
# Points per letter of a word, by how it matched; the best that holds counts.
WHOLE_WORD, WORD_START, INSIDE_WORD, WHOLE_WORD_TYPO, TYPO = 1.0, 0.9, 0.7, 0.6, 0.4
# Points per letter of the whole query found as typed, as whole words, on top.
PHRASE = 0.5
# A KvK number or postcode typed from its start puts that record first.
BOOST = 100.0

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


def words_of(query: str) -> list[str]:
    """The query's distinct words, normalised as the stored text is."""
    words = []
    for word in normalise(query).split(" "):
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def forgiving(
    queryset: QuerySet,
    query: str,
    *,
    field: str = "search_text",
    every_word: bool = False,
    typos: bool = True,
    then: tuple[str, ...] = (),
    boosts: tuple[Q, ...] = (),
) -> QuerySet:
    """`queryset` narrowed to the records matching `query`, best first (then by `then`, then pk).

    Annotates `search_score` (higher is better) and `search_words` (how many words matched).
    An empty query matches nothing. Without `typos`, only the words as typed.
    """
    words = words_of(query)
    if not words:
        return queryset.none()
    fts = search_index.fts_table(queryset.model, field)
    fuzzy = [word for word in words if typos and _is_fuzzy(word)]
    most_words = not every_word and len(fuzzy) > 1
    required, optional, every = Q(), Q(), Q()
    score, matched = Value(0.0), Value(0)
    for word in words:
        patterns = [f"%{_escape(word)}%"]
        if word in fuzzy:
            patterns += [f"%{variant}%" for variant in indexed_variants(word)]  # letters: nothing to escape
        condition = _AnyLike(field, patterns, fts=fts)
        if most_words and word in fuzzy:
            optional |= Q(condition)
            every &= Q(_AnyLike(field, patterns, fts=fts))
        else:
            required &= Q(condition)
        score = score + _word_score(field, word, typos=word in fuzzy) * Value(float(len(word)))
        if most_words:
            matched = matched + Case(When(condition, then=1), default=0, output_field=IntegerField())
        else:
            # Every word is required: each record found holds them all, no need to check again.
            matched = matched + Value(1)
    if len(words) > 1:
        phrase = " ".join(words)
        whole_phrase = _AnyLike(field, [f"% {_escape(phrase)} %"], padded=True)
        bonus = Value(PHRASE * len(phrase))
        score = score + Case(When(whole_phrase, then=bonus), default=Value(0.0), output_field=FloatField())
    for boost in boosts:
        score = score + Case(When(boost, then=Value(BOOST)), default=Value(0.0), output_field=FloatField())
    if most_words:
        # When some record holds every word, only those are candidates: the others would be
        # scored only to be dropped (a search for 'fatma bakker' would score every Bakker).
        holds_every = Exists(queryset.filter(required & every))
        optional = every | (Q(~holds_every) & optional)
    key = (queryset.model, field, tuple(words), tuple(fuzzy), most_words, str(boosts))
    found = queryset.filter(required & optional).annotate(
        search_score=_Keyed(score, output_field=FloatField(), key=("score", *key)),
        search_words=_Keyed(matched, output_field=IntegerField(), key=("words", *key)),
    )
    if most_words:
        # Records holding every word when there are any, else those holding the most words.
        found = found.annotate(search_most=Window(Max("search_words"))).filter(search_words=F("search_most"))
    return found.order_by("-search_words", "-search_score", *then, "pk")


def _is_fuzzy(word: str) -> bool:
    return len(word) >= MIN_TYPO_WORD and bool(FUZZY_WORD.fullmatch(word))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def typo_variants(word: str) -> list[str]:
    """`word` with one letter wrong, missing or extra, or two neighbours swapped, as LIKE patterns ('_')."""
    letters = list(word)
    variants = set()
    for index in range(len(word)):
        variants.add("".join(letters[:index] + ["_"] + letters[index + 1 :]))  # one letter wrong
        variants.add("".join(letters[:index] + letters[index + 1 :]))  # one letter extra in the query
    for index in range(1, len(word)):
        variants.add("".join(letters[:index] + ["_"] + letters[index:]))  # one letter missing
    for index in range(len(word) - 1):
        variants.add("".join([*letters[:index], letters[index + 1], letters[index], *letters[index + 2 :]]))
    variants.discard(word)
    return sorted(variants)


def indexed_variants(word: str) -> list[str]:
    """The typo variants worth looking up: those an index can find, no shorter than MIN_TYPO_WORD.

    A variant such as 'c_fe' has no three letters in a row, so no trigram index (pg_trgm, FTS5)
    can serve it and the database would compare it with every row: at 80,000 people that alone
    takes most of a second. A three-letter variant ('ker' for 'kerk') is inside thousands of names
    (every Bakker), each then scored only to rank last. The typos lost are few: one in the middle
    letters of a four- or five-letter word that no other variant covers ('cofe' does not find
    'cafe'; 'kafe', 'leuw' and 'fatma' still find theirs), and a letter too many in a four-letter word.
    """
    return [
        variant
        for variant in typo_variants(word)
        if len(variant) >= MIN_TYPO_WORD and search_index.has_trigram(variant)
    ]


def _word_score(field: str, word: str, *, typos: bool):
    """Points per letter for how `word` matched this record (0 when it did not)."""
    exact = _escape(word)
    whens = [
        When(_AnyLike(field, [f"% {exact} %"], padded=True), then=Value(WHOLE_WORD)),
        When(_AnyLike(field, [f"% {exact}%"], padded=True), then=Value(WORD_START)),
        When(_AnyLike(field, [f"%{exact}%"]), then=Value(INSIDE_WORD)),
    ]
    if typos:
        variants = indexed_variants(word)
        whole = _AnyLike(field, [f"% {variant} %" for variant in variants], padded=True)
        anywhere = _AnyLike(field, [f"%{variant}%" for variant in variants])
        whens += [When(whole, then=Value(WHOLE_WORD_TYPO)), When(anywhere, then=Value(TYPO))]
    return Case(*whens, default=Value(0.0), output_field=FloatField())


class _Keyed(ExpressionWrapper):
    """An expression known by a key rather than by its whole tree.

    Django hashes an annotation's tree to order by it; for a score of a hundred patterns that took
    longer than the query (10-30 ms a search). The key says everything the tree is made from.
    """

    def __init__(self, expression, *, output_field, key: tuple):
        super().__init__(expression, output_field=output_field)
        self.key = key

    @property
    def identity(self):
        return (type(self), self.key)

    def __eq__(self, other):
        return isinstance(other, _Keyed) and other.key == self.key

    def __hash__(self):
        return hash(self.key)


class _AnyLike(Expression):
    """True when the text column matches any of the LIKE patterns ('_', '%' wildcards; backslash escapes).

    One expression for many patterns: building one Django lookup per pattern costs more time than
    the query. `padded` compares ' ' || text || ' ', so that '% word %' finds whole words. With `fts`
    (SQLite), the patterns holding three letters in a row are looked up in that FTS5 trigram table,
    as a UNION: FTS5 would scan every row for an OR of LIKEs. The other patterns ('le_uw') are
    compared row by row.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, patterns: list[str], *, padded: bool = False, fts: str | None = None):
        super().__init__()
        self.column, self.patterns, self.padded, self.fts = field, tuple(patterns), padded, fts
        self.sources = [F(field), F("pk")]

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, expressions):
        self.sources = list(expressions)

    @property
    def identity(self):
        return (type(self), self.column, self.patterns, self.padded, self.fts)

    def __eq__(self, other):
        return isinstance(other, _AnyLike) and other.identity == self.identity

    def __hash__(self):
        return hash(self.identity)

    def as_sql(self, compiler, connection):
        text, text_params = compiler.compile(self.sources[0])
        if self.padded:
            text = f"(' ' || {text} || ' ')"
        indexed = [
            pattern
            for pattern in self.patterns
            if self.fts and "\\" not in pattern and search_index.has_trigram(pattern)
        ]
        rowwise = [pattern for pattern in self.patterns if pattern not in indexed]
        parts, params = [], []
        for pattern in rowwise:
            parts.append(f"{text} LIKE %s ESCAPE '\\'")
            params += [*text_params, pattern]
        if indexed:
            pk, pk_params = compiler.compile(self.sources[1])
            # FTS5 serves LIKE only without an ESCAPE clause: these patterns hold no escapes.
            lookup = f"SELECT rowid FROM {self.fts} WHERE {self.column} LIKE %s"  # noqa: S608 (constant names)
            lookups = " UNION ALL ".join([lookup] * len(indexed))
            parts.append(f"{pk} IN ({lookups})")
            params += [*pk_params, *indexed]
        return "(" + " OR ".join(parts) + ")", params


# The CRM search page ---------------------------------------------------------------------------


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

    At most two SQL queries per kind in `kinds` (the caller leaves out kinds the user may not see):
    for one word, the word as typed, then with its typos when that found fewer than `limit`; for
    more words, every word, then the most words when no record of any kind holds every word.
    """
    words = words_of(query)
    if not words:
        return []
    postgres = connection.vendor == "postgresql"
    searches = {"organisation": _organisations, "person": _people, "premises": _premises}

    def find(every_word: bool) -> list:
        found = []
        for kind in (kind for kind in KINDS if kind in kinds):
            if len(words) == 1 and _is_fuzzy(words[0]):
                # A word typed as it is in `limit` records: those come first whatever its typos
                # would find (an exact match scores more than a typo), so the cheap exact search
                # is the answer ('marktstraat' is 2,500 records at scale 100, each checked against
                # 40 typo patterns otherwise).
                exact = list(searches[kind](query, typos=False)[:limit])
                if len(exact) == limit:
                    found += [(kind, obj) for obj in exact]
                    continue
            found += [(kind, obj) for obj in searches[kind](query, every_word=every_word)[:limit]]
        return found

    # SET LOCAL needs a transaction of its own; SQLite has nothing to set.
    nested = connection.in_atomic_block
    with transaction.atomic() if postgres else nullcontext():
        if postgres:
            tune_planner()
        # Records holding every word first: when there are any, partial matches would be dropped
        # below, and asking for every word spares the database scoring every record holding one.
        found = find(every_word=True)
        if not found and len(words) > 1:
            found = find(every_word=False)
        if postgres and nested:
            # Inside a caller's transaction SET LOCAL would outlive this search: undo it.
            tune_planner(reset=True)
    # Each kind falls back to "the most words" on its own; when any kind holds every word, the
    # others' partial matches are noise ('fatma bakker' is the person, not every shop called Bakker).
    most = max((obj.search_words for _kind, obj in found), default=0)
    return [_result(kind, obj) for kind, obj in found if obj.search_words == most]


def tune_planner(*, reset: bool = False) -> None:
    """PostgreSQL, for this transaction only (SET LOCAL): use the trigram indexes.

    The planner prices a LIKE pattern like an equality test, so on tables of a few thousand rows it
    picks a sequential scan that tries every pattern on every row over the trigram index.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {'DEFAULT' if reset else 'off'}")


def group_by_kind(results: list[SearchResult]) -> list[SearchGroup]:
    """The results as groups per kind, in the order of KINDS, leaving out empty groups."""
    groups = []
    for kind in KINDS:
        hits = [result for result in results if result.kind == kind]
        if hits:
            groups.append(SearchGroup(kind=kind, label=str(KIND_LABELS[kind]), results=hits))
    return groups


def _postcode_boost(query: str) -> tuple[Q, ...]:
    if match := POSTCODE.match(" ".join(words_of(query))):
        return (Q(compact_postcode__startswith=(match.group(1) + match.group(2)).upper()),)
    return ()


def _organisations(query: str, *, every_word: bool = False, typos: bool = True) -> QuerySet:
    boosts = _postcode_boost(query)
    joined = "".join(words_of(query))
    if joined.isdigit():
        # A KvK or branch number typed from the start: that organisation first.
        boosts += (Q(kvk_number__startswith=joined) | Q(branch_number__startswith=joined),)
    queryset = Organisation.objects.annotate(
        compact_postcode=Replace(Upper("postcode"), Value(" "), Value(""))
    )
    return forgiving(queryset, query, every_word=every_word, typos=typos, then=("name",), boosts=boosts).only(
        "pk", "name", "street", "house_number", "house_number_addition", "postcode", "town", "kvk_number"
    )


def _people(query: str, *, every_word: bool = False, typos: bool = True) -> QuerySet:
    # Where someone works tells two people of the same name apart; a subquery keeps it one query.
    workplace = (
        Role.objects.filter(person=OuterRef("pk"))
        .order_by("-is_primary_contact", "pk")
        .values("organisation__name")[:1]
    )
    queryset = Person.objects.filter(erased_at__isnull=True).annotate(workplace=Subquery(workplace))
    return forgiving(
        queryset, query, every_word=every_word, typos=typos, then=("last_name", "first_name")
    ).only("pk", "first_name", "last_name")


def _premises(query: str, *, every_word: bool = False, typos: bool = True) -> QuerySet:
    queryset = Premises.objects.annotate(compact_postcode=Replace(Upper("postcode"), Value(" "), Value("")))
    found = forgiving(
        queryset,
        query,
        every_word=every_word,
        typos=typos,
        then=("street", "house_number"),
        boosts=_postcode_boost(query),
    )
    return found.only("pk", "street", "house_number", "house_number_addition", "postcode", "town")


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
    return SearchResult(
        kind=kind, pk=obj.pk, title=title, detail=detail, url=admin_url(obj), score=obj.search_score
    )
