"""Merging with a choice per field, a hard warning on different business numbers, and the undo that
splits the two again; likely duplicates to review ("Mogelijke dubbelen")."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict
from django.urls import reverse

from crm import merging
from crm.merging import MergeError, merge_organisations, merge_people, undo_merge
from crm.models import (
    Consent,
    ContactSpan,
    FollowUp,
    ImportBatch,
    ImportedRecord,
    MergeRecord,
    Occupancy,
    Organisation,
    Person,
    PhoneNumber,
    Premises,
    Relation,
    Role,
    Signal,
    StakeholderPositionChange,
)
from crm.privacy import erase_person
from crm.queries.duplicates import likely_duplicates
from portal.members import services as members
from tests.builders import VISIT_TIME, make_member, make_organisation, make_person, make_visit

pytestmark = pytest.mark.django_db

WHEN = VISIT_TIME


def picture(record) -> dict:
    """Everything of a record: its own values and, per relation of any app, the rows linked to it."""
    seen = {"fields": model_to_dict(record, exclude=["search_text", "updated_at"])}
    for relation in record._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.related_model is not None:
            if relation.related_model._meta.auto_created:
                continue
            field = relation.field.name
            rows = relation.related_model._base_manager.filter(**{field: record.pk})
            if relation.related_model is ContactSpan:
                # Derived again after a merge and its undo (new rows): what counts is the same runs.
                rows = rows.values_list("first_day", "last_day")
            else:
                rows = rows.values_list("pk", flat=True)
            seen[f"{relation.related_model._meta.label}.{field}"] = sorted(rows)
    return seen


@pytest.fixture
def cafe(db):
    return make_organisation("Café De Gouden Leeuw", sector="horeca", kvk_number="12345678", email="")


@pytest.fixture
def pharmacy(db):
    return make_organisation(
        "Apotheek De Gouden Leeuw", sector="zorg", kvk_number="87654321", email="info@goudenleeuw.nl"
    )


def test_undo_splits_a_merge_again_with_every_row_of_every_app_back_where_it_was(
    cafe, pharmacy, marloes, themes, django_capture_on_commit_callbacks
):
    council = make_organisation("Gemeente Veldhaven", kind=Organisation.Kind.MUNICIPALITY, kvk_number="")
    make_visit(cafe, pharmacy)
    make_visit(pharmacy, days=1)
    only = make_visit(pharmacy, days=2)
    Signal.objects.create(interaction=only, organisation=pharmacy, kind="overig", created_at=WHEN)
    FollowUp.objects.create(organisation=pharmacy, description="Bellen", due_on=dt.date(2026, 4, 1))
    premises = Premises.objects.create(street="Marktstraat", house_number="1", owner=pharmacy)
    Occupancy.objects.create(premises=premises, organisation=pharmacy, started_on=dt.date(2020, 1, 1))
    StakeholderPositionChange.objects.create(organisation=pharmacy, influence=3, changed_at=WHEN)
    ahmed = make_person("Ahmed", "Bouzid", organisation=cafe, title="")
    Role.objects.create(person=ahmed, organisation=pharmacy, title="Bedrijfsleider")
    Relation.objects.create(from_organisation=pharmacy, to_organisation=cafe, kind="partner_van")
    Relation.objects.create(from_organisation=cafe, to_organisation=council, kind="lid_van")
    Relation.objects.create(from_organisation=pharmacy, to_organisation=council, kind="lid_van")
    cafe.interests.add(themes["evenementen"])
    pharmacy.interests.add(themes["evenementen"], themes["duurzaamheid"])
    ImportedRecord.objects.create(
        batch=ImportBatch.objects.create(filename="leden.csv"),
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=pharmacy.pk,
    )
    # Another app's rows, hidden from the organisation (related_name="+"): a member's report.
    member = make_member(pharmacy, email="apotheker@goudenleeuw.nl")
    with django_capture_on_commit_callbacks(execute=True):
        members.submit_report(
            membership=member,
            draft=members.ReportDraft(category="heel", description="Losse tegel", location="Markt 1"),
        )
    cafe.refresh_from_db()
    pharmacy.refresh_from_db()
    cafe_before, pharmacy_before = picture(cafe), picture(pharmacy)

    kept = merge_organisations(
        keep=cafe, duplicate=pharmacy, user=marloes, take={"name", "email"}, numbers_confirmed=True
    )

    kept.refresh_from_db()
    assert (kept.name, kept.email, kept.kvk_number, kept.sector) == (
        "Apotheek De Gouden Leeuw",
        "info@goudenleeuw.nl",
        "12345678",
        "horeca",
    )
    assert not Organisation.objects.filter(pk=pharmacy.pk).exists()
    assert picture(kept)["members.Report.organisation"]  # moved, not deleted with the duplicate

    cafe_after, restored = undo_merge(merge=kept.merge_record, user=marloes)

    assert restored.pk == pharmacy.pk
    assert picture(Organisation.objects.get(pk=cafe.pk)) == cafe_before
    assert picture(Organisation.objects.get(pk=pharmacy.pk)) == pharmacy_before
    assert Role.objects.get(person=ahmed, organisation=cafe).title == ""
    assert set(cafe_after.interests.values_list("slug", flat=True)) == {"evenementen"}
    assert "apotheek" in Organisation.objects.get(pk=pharmacy.pk).search_text
    merge = MergeRecord.objects.get()
    assert merge.undone_by == marloes
    with pytest.raises(MergeError, match="al ongedaan"):
        undo_merge(merge=merge, user=marloes)


def test_different_kvk_numbers_need_a_confirmation_that_names_them(client, sanne, cafe, pharmacy):
    with pytest.raises(MergeError, match="12345678 en 87654321"):
        merge_organisations(keep=cafe, duplicate=pharmacy, user=sanne)
    client.force_login(sanne)
    url = reverse("crm_merge_compare", args=["organisation", cafe.pk, pharmacy.pk])

    page = client.get(url).content.decode()
    assert "Dit zijn mogelijk twee verschillende bedrijven" in page
    assert "KvK-nummer: 12345678 en 87654321" in page
    assert 'name="numbers_confirmed"' in page and "required" in page

    refused = client.post(url, {"take_name": "duplicate"}, follow=True).content.decode()
    assert "12345678 en 87654321" in refused
    assert Organisation.objects.filter(pk=pharmacy.pk).exists()


def test_the_comparison_offers_a_choice_for_every_difference_and_merges_what_was_chosen(
    client, sanne, cafe, pharmacy
):
    client.force_login(sanne)
    url = reverse("crm_merge_compare", args=["organisation", cafe.pk, pharmacy.pk])
    page = client.get(url).content.decode()
    for field in ("name", "sector", "kvk_number", "email"):
        assert f'name="take_{field}"' in page
    assert 'name="take_street"' not in page  # the same in both: nothing to choose
    # An empty field of the record kept takes the duplicate's value unless chosen otherwise.
    assert 'name="take_email" value="duplicate" checked' in page

    response = client.post(
        url, {"take_sector": "duplicate", "take_email": "keep", "numbers_confirmed": "1"}, follow=True
    )

    merge = MergeRecord.objects.get()
    assert response.redirect_chain[-1][0] == reverse("crm_merge_record", args=[merge.pk])
    cafe.refresh_from_db()
    assert (cafe.name, cafe.sector, cafe.email) == ("Café De Gouden Leeuw", "zorg", "")
    page = response.content.decode()
    assert "Samenvoegen ongedaan maken" in page

    undone = client.post(reverse("crm_merge_record", args=[merge.pk]), follow=True).content.decode()
    assert "zijn weer gescheiden" in undone
    cafe.refresh_from_db()
    assert (cafe.sector, Organisation.objects.get(pk=pharmacy.pk).name) == (
        "horeca",
        "Apotheek De Gouden Leeuw",
    )


def test_a_merge_cannot_be_undone_after_the_undo_period(cafe, pharmacy, marloes):
    kept = merge_organisations(keep=cafe, duplicate=pharmacy, user=marloes, numbers_confirmed=True)
    MergeRecord.objects.update(merged_at=WHEN - dt.timedelta(days=merging.UNDO_DAYS + 1))

    with pytest.raises(MergeError, match="30 dagen"):
        undo_merge(merge=MergeRecord.objects.get(), user=marloes)
    assert not Organisation.objects.filter(pk=pharmacy.pk).exists()
    assert merging.forget_old_merges() == 1
    assert kept.pk == cafe.pk


def test_a_person_merge_is_undone_with_addresses_phones_and_consents(cafe, marloes):
    fatima = make_person("Fatima", "Bouzid", email="fatima@korenschoof.nl", organisation=cafe)
    again = make_person("F.", "Bouzid", email="f.bouzid@example.nl", organisation=cafe, title="Eigenaar")
    PhoneNumber.objects.create(person=again, number="+31612345678")
    PhoneNumber.objects.create(person=fatima, number="+31612345678")
    Consent.objects.create(
        person=again, topic="nieuwsbrief_dienst", granted=True, recorded_at=WHEN, source="medewerker"
    )
    make_visit(cafe, attendees=[fatima, again])
    before = picture(again), picture(fatima)

    kept = merge_people(keep=fatima, duplicate=again, user=marloes)
    undo_merge(merge=kept.merge_record, user=marloes)

    assert (picture(Person.objects.get(pk=again.pk)), picture(Person.objects.get(pk=fatima.pk))) == before
    assert Person.objects.get(pk=again.pk).emails.get().is_primary


def test_erasing_either_person_erases_what_a_merge_kept_of_the_other(cafe, marloes):
    fatima = make_person("Fatima", "Bouzid", email="fatima@korenschoof.nl")
    again = make_person("Fatima", "Bouzid", email="f.bouzid@example.nl")
    merge_people(keep=fatima, duplicate=again, user=marloes)
    erase_person(person=fatima, user=marloes)
    assert not MergeRecord.objects.exists()

    ahmed = make_person("Ahmed", "Yilmaz", email="ahmed@example.nl")
    twice = make_person("Ahmed", "Yilmaz", email="a.yilmaz@example.nl")
    undo_merge(merge=merge_people(keep=ahmed, duplicate=twice, user=marloes).merge_record, user=marloes)
    erase_person(person=Person.objects.get(pk=twice.pk), user=marloes)  # the one that came back
    assert not MergeRecord.objects.exists()


# Likely duplicates ------------------------------------------------------------------------------


def test_likely_duplicates_by_kvk_address_and_similar_name_on_any_database(django_assert_max_num_queries):
    korenschoof = make_organisation("Bakkerij De Korenschoof", kvk_number="11111111", house_number="3")
    make_organisation("Bakkerij Korenschoof B.V.", kvk_number="", street="Kerkstraat", house_number="9")
    make_organisation("Korenschoof", kvk_number="11111111", street="Havenkade", house_number="2")
    make_organisation("Slagerij Jansen", kvk_number="22222222", house_number="3")  # shares the address
    # One company, two branches: not duplicates.
    make_organisation("Hema Markt", kvk_number="33333333", branch_number="000011112222", house_number="50")
    make_organisation("Hema Station", kvk_number="33333333", branch_number="000033334444", house_number="60")
    for number in range(20):
        make_organisation(
            f"Winkel {chr(65 + number)}{number}x", kvk_number="", house_number=str(100 + number)
        )

    with django_assert_max_num_queries(3):
        candidates = likely_duplicates("organisation")

    found = {frozenset((c.first.name, c.second.name)): c.reason_labels for c in candidates}
    assert found[frozenset(("Bakkerij De Korenschoof", "Korenschoof"))][0] == "Zelfde KvK-nummer"
    assert "Vergelijkbare naam" in found[frozenset(("Bakkerij De Korenschoof", "Bakkerij Korenschoof B.V."))]
    assert found[frozenset(("Bakkerij De Korenschoof", "Slagerij Jansen"))] == ["Zelfde adres"]
    assert frozenset(("Hema Markt", "Hema Station")) not in found
    assert not any("Winkel" in name for pair in found for name in pair)
    assert korenschoof in {c.first for c in candidates} | {c.second for c in candidates}


def test_not_a_duplicate_is_remembered_and_needs_a_post(client, sanne, cafe):
    twin = make_organisation("Cafe de Gouden Leeuw", kvk_number="")
    client.force_login(sanne)
    url = reverse("crm_merge_duplicates") + "?kind=organisation"
    page = client.get(url).content.decode()
    assert "Café De Gouden Leeuw" in page and "Cafe de Gouden Leeuw" in page
    assert reverse("crm_merge_compare", args=["organisation", cafe.pk, twin.pk]) in page

    client.get(url + f"&first={cafe.pk}&second={twin.pk}")
    assert "Cafe de Gouden Leeuw" in client.get(url).content.decode()
    response = client.post(url, {"first": cafe.pk, "second": twin.pk}, follow=True)

    assert "Cafe de Gouden Leeuw" not in response.content.decode().split("Mogelijke dubbelen")[-1]
    assert client.post(url, {"first": "x", "second": twin.pk}, follow=True).status_code == 200


def test_likely_duplicate_people_by_phone_and_name(marloes):
    fatima = make_person("Fatima", "Bouzid")
    make_person("Fatima", "Bouzit")
    PhoneNumber.objects.create(person=fatima, number="+31612345678")
    other = make_person("Ahmed", "Yilmaz")
    PhoneNumber.objects.create(person=other, number="+31612345678")

    found = {frozenset((str(c.first), str(c.second))): c.reason_labels for c in likely_duplicates("person")}

    assert found[frozenset(("Fatima Bouzid", "Fatima Bouzit"))] == ["Vergelijkbare naam"]
    assert found[frozenset(("Fatima Bouzid", "Ahmed Yilmaz"))] == ["Zelfde telefoonnummer"]
