"""Entering CRM records by hand: Dutch identifiers are checked and tidied, history is kept."""

import pytest
from django.core.exceptions import ValidationError

from crm.models import Organisation, PhoneNumber, StakeholderPositionChange
from tests.builders import make_organisation, make_person


@pytest.mark.django_db
def test_kvk_postcode_and_phone_are_stored_in_their_one_canonical_form():
    shop = Organisation(name="Kaashuis", kvk_number="1234 5678", postcode="4811ab", town="Veldhaven")
    shop.full_clean()
    assert (shop.kvk_number, shop.postcode) == ("12345678", "4811 AB")
    phone = PhoneNumber(person=make_person(), number="06-12345678")
    phone.full_clean()
    assert phone.number == "+31612345678"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("kvk_number", "1234567", "Een KvK-nummer heeft precies 8 cijfers"),
        ("kvk_number", "1234567A", "Een KvK-nummer heeft precies 8 cijfers"),
        ("kvk_number", "00000000", "is geen KvK-nummer: geen KvK-nummer begint met 00"),
        ("kvk_number", "0012 3456", "is geen KvK-nummer: geen KvK-nummer begint met 00"),
        ("branch_number", "12345", "Een vestigingsnummer heeft precies 12 cijfers"),
        ("branch_number", "000000000000", "is geen vestigingsnummer"),
        ("postcode", "481 AB", "is geen Nederlandse postcode"),
        ("email", "info@@kaas", "e-mailadres"),
        ("name", "", "Dit veld kan niet leeg zijn"),
    ],
)
def test_wrong_identifiers_get_a_clear_dutch_message(field, value, message):
    shop = Organisation(name="Kaashuis", town="Veldhaven")
    setattr(shop, field, value)
    with pytest.raises(ValidationError) as refused:
        shop.full_clean()
    assert message in " ".join(refused.value.message_dict[field])


@pytest.mark.django_db
def test_a_number_nobody_can_call_is_refused():
    with pytest.raises(ValidationError) as refused:
        PhoneNumber(person=make_person(), number="12").full_clean()
    assert "geen telefoonnummer" in refused.value.message_dict["number"][0]


@pytest.mark.django_db
def test_changing_the_attitude_in_the_edit_form_keeps_the_old_position_in_history(client, marloes):
    shop = make_organisation(attitude="neutraal", influence=2, interest_level=3)
    client.force_login(marloes)
    form = client.get(f"/admin/crm/organisations/edit/{shop.pk}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "interests"}
    data.update(attitude="criticus", influence=4, interest_level=3, interests=[])
    response = client.post(f"/admin/crm/organisations/edit/{shop.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    change = StakeholderPositionChange.objects.get(organisation=shop)
    assert (change.attitude, change.influence, change.changed_by) == ("criticus", 4, marloes)


@pytest.mark.django_db
def test_organisation_names_are_escaped_in_the_list(client, marloes):
    make_organisation('=HYPERLINK("x")<b>vet</b>')
    client.force_login(marloes)
    page = client.get("/admin/crm/organisations/").text
    assert "<b>vet</b>" not in page and "&lt;b&gt;vet&lt;/b&gt;" in page


@pytest.mark.django_db
@pytest.mark.parametrize("kvk", ["01012345", "09876543", "33123456", "99999999"])
def test_real_kvk_numbers_of_every_era_pass(kvk):
    """The old regional chambers' numbers start 01–…; a branch number may start with zeros."""
    Organisation(name="Kaashuis", town="Veldhaven", kvk_number=kvk, branch_number="000012345678").full_clean()
