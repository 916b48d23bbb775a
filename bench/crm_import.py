"""Time the CRM import: 10,000 rows of CSV into a fresh database.

    STADSHART_VAR_DIR=/tmp/bench-import DEBUG=1 .venv/bin/python -m bench.crm_import [ROWS]

Generates a `;`-separated CSV of organisations with a contact person each, imports it with
`crm.importing.import_organisations`, then imports it again (all rows match, nothing is created)
and undoes the first import. Prints rows/s and seconds; asserts nothing about time.
"""

import sys
import time

from bench import common

common.setup_django()

from django.conf import settings  # noqa: E402

# Production runs imports with DEBUG off; DEBUG's cursor wrapper would time its SQL logging instead.
settings.DEBUG = False

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402

STREETS = ["Marktstraat", "Kerkstraat", "Molenstraat", "Stationsweg", "Havenkade", "Nieuwe Gracht"]
FIRST = ["Fatima", "Jan", "Sanne", "Mehmet", "Eva", "Pieter", "Noor", "Daan"]
LAST = ["Bouzid", "de Vries", "Jansen", "Yilmaz", "van den Berg", "Bakker", "Visser", "Smit"]


def generate(rows: int) -> bytes:
    lines = [
        "Bedrijfsnaam;KvK-nummer;Straat;Huisnummer;Postcode;Plaats;E-mail;Telefoon;Branche;"
        "Contactpersoon voornaam;Contactpersoon achternaam;Contactpersoon e-mail;Functie"
    ]
    for n in range(rows):
        lines.append(
            f"Zaak {n} B.V.;{30000000 + n};{STREETS[n % len(STREETS)]};{n % 300 + 1};"
            f"{1000 + n % 8999} {chr(65 + n % 26)}{chr(65 + n // 26 % 26)};Veldhaven;info{n}@zaak.example;"
            f"0{40 + n % 50} {2000000 + n};horeca;{FIRST[n % 8]};{LAST[n % 8]};"
            f"contact{n}@zaak.example;Eigenaar"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    from crm.importing import import_organisations, undo_import
    from crm.models import Organisation

    Organisation.objects.filter(name__startswith="Zaak ").delete()
    data = generate(rows)
    print(f"{rows} rows, {len(data) / 1e6:.1f} MB, database {connection.vendor}")

    figures = {"rows": rows}
    for key, label in (("first_import", "first import"), ("same_file_again", "same file again")):
        reset_queries()
        started = time.perf_counter()
        batch = import_organisations(file=data, filename="bench.csv", user=None)
        seconds = time.perf_counter() - started
        print(
            f"{label}: {seconds:.2f} s, {rows / seconds:,.0f} rows/s "
            f"(created {batch.created_count}, matched {batch.matched_count}, rejected {batch.rejected_count})"
        )
        figures[key] = {"seconds": round(seconds, 2), "rows_per_second": round(rows / seconds)}
        if key == "first_import":
            first = batch
    started = time.perf_counter()
    undo_import(batch=first, user=None)
    seconds = time.perf_counter() - started
    print(f"undo: {seconds:.2f} s")
    common.emit("crm_import", undo_seconds=round(seconds, 2), **figures)


if __name__ == "__main__":
    main()
