"""Exporting lists: filters honoured, formulas neutralised, permissions, and a round trip."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from crm.exporting import export_organisations, export_people
from crm.importing import import_organisations
from crm.models import Organisation, Person
from stadshart.exports import neutralise
from tests.builders import make_organisation, make_person


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+31612345678", "'+31612345678"),
        ("-Zero Waste-", "'-Zero Waste-"),
        ("@Home", "'@Home"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        (" =1+1", "' =1+1"),
        ('" =1+1', "'\" =1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("'=1+1", "''=1+1"),
        ("Zero-waste @ home", "Zero-waste @ home"),
        ("Bakkerij De Korenschoof", "Bakkerij De Korenschoof"),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_quote(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_organisations_are_exported_with_their_primary_contact(db, fmt):
    bakery = make_organisation("Bakkerij De Korenschoof", kvk_number="01234567", phone="+31401234567")
    make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)
    make_organisation('=HYPERLINK("http://evil.example","klik")', kvk_number="22334455")

    export = export_organisations(Organisation.objects.all(), fmt)

    rows = csv_rows(export.content) if fmt == "csv" else xlsx_rows(export.content)
    header, *data = rows
    assert header[:4] == ["Naam", "Soort", "Sector", "KvK-nummer"]
    assert export.filename.endswith(f".{fmt}") and export.filename.startswith("organisaties-")
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    korenschoof = by_name["Bakkerij De Korenschoof"]
    assert korenschoof["KvK-nummer"] == "01234567"  # leading zero kept
    # CSV has no types, so a quote guards the plus; an XLSX string cell never runs, so none there.
    assert korenschoof["Telefoon"] == ("'+31401234567" if fmt == "csv" else "+31401234567")
    assert korenschoof["Contactpersoon voornaam"] == "Fatima"
    assert korenschoof["Contactpersoon e-mail"] == "fatima@korenschoof.example"
    hyperlink = '=HYPERLINK("http://evil.example","klik")'
    assert ("'" + hyperlink if fmt == "csv" else hyperlink) in by_name


def test_the_export_honours_the_queryset_it_is_given(db):
    make_organisation("Bakkerij De Korenschoof", town="Veldhaven")
    make_organisation("Café Het Hoekje", town="Eindhoven")

    export = export_organisations(Organisation.objects.filter(town="Eindhoven"), "csv")

    assert [row[0] for row in csv_rows(export.content)[1:]] == ["Café Het Hoekje"]


def test_the_number_of_queries_does_not_grow_with_the_list(db, django_assert_max_num_queries):
    for n in range(40):
        organisation = make_organisation(f"Winkel {n}")
        make_person("Jan", f"Jansen{n}", email=f"jan{n}@winkel.example", organisation=organisation)

    with django_assert_max_num_queries(5):
        export_organisations(Organisation.objects.all(), "xlsx")
    with django_assert_max_num_queries(5):
        export_people(Person.objects.all(), "csv")


def test_people_are_exported_with_email_and_organisations(db):
    bakery = make_organisation("Bakkerij De Korenschoof")
    make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)

    header, row = csv_rows(export_people(Person.objects.all(), "csv").content)

    assert header[:5] == ["Voornaam", "Achternaam", "E-mail", "Telefoon", "Organisaties"]
    assert row[:5] == ["Fatima", "Bouzid", "fatima@korenschoof.example", "", "Bakkerij De Korenschoof"]


def test_an_exported_list_imports_again_without_creating_anything(db):
    bakery = make_organisation(
        "Bakkerij De Korenschoof", email="info@korenschoof.example", phone="+31401234567"
    )
    make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)
    export = export_organisations(Organisation.objects.all(), "xlsx")

    batch = import_organisations(file=export.content, filename=export.filename, user=None)

    assert (batch.created_count, batch.matched_count, batch.rejected_count) == (0, 1, 0)
    assert batch.rejected_rows == []  # not even a note: the quoted phone number reads back
    assert Person.objects.count() == 1


def test_the_export_screen_downloads_a_filtered_list(client, sanne):
    make_organisation("Bakkerij De Korenschoof", kind=Organisation.Kind.ENTREPRENEUR)
    make_organisation("Gemeente Veldhaven", kind=Organisation.Kind.MUNICIPALITY)
    client.force_login(sanne)

    page = client.get(reverse("crm_export:index"))
    response = client.get(
        reverse("crm_export:index"), {"list": "organisations", "format": "csv", "kind": "gemeente"}
    )

    assert "Downloaden" in page.content.decode()
    assert response["Content-Disposition"].startswith('attachment; filename="organisaties-')
    assert [row[0] for row in csv_rows(response.content)[1:]] == ["Gemeente Veldhaven"]


def test_the_export_screen_searches_like_the_crm(client, sanne):
    make_organisation("Café Één")
    make_organisation("Bakkerij De Korenschoof")
    client.force_login(sanne)

    response = client.get(
        reverse("crm_export:index"), {"list": "organisations", "format": "xlsx", "q": "cafe een"}
    )

    assert [row[0] for row in xlsx_rows(response.content)[1:]] == ["Café Één"]


def test_people_are_exported_filtered_by_their_organisation(client, sanne):
    make_person("Fatima", "Bouzid", organisation=make_organisation("Bakkerij", kind="ondernemer"))
    make_person("Kees", "Ambtenaar", organisation=make_organisation("Gemeente", kind="gemeente"))
    client.force_login(sanne)

    response = client.get(
        reverse("crm_export:index"), {"list": "people", "format": "csv", "kind": "gemeente"}
    )

    assert [row[1] for row in csv_rows(response.content)[1:]] == ["Ambtenaar"]


def test_exporting_needs_the_export_permission(client, pieter):
    client.force_login(pieter)

    for params in ({}, {"list": "organisations", "format": "csv"}, {"list": "people", "format": "xlsx"}):
        assert client.get(reverse("crm_export:index"), params).status_code in (302, 403)
    assert reverse("crm_export:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_segment_is_exported_exactly_with_the_columns_the_role_gets(client, sanne, lotte):
    from tests.builders import make_segment

    cafe = make_organisation("Café Het Hoekje", sector=Organisation.Sector.HORECA)
    make_person("Joost", "Visser", email="joost@hoekje.example", organisation=cafe)
    bakery = make_organisation("Bakkerij De Korenschoof", sector=Organisation.Sector.RETAIL_DAILY)
    make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)
    horeca = make_segment("Horeca", sectors=["horeca"])
    url = reverse("crm_export:index")

    client.force_login(sanne)
    segment_screen = client.get(reverse("crm_segment:edit", args=[horeca.pk])).text
    assert f"{url}?list=organisations&amp;format=xlsx&amp;segment={horeca.pk}" in segment_screen
    chosen = client.get(url, {"segment": horeca.pk, "list": "people"}).text
    assert f'<option value="{horeca.pk}" selected>Horeca</option>' in chosen
    organisations = csv_rows(
        client.get(url, {"list": "organisations", "format": "csv", "segment": horeca.pk}).content
    )
    assert [row[0] for row in organisations[1:]] == ["Café Het Hoekje"]
    # The export screen's own filters narrow the segment further; they never widen it.
    narrowed = client.get(
        url, {"list": "organisations", "format": "csv", "segment": horeca.pk, "q": "bakkerij"}
    )
    assert csv_rows(narrowed.content)[1:] == []

    for user in (sanne, lotte):  # Accountmanager, Communicatie: each gets the columns of their role
        client.force_login(user)
        everyone = csv_rows(client.get(url, {"list": "people", "format": "csv"}).content)
        segment = csv_rows(client.get(url, {"list": "people", "format": "csv", "segment": horeca.pk}).content)
        assert segment[0] == everyone[0]
        assert [row[:2] for row in segment[1:]] == [["Joost", "Visser"]]

    broken = make_segment("Oud", colour=["rood"])
    refused = client.get(url, {"list": "people", "format": "csv", "segment": broken.pk})
    assert refused.status_code == 400 and "niet meer geldig" in refused.text


def test_a_role_without_the_export_right_cannot_export_a_segment(client, db):
    from tests.builders import make_segment, make_staff

    segment = make_segment("Horeca", sectors=["horeca"])
    client.force_login(make_staff("ruud", "Facilitair"))
    response = client.get(
        reverse("crm_export:index"), {"list": "people", "format": "csv", "segment": segment.pk}
    )
    assert response.status_code in (302, 403)
    assert not response.get("Content-Disposition")
