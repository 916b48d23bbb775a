"""Segments: saved filters over organisations and their people, the form, and the live count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import Consent, Organisation, Person, Role, Segment
from crm.queries.segments import count, count_many, organisations_in, people_in, validate_filters
from tests.builders import make_organisation, make_person, make_staff

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def names(queryset):
    return sorted(obj.name if hasattr(obj, "name") else obj.full_name for obj in queryset)


def consent(person, topic, granted, at, **fields):
    return Consent.objects.create(
        person=person, topic=topic, granted=granted, recorded_at=at, source=Consent.Source.STAFF, **fields
    )


@pytest.fixture
def centre(db, themes):
    korenschoof = make_organisation(
        "Bakkerij De Korenschoof",
        sector=Organisation.Sector.RETAIL_DAILY,
        postcode="4811 AB",
        fund_status=Organisation.FundStatus.BIZ,
        attitude="voorstander",
        last_contact_at=NOW - dt.timedelta(days=10),
        influence=4,
    )
    korenschoof.interests.add(themes["evenementen"], themes["duurzaamheid"])
    cafe = make_organisation(
        "Café Één",
        sector=Organisation.Sector.HORECA,
        street="Havenstraat",
        postcode="4813 ZZ",
        fund_status=Organisation.FundStatus.VOLUNTARY,
        attitude="criticus",
        last_contact_at=NOW - dt.timedelta(days=200),
    )
    cafe.interests.add(themes["evenementen"])
    owner = make_organisation(
        "Vastgoed Veldhaven BV",
        kind=Organisation.Kind.PROPERTY_OWNER,
        sector="",
        street="Stationsplein",
        postcode="4814 AA",
        lifecycle=Organisation.Lifecycle.PROSPECT,
    )
    gone = make_organisation(
        "Schoenen Stap", postcode="4810 ZZ", street="Marktstraat", lifecycle=Organisation.Lifecycle.LEFT
    )
    fatima = make_person("Fatima", "Bouzid", organisation=korenschoof)
    joost = make_person("Joost", "Visser", organisation=cafe)
    Role.objects.create(person=joost, organisation=korenschoof, title="Bezorger")
    make_person("Anna", "de Wit", organisation=owner)
    return {
        "korenschoof": korenschoof,
        "cafe": cafe,
        "owner": owner,
        "gone": gone,
        "fatima": fatima,
        "joost": joost,
    }


def test_no_filters_selects_everyone(centre):
    assert organisations_in({}).count() == 4
    assert people_in({}).count() == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kinds": ["vastgoedeigenaar"]}, ["Vastgoed Veldhaven BV"]),
        (
            {"sectors": ["horeca", "retail_dagelijks"]},
            ["Bakkerij De Korenschoof", "Café Één", "Schoenen Stap"],
        ),
        ({"streets": ["havenSTRAAT", "stationsplein"]}, ["Café Één", "Vastgoed Veldhaven BV"]),
        ({"postcode_from": 4811, "postcode_to": 4813}, ["Bakkerij De Korenschoof", "Café Één"]),
        ({"postcode_from": 4814}, ["Vastgoed Veldhaven BV"]),
        ({"postcode_to": 4810}, ["Schoenen Stap"]),
        ({"interests": ["evenementen"]}, ["Bakkerij De Korenschoof", "Café Één"]),
        ({"interests": ["duurzaamheid", "wonen"]}, ["Bakkerij De Korenschoof"]),
        ({"fund_statuses": ["biz", "vrijwillig"]}, ["Bakkerij De Korenschoof", "Café Één"]),
        ({"attitudes": ["criticus"]}, ["Café Één"]),
        ({"min_influence": 4}, ["Bakkerij De Korenschoof"]),
        (
            {"lifecycles": ["actief", "prospect"]},
            ["Bakkerij De Korenschoof", "Café Één", "Vastgoed Veldhaven BV"],
        ),
        ({"contacted_within_days": 30}, ["Bakkerij De Korenschoof"]),
        ({"not_contacted_days": 90}, ["Café Één", "Schoenen Stap", "Vastgoed Veldhaven BV"]),
        ({"interests": ["evenementen"], "attitudes": ["voorstander"]}, ["Bakkerij De Korenschoof"]),
        (
            {"kinds": [], "streets": None, "consent": ""},
            ["Bakkerij De Korenschoof", "Café Één", "Schoenen Stap", "Vastgoed Veldhaven BV"],
        ),
    ],
)
def test_each_filter_selects_the_right_organisations(centre, filters, expected):
    assert names(organisations_in(filters, now=NOW)) == expected


def test_people_are_those_with_a_role_at_a_matching_organisation_each_once(centre):
    assert names(people_in({"interests": ["evenementen"]})) == ["Fatima Bouzid", "Joost Visser"]
    assert names(people_in({"kinds": ["vastgoedeigenaar"]})) == ["Anna de Wit"]


def test_erased_people_are_never_in_a_segment(centre):
    centre["fatima"].erased_at = NOW
    centre["fatima"].save()
    assert names(people_in({})) == ["Anna de Wit", "Joost Visser"]


def test_the_newest_consent_row_is_the_current_one(centre):
    fatima, joost = centre["fatima"], centre["joost"]
    topic = Consent.Topic.SERVICE_NEWSLETTER
    consent(fatima, topic, True, NOW - dt.timedelta(days=30))
    consent(fatima, topic, False, NOW - dt.timedelta(days=1))  # withdrew since
    consent(joost, topic, False, NOW - dt.timedelta(days=30))
    consent(joost, topic, True, NOW - dt.timedelta(days=1))  # granted since
    consent(fatima, Consent.Topic.MARKETING_NEWSLETTER, True, NOW)  # another topic counts not
    filters = {"consent": topic}
    assert names(people_in(filters)) == ["Joost Visser"]
    assert names(organisations_in(filters)) == ["Bakkerij De Korenschoof", "Café Één"]


def test_of_two_consent_rows_at_the_same_moment_the_last_recorded_counts(centre):
    topic = Consent.Topic.SERVICE_NEWSLETTER
    consent(centre["fatima"], topic, True, NOW)
    consent(centre["fatima"], topic, False, NOW)
    assert names(people_in({"consent": topic})) == []


def test_a_consent_filter_keeps_only_the_consenting_people_of_matching_organisations(centre):
    topic = Consent.Topic.MARKETING_NEWSLETTER
    consent(centre["fatima"], topic, True, NOW)
    consent(centre["joost"], topic, True, NOW)
    assert names(people_in({"consent": topic, "attitudes": ["voorstander"]})) == [
        "Fatima Bouzid",
        "Joost Visser",
    ]
    assert names(people_in({"consent": topic, "attitudes": ["criticus"]})) == ["Joost Visser"]
    assert names(organisations_in({"consent": topic, "kinds": ["vastgoedeigenaar"]})) == []


def test_count_gives_organisations_and_people(centre):
    assert count({"interests": ["evenementen"]}) == {"organisations": 2, "people": 2}


@pytest.mark.parametrize(
    "filters",
    [
        {"colour": ["red"]},
        {"kinds": "ondernemer"},
        {"kinds": ["winkel"]},
        {"postcode_from": "4811"},
        {"postcode_from": 4813, "postcode_to": 4811},
        {"not_contacted_days": 0},
        {"consent": "alles"},
        ["kinds"],
    ],
)
def test_invalid_filters_raise_a_clear_value_error(db, filters):
    with pytest.raises(ValueError, match="[Ss]egment filter"):
        validate_filters(filters)


def test_an_unknown_filter_is_named_in_the_error(db):
    with pytest.raises(ValueError, match="Unknown segment filter\\(s\\): colour. Known filters: kinds"):
        organisations_in({"colour": ["red"]})


def build(size: int, themes):
    for number in range(size):
        organisation = make_organisation(f"Winkel {number}", attitude="voorstander")
        organisation.interests.add(themes["evenementen"])
        person = make_person("Piet", f"Winkel {number}", organisation=organisation)
        consent(person, Consent.Topic.SERVICE_NEWSLETTER, True, NOW)


ALL_FILTERS = {
    "kinds": ["ondernemer"],
    "sectors": ["retail_dagelijks"],
    "streets": ["Marktstraat"],
    "postcode_from": 4811,
    "postcode_to": 4813,
    "interests": ["evenementen"],
    "fund_statuses": ["geen"],
    "attitudes": ["voorstander"],
    "lifecycles": ["actief"],
    "consent": "nieuwsbrief_dienst",
    "not_contacted_days": 30,
}


@pytest.mark.parametrize("size", [2, 40])
def test_a_count_runs_two_queries_whatever_the_data_size(db, themes, django_assert_num_queries, size):
    build(size, themes)
    with django_assert_num_queries(1):  # with consent: both counts from one pass over the roles
        assert count(ALL_FILTERS) == {"organisations": size, "people": size}
    without_consent = {key: value for key, value in ALL_FILTERS.items() if key != "consent"}
    with django_assert_num_queries(2):
        assert count(without_consent) == {"organisations": size, "people": size}


SERVICE, MARKETING = Consent.Topic.SERVICE_NEWSLETTER, Consent.Topic.MARKETING_NEWSLETTER


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"interests": ["evenementen"]},
        {"consent": SERVICE},
        {"consent": MARKETING},
        {"consent": SERVICE, "attitudes": ["criticus"]},
        {"consent": SERVICE, "sectors": ["retail_dagelijks"]},
        {"consent": SERVICE, "kinds": ["vastgoedeigenaar"]},
        {"consent": MARKETING, "lifecycles": ["actief"]},
    ],
)
def test_the_counts_are_the_lengths_of_the_lists_they_count(centre, filters):
    # Joost works at both the café and the bakery; Fatima withdrew; Anna consented and was erased;
    # a person without a role consented too.
    for person in (centre["fatima"], centre["joost"], Person.objects.get(first_name="Anna")):
        consent(person, SERVICE, True, NOW - dt.timedelta(days=30))
    consent(centre["fatima"], SERVICE, False, NOW - dt.timedelta(days=1))
    consent(centre["joost"], MARKETING, True, NOW)
    consent(make_person("Zonder", "Rol"), SERVICE, True, NOW)
    Person.objects.filter(first_name="Anna").update(erased_at=NOW)
    expected = {"organisations": organisations_in(filters).count(), "people": people_in(filters).count()}
    assert count(filters) == expected
    assert count_many({"segment": filters}) == {"segment": expected}


@pytest.mark.parametrize("size", [2, 40])
def test_counting_many_segments_runs_two_queries(db, themes, django_assert_num_queries, size):
    build(size, themes)
    with django_assert_num_queries(2):
        counts = count_many({"all": ALL_FILTERS, "none": {"kinds": ["gemeente"]}, "broken": {"x": 1}})
    assert counts == {
        "all": {"organisations": size, "people": size},
        "none": {"organisations": 0, "people": 0},
        "broken": None,
    }


# The screens


def test_the_segment_list_shows_live_counts_in_dutch(client, sanne, centre):
    Segment.objects.create(name="Evenementen", filters={"interests": ["evenementen"]})
    client.force_login(sanne)
    response = client.get(reverse("crm_segment:index"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Segmenten" in content
    assert "Evenementen" in content
    assert "Organisaties" in content and "Personen" in content
    assert [(s.organisation_count, s.people_count) for s in response.context["object_list"]] == [(2, 2)]


def test_creating_a_segment_stores_the_form_fields_as_filters(client, marloes, centre, themes):
    client.force_login(marloes)
    response = client.post(
        reverse("crm_segment:add"),
        {
            "name": "Horeca aan de Havenstraat",
            "description": "",
            "kinds": ["ondernemer"],
            "sectors": ["horeca"],
            "streets": "Havenstraat, Kerkstraat",
            "postcode_from": "4811",
            "postcode_to": "4813",
            "interests": ["evenementen"],
            "consent": "nieuwsbrief_dienst",
            "not_contacted_days": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    segment = Segment.objects.get()
    assert segment.created_by == marloes
    assert segment.filters == {
        "kinds": ["ondernemer"],
        "sectors": ["horeca"],
        "streets": ["Havenstraat", "Kerkstraat"],
        "postcode_from": 4811,
        "postcode_to": 4813,
        "interests": ["evenementen"],
        "consent": "nieuwsbrief_dienst",
        "not_contacted_days": 30,
    }


def test_the_edit_form_shows_the_stored_filters_and_the_live_count_panel(client, sanne, centre):
    segment = Segment.objects.create(
        name="Kritisch", filters={"attitudes": ["criticus"], "streets": ["Havenstraat"]}
    )
    client.force_login(sanne)
    response = client.get(reverse("crm_segment:edit", args=[segment.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nu in dit segment" in content
    assert 'value="Havenstraat"' in content
    assert 'value="criticus" id="id_attitudes_2" checked' in content or 'value="criticus"' in content
    assert response.context["form"]["attitudes"].value() == ["criticus"]


def test_a_postcode_range_the_wrong_way_round_is_refused_in_dutch(client, marloes, db):
    client.force_login(marloes)
    response = client.post(
        reverse("crm_segment:add"), {"name": "Fout", "postcode_from": "4813", "postcode_to": "4811"}
    )
    assert response.status_code == 200
    assert "mag niet lager zijn dan het begin" in response.content.decode()
    assert not Segment.objects.exists()


def test_the_count_endpoint_answers_with_counts_and_a_preview(client, sanne, centre):
    client.force_login(sanne)
    response = client.get(reverse("crm_segment:count"), {"interests": ["evenementen"], "streets": ""})
    data = response.json()
    assert (data["organisations"], data["people"]) == (2, 2)
    assert [item["name"] for item in data["preview"]] == ["Bakkerij De Korenschoof", "Café Één"]


def test_the_count_endpoint_explains_invalid_filters(client, sanne, centre):
    client.force_login(sanne)
    response = client.get(reverse("crm_segment:count"), {"postcode_from": "12"})
    assert response.status_code == 400
    assert "postcode_from" in response.json()["errors"]


def test_a_segment_with_filters_that_no_longer_validate_says_so(client, sanne, centre):
    Segment.objects.create(name="Oud", filters={"kind": ["ondernemer"]})
    client.force_login(sanne)
    assert "ongeldige filters" in client.get(reverse("crm_segment:index")).content.decode()


def test_facilitair_may_view_segments_but_not_add_one(client, db):
    ahmed = make_staff("ahmed", "Facilitair")
    client.force_login(ahmed)
    assert client.get(reverse("crm_segment:index")).status_code == 200
    assert client.get(reverse("crm_segment:count")).status_code == 200
    assert client.get(reverse("crm_segment:add")).status_code in (302, 403)


def test_the_board_sees_no_segments(client, pieter, centre):
    client.force_login(pieter)
    assert client.get(reverse("crm_segment:index")).status_code in (302, 403)
    assert client.get(reverse("crm_segment:count")).status_code in (302, 403)


def test_now_defaults_to_the_current_time(centre):
    centre["cafe"].last_contact_at = timezone.now()
    centre["cafe"].save()
    assert "Café Één" in names(organisations_in({"contacted_within_days": 1}))
