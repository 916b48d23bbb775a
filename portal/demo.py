"""Demo pages of the portal and the organisation's details."""

from wagtail.models import Site

from portal.models import HomePage, Organisation
from stadshart.demo import ORGANISATION_NAME, TOWN, DemoContext

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
    ("heading", {"text": "Doe mee"}),
    (
        "paragraph",
        "<p>Heeft u een zaak in de binnenstad? Meld u aan als deelnemer: u leest het nieuws voor "
        "ondernemers, houdt uw bedrijfsgegevens actueel en meldt problemen in de openbare ruimte.</p>",
    ),
]


def seed(ctx: DemoContext) -> None:
    site = Site.objects.get(is_default_site=True)
    organisation = Organisation.for_site(site)
    organisation.name = ORGANISATION_NAME
    organisation.town = TOWN
    organisation.address = "Marktstraat 12, 4811 AB " + TOWN
    organisation.email = f"info@{TOWN.lower()}.example"
    organisation.phone = "076 123 45 67"
    organisation.save()

    home = HomePage.objects.get(depth=2)
    home.title = f"Binnenstad {TOWN}"
    home.intro = HOME_INTRO
    home.body = HOME_BODY
    home.save_revision().publish()
    ctx.write("  portal: home page and organisation details")
