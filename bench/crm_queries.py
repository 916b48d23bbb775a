"""Benchmark of the CRM's search, segment counts and stakeholder map at the size of a large centre.

    createdb / psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE h_search_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_search_bench DEBUG=1 .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_search_bench DEBUG=1 .venv/bin/python -m bench.crm_queries

Builds (once; later runs reuse it) ~9,000 organisations, 25,000 people, 9,000 premises, their roles,
interests and ~75,000 consent rows with deterministic invented data, then prints the median and
p95 of each read. Targets: search p95 < 100 ms, segment count < 200 ms.

On the demo centre instead: `--scale N` loads `seed_demo --scale N` into an empty database, or reads
a database that holds it (a copy of a seeded one: `createdb -T bench100 mycopy`, then migrate);
`--only search` measures the search alone: each of the 24 queries, the CRM search page, and the
plans (EXPLAIN ANALYZE) of the slowest queries. Every figure is printed with the load average, as
timings on a shared machine are noisy; the plans' own times and row counts are not.
"""

import argparse
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from bench import common

common.setup_django()

from django.db import connection, transaction  # noqa: E402

from crm.models import Consent, EmailAddress, Interest, Organisation, Person, Premises, Role  # noqa: E402
from crm.queries import segments, stakeholders  # noqa: E402
from crm.queries.search import search  # noqa: E402
from crm.text import search_document  # noqa: E402

ORGANISATIONS, PEOPLE, PREMISES = 9_000, 25_000, 9_000
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TRADES = [
    "Bakkerij",
    "Café",
    "Slagerij",
    "Boekhandel",
    "Kapsalon",
    "Bloemenhuis",
    "Restaurant",
    "Modehuis",
    "Juwelier",
    "Opticien",
    "Fietsenwinkel",
    "Eetcafé",
    "Brasserie",
    "Apotheek",
    "Schoenmakerij",
    "Drogisterij",
    "Lunchroom",
    "IJssalon",
    "Kaashandel",
    "Wijnhandel",
    "Notariskantoor",
    "Reisbureau",
]
NAMES = [
    "De Korenschoof",
    "Het Anker",
    "De Gouden Leeuw",
    "Van Dijk",
    "Jansen",
    "De Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "De Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "De Wit",
    "Dijkstra",
    "Smits",
    "De Graaf",
    "Van der Meer",
    "Kok",
    "Jacobs",
    "Haan",
    "Vermeulen",
    "Van den Berg",
    "Van der Heijden",
    "Schouten",
    "Van Beek",
    "Willems",
    "Van Vliet",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "Kuipers",
    "Zonneveld",
    "Het Hoekje",
    "De Zilveren Maan",
    "Lindenhof",
    "Rozengaard",
    "Élégance",
    "Crème de la Crème",
]
FIRST_NAMES = [
    "Fatima",
    "Sanne",
    "Joost",
    "Anna",
    "Pieter",
    "Marloes",
    "Bram",
    "Eva",
    "Daan",
    "Lotte",
    "Mohammed",
    "Noa",
    "Sem",
    "Julia",
    "Lucas",
    "Emma",
    "Finn",
    "Sophie",
    "Ahmed",
    "Zoë",
    "Thijs",
    "Iris",
    "Ruben",
    "Anouk",
    "Youssef",
    "Fleur",
    "Kees",
    "Mila",
    "Jeroen",
    "Renée",
    "Hüseyin",
    "Chloë",
    "Stijn",
    "Inge",
]
STREETS = [
    "Marktstraat",
    "Kerkstraat",
    "Havenstraat",
    "Molenweg",
    "Nieuwstraat",
    "Hoogstraat",
    "Lange Straat",
    "Korte Straat",
    "Stationsplein",
    "Grote Markt",
    "Kleine Markt",
    "Vismarkt",
    "Brouwersgracht",
    "Oude Gracht",
    "Nieuwe Gracht",
    "Torenstraat",
    "Poststraat",
    "Schoolstraat",
    "Dorpsstraat",
    "Wilhelminastraat",
    "Julianastraat",
    "Beatrixplein",
    "Emmaplein",
    "Lindelaan",
    "Eikenlaan",
    "Kastanjelaan",
    "Bakkersteeg",
    "Smedenstraat",
    "Vleeshouwersstraat",
    "Ginnekenweg",
    "Veemarktstraat",
    "Sint Janstraat",
    "Begijnhof",
    "Kloosterstraat",
    "Raadhuisplein",
    "Waterstraat",
    "Zuivelmarkt",
]
LETTERS = "ABCDEGHJKLMNPRSTVWXZ"


def build():
    if Organisation.objects.count() >= ORGANISATIONS:
        print(
            f"Reusing the data set: {Organisation.objects.count()} organisations, {Person.objects.count()} people"
        )
        return
    rng = random.Random(20261123)
    started = time.perf_counter()
    interests = list(Interest.objects.all())
    with transaction.atomic():
        organisations = []
        for number in range(ORGANISATIONS):
            street = rng.choice(STREETS)
            organisation = Organisation(
                name=f"{rng.choice(TRADES)} {rng.choice(NAMES)}"
                + (f" {number}" if rng.random() < 0.3 else ""),
                kind=rng.choices(Organisation.Kind.values, weights=[70, 10, 1, 3, 3, 4, 1, 1, 7])[0],
                sector=rng.choice(Organisation.Sector.values),
                kvk_number=f"{10_000_000 + number * 7 + rng.randint(0, 6)}",
                street=street,
                house_number=str(rng.randint(1, 250)),
                postcode=f"{rng.randint(4811, 4819)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}",
                town="Veldhaven",
                email=f"info{number}@example.nl",
                lifecycle=rng.choices(Organisation.Lifecycle.values, weights=[10, 80, 10])[0],
                fund_status=rng.choice(Organisation.FundStatus.values),
                influence=rng.choice([None, 1, 2, 3, 4, 5]),
                interest_level=rng.choice([None, 1, 2, 3, 4, 5]),
                attitude=rng.choice(["", "voorstander", "neutraal", "criticus"]),
                last_contact_at=None if rng.random() < 0.2 else NOW - timedelta(days=rng.randint(0, 720)),
            )
            organisation.fill_search_fields()
            organisations.append(organisation)
        Organisation.objects.bulk_create(organisations, batch_size=2000)
        organisations = list(Organisation.objects.order_by("pk"))
        through = Organisation.interests.through
        through.objects.bulk_create(
            [
                through(organisation_id=organisation.pk, interest_id=interest.pk)
                for organisation in organisations
                for interest in rng.sample(interests, rng.randint(0, 4))
            ],
            batch_size=5000,
        )
        people = []
        for number in range(PEOPLE):
            first, last = rng.choice(FIRST_NAMES), rng.choice(NAMES).replace("Het ", "").replace("De ", "de ")
            email = f"{first.lower()}.{number}@example.nl"
            people.append(
                Person(first_name=first, last_name=last, search_text=search_document(first, last, email))
            )
        Person.objects.bulk_create(people, batch_size=2000)
        people = list(Person.objects.order_by("pk"))
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(person_id=person.pk, email=person.search_text.split(" ")[-1], is_primary=True)
                for person in people
            ],
            batch_size=5000,
        )
        roles = []
        for index, person in enumerate(people):
            chosen = {organisations[index % ORGANISATIONS].pk}
            if rng.random() < 0.2:
                chosen.add(rng.choice(organisations).pk)
            roles.extend(Role(person_id=person.pk, organisation_id=pk, title="Eigenaar") for pk in chosen)
        Role.objects.bulk_create(roles, batch_size=5000)
        consents = []
        for person in people:
            for topic in Consent.Topic.values:
                for step in range(rng.randint(0, 2)):
                    consents.append(
                        Consent(
                            person_id=person.pk,
                            topic=topic,
                            granted=rng.random() < 0.7,
                            recorded_at=NOW - timedelta(days=400 - step * 100 - rng.randint(0, 50)),
                            source=Consent.Source.STAFF,
                        )
                    )
        Consent.objects.bulk_create(consents, batch_size=5000)
        premises = []
        for _number in range(PREMISES):
            item = Premises(
                street=rng.choice(STREETS),
                house_number=str(rng.randint(1, 250)),
                postcode=f"{rng.randint(4811, 4819)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}",
                town="Veldhaven",
            )
            item.search_text = search_document(
                item.street_address, item.postcode, item.postcode.replace(" ", ""), item.town
            )
            premises.append(item)
        Premises.objects.bulk_create(premises, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Built {ORGANISATIONS} organisations, {PEOPLE} people, {len(roles)} roles, {len(consents)} consents, "
        f"{PREMISES} premises in {time.perf_counter() - started:.1f} s"
    )


SEARCHES = [
    "korenschoof",
    "korenschof",
    "bakkerij de vries",
    "bakerij",
    "cafe",
    "café het anker",
    "eetcafe",
    "marktstraat",
    "markstraat",
    "4811",
    "4811 ab",
    "4812cd",
    "10000070",
    "1000",
    "fatima",
    "fatma bakker",
    "zoe",
    "crème",
    "creme de la",
    "info42@example",
    "van der meer",
    "hüseyin",
    "kastanjelaan 12",
    "ijssalon",
]
SEGMENTS = [
    {},
    {"kinds": ["ondernemer"], "lifecycles": ["actief"]},
    {"interests": ["evenementen", "duurzaamheid"], "attitudes": ["criticus"]},
    {"postcode_from": 4811, "postcode_to": 4813, "sectors": ["horeca"]},
    {"consent": "nieuwsbrief_dienst"},
    {"consent": "nieuwsbrief_marketing", "kinds": ["ondernemer"], "not_contacted_days": 90},
    {
        "streets": ["Marktstraat", "Kerkstraat"],
        "fund_statuses": ["biz", "vrijwillig"],
        "contacted_within_days": 180,
    },
]
MAPS = [
    stakeholders.MapFilters(),
    stakeholders.MapFilters(interest="evenementen"),
    stakeholders.MapFilters(kind="ondernemer", street="Marktstraat"),
]


FIGURES = {}


def measure(label: str, calls, rounds: int = 5) -> None:
    for call in calls:  # warm up caches and connections
        call()
    timings = []
    for _round in range(rounds):
        for call in calls:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
    figures = FIGURES[label.strip()] = common.spread(timings)
    print(
        f"{label:<28} median {figures['median']:7.1f} ms   p95 {figures['p95']:7.1f} ms   max {figures['max']:7.1f} ms"
        f"   ({len(timings)} runs)"
    )


def load() -> str:
    return "load " + " ".join(f"{value:.1f}" for value in os.getloadavg())


# The search: each query, the page, the plans of the slowest -----------------------------------


def search_each(rounds: int = 5) -> dict:
    """Median ms of each of the 24 searches, and of each kind's query within it."""
    from crm.queries.search import KINDS

    each = {}
    for query in SEARCHES:
        search(query)  # warm up
        timings = []
        for _round in range(rounds):
            started = time.perf_counter()
            search(query)
            timings.append((time.perf_counter() - started) * 1000)
        strict = any(_kind_query(kind, query, every_word=True).exists() for kind in KINDS)
        kinds = {kind: round(_kind_ms(_kind_query(kind, query, every_word=strict)), 1) for kind in KINDS}
        each[query] = {"median": round(statistics.median(timings), 1), "kinds": kinds, "every_word": strict}
        print(f"  {query!r:<20} median {each[query]['median']:7.1f} ms   per kind {kinds}")
    return each


def _kind_query(kind: str, query: str, *, every_word: bool):
    """The last query of one kind as the search runs it: a single word as typed when it fills the
    page, else every word, or the most words when no record has all (crm.queries.search.search)."""
    from crm.queries import search as searching

    finder = {"organisation": searching._organisations, "person": searching._people}.get(kind)
    finder = finder or searching._premises
    words = searching.words_of(query)
    if len(words) == 1 and searching._is_fuzzy(words[0]):
        exact = finder(query, typos=False)[:20]
        if len(exact) == 20:
            return exact.all()
    return finder(query, every_word=every_word)[:20]


def _kind_ms(found) -> float:
    from crm.queries.search import tune_planner

    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tune_planner()
        list(found.all())
    return (time.perf_counter() - started) * 1000


def explain_slowest(each: dict, count: int = 3) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest kind's query of the `count` slowest searches."""
    if connection.vendor != "postgresql":
        return {}
    from crm.queries.search import tune_planner

    plans = {}
    for query in sorted(each, key=lambda query: -each[query]["median"])[:count]:
        kind = max(each[query]["kinds"], key=each[query]["kinds"].get)
        found = _kind_query(kind, query, every_word=each[query]["every_word"])
        sql, params = found.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            tune_planner()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        # The BitmapOr lists one index scan per pattern: count them instead of printing each.
        scans = [line for line in plan if "Bitmap Index Scan" in line]
        shown = [line for line in plan if "Bitmap Index Scan" not in line and "Index Cond" not in line]
        total = next((line for line in plan if line.startswith("Execution Time")), "")
        plans[query] = {"kind": kind, "index_scans": len(scans), "execution": total}
        print(f"\nPlan of {query!r}, {kind} ({len(scans)} bitmap index scans, {load()}):")
        print("\n".join("    " + line[:160] for line in shown[:24]))
    return plans


def search_page(rounds: int = 5) -> dict | None:
    """The CRM search page (the view, its template and the three searches), as a staff member sees it."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from stadshart import mfa

    staff = get_user_model().objects.filter(groups__name="Accountmanager").first()
    staff = staff or get_user_model().objects.filter(is_superuser=True).first()
    if staff is None:
        print("search page: no staff user to sign in with (seed_demo makes them)")
        return None
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    client.force_login(staff)
    session = client.session  # signed in and past the second factor, as after a real login
    mfa.mark_verified(session, staff, "bench")
    session.save()
    timings = []
    for query in SEARCHES:
        client.get("/admin/crm/search/", {"q": query})  # warm up
        for _round in range(rounds):
            started = time.perf_counter()
            response = client.get("/admin/crm/search/", {"q": query})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    figures = FIGURES["search page"] = common.spread(timings)
    print(
        f"{'search page (24 queries)':<28} median {figures['median']:7.1f} ms   p95 {figures['p95']:7.1f} ms"
        f"   max {figures['max']:7.1f} ms   ({len(timings)} runs, {load()})"
    )
    return figures


def measure_search() -> dict:
    print(f"Search ({load()}):")
    each = search_each()
    measure("search (24 queries)", [lambda q=q: search(q) for q in SEARCHES])
    print(f"  ({load()})")
    page = search_page()
    plans = explain_slowest(each)
    return {"each_ms": each, "page_ms": page, "plans": plans}


def seeded(scale: int) -> None:
    """`--scale N`: the demo centre (`seed_demo --scale N`, e.g. a copy of the bench100 template) instead
    of this script's own data set; seeded here when the database is empty."""
    from django.core.management import call_command

    if not Organisation.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, verbosity=0)
        print(f"seed_demo --scale {scale}: {time.perf_counter() - started:.0f} s")
    print(
        f"Demo centre at scale {scale}: {Organisation.objects.count()} organisations, "
        f"{Person.objects.count()} people, {Consent.objects.count()} consents"
    )


def explain_segments_and_circles() -> None:
    """EXPLAIN ANALYZE of the slowest query of the segment counts and the shared interests."""
    from django.test.utils import CaptureQueriesContext

    reads = {
        "segment list (7 at once)": lambda: segments.count_many(dict(enumerate(SEGMENTS)), now=NOW),
        "shared interests": lambda: stakeholders.circles(stakeholders.MapFilters()),
    }
    for name, read in reads.items():
        with CaptureQueriesContext(connection) as captured:
            read()
        print(f"{name}: {len(captured.captured_queries)} queries")
        common.print_plans(name, captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", type=int, default=0, help="the demo centre of seed_demo --scale N (0: the own build)"
    )
    parser.add_argument("--only", choices=["all", "search"], default="all")
    parser.add_argument("--plans", action="store_true", help="print the slowest queries' EXPLAIN ANALYZE")
    args = parser.parse_args()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}; load {common.load_average()}")
    if args.scale:
        seeded(args.scale)
    else:
        build()
    sizes = {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "premises": Premises.objects.count(),
    }
    print(f"scale {args.scale or 'own build'}: {sizes}, {load()}")
    searched = measure_search()
    if args.only == "search":
        common.emit(
            "crm_queries", scale=args.scale, load=os.getloadavg(), **sizes, reads_ms=FIGURES, search=searched
        )
        return
    if args.plans:
        explain_segments_and_circles()
    measure("segment count (7 combos)", [lambda f=f: segments.count(f, now=NOW) for f in SEGMENTS])
    for filters in SEGMENTS:
        measure(f"  count {str(filters)[:40]}", [lambda f=filters: segments.count(f, now=NOW)], rounds=3)
    measure("segment list (7 at once)", [lambda: segments.count_many(dict(enumerate(SEGMENTS)), now=NOW)])
    measure(
        "people_in list (7 combos)",
        [lambda f=f: list(segments.people_in(f, now=NOW).values_list("pk")) for f in SEGMENTS],
        rounds=2,
    )
    measure("stakeholder map (3 filters)", [lambda f=f: stakeholders.map_points(f) for f in MAPS])
    measure("shared interests (3)", [lambda f=f: stakeholders.circles(f) for f in MAPS])
    for query in ("korenschof", "markstraat", "fatma bakker"):
        found = search(query, limit=3)
        print(f"  {query!r}: " + "; ".join(f"{r.kind}: {r.title}" for r in found[:4]))
    print(f"load average after: {common.load_average()}")
    common.emit(
        "crm_queries", scale=args.scale, load=os.getloadavg(), **sizes, reads_ms=FIGURES, search=searched
    )


if __name__ == "__main__":
    main()
