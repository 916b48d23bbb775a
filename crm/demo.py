"""Demo CRM data for Veldhaven: partners, people, premises and a year of contact.

Bulk inserts only (no per-row queries), so `seed_demo --scale 30` stays fast; bulk inserts skip
save() and the audit trail, so derived search columns are filled here explicitly.
"""

import datetime as dt
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from crm import search_indexes
from crm.models import (
    Consent,
    EmailAddress,
    FollowUp,
    Interaction,
    Interest,
    Occupancy,
    Organisation,
    Person,
    PhoneNumber,
    Premises,
    Relation,
    Role,
    Segment,
    Signal,
    StakeholderPositionChange,
)
from crm.text import search_document
from stadshart import roles
from stadshart.demo import (
    TOWN,
    DemoContext,
    foreign_keys_checked_once,
    indexes_built_after,
    insert_objects,
    insert_rows,
    reserve_ids,
)

# (street, postcode digits, letters): the centre's streets, each with its own postcode area.
STREETS = [
    ("Marktstraat", "4811", "AB"),
    ("Kerkplein", "4811", "AC"),
    ("Havenkade", "4811", "AD"),
    ("Lange Brugstraat", "4811", "AE"),
    ("Korte Brugstraat", "4811", "AG"),
    ("Molenstraat", "4812", "AH"),
    ("Nieuwstraat", "4812", "AJ"),
    ("Stationsweg", "4812", "AK"),
    ("Vismarkt", "4813", "AL"),
    ("Ginnekenweg", "4813", "AM"),
    ("Torenstraat", "4813", "AN"),
    ("Schoolstraat", "4814", "AP"),
]

FIRST_NAMES = [
    "Sanne",
    "Daan",
    "Fatima",
    "Mohammed",
    "Emma",
    "Lucas",
    "Julia",
    "Bram",
    "Noor",
    "Sem",
    "Lotte",
    "Thijs",
    "Yara",
    "Finn",
    "Sara",
    "Jesse",
    "Aylin",
    "Ruben",
    "Mila",
    "Kevin",
    "Esra",
    "Joris",
    "Ilse",
    "Mehmet",
    "Anouk",
    "Wouter",
    "Chantal",
    "Hüseyin",
    "Marieke",
    "Gerrit",
    "Zoë",
    "Joël",
    "Renée",
    "Sven",
    "Priya",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Yılmaz",
    "El Idrissi",
    "Öztürk",
    "Nguyen",
    "Kramer",
    "van Dijk",
    "Verbeek",
    "Koç",
    "Janssens",
    "Willems",
]
BUSINESS_PATTERNS = {
    Organisation.Sector.RETAIL_DAILY: [
        "Bakkerij {last}",
        "Slagerij {last}",
        "Groente & Fruit {first}",
        "Kaashuis {last}",
    ],
    Organisation.Sector.RETAIL_NON_DAILY: [
        "{last} Mode",
        "Boekhandel {last}",
        "Schoenen {first}",
        "Juwelier {last}",
        "Woonwinkel {word}",
    ],
    Organisation.Sector.HORECA: ["Café {word}", "Restaurant {word}", "Eetcafé {last}", "Lunchroom {first}"],
    Organisation.Sector.SERVICES: [
        "Kapsalon {first}",
        "Reisbureau {word}",
        "Makelaardij {last}",
        "Fietsmaker {last}",
    ],
    Organisation.Sector.CULTURE_LEISURE: ["Galerie {word}", "Dansstudio {first}", "Escape Room {word}"],
    Organisation.Sector.CARE: ["Apotheek {word}", "Fysiotherapie {last}", "Opticien {last}"],
    Organisation.Sector.OTHER: ["{word} & Co", "Atelier {first}"],
}
SECTOR_WEIGHTS = [
    (Organisation.Sector.RETAIL_DAILY, 12),
    (Organisation.Sector.RETAIL_NON_DAILY, 30),
    (Organisation.Sector.HORECA, 25),
    (Organisation.Sector.SERVICES, 18),
    (Organisation.Sector.CULTURE_LEISURE, 5),
    (Organisation.Sector.CARE, 6),
    (Organisation.Sector.OTHER, 4),
]
WORDS = [
    "De Gouden Leeuw",
    "Het Anker",
    "De Zwaan",
    "Zuid",
    "Het Pleintje",
    "De Waag",
    "Noorderlicht",
    "De Kroon",
    "Stadsgenoten",
    "Het Hoekje",
    "Bellevue",
    "De Karavaan",
    "Sterk",
    "Het Wapen",
]
OTHER_PARTNERS = [
    (Organisation.Kind.MUNICIPALITY, f"Gemeente {TOWN}"),
    (Organisation.Kind.RESIDENTS, "Bewonersvereniging Binnenstad"),
    (Organisation.Kind.RESIDENTS, "Wijkraad Havenkwartier"),
    (Organisation.Kind.RESIDENTS, "Buurtvereniging Molenwijk"),
    (Organisation.Kind.EDUCATION, f"Hogeschool {TOWN}"),
    (Organisation.Kind.EDUCATION, "ROC De Rivieren"),
    (Organisation.Kind.EDUCATION, "Basisschool De Regenboog"),
    (Organisation.Kind.CULTURE, f"Stadsschouwburg {TOWN}"),
    (Organisation.Kind.CULTURE, "Poppodium De Loods"),
    (Organisation.Kind.CULTURE, f"Museum {TOWN}"),
    (Organisation.Kind.CITY_MARKETING, f"{TOWN} Marketing / VVV"),
    (Organisation.Kind.SAFETY, f"Politie basisteam {TOWN}"),
    (Organisation.Kind.SAFETY, "Handhaving (BOA's) gemeente"),
    (Organisation.Kind.OTHER, "Marktvereniging"),
]
PROPERTY_OWNERS = ["Vastgoed", "Beleggingen", "Holding", "Pandbeheer", "Investments"]
NOTES = [
    "Ondernemer is tevreden over de kerstverlichting, wil graag meedoen aan de koopzondag.",
    "Klachten over afval naast de containers in de steeg; graag vaker legen.",
    "Overweegt te verhuizen als de huur omhoog gaat; pand is eigenlijk te groot.",
    "Positief over het ondernemersfonds, wil wel weten waar het geld aan besteed wordt.",
    "Fietsen voor de deur blokkeren de ingang; vraagt om extra fietsenrekken.",
    "Idee: een proeverij met de horeca op de Vismarkt in het voorjaar.",
    "Nieuwe eigenaar sinds kort, nog niet bekend met de centrumorganisatie.",
    "Zorgen over overlast 's avonds en vernielingen aan de gevel.",
    "Wil hulp bij online zichtbaarheid: Google-profiel en sociale media.",
    "Kritisch over de BIZ-bijdrage: ziet de resultaten nog niet terug.",
    "Samen met de buren een gezamenlijke etalage-actie besproken.",
    "Parkeren is het grootste probleem voor klanten van buiten de stad.",
]
SUBJECTS = [
    "Kennismaking",
    "Jaarplan",
    "Evenementen",
    "Schoon-heel-veilig",
    "Leegstand",
    "Fonds",
    "Verlichting",
]
SIGNAL_KINDS = list(Signal.Kind.values)
FOLLOW_UPS = [
    "Terugbellen over de afvalcontainers",
    "Informatie over het ondernemersfonds mailen",
    "Contact leggen met de pandeigenaar",
    "Uitnodiging sturen voor het ondernemersontbijt",
    "Melding doorzetten naar de gemeente",
    "Langsgaan met de facilitair coördinator",
]
CONSENT_WORDING = "Ja, ik ontvang graag de nieuwsbrief van de centrumorganisatie."


def _portal_member_draw(rng, fund: str) -> float:
    """The portal-member draw, after the draw the removed yearly contribution made (now in
    funding/demo.py): keeps the rest of the centre exactly what the same seed gave before."""
    if fund == "vrijwillig":
        rng.choice([150, 250, 350, 500])
    return rng.random()


def _pick(rng, weighted):
    total = sum(weight for _, weight in weighted)
    point = rng.uniform(0, total)
    for value, weight in weighted:
        point -= weight
        if point <= 0:
            return value
    return weighted[-1][0]


def _name(rng, sector) -> str:
    pattern = rng.choice(BUSINESS_PATTERNS[sector])
    return pattern.format(first=rng.choice(FIRST_NAMES), last=rng.choice(LAST_NAMES), word=rng.choice(WORDS))


class Contact(NamedTuple):
    """An interaction of the demo as the rows that point at it need it."""

    pk: int
    occurred_at: dt.datetime
    staff_id: int | None


# The tables the demo fills, whose foreign keys are checked once at the end of the load.
LOADED = (
    Organisation,
    Organisation.interests.through,
    Premises,
    Occupancy,
    Relation,
    Person,
    EmailAddress,
    PhoneNumber,
    Role,
    Consent,
    Interaction,
    Interaction.organisations.through,
    Interaction.topics.through,
    Interaction.attendees.through,
    Signal,
    FollowUp,
    StakeholderPositionChange,
)


# The million-row tables (--scale 100), whose plain indexes are built once the rows are in.
CONTACTS = (
    Interaction,
    Interaction.organisations.through,
    Interaction.topics.through,
    Interaction.attendees.through,
)


def seed(ctx: DemoContext) -> None:
    # Tens of thousands of rows for the search indexes at benchmark scale: merged once at the end.
    with (
        search_indexes.bulk_load(),
        foreign_keys_checked_once(*LOADED),
        indexes_built_after(*CONTACTS),
    ):
        _seed(ctx)


def _seed(ctx: DemoContext) -> None:
    rng, scale = ctx.rng, ctx.scale
    now = timezone.now()
    User = get_user_model()
    accountmanagers = ctx.staff.get(roles.ACCOUNTMANAGER) or list(
        User.objects.filter(groups__name=roles.ACCOUNTMANAGER)
    )
    facilitair = (ctx.staff.get(roles.FACILITAIR) or [None])[0]
    interests = list(Interest.objects.filter(is_active=True))
    street_manager = {
        street: accountmanagers[i % len(accountmanagers)] for i, (street, _, _) in enumerate(STREETS)
    }

    kvk = 30_000_000 + rng.randrange(1_000_000)
    numbered = 0
    totals = dict.fromkeys(TOTALS, 0)
    # One unit of the centre (300 businesses and their partners, people and year) at a time: memory
    # stays that of one unit whatever the scale (at --scale 100 the whole centre held 2.6 GB).
    for unit in range(scale):
        kvk, numbered, counts = _seed_unit(
            ctx,
            unit,
            kvk=kvk,
            numbered=numbered,
            now=now,
            accountmanagers=accountmanagers,
            facilitair=facilitair,
            interests=interests,
            street_manager=street_manager,
        )
        totals = {name: totals[name] + counts[name] for name in TOTALS}
    if scale == 1 or not Segment.objects.exists():
        for name, filters in [
            ("Horeca in de binnenstad", {"sectors": ["horeca"], "lifecycles": ["actief"]}),
            ("BIZ-plichtige ondernemers", {"kinds": ["ondernemer"], "fund_statuses": ["biz"]}),
            ("Nieuwsbrief ondernemers", {"kinds": ["ondernemer"], "consent": "nieuwsbrief_dienst"}),
            ("Critici met veel invloed", {"attitudes": ["criticus"], "min_influence": 3}),
            ("Marktstraat en Kerkplein", {"streets": ["Marktstraat", "Kerkplein"]}),
            ("Niet gesproken in 30 dagen", {"kinds": ["ondernemer"], "not_contacted_days": 30}),
        ]:
            Segment.objects.get_or_create(name=name, defaults={"filters": filters})
    ctx.write(
        "  crm: {organisations} organisations, {people} people, {premises} premises, "
        "{interactions} interactions, {signals} signals, {follow_ups} follow-ups".format(**totals)
    )


TOTALS = ("organisations", "people", "premises", "interactions", "signals", "follow_ups")


def _seed_unit(
    ctx: DemoContext,
    unit: int,
    *,
    kvk: int,
    numbered: int,
    now,
    accountmanagers,
    facilitair,
    interests,
    street_manager,
) -> tuple[int, int, dict]:
    """One unit of the centre; returns the next KvK number, the organisations numbered so far, and counts."""
    rng = ctx.rng
    today = now.date()
    organisations: list[Organisation] = []
    for number in range(300):
        street, digits, letters = STREETS[number % len(STREETS)]
        sector = _pick(rng, SECTOR_WEIGHTS)
        kvk += 1 + rng.randrange(50)
        lifecycle = _pick(rng, [("actief", 88), ("prospect", 6), ("vertrokken", 6)])
        fund = _pick(rng, [("biz", 55), ("vrijwillig", 20), ("geen", 25)])
        started = today - dt.timedelta(days=rng.randrange(60, 9000))
        name = _name(rng, sector) + (f" {unit + 1}" if unit else "")
        organisations.append(
            Organisation(
                name=name,
                kind=Organisation.Kind.ENTREPRENEUR,
                sector=sector,
                kvk_number=str(kvk),
                branch_number=f"{kvk:08d}{number % 10000:04d}",
                street=street,
                house_number=str(1 + (number // len(STREETS)) * 2 + unit * 60),
                postcode=f"{digits} {letters}",
                town=TOWN,
                email=f"info@{slugify(name)}-{number}.example",
                phone=f"+31 76 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                lifecycle=lifecycle,
                started_on=started,
                ended_on=started + dt.timedelta(days=rng.randrange(1, (today - started).days))
                if lifecycle == "vertrokken"
                else None,
                fund_status=fund,
                portal_member=_portal_member_draw(rng, fund) < 0.45,
                influence=rng.choice([1, 1, 2, 2, 2, 3, 3, 4]),
                interest_level=rng.choice([1, 2, 2, 3, 3, 4, 4, 5]),
                attitude=_pick(rng, [("voorstander", 45), ("neutraal", 40), ("criticus", 15)]),
                account_manager=street_manager[street],
            )
        )
    for kind, name in OTHER_PARTNERS:
        organisations.append(
            Organisation(
                name=name + (f" {unit + 1}" if unit else ""),
                kind=kind,
                town=TOWN,
                lifecycle="actief",
                influence=rng.choice([3, 4, 5]),
                interest_level=rng.choice([2, 3, 4, 5]),
                attitude=_pick(rng, [("voorstander", 60), ("neutraal", 30), ("criticus", 10)]),
            )
        )
    for index in range(30):
        organisations.append(
            Organisation(
                name=f"{rng.choice(LAST_NAMES)} {rng.choice(PROPERTY_OWNERS)}"
                + (f" {unit + 1}" if unit else ""),
                kind=Organisation.Kind.PROPERTY_OWNER,
                kvk_number=str(kvk + 1000 + index + unit * 100),
                town=rng.choice([TOWN, "Amsterdam", "Rotterdam", "Utrecht", "Breda"]),
                lifecycle="actief",
                influence=rng.choice([2, 3, 4, 5]),
                interest_level=rng.choice([1, 2, 3, 4]),
                attitude=_pick(rng, [("voorstander", 30), ("neutraal", 50), ("criticus", 20)]),
            )
        )
    # The organisations' keys now, their rows at the end of the unit: by then each business's last
    # contact is known, and no UPDATE of every organisation is needed for it.
    for organisation, pk in zip(organisations, reserve_ids(Organisation, len(organisations)), strict=True):
        organisation.pk = pk
        organisation.fill_search_fields()
    businesses = [o for o in organisations if o.kind == Organisation.Kind.ENTREPRENEUR]
    owners = [o for o in organisations if o.kind == Organisation.Kind.PROPERTY_OWNER]

    insert_rows(
        Organisation.interests.through,
        ["organisation", "interest"],
        [(o.pk, interest.pk) for o in organisations for interest in rng.sample(interests, rng.randint(1, 3))],
    )

    # Premises: one per business, and some standing empty ---------------------------------------
    premises = []
    for o in businesses:
        premises.append(
            Premises(
                street=o.street,
                house_number=o.house_number,
                postcode=o.postcode,
                town=TOWN,
                woz_value=rng.randrange(180, 1800) * 1000,
                floor_area=rng.randrange(40, 600),
                owner=rng.choice(owners),
            )
        )
    for index in range(unit * 30, unit * 30 + 30):
        street, digits, letters = STREETS[index % len(STREETS)]
        premises.append(
            Premises(
                street=street,
                house_number=str(200 + index),
                postcode=f"{digits} {letters}",
                town=TOWN,
                woz_value=rng.randrange(180, 900) * 1000,
                floor_area=rng.randrange(40, 300),
                owner=rng.choice(owners),
                notes="Staat leeg; eigenaar zoekt een nieuwe huurder.",
            )
        )
    for p, pk in zip(premises, reserve_ids(Premises, len(premises)), strict=True):
        p.pk = pk
        p.search_text = search_document(p.street_address, p.postcode, p.postcode.replace(" ", ""), p.town)
    insert_objects(Premises, premises)
    occupancies = [(p.pk, o.pk, o.started_on, o.ended_on) for o, p in zip(businesses, premises, strict=False)]
    for p in premises[len(businesses) :]:
        leaver = rng.choice(businesses)
        ended = today - dt.timedelta(days=rng.randrange(30, 700))
        occupancies.append((p.pk, leaver.pk, ended - dt.timedelta(days=2000), ended))
    insert_rows(Occupancy, ["premises", "organisation", "started_on", "ended_on"], occupancies)
    # One relation per owner and business (a dict: an owner of two premises of one business once).
    relations = {(p.owner_id, o.pk): "" for o, p in zip(businesses, premises, strict=False)}
    insert_rows(
        Relation,
        ["from_organisation", "to_organisation", "kind", "note"],
        [(owner, business, "pandeigenaar_van", "") for owner, business in relations],
    )

    # People, their roles, emails, phones and consent, as plain rows ------------------------------
    people, emails, phones, person_roles, consents = [], [], [], [], []
    # Addresses number organisations by their place in the list, not their pk: the same seed must
    # give the same addresses in a database whose sequences have moved on.
    for number, o in enumerate(organisations, start=numbered + 1):
        for position in range(1 if o.kind != Organisation.Kind.ENTREPRENEUR else rng.choice([2, 2, 3, 3])):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            domain = o.email.split("@")[-1] if o.email else "partner.example"
            address = f"{slugify(first)}.{slugify(last)}.{number}.{position}@{domain}"
            people.append((first, last, search_document(first, last, address), o, position, address))
    person_ids = reserve_ids(Person, len(people))
    insert_rows(
        Person,
        [
            "id",
            "created_at",
            "updated_at",
            "first_name",
            "last_name",
            "preferred_language",
            "erased_at",
            "search_text",
        ],
        (
            (pk, now, now, first, last, Person.Language.DUTCH, None, search_text)
            for pk, (first, last, search_text, *_) in zip(person_ids, people, strict=True)
        ),
    )
    contacts_of = {}
    for person_id, (_first, _last, _text, o, position, address) in zip(person_ids, people, strict=True):
        contacts_of.setdefault(o.pk, []).append(person_id)
        emails.append((person_id, address, True))
        if rng.random() < 0.7:
            phones.append(
                (person_id, f"+316{rng.randrange(10_000_000, 99_999_999)}", PhoneNumber.Kind.MOBILE)
            )
        title = (
            "Eigenaar"
            if position == 0 and o.kind == Organisation.Kind.ENTREPRENEUR
            else rng.choice(
                [
                    "Bedrijfsleider",
                    "Medewerker",
                    "Beleidsadviseur",
                    "Voorzitter",
                    "Secretaris",
                    "Accountmanager",
                ]
            )
        )
        person_roles.append((person_id, o.pk, title, position == 0))
        granted_at = now - dt.timedelta(days=rng.randrange(10, 900))
        if rng.random() < 0.75:
            source = rng.choice(["medewerker", "portaal", "aanmelding"])
            consents.append(
                (person_id, "nieuwsbrief_dienst", True, granted_at, source, CONSENT_WORDING, None)
            )
            if rng.random() < 0.08:
                withdrawn_at = granted_at + dt.timedelta(days=rng.randrange(1, 9))
                consents.append((person_id, "nieuwsbrief_dienst", False, withdrawn_at, "afmelding", "", None))
        if rng.random() < 0.4:
            consents.append(
                (person_id, "nieuwsbrief_marketing", True, granted_at, "portaal", CONSENT_WORDING, None)
            )
    insert_rows(EmailAddress, ["person", "email", "is_primary"], emails)
    insert_rows(PhoneNumber, ["person", "number", "kind"], phones)
    insert_rows(Role, ["person", "organisation", "title", "is_primary_contact"], person_roles)
    insert_rows(
        Consent, ["person", "topic", "granted", "recorded_at", "source", "wording", "recorded_by"], consents
    )

    # A year of contact ---------------------------------------------------------------------------
    visits_per_business = 33
    # What timezone.make_aware does, with the zone looked up once instead of a million times.
    zone = timezone.get_current_timezone()
    interactions, links = [], []
    for o in businesses:
        manager = o.account_manager
        for _ in range(rng.randrange(visits_per_business - 15, visits_per_business + 15)):
            day = today - dt.timedelta(days=rng.randrange(1, 365))
            when = dt.datetime.combine(day, dt.time(rng.randrange(9, 18), rng.choice([0, 15, 30, 45])), zone)
            kind = _pick(rng, [("bezoek", 60), ("telefoon", 20), ("email", 15), ("overleg", 5)])
            staff = manager if rng.random() < 0.9 else rng.choice(accountmanagers)
            interactions.append(
                (kind, when, staff.pk if staff else None, rng.choice(SUBJECTS), rng.choice(NOTES))
            )
            links.append(o)
    # A million contacts at --scale 100: plain rows with keys reserved for the links below, not
    # model instances (created_at as auto_now_add would set it).
    ids = reserve_ids(Interaction, len(interactions))
    insert_rows(
        Interaction,
        ["id", "kind", "occurred_at", "staff", "subject", "notes", "attitude", "created_at"],
        ((pk, *row, "", now) for pk, row in zip(ids, interactions, strict=True)),
    )
    interactions = [Contact(pk, row[1], row[2]) for pk, row in zip(ids, interactions, strict=True)]
    org_through = Interaction.organisations.through
    topic_through = Interaction.topics.through
    attendee_through = Interaction.attendees.through
    org_rows, topic_rows, attendee_rows, signals, follow_ups = [], [], [], [], []
    last_contact = {}
    for interaction, o in zip(interactions, links, strict=True):
        org_rows.append((interaction.pk, o.pk))
        topic_rows.append((interaction.pk, rng.choice(interests).pk))
        if contacts_of.get(o.pk):
            attendee_rows.append((interaction.pk, rng.choice(contacts_of[o.pk])))
        last_contact[o.pk] = max(last_contact.get(o.pk, interaction.occurred_at), interaction.occurred_at)
        if rng.random() < 0.08:
            signals.append((interaction.pk, o.pk, rng.choice(SIGNAL_KINDS), "", interaction.occurred_at))
        if rng.random() < 0.1:
            due = (interaction.occurred_at + dt.timedelta(days=rng.randrange(3, 30))).date()
            done = (
                interaction.occurred_at + dt.timedelta(days=rng.randrange(1, 20))
                if due < today and rng.random() < 0.8
                else None
            )
            assignee = facilitair.pk if facilitair and rng.random() < 0.2 else interaction.staff_id
            follow_ups.append(
                (interaction.pk, o.pk, rng.choice(FOLLOW_UPS), assignee, due, done, "", None, now)
            )
    insert_rows(org_through, ["interaction", "organisation"], org_rows)
    insert_rows(topic_through, ["interaction", "interest"], topic_rows)
    insert_rows(attendee_through, ["interaction", "person"], attendee_rows)
    insert_rows(Signal, ["interaction", "organisation", "kind", "note", "created_at"], signals)
    insert_rows(
        FollowUp,
        [
            "interaction",
            "organisation",
            "description",
            "assigned_to",
            "due_on",
            "done_at",
            "outcome",
            "done_by",
            "created_at",
        ],
        follow_ups,
    )
    for o in businesses:
        o.last_contact_at = last_contact.get(o.pk)
    insert_objects(Organisation, organisations)
    insert_rows(
        StakeholderPositionChange,
        [
            "organisation",
            "influence",
            "interest_level",
            "attitude",
            "changed_at",
            "changed_by",
            "interaction",
        ],
        [
            (
                o.pk,
                o.influence,
                o.interest_level,
                o.attitude,
                now - dt.timedelta(days=rng.randrange(30, 365)),
                None,
                None,
            )
            for o in organisations
        ],
    )
    counts = {
        "organisations": len(organisations),
        "people": len(people),
        "premises": len(premises),
        "interactions": len(interactions),
        "signals": len(signals),
        "follow_ups": len(follow_ups),
    }
    return kvk, numbered + len(organisations), counts
