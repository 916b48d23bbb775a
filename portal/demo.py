"""Demo pages of the portal: home, news, agenda, year plan, business directory, standard pages."""

import datetime as dt

from django.utils import timezone
from wagtail.models import PageViewRestriction

from crm import search_indexes
from crm.models import Organisation as Business
from portal.models import (
    DirectoryPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProjectIndexPage,
    StandardPage,
)
from stadshart.demo import ORGANISATION_NAME, TOWN, DemoContext, update_rows

HOME_INTRO = (
    f"<p>{ORGANISATION_NAME} is het samenwerkingsverband van ondernemers, vastgoedeigenaren, "
    f"de gemeente {TOWN} en bewoners. Samen houden we de binnenstad schoon, heel en veilig, "
    "organiseren we evenementen en werken we aan een centrum waar het goed ondernemen is.</p>"
)

HOME_BODY = [
    ("heading", {"text": "Wat we doen"}),
    (
        "paragraph",
        "<p>We bezoeken ondernemers, brengen partijen bij elkaar en voeren het jaarplan uit: "
        "van de kerstverlichting tot de aanpak van leegstand en een bereikbare binnenstad.</p>",
    ),
]

JOIN_TEXT = (
    "Heeft u een zaak in de binnenstad? Meld u aan als deelnemer: u leest het nieuws voor "
    "ondernemers, houdt uw bedrijfsgegevens actueel en meldt problemen in de openbare ruimte."
)

# (title, intro, paragraph)
NEWS = [
    (
        "Kerstverlichting hangt vanaf 15 november",
        "De nieuwe, zuinige lichtlijnen gaan half november aan.",
        "Dankzij het ondernemersfonds en de gemeente hangt er dit jaar nieuwe ledverlichting "
        "in alle winkelstraten.",
    ),
    (
        "Tweehonderd nieuwe fietsenrekken aan de Stationsweg",
        "Fietsers parkeren straks dichter bij de winkels.",
        "De gemeente plaatst in het voorjaar rekken en een bewaakte stalling bij de ingang "
        "van de binnenstad.",
    ),
    (
        "Zomerfestival trok 18.000 bezoekers",
        "Drie weekenden muziek, markt en terrassen aan de Havenkade.",
        "Ondernemers aan de kade melden hogere omzet dan vorig jaar. De evaluatie staat op de "
        "agenda van de stuurgroep.",
    ),
    (
        "Pop-upwinkels in lege panden Marktstraat",
        "Tijdelijke huurders geven lege etalages nieuw leven.",
        "Twee eigenaren stellen hun pand een halfjaar beschikbaar voor starters en makers uit de regio.",
    ),
    (
        "Schouwronde: minder zwerfafval",
        "De maandelijkse schouw laat verbetering zien.",
        "Sinds de nieuwe afvalbakken staan, is er op het Kerkplein duidelijk minder zwerfafval gevonden.",
    ),
    (
        "Workshop: beter gevonden op internet",
        "Gratis spreekuur voor ondernemers over online zichtbaarheid.",
        "Leer hoe u uw openingstijden, foto's en reviews op kaarten en in zoekmachines actueel houdt.",
    ),
    (
        "Nieuwe afspraken over koopzondagen",
        "Vanaf 1 januari gelden gezamenlijke openingstijden.",
        "Na de enquête onder ondernemers zijn de winkels op de eerste zondag van de maand open.",
    ),
    (
        "Kerkplein wordt groener",
        "Bomen, plantenbakken en zitplekken op het plein.",
        "Het ontwerp is samen met bewoners en horeca gemaakt. De werkzaamheden beginnen na de zomer.",
    ),
    (
        "Ondernemersontbijt druk bezocht",
        "Zestig ondernemers ontbeten samen in de Korenbeurs.",
        "De wethouder vertelde over de plannen voor de Stationsweg; daarna was er tijd om bij te praten.",
    ),
    (
        "Veilig uitgaan: nieuwe afspraken met horeca",
        "Horeca, politie en gemeente maken afspraken.",
        "Portiers, camera's en een vast aanspreekpunt moeten het uitgaansgebied rond de "
        "Vismarkt veiliger maken.",
    ),
    (
        "Meld problemen voortaan via het portaal",
        "Kapotte bestrating of een volle afvalbak? Meld het online.",
        "Deelnemers melden problemen in de openbare ruimte direct; de facilitair coördinator pakt ze op.",
    ),
    (
        "BIZ: uw mening telt",
        "Volgend jaar stemt de binnenstad over een nieuwe BIZ-periode.",
        "Onze accountmanagers komen langs om het nieuwe activiteitenplan te bespreken. "
        "Laat horen wat u belangrijk vindt.",
    ),
]

# (title, days from now, start hour, hours, location, intro)
EVENTS = [
    ("Intocht Sinterklaas", 12, 13, 3, "Havenkade", "Sinterklaas komt met de boot aan bij de Havenkade."),
    ("Kerstmarkt", 26, 11, 8, "Kerkplein en Marktstraat", "Honderd kramen, muziek en glühwein."),
    ("Ondernemerscafé december", 19, 17, 2, "Café De Korenbeurs, Vismarkt 3", "Netwerken en bijpraten."),
    ("Nieuwjaarsborrel ondernemers", 45, 17, 3, "Stadhuis, Raadzaal", "Proosten op het nieuwe jaar."),
    ("Informatieavond BIZ", 60, 19, 2, "Bibliotheek, Schoolstraat 1", "Alles over de draagvlakmeting."),
    (
        "Workshop online zichtbaarheid",
        75,
        9,
        3,
        "Centrummanagement, Marktstraat 12",
        "Gratis, aanmelden verplicht.",
    ),
    ("Schouwronde binnenstad", 33, 10, 2, "Start: Kerkplein", "Loop mee met gemeente en ondernemers."),
    ("Voorjaarsbraderie", 130, 10, 7, "Marktstraat en Lange Brugstraat", "De jaarlijkse braderie."),
    ("Zomerfestival Havenkade", -120, 14, 9, "Havenkade", "Muziek, markt en terrassen."),
    ("Ondernemersontbijt", -40, 8, 2, "Café De Korenbeurs, Vismarkt 3", "Ontbijt met de wethouder."),
    ("Dag van de Binnenstad", -70, 10, 6, "Hele binnenstad", "Activiteiten in alle straten."),
]

OPENING_HOURS = [
    "ma: gesloten\ndi–vr: 9.30–18.00\nza: 9.30–17.00\nzo: gesloten",
    "ma–za: 10.00–18.00\ndo: koopavond tot 21.00\n1e zondag van de maand: 12.00–17.00",
    "di–zo: 11.00–23.00\nma: gesloten",
    "ma–vr: 8.30–17.30\nza en zo: gesloten",
]

DESCRIPTIONS = {
    "retail_dagelijks": "Verse dagelijkse boodschappen, met persoonlijke service en producten uit de streek.",
    "retail_niet_dagelijks": "Een winkel vol mooie spullen, met advies van mensen die er verstand van "
    "hebben.",
    "horeca": "Gezellig eten en drinken midden in de binnenstad, met terras in de zomer.",
    "dienstverlening": "Persoonlijk advies en service voor bewoners en ondernemers in de binnenstad.",
    "cultuur_vrije_tijd": "Cultuur en vrije tijd in het hart van de stad.",
    "zorg": "Zorg dichtbij, in het centrum van de stad.",
    "overig": "Al jaren gevestigd in de binnenstad.",
}


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = timezone.now()
    today = timezone.localdate()
    home = HomePage.objects.get(depth=2)
    home.title = f"Binnenstad {TOWN}"
    home.intro = HOME_INTRO
    home.body = HOME_BODY
    home.search_description = f"Nieuws, agenda, projecten en bedrijvengids van de binnenstad van {TOWN}."
    home.join_heading = "Doe mee"
    home.join_text = JOIN_TEXT
    home.save_revision().publish()

    news_index = _publish(
        home,
        NewsIndexPage(
            title="Nieuws", slug="nieuws", show_in_menus=True, intro=f"Nieuws uit de binnenstad van {TOWN}."
        ),
    )
    for number, (title, intro, text) in enumerate(NEWS):
        _publish(
            news_index,
            NewsPage(
                title=title,
                date=today - dt.timedelta(days=4 + number * 14 + rng.randrange(5)),
                intro=intro,
                body=[("paragraph", f"<p>{text}</p>")],
            ),
        )

    agenda = _publish(
        home,
        EventIndexPage(
            title="Agenda", slug="agenda", show_in_menus=True, intro="Wat er te doen is in de binnenstad."
        ),
    )
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for title, days, hour, hours, location, intro in EVENTS:
        start = midnight + dt.timedelta(days=days, hours=hour)
        _publish(
            agenda,
            EventPage(
                title=title,
                start=start,
                end=start + dt.timedelta(hours=hours),
                location=location,
                intro=intro,
                body=[("paragraph", f"<p>{intro} Iedereen is welkom.</p>")],
            ),
        )

    _publish(
        home,
        ProjectIndexPage(
            title="Projecten",
            slug="projecten",
            show_in_menus=True,
            intro="De projecten van het jaarplan, met hun stand van zaken.",
        ),
    )
    _publish(
        home,
        DirectoryPage(
            title="Bedrijvengids",
            slug="bedrijvengids",
            show_in_menus=True,
            intro="Winkels, horeca en andere bedrijven in de binnenstad die in de gids willen staan.",
        ),
    )
    _publish(
        home,
        StandardPage(
            title="Over ons",
            slug="over-ons",
            show_in_menus=True,
            intro=f"{ORGANISATION_NAME}: samen werken aan een sterke binnenstad.",
            body=[
                ("heading", {"text": "Wie we zijn"}),
                (
                    "paragraph",
                    "<p>Een onafhankelijke stichting met een bestuur van ondernemers, vastgoedeigenaren en "
                    "de gemeente. Een klein bureau voert het jaarplan uit.</p>",
                ),
            ],
        ),
    )
    members_page = _publish(
        home,
        StandardPage(
            title="Voor deelnemers",
            slug="voor-deelnemers",
            show_in_menus=True,  # in the menu of logged-in members only (see portal_tags.portal_menu)
            intro="Stukken van de stuurgroep en de ledenvergadering, alleen voor deelnemers.",
            body=[("paragraph", "<p>Hier vindt u de verslagen en het activiteitenplan in concept.</p>")],
        ),
    )
    PageViewRestriction.objects.create(page=members_page, restriction_type=PageViewRestriction.LOGIN)

    listed = _list_businesses(ctx)
    ctx.write(
        f"  portal: home, {len(NEWS)} news items, {len(EVENTS)} events, projects, "
        f"directory of {listed} businesses, 2 standard pages"
    )


def _list_businesses(ctx: DemoContext) -> int:
    """About half the active businesses chose to be in the directory and filled in their profile.

    Demo data only: in the running system the business (portal) or staff (CRM) set this.
    """
    rng = ctx.rng
    # Plain values, not 30,000 instances at --scale 100; one UPDATE for all of them, with the
    # search indexes' pending lists (every updated row enters them again).
    businesses = Business.objects.filter(
        kind=Business.Kind.ENTREPRENEUR, lifecycle=Business.Lifecycle.ACTIVE
    ).order_by("pk")
    # First who is listed, then their profiles: the draws in the order they always came.
    chosen = [row for row in businesses.values_list("pk", "name", "sector", "website") if rng.random() < 0.5]
    listed = []
    for pk, name, sector, website in chosen:
        opening_hours = rng.choice(OPENING_HOURS)
        if not website and rng.random() < 0.7:
            website = f"https://www.{_domain(name)}.example"
        listed.append((pk, True, opening_hours, DESCRIPTIONS.get(sector, DESCRIPTIONS["overig"]), website))
    with search_indexes.bulk_load():
        update_rows(Business, ["in_directory", "opening_hours", "description", "website"], listed)
    return len(listed)


def _domain(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name).replace("-", "") or "bedrijf"
