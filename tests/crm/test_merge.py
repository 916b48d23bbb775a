"""Merging duplicate organisations and people: the services and the three admin screens."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from crm.merging import MergeError, merge_organisations, merge_people
from crm.models import (
    Consent,
    EmailAddress,
    FollowUp,
    ImportBatch,
    ImportedRecord,
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
from tests.builders import VISIT_TIME, make_organisation, make_person, make_visit

pytestmark = pytest.mark.django_db

WHEN = VISIT_TIME


@pytest.fixture
def bakery(db):
    return make_organisation("Bakkerij De Korenschoof", email="")


@pytest.fixture
def bakery_twice(db):
    """The same bakery, imported a second time with a typo and an email address."""
    return make_organisation(
        "Bakkerij de Koorenschoof", email="info@korenschoof.nl", website="", kvk_number=""
    )


@pytest.fixture
def council(db):
    return make_organisation("Gemeente Veldhaven", kind=Organisation.Kind.MUNICIPALITY)


# Organisations --------------------------------------------------------------------------------


def test_merge_organisations_moves_everything_to_the_record_kept(
    bakery, bakery_twice, council, marloes, themes
):
    shared = make_visit(bakery, bakery_twice)
    make_visit(bakery, days=1)
    only_duplicate = make_visit(bakery_twice, days=2)
    Signal.objects.create(
        interaction=only_duplicate, organisation=bakery_twice, kind="overig", created_at=WHEN
    )
    FollowUp.objects.create(organisation=bakery_twice, description="Bellen", due_on=dt.date(2026, 4, 1))
    premises = Premises.objects.create(street="Marktstraat", house_number="1", owner=bakery_twice)
    Occupancy.objects.create(premises=premises, organisation=bakery_twice, started_on=dt.date(2020, 1, 1))
    StakeholderPositionChange.objects.create(organisation=bakery_twice, influence=3, changed_at=WHEN)
    fatima = make_person("Fatima", "Bouzid", organisation=bakery_twice)
    ahmed = make_person("Ahmed", "Bouzid", organisation=bakery, title="")
    Role.objects.create(person=ahmed, organisation=bakery_twice, title="Bedrijfsleider")
    bakery.interests.add(themes["evenementen"])
    bakery_twice.interests.add(themes["evenementen"], themes["duurzaamheid"])
    batch = ImportBatch.objects.create(filename="leden.csv")
    content_type = ContentType.objects.get_for_model(Organisation)
    ImportedRecord.objects.create(batch=batch, content_type=content_type, object_id=bakery_twice.pk)
    duplicate_pk = bakery_twice.pk

    kept = merge_organisations(keep=bakery, duplicate=bakery_twice, user=marloes)

    assert not Organisation.objects.filter(pk=duplicate_pk).exists()
    assert kept.interactions.count() == 3  # the shared visit counts once
    assert set(shared.organisations.all()) == {bakery}
    assert kept.signals.count() == 1
    assert kept.follow_ups.count() == 1
    assert kept.owned_premises.get() == premises
    assert kept.occupancies.count() == 1
    assert kept.position_changes.count() == 1
    assert {role.person for role in kept.roles.all()} == {fatima, ahmed}
    assert Role.objects.get(person=ahmed).title == "Bedrijfsleider"  # the empty title is filled in
    assert {interest.slug for interest in kept.interests.all()} == {"evenementen", "duurzaamheid"}
    assert not ImportedRecord.objects.exists()  # see test_undoing_the_import_of_a_duplicate_…
    assert LogEntry.objects.get(additional_data__event="merged").additional_data["import_batches"] == [
        batch.pk
    ]
    kept.refresh_from_db()
    assert kept.email == "info@korenschoof.nl"
    assert kept.name == "Bakkerij De Korenschoof"
    assert "info@korenschoof.nl" in kept.search_text


def test_merge_organisations_writes_what_was_merged_on_the_record_kept(bakery, bakery_twice, marloes):
    make_visit(bakery_twice)
    duplicate_pk = bakery_twice.pk

    merge_organisations(keep=bakery, duplicate=bakery_twice, user=marloes)

    entry = LogEntry.objects.get(additional_data__event="merged")
    assert entry.actor == marloes
    assert entry.object_id == bakery.pk
    assert entry.additional_data["duplicate_id"] == duplicate_pk
    assert entry.additional_data["moved"]["interactions"] == 1
    assert entry.changes["email"] == ["", "info@korenschoof.nl"]
    deleted = LogEntry.objects.get(object_id=duplicate_pk, action=LogEntry.Action.DELETE)
    assert deleted.actor == marloes


def test_merge_organisations_keeps_relations_valid(bakery, bakery_twice, council, marloes):
    owner = make_organisation("Vastgoed BV", kind=Organisation.Kind.PROPERTY_OWNER)
    Relation.objects.create(from_organisation=bakery, to_organisation=council, kind="lid_van")
    Relation.objects.create(from_organisation=bakery_twice, to_organisation=council, kind="lid_van")
    Relation.objects.create(from_organisation=bakery_twice, to_organisation=bakery, kind="partner_van")
    Relation.objects.create(from_organisation=owner, to_organisation=bakery_twice, kind="pandeigenaar_van")

    merge_organisations(keep=bakery, duplicate=bakery_twice, user=marloes)

    assert set(Relation.objects.values_list("from_organisation", "to_organisation", "kind")) == {
        (bakery.pk, council.pk, "lid_van"),
        (owner.pk, bakery.pk, "pandeigenaar_van"),
    }


def test_an_organisation_cannot_be_merged_with_itself(bakery, marloes):
    with pytest.raises(MergeError):
        merge_organisations(keep=bakery, duplicate=bakery, user=marloes)


# People ---------------------------------------------------------------------------------------


def test_merge_people_moves_addresses_roles_contacts_and_consents(bakery, council, marloes, themes):
    fatima = make_person("Fatima", "Bouzid", email="fatima@korenschoof.nl", organisation=bakery)
    again = make_person("", "Bouzid", email="f.bouzid@example.nl", organisation=bakery, title="Eigenaar")
    Role.objects.create(person=again, organisation=council, title="Lid ondernemersraad")
    PhoneNumber.objects.create(person=again, number="+31612345678")
    again.interests.add(themes["wonen"])
    visit = make_visit(bakery, attendees=[again])
    make_visit(bakery, attendees=[fatima, again], days=1)
    Consent.objects.create(
        person=fatima, topic="nieuwsbrief_dienst", granted=True, recorded_at=WHEN, source="medewerker"
    )
    Consent.objects.create(
        person=again,
        topic="nieuwsbrief_dienst",
        granted=False,
        recorded_at=WHEN + dt.timedelta(days=5),
        source="afmelding",
    )

    kept = merge_people(keep=fatima, duplicate=again, user=marloes)

    assert not Person.objects.filter(pk=again.pk).exists()
    assert set(kept.emails.values_list("email", "is_primary")) == {
        ("fatima@korenschoof.nl", True),
        ("f.bouzid@example.nl", False),
    }
    assert {role.organisation for role in kept.roles.all()} == {bakery, council}
    assert kept.interactions.count() == 2
    assert list(visit.attendees.all()) == [fatima]
    assert kept.phones.get().number == "+31612345678"
    assert kept.interests.get().slug == "wonen"
    assert kept.consents.count() == 2
    assert kept.consents.first().granted is False  # the newest row, from the duplicate, is current
    kept.refresh_from_db()
    assert "f.bouzid@example.nl" in kept.search_text


def test_merge_people_takes_the_duplicates_primary_address_when_keep_has_none(marloes):
    keep = make_person("Fatima", "Bouzid")
    EmailAddress.objects.create(person=keep, email="oud@example.nl", is_primary=False)
    duplicate = make_person("Fatima", "Bouzid", email="fatima@korenschoof.nl")

    merge_people(keep=keep, duplicate=duplicate, user=marloes)

    assert keep.emails.get(is_primary=True).email == "fatima@korenschoof.nl"


def test_an_erased_person_cannot_be_merged(marloes):
    fatima = make_person("Fatima", "Bouzid")
    erased = make_person("Fatima", "Bouzid")
    erase_person(person=erased, user=marloes)

    with pytest.raises(MergeError):
        merge_people(keep=fatima, duplicate=erased, user=marloes)
    with pytest.raises(MergeError):
        merge_people(keep=erased, duplicate=fatima, user=marloes)
    with pytest.raises(MergeError):
        merge_people(keep=fatima, duplicate=fatima, user=marloes)


# Screens --------------------------------------------------------------------------------------


def test_accountmanager_finds_the_duplicate_compares_and_merges(client, sanne, bakery, bakery_twice):
    make_visit(bakery_twice)
    client.force_login(sanne)

    start = client.get(reverse("crm_merge"), {"kind": "organisation", "q": "Korenschoof"}).content.decode()
    assert reverse("crm_merge_choose", args=["organisation", bakery.pk]) in start

    choose_url = reverse("crm_merge_choose", args=["organisation", bakery.pk])
    by_name = client.get(choose_url, {"q": "koorenschoof"}).content.decode()
    by_id = client.get(choose_url, {"q": str(bakery_twice.pk)}).content.decode()
    compare_url = reverse("crm_merge_compare", args=["organisation", bakery.pk, bakery_twice.pk])
    assert compare_url in by_name
    assert compare_url in by_id

    comparison = client.get(compare_url).content.decode()
    assert "Bakkerij De Korenschoof" in comparison and "Bakkerij de Koorenschoof" in comparison
    assert "info@korenschoof.nl" in comparison
    assert 'name="take_email" value="duplicate" checked' in comparison  # the empty field is filled
    assert "Ja, samenvoegen" in comparison

    response = client.post(compare_url, follow=True)

    assert response.redirect_chain[-1][0].startswith("/admin/crm/merge/done/")
    assert "is samengevoegd met" in response.content.decode()
    assert not Organisation.objects.filter(pk=bakery_twice.pk).exists()
    assert bakery.interactions.count() == 1
    # The request's user is the actor of every entry the merge wrote.
    assert LogEntry.objects.get(additional_data__event="merged").actor == sanne
    assert LogEntry.objects.get(object_id=bakery_twice.pk, action=LogEntry.Action.DELETE).actor == sanne


def test_merge_screens_show_the_error_of_a_refused_merge(client, marloes):
    fatima = make_person("Fatima", "Bouzid")
    client.force_login(marloes)

    response = client.post(reverse("crm_merge_compare", args=["person", fatima.pk, fatima.pk]), follow=True)

    assert "kan niet met zichzelf worden samengevoegd" in response.content.decode()
    assert Person.objects.filter(pk=fatima.pk).exists()


def test_merge_is_refused_without_the_merge_permission(client, pieter, bakery, bakery_twice):
    client.force_login(pieter)

    compare_url = reverse("crm_merge_compare", args=["organisation", bakery.pk, bakery_twice.pk])
    assert client.get(reverse("crm_merge")).status_code in (302, 403)
    assert client.post(compare_url).status_code in (302, 403)
    assert Organisation.objects.filter(pk=bakery_twice.pk).exists()


def test_merge_menu_item_is_shown_to_those_who_may_merge(client, sanne, pieter):
    client.force_login(sanne)
    assert "Samenvoegen" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(pieter)
    assert "Samenvoegen" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_hostile_html_in_a_name_is_escaped_on_the_merge_screens(client, marloes):
    hostile = make_organisation("<script>alert(1)</script>")
    other = make_organisation("<img src=x onerror=alert(2)>")
    client.force_login(marloes)

    pages = [
        client.get(reverse("crm_merge"), {"kind": "organisation", "q": "script"}).content.decode(),
        client.get(
            reverse("crm_merge_choose", args=["organisation", hostile.pk]), {"q": "img"}
        ).content.decode(),
        client.get(
            reverse("crm_merge_compare", args=["organisation", hostile.pk, other.pk])
        ).content.decode(),
    ]

    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2]


def test_undoing_the_import_of_a_duplicate_does_not_delete_the_merged_record(bakery, bakery_twice, marloes):
    from crm.importing import undo_import

    ahmed = make_person("Ahmed", "Bouzid", organisation=bakery)
    batch = ImportBatch.objects.create(filename="leden.csv", status=ImportBatch.Status.DONE)
    content_type = ContentType.objects.get_for_model(Organisation)
    ImportedRecord.objects.create(batch=batch, content_type=content_type, object_id=bakery_twice.pk)
    merge_organisations(keep=bakery, duplicate=bakery_twice, user=marloes)

    undo_import(batch=batch, user=marloes)

    assert Organisation.objects.filter(pk=bakery.pk).exists()
    assert Role.objects.filter(person=ahmed, organisation=bakery).exists()
