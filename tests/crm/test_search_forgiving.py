"""Search that forgives, on both databases: the issue's queries on the demo centre, a list of typos and
accents, every search box on the one search, and an index that follows every change."""

import pytest
from django.db import connection
from django.urls import reverse

from crm.models import Organisation, Person
from crm.queries.lookup import find_organisations
from crm.queries.search import forgiving, indexed_variants, search
from crm.views.exporting import filtered_organisations
from crm.views.merging import search_records
from tests.builders import make_listed, make_organisation, make_person


def names(results):
    return [result.title for result in results if result.kind == "organisation"]


# The queries of the issue, on the demo centre (read only, shared with other tests).


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Gouden Leuw", "De Gouden Leeuw"),  # a letter missing
        ("kafe kroon", "Café De Kroon"),  # k for c, no accent
        ("cafe hoekje", "Het Hoekje"),  # no café of that name: the Hoekje first, then the cafés
        ("GOUDEN léeuw", "De Gouden Leeuw"),
    ],
)
def test_the_issues_queries_find_the_demos_businesses(demo_centre, query, first):
    found = names(search(query))
    assert found, query
    assert first in found[0]
    assert [row.name for row in find_organisations(query)][0] == found[0]  # the visit lookup agrees


def test_an_address_lists_that_number_first(demo_centre):
    found = search("havenkade 1")
    assert found[0].detail.startswith("Havenkade 1,")
    assert any(result.detail.startswith("Havenkade 1") and result is not found[0] for result in found)


def test_cafe_finds_every_cafe_with_or_without_the_accent(demo_centre):
    with_accent = names(search("café", limit=500))
    assert with_accent == names(search("cafe", limit=500))
    cafes = [name for name in with_accent if "caf" in name.lower()]
    assert len(cafes) >= 10
    assert with_accent[: len(cafes)] == cafes  # the cafes first, then what is one letter off


# Typos and accents, on a small centre of our own.


@pytest.fixture
def shops(db):
    return {
        name: make_organisation(name, street=street)
        for name, street in [
            ("Café De Gouden Leeuw", "Grote Markt"),
            ("Brasserie Crème de la Crème", "Havenkade"),
            ("Bakkerij De Korenschoof", "Marktstraat"),
            ("Slagerij Van Dam", "Kerkstraat"),
            ("Bloemenhuis Flora", "Molenstraat"),
        ]
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gouden leeuw", "Café De Gouden Leeuw"),
        ("gouden leuw", "Café De Gouden Leeuw"),  # a letter missing
        ("goudne leeuw", "Café De Gouden Leeuw"),  # two letters swapped
        ("kafe", "Café De Gouden Leeuw"),  # a letter wrong
        ("caffe leeuw", "Café De Gouden Leeuw"),  # a letter too many
        ("CAFÉ", "Café De Gouden Leeuw"),
        ("creme", "Brasserie Crème de la Crème"),  # accents need not be typed
        ("crème brasserie", "Brasserie Crème de la Crème"),  # nor typed right
        ("korenschof", "Bakkerij De Korenschoof"),
        ("bakerij", "Bakkerij De Korenschoof"),
        ("slagerei", "Slagerij Van Dam"),
        ("bloemnhuis flora", "Bloemenhuis Flora"),
        ("molenstrat", "Bloemenhuis Flora"),  # the street, with a letter missing
    ],
)
def test_typos_and_accents_are_forgiven(shops, query, expected):
    assert names(search(query))[0] == expected


@pytest.mark.parametrize("query", ["zzzz", "xq", "99999"])
def test_what_is_nowhere_finds_nothing(shops, query):
    assert names(search(query)) == []


def test_a_whole_word_ranks_above_a_part_of_a_word(db):
    make_organisation("Eetcafé Het Anker")
    make_organisation("Café Zuid")
    assert names(search("cafe")) == ["Café Zuid", "Eetcafé Het Anker"]


def test_a_typo_in_a_whole_word_ranks_above_a_typo_inside_a_word(db):
    make_organisation("Eetcafé De Kroon")  # 'kafe' is one letter from the 'cafe' inside 'eetcafe'
    make_organisation("Café De Kroon")
    assert names(search("kafe kroon")) == ["Café De Kroon", "Eetcafé De Kroon"]


def test_only_typos_an_index_can_find_are_forgiven(db):
    # 'cofe' is one letter from 'cafe', but the variant 'c_fe' holds no three letters in a row: no
    # trigram index serves it, and comparing it with every record would take seconds at scale.
    make_organisation("Café Zuid")
    assert names(search("kafe")) == ["Café Zuid"]
    assert names(search("cofe")) == []
    # Nor a three-letter piece of a four-letter word: 'ker' of 'kerk' is in every Bakker.
    variants = indexed_variants("kerk")
    assert "_erk" in variants and "ker" not in variants and "k_rk" not in variants


def test_when_one_kind_holds_every_word_the_others_partial_matches_are_left_out(db):
    make_person("Fatima", "Bakker")
    make_organisation("Apotheek Bakker")
    assert [(result.kind, result.title) for result in search("fatma bakker")] == [("person", "Fatima Bakker")]


# Every search box is the one search.


def test_every_search_box_forgives_the_same_typo(client, sanne, shops, portal):
    client.force_login(sanne)
    leeuw = shops["Café De Gouden Leeuw"]
    make_listed("Eetcafé De Gouden Leeuw")

    assert find_organisations("kafe leuw")[0] == leeuw  # the visit lookup
    assert search_records("organisation", "kafe leuw")[0] == leeuw  # merging
    exported = list(filtered_organisations({"q": "kafe leuw"}))  # the export
    assert leeuw in exported and shops["Bakkerij De Korenschoof"] not in exported
    listing = client.get(reverse("crm_organisation:index"), {"q": "kafe leuw"}).content.decode()
    assert "Café De Gouden Leeuw" in listing and "Bakkerij De Korenschoof" not in listing  # the list
    directory = client.get("/bedrijvengids/?q=eetkafe leeuw").content.decode()
    assert "Eetcafé De Gouden Leeuw</a>" in directory  # the portal, listed businesses only
    assert directory.count("Gouden Leeuw</a>") == 1


def test_the_directory_searches_only_what_it_shows(client, portal):
    make_listed("Bakkerij De Korenschoof", email="geheim@korenschoof.nl", kvk_number="11223344")
    assert "Gevonden bedrijven: 1" in client.get("/bedrijvengids/?q=korenschof").content.decode()
    assert "Gevonden bedrijven: 0" in client.get("/bedrijvengids/?q=geheim").content.decode()
    assert "Gevonden bedrijven: 0" in client.get("/bedrijvengids/?q=11223344").content.decode()


def test_an_export_takes_only_records_with_every_word(shops):
    assert list(filtered_organisations({"q": "bakkerij havenkade"})) == []
    assert list(filtered_organisations({"q": "bakkerij"})) == [shops["Bakkerij De Korenschoof"]]


def test_the_organisation_list_can_still_be_sorted_while_searching(client, sanne, shops):
    make_organisation("Café Zuid")
    client.force_login(sanne)
    page = client.get(reverse("crm_organisation:index"), {"q": "cafe", "ordering": "-name"}).content.decode()
    assert page.index("Café Zuid") < page.index("Café De Gouden Leeuw")


def test_a_query_with_wildcard_characters_is_taken_literally(db):
    make_organisation("Winkel 100% Lokaal")
    make_organisation("Winkel 1000")
    assert names(search("100%")) == ["Winkel 100% Lokaal"]
    assert names(search("_")) == []


# The index follows every change (SQLite: FTS5 tables kept by triggers; PostgreSQL: GIN indexes).


def test_the_search_follows_every_kind_of_change(db):
    shop = make_organisation("Bakkerij De Korenschoof")
    shop.name = "Broodhuis Tarwe"
    shop.save()
    assert names(search("tarwe")) == ["Broodhuis Tarwe"] and names(search("korenschoof")) == []
    Organisation.objects.filter(pk=shop.pk).update(search_text="lunchroom zonnebloem")
    assert names(search("zonnebloem")) == ["Broodhuis Tarwe"]
    made = Organisation.objects.bulk_create([Organisation(name="Kaashandel Gouda")])
    made[0].fill_search_fields()
    Organisation.objects.bulk_update(made, ["search_text", "name_text"])
    assert names(search("kaashandel")) == ["Kaashandel Gouda"]
    shop.delete()
    assert names(search("zonnebloem")) == []
    person = make_person("Fatima", "Bouzid")
    Person.objects.filter(pk=person.pk).update(search_text="fatima el amrani")
    assert [result.title for result in search("amrani")] == ["Fatima Bouzid"]


def test_on_sqlite_a_lost_trigger_is_put_back_and_the_index_refilled_after_migrate(db):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index is SQLite's")
    from crm import search_index

    if not search_index.available():
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    shop = make_organisation("Bakkerij De Korenschoof")
    with connection.cursor() as cursor:
        # What Django's rebuild of a SQLite table does to its triggers.
        cursor.execute("DROP TRIGGER crm_organisation_search_text_fts_update")
    Organisation.objects.filter(pk=shop.pk).update(search_text="broodhuis tarwe")
    search_index.ensure(connection)
    assert names(search("tarwe")) == ["Bakkerij De Korenschoof"]
    Organisation.objects.filter(pk=shop.pk).update(search_text="lunchroom zonnebloem")
    assert names(search("zonnebloem")) == ["Bakkerij De Korenschoof"]


def test_a_forgiving_search_is_one_query_whatever_the_number_of_words(shops, django_assert_num_queries):
    queryset = Organisation.objects.all()
    with django_assert_num_queries(1):
        list(forgiving(queryset, "kafe gouden leuw grote markt"))
    with django_assert_num_queries(1):
        assert forgiving(queryset, "cafe hoekje").count() == 1
