"""The year plan of Veldhaven: projects with their traffic lights and the history of each change."""

import datetime as dt

from django.utils import timezone

from crm.models import Interest
from projects.models import Project, ProjectStatusChange, Status
from stadshart import roles
from stadshart.demo import DemoContext

GREEN, ORANGE, RED, GREY = Status.GREEN, Status.ORANGE, Status.RED, Status.GREY

# (name, theme slug, public, summary, [(days ago, status, remark), …] oldest first)
PROJECTS = [
    (
        "Kerstverlichting binnenstad",
        "evenementen",
        True,
        "Nieuwe, zuinige verlichting in de winkelstraten van half november tot en met januari, "
        "samen betaald door het ondernemersfonds en de gemeente.",
        [
            (300, GREEN, "Offertes van drie leveranciers opgevraagd."),
            (90, ORANGE, "Levering van de lichtlijnen vertraagd."),
            (30, GREEN, "Lichtlijnen binnen; ophangen gepland in week 46."),
        ],
    ),
    (
        "Aanpak leegstand Marktstraat",
        "leegstand-herbestemming",
        True,
        "Met eigenaren van lege panden zoeken we tijdelijke huurders (pop-upwinkels, ateliers) en "
        "passende nieuwe invulling.",
        [
            (280, GREEN, "Gesprekken met vijf eigenaren gestart."),
            (120, ORANGE, "Twee eigenaren houden huurprijs hoog."),
            (40, RED, "Zonder afspraken met de eigenaren staat nummer 14 tot de zomer leeg."),
        ],
    ),
    (
        "Fietsparkeren Stationsweg",
        "bereikbaarheid-parkeren",
        True,
        "Tweehonderd extra fietsenrekken en een bewaakte stalling bij de ingang van de binnenstad.",
        [(250, GREEN, "Ontwerp met de gemeente vastgesteld."), (60, GREEN, "Aanbesteding gegund.")],
    ),
    (
        "Vergroening Kerkplein",
        "openbare-ruimte-groen",
        True,
        "Bomen, plantenbakken en zitplekken op het Kerkplein, ontworpen met bewoners en horeca.",
        [
            (310, GREEN, "Bewonersavond gehouden."),
            (150, ORANGE, "Kabels en leidingen liggen anders dan gedacht."),
            (70, GREEN, "Nieuw plan voor de plantvakken goedgekeurd."),
        ],
    ),
    (
        "Zomerfestival Havenkade",
        "evenementen",
        True,
        "Drie weekenden muziek, markt en terrassen aan de Havenkade.",
        [
            (330, GREEN, "Programma rond."),
            (200, GREEN, "Vergunning verleend."),
            (100, GREY, "Afgerond: 18.000 bezoekers."),
        ],
    ),
    (
        "Digitale zichtbaarheid ondernemers",
        "digitalisering",
        True,
        "Spreekuren en workshops: uw zaak goed vindbaar op kaarten, zoekmachines en sociale media.",
        [(200, GREEN, "Eerste workshop: 24 deelnemers.")],
    ),
    (
        "Cameratoezicht uitgaansgebied",
        "veiligheid",
        False,
        "Verkenning met politie en gemeente naar cameratoezicht rond de Vismarkt.",
        [(180, GREEN, "Verkenning gestart."), (50, ORANGE, "Privacytoets door de gemeente duurt langer.")],
    ),
    (
        "Draagvlakmeting BIZ 2027",
        "marketing-promotie",
        False,
        "Voorbereiding van de draagvlakmeting voor een nieuwe BIZ-periode: ondernemersbezoeken, "
        "informatieavonden en het nieuwe activiteitenplan.",
        [
            (150, GREEN, "Planning met de gemeente afgestemd."),
            (20, ORANGE, "Nog maar 40% van de ondernemers bezocht."),
        ],
    ),
    (
        "Schoon, heel en veilig: schouwrondes",
        "schoon-heel-veilig",
        True,
        "Maandelijkse schouw met gemeente en ondernemers; meldingen worden binnen twee weken opgelost.",
        [(365, GREEN, "Eerste schouwronde."), (180, GREEN, "Meldingen nu via het portaal.")],
    ),
    (
        "Koopzondagen en openingstijden",
        "openingstijden",
        True,
        "Afspraken over gezamenlijke openingstijden op donderdagavond en koopzondagen.",
        [
            (220, GREEN, "Enquête onder ondernemers uitgezet."),
            (80, GREY, "Afgerond: nieuwe afspraken gaan 1 januari in."),
        ],
    ),
]


def seed(ctx: DemoContext) -> None:
    now = timezone.now()
    year = now.year
    themes = {interest.slug: interest for interest in Interest.objects.all()}
    manager = (ctx.staff.get(roles.CENTRUMMANAGER) or [None])[0]
    leads = [*ctx.staff.get(roles.ACCOUNTMANAGER, []), *ctx.staff.get(roles.FACILITAIR, []), manager]
    changes = []
    for number, (name, theme, public, summary, history) in enumerate(PROJECTS):
        project = Project.objects.create(
            name=name,
            year=year if history[0][0] < 330 else year - 1,
            theme=themes.get(theme),
            lead=leads[number % len(leads)] if leads else None,
            summary=summary,
            status=history[-1][1],
            is_public=public,
        )
        previous = ""
        for days_ago, status, note in history:
            at = now - dt.timedelta(days=days_ago, hours=ctx.rng.randrange(8, 17))
            changes.append(
                ProjectStatusChange(
                    project=project,
                    from_status=previous,
                    to_status=status,
                    note=note,
                    changed_by=manager,
                    changed_at=at,
                )
            )
            previous = status
    # Demo history is written in one go; staff changes go through projects.services.
    ProjectStatusChange.objects.bulk_create(changes)
    ctx.write(f"  projects: {len(PROJECTS)} projects of the year plan, {len(changes)} status changes")
