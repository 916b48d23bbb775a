"""The import service: files in every shape Dutch offices make them, matching, refusals and undo."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from crm.importing import (
    MAX_FILE_SIZE,
    ImportFileError,
    ImportUndoError,
    guess_mapping,
    import_organisations,
    undo_import,
)
from crm.models import (
    Consent,
    EmailAddress,
    ImportBatch,
    ImportedRecord,
    Organisation,
    Person,
    PhoneNumber,
    Role,
)
from tests.builders import make_organisation, make_person

HEADER = ["Bedrijfsnaam", "KvK-nummer", "Straat", "Huisnummer", "Postcode", "Plaats", "E-mail", "Telefoon",
          "Branche", "Contactpersoon voornaam", "Contactpersoon achternaam", "Contactpersoon e-mail",
          "Functie"]  # fmt: skip


def shop(n: int, **overrides) -> dict:
    row = {
        "Bedrijfsnaam": f"Winkel {n}",
        "KvK-nummer": f"{40000000 + n}",
        "Straat": "Marktstraat",
        "Huisnummer": str(n),
        "Postcode": "4811 AB",
        "Plaats": "Veldhaven",
        "E-mail": f"info{n}@winkel.example",
        "Telefoon": "040 123 4567",
        "Branche": "horeca",
        "Contactpersoon voornaam": "Fatima",
        "Contactpersoon achternaam": f"Bouzid{n}",
        "Contactpersoon e-mail": f"fatima{n}@winkel.example",
        "Functie": "Eigenaar",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, header=HEADER, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    lines = [delimiter.join(header)]
    lines += [delimiter.join(str(row.get(column, "")) for column in header) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(data: bytes, user=None, filename="lijst.csv", **kwargs) -> ImportBatch:
    return import_organisations(file=data, filename=filename, user=user, **kwargs)


def reasons(batch: ImportBatch) -> dict[int, str]:
    return {row["line"]: row["reason"] for row in batch.rejected_rows if not row.get("kept")}


def notes(batch: ImportBatch) -> dict[int, str]:
    return {row["line"]: row["reason"] for row in batch.rejected_rows if row.get("kept")}


# --- reading files ------------------------------------------------------------------------------


def test_a_semicolon_csv_creates_organisations_with_their_contact_person(marloes):
    batch = run(csv_bytes([shop(1), shop(2)]), user=marloes)

    assert (batch.status, batch.created_count, batch.matched_count, batch.rejected_count) == (
        "klaar",
        2,
        0,
        0,
    )
    winkel = Organisation.objects.get(name="Winkel 1")
    assert winkel.kvk_number == "40000001"
    assert winkel.postcode == "4811 AB"
    assert winkel.phone == "+31401234567"
    assert winkel.sector == Organisation.Sector.HORECA
    assert "winkel 1" in winkel.search_text and "4811ab" in winkel.search_text
    role = Role.objects.get(organisation=winkel)
    assert (role.person.full_name, role.title, role.is_primary_contact) == (
        "Fatima Bouzid1",
        "Eigenaar",
        True,
    )
    assert role.person.emails.get().email == "fatima1@winkel.example"
    assert "fatima1@winkel.example" in role.person.search_text


def test_a_comma_separated_utf8_file_with_a_bom_is_read(db):
    rows = [shop(1, **{"Bedrijfsnaam": "Café Één"})]
    batch = run(csv_bytes(rows, delimiter=",", bom=True))

    assert batch.created_count == 1
    assert Organisation.objects.get().name == "Café Één"


def test_a_windows_1252_file_from_dutch_excel_keeps_its_accents(db):
    rows = [
        shop(1, **{"Bedrijfsnaam": "Brasserie Één & Zoë", "Contactpersoon achternaam": "Müller-Lüdenscheidt"})
    ]
    data = csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    batch = run(data)

    assert batch.created_count == 1
    assert Organisation.objects.get().name == "Brasserie Één & Zoë"
    assert Person.objects.get().last_name == "Müller-Lüdenscheidt"


def test_an_xlsx_workbook_is_read_with_numbers_as_text(db):
    data = xlsx_bytes(
        [
            ["Naam", "KvK", "Postcode", "Plaats", "Telefoon"],
            ["IJssalon Venezia", 12345678, "4811ab", "Veldhaven", 612345678],
            [None, None, None, None, None],
            ["Boekhandel Plantage", "87654321", "4812 CD", "Veldhaven", "+31 40 765 4321"],
        ]
    )
    batch = run(data, filename="lijst.xlsx")

    assert batch.created_count == 2
    venezia = Organisation.objects.get(name="IJssalon Venezia")
    assert (venezia.kvk_number, venezia.postcode, venezia.phone) == ("12345678", "4811 AB", "+31612345678")


def test_english_column_names_are_recognised_too():
    headers = ["Company", "KvK_number", "Street", "House number", "Zip", "City", "E-mail", "Phone", "Type",
               "First name", "Last name", "Contact email", "Title", "Favourite colour"]  # fmt: skip
    mapping = guess_mapping(headers)

    assert [mapping.get(str(index), "") for index in range(len(headers))] == [
        "name", "kvk_number", "street", "house_number", "postcode", "town", "email", "phone", "kind",
        "contact_first_name", "contact_last_name", "contact_email", "contact_title", "",
    ]  # fmt: skip


def test_a_column_mapped_by_the_user_is_imported(db):
    header = ["Zaak", "Registratie", "Extra"]
    data = csv_bytes([{"Zaak": "Slagerij Kok", "Registratie": "11223344", "Extra": "x"}], header=header)
    batch = run(data, mapping={"0": "name", "1": "kvk_number"})

    assert batch.created_count == 1
    assert Organisation.objects.get().kvk_number == "11223344"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"\r\n  \r\n", "Het bestand is leeg."),
        (b"naam;kvk\r\n", "geen rijen eronder"),
        (b"kvk;plaats\r\n12345678;Veldhaven\r\n", "Geen kolom bevat de naam"),
        (b"naam|kvk|plaats\r\nBakker|12345678|Veldhaven\r\n", "maar één kolom"),
        ("naam;kvk\r\nBakker;1\r\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04 not really a workbook", "geen leesbare Excel-werkmap"),
        (b"naam;plaats\r\n\x81\x8d;Veldhaven\r\n", "geen UTF-8 of Windows-1252"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_stores_nothing(db, data, message):
    existing = make_organisation("Bakkerij De Korenschoof")

    with pytest.raises(ImportFileError, match=message):
        run(data)

    assert list(Organisation.objects.all()) == [existing]
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(db):
    data = io.BytesIO(b"naam;kvk\r\n" + b"x" * (MAX_FILE_SIZE + 10))

    with pytest.raises(ImportFileError, match="groter dan 20 MB"):
        run(data)
    assert not Organisation.objects.exists()


# --- refusing rows -------------------------------------------------------------------------------


def test_a_placeholder_kvk_or_branch_number_is_refused_with_its_line(db):
    rows = [
        shop(1, **{"KvK-nummer": "00000000"}),
        shop(2, **{"KvK-nummer": "0000 0000"}),
        shop(3),
    ]
    batch = run(csv_bytes(rows))

    refused = reasons(batch)
    assert "niet met 00 beginnen" in refused[2] and "00000000" in refused[2]
    assert "0000 0000" in refused[3]
    assert sorted(refused) == [2, 3]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Winkel 3"]


def test_every_row_not_taken_is_reported_with_its_line_and_reason(db):
    rows = [
        shop(1),
        shop(2, **{"KvK-nummer": "1234"}),
        shop(3, **{"Postcode": "48110"}),
        shop(4, **{"E-mail": "info@@winkel"}),
        shop(5, **{"Bedrijfsnaam": "  "}),
        shop(6, **{"Bedrijfsnaam": "<script>alert(1)</script>"}),
        shop(7, **{"Bedrijfsnaam": '=HYPERLINK("http://evil.example","klik")'}),
        shop(8, **{"Bedrijfsnaam": "+cmd|' /C calc'!A0"}),
        shop(9, **{"Bedrijfsnaam": "@Home Woonwinkel"}),
    ]
    batch = run(csv_bytes(rows))

    assert (batch.created_count, batch.rejected_count) == (2, 7)
    refused = reasons(batch)
    assert sorted(refused) == [3, 4, 5, 6, 7, 8, 9]
    assert "precies 8 cijfers" in refused[3]
    assert "48110" in refused[4] and "1234 AB" in refused[4]
    assert "info@@winkel" in refused[5]
    assert refused[6] == "De naam is leeg."
    assert "HTML" in refused[7]
    assert "spreadsheetformule" in refused[8] and "spreadsheetformule" in refused[9]
    assert set(Organisation.objects.values_list("name", flat=True)) == {"Winkel 1", "@Home Woonwinkel"}


def test_reasons_are_given_in_dutch_when_dutch_is_active(db, settings):
    from django.utils import translation

    with translation.override("nl"):
        batch = run(csv_bytes([shop(1, **{"KvK-nummer": "1234"}), shop(2, **{"Bedrijfsnaam": ""})]))

    assert "precies 8 cijfers" in reasons(batch)[2]
    assert reasons(batch)[3] == "De naam is leeg."


def test_a_bad_phone_number_keeps_the_organisation_without_it(db):
    batch = run(csv_bytes([shop(1, Telefoon="bel maar")]))

    assert batch.created_count == 1 and batch.rejected_count == 0
    assert Organisation.objects.get().phone == ""
    assert "bel maar" in notes(batch)[2]


def test_a_line_number_counts_the_header_and_quoted_line_breaks(db):
    data = b'naam;plaats\r\n"Bakker\r\nen zoon";Veldhaven\r\n;Veldhaven\r\n'
    batch = run(data)

    assert reasons(batch) == {4: "De naam is leeg."}


# --- matching and re-importing --------------------------------------------------------------------


def test_reimporting_the_same_file_creates_nothing(db):
    data = csv_bytes([shop(n) for n in range(1, 6)])
    run(data)
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Role.objects.count(),
        EmailAddress.objects.count(),
    )

    again = run(data)

    assert (again.created_count, again.matched_count) == (0, 5)
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Role.objects.count(),
        EmailAddress.objects.count(),
    ) == counts
    assert again.records.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"Bedrijfsnaam": "Andere naam", "E-mail": "ander@x.example"},  # same KvK
        {"KvK-nummer": "", "Bedrijfsnaam": "Andere naam"},  # same email
        {"KvK-nummer": "", "E-mail": "", "Bedrijfsnaam": "bakkerij de korenschoof"},  # same name + postcode
    ],
)
def test_a_row_matching_an_existing_organisation_fills_only_its_empty_fields(db, overrides):
    existing = make_organisation(
        "Bakkerij De Korenschoof", kvk_number="40000001", email="info1@winkel.example", phone="", website=""
    )
    row = shop(1, **{"Bedrijfsnaam": "Bakkerij De Korenschoof", "Straat": "Kerkstraat", **overrides})

    batch = run(csv_bytes([row]))

    assert (batch.created_count, batch.matched_count) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "Bakkerij De Korenschoof"
    assert existing.street == "Marktstraat"  # stored value kept
    assert existing.phone == "+31401234567"  # empty field filled
    assert Organisation.objects.count() == 1


def test_another_branch_of_the_same_business_is_another_organisation(db):
    make_organisation("HEMA Marktstraat", kvk_number="40000001", branch_number="000012345678")
    header = ["Naam", "KvK", "Vestigingsnummer", "Postcode"]
    data = csv_bytes(
        [{"Naam": "HEMA Kerkstraat", "KvK": "40000001", "Vestigingsnummer": "000087654321"}], header=header
    )

    assert run(data).created_count == 1


def test_duplicate_rows_within_one_file_create_one_organisation(db):
    batch = run(csv_bytes([shop(1), shop(1, **{"Telefoon": ""}), shop(1)]))

    assert (batch.created_count, batch.matched_count) == (1, 2)
    assert Organisation.objects.count() == Person.objects.count() == Role.objects.count() == 1


def test_a_known_contact_is_linked_not_created_twice(db):
    fatima = make_person("Fatima", "Bouzid", email="fatima1@winkel.example")

    run(csv_bytes([shop(1)]))

    assert Person.objects.count() == 1
    assert Role.objects.get().person == fatima


# --- consent and newsletters -------------------------------------------------------------------


def test_an_import_never_changes_consent(db):
    """listmonk #2008, Ghost #16268: an import must not resubscribe who unsubscribed."""
    winkel = make_organisation("Winkel 1", kvk_number="40000001")
    fatima = make_person("Fatima", "Bouzid1", email="fatima1@winkel.example", organisation=winkel)
    Consent.objects.create(
        person=fatima,
        topic=Consent.Topic.SERVICE_NEWSLETTER,
        granted=False,
        recorded_at=timezone.now(),
        source=Consent.Source.UNSUBSCRIBE,
    )
    header = [*HEADER, "Nieuwsbrief", "Toestemming"]
    rows = [shop(1, Nieuwsbrief="ja", Toestemming="ja"), shop(2, Nieuwsbrief="ja", Toestemming="ja")]

    run(csv_bytes(rows, header=header))

    assert list(Consent.objects.values_list("person", "granted", "source")) == [
        (fatima.pk, False, "afmelding")
    ]


# --- audit, undo, dry run ----------------------------------------------------------------------


def test_created_records_show_who_imported_them_in_the_audit_trail(marloes):
    batch = run(csv_bytes([shop(1)]), user=marloes)
    organisation = Organisation.objects.get()

    entry = LogEntry.objects.get_for_object(organisation).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, marloes)
    assert entry.changes["name"] == ["None", "Winkel 1"]
    assert batch.created_by == marloes


def test_a_dry_run_writes_nothing(db):
    batch = run(csv_bytes([shop(1), shop(2, **{"KvK-nummer": "12"})]), dry_run=True)

    assert (batch.pk, batch.created_count, batch.rejected_count) == (None, 1, 1)
    assert not Organisation.objects.exists() and not Person.objects.exists()
    assert not ImportBatch.objects.exists() and not LogEntry.objects.exists()


def test_undo_deletes_what_the_import_created_and_keeps_what_existed(marloes):
    existing = make_organisation("Winkel 1", kvk_number="40000001", phone="")
    batch = run(csv_bytes([shop(1), shop(2), shop(3)]), user=marloes)
    assert Organisation.objects.count() == 3

    undo_import(batch=batch, user=marloes)

    batch.refresh_from_db()
    assert (batch.status, batch.undone_at is not None) == ("teruggedraaid", True)
    assert list(Organisation.objects.all()) == [existing]
    assert not Person.objects.exists() and not EmailAddress.objects.exists() and not Role.objects.exists()
    # The matched organisation was never the import's to delete.
    assert not ImportedRecord.objects.filter(
        content_type__model="organisation", object_id=existing.pk
    ).exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.filter(content_type__model="organisation").count() == 2
    assert set(deleted.values_list("actor", flat=True)) == {marloes.pk}
    with pytest.raises(ImportUndoError):
        undo_import(batch=batch, user=marloes)


def test_undo_keeps_a_person_who_made_a_consent_choice_since(db):
    batch = run(csv_bytes([shop(1)]))
    person = Person.objects.get()
    Consent.objects.create(
        person=person,
        topic=Consent.Topic.SERVICE_NEWSLETTER,
        granted=True,
        recorded_at=timezone.now(),
        source=Consent.Source.SIGN_UP,
    )

    result = undo_import(batch=batch, user=None)

    assert result["kept_people"] == 1
    assert Person.objects.get() == person and person.emails.count() == 1
    assert Consent.objects.count() == 1
    assert not Organisation.objects.exists()


def test_phone_numbers_of_contacts_are_stored_in_international_form(db):
    header = ["Naam", "Contactpersoon", "Mobiel"]
    data = csv_bytes(
        [{"Naam": "Kapsalon Knip", "Contactpersoon": "Jan van der Berg", "Mobiel": "06-12345678"}],
        header=header,
    )

    run(data)

    person = Person.objects.get()
    assert (person.first_name, person.last_name) == ("Jan", "van der Berg")
    assert PhoneNumber.objects.get().number == "+31612345678"


# --- batching ----------------------------------------------------------------------------------


def queries_to_import(rows: int, offset: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        batch = run(csv_bytes([shop(offset + n) for n in range(rows)]))
    assert batch.created_count == rows
    return len(captured.captured_queries)


def test_the_import_is_batched_not_a_query_per_row(db):
    make_organisation("Winkel 1", kvk_number="40000001")

    small = queries_to_import(20, offset=1000)
    large = queries_to_import(400, offset=5000)

    # Loading the CRM (4), the batch and its progress, one INSERT per model (and per chunk: SQLite
    # takes at most 999 parameters per statement, so about 40 organisations), the audit trail.
    assert small <= 25
    assert large - small < (400 - 20) / 8, (small, large)
