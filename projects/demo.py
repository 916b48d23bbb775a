"""The year plan of Veldhaven: basic tasks, projects in every colour with their history, milestones,
decisions asked of the board (some answered), and last quarter's progress report as it was sent."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from crm.models import Interest, Organisation
from projects import services
from projects.forms import last_quarter
from projects.models import (
    BasicTask,
    DecisionRequest,
    Milestone,
    Project,
    ProjectStatusChange,
    Status,
    YearPlan,
)
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


BASIC_TASKS = [
    (
        BasicTask.Kind.CLEAN,
        "Extra veegrondes op zaterdag en na evenementen; graffiti binnen 48 uur weg.",
        42000,
    ),
    (
        BasicTask.Kind.INTACT,
        "Schouw van bestrating, bankjes en verlichting; meldingen binnen twee weken opgelost.",
        18000,
    ),
    (BasicTask.Kind.SAFE, "Winkelwaakberichten, cameratoezicht en overleg met politie en BOA's.", 26000),
    (BasicTask.Kind.PROMOTION, "Website, sociale media en de campagne 'Ontdek de binnenstad'.", 55000),
    (
        BasicTask.Kind.PARTNERSHIP,
        "Bestuur, achterban en gemeente: vergaderingen, nieuwsbrief en ondernemersbezoeken.",
        31000,
    ),
]

# Per project (by name): goal, planned budget, share spent, what went well, risks, milestones
# ((days from now, title, done)) and decisions ((days from now, question, answer, explanation)).
DETAILS = {
    "Kerstverlichting binnenstad": (
        "Een sfeervolle binnenstad in de donkere maanden, zodat bezoekers langer blijven.",
        48000,
        0.8,
        "Ondernemersfonds en gemeente betalen samen; 92% van de ondernemers doet mee.",
        "Levering van de lichtlijnen is krap; de ophangdata liggen vast.",
        [
            (-120, "Leverancier gekozen", True),
            (-20, "Lichtlijnen geleverd", True),
            (15, "Verlichting hangt", False),
        ],
        [(-75, "Akkoord op de keuze voor leverancier LichtWerk (€ 48.000).", "akkoord", "")],
    ),
    "Aanpak leegstand Marktstraat": (
        "Geen pand in de Marktstraat langer dan zes maanden leeg.",
        25000,
        0.45,
        "Twee pop-upwinkels geopend in nummer 8 en 22.",
        "Eigenaren van nummer 14 en 16 willen de huur niet verlagen; zonder afspraak blijft het pand leeg.",
        [(-90, "Gesprekken met alle eigenaren", True), (30, "Huurkorting-regeling vastgesteld", False)],
        [
            (
                -40,
                "Akkoord op een huurkorting-regeling van € 10.000 uit het ondernemersfonds.",
                "aangehouden",
                "Eerst een voorstel met de gemeente samen.",
            ),
            (20, "Akkoord op het gezamenlijke voorstel met de gemeente voor huurkorting.", "", ""),
        ],
    ),
    "Fietsparkeren Stationsweg": (
        "Geen fietsen meer op de stoep van de Stationsweg.",
        60000,
        0.3,
        "De aanbesteding is gegund binnen het budget.",
        "",
        [(-60, "Aanbesteding gegund", True), (45, "Stalling open", False)],
        [],
    ),
    "Vergroening Kerkplein": (
        "Een groen plein met zitplekken, ontworpen met bewoners en horeca.",
        35000,
        0.5,
        "Bewoners en horeca dragen het nieuwe plan samen.",
        "Kabels en leidingen kunnen opnieuw tot vertraging leiden.",
        [(-70, "Nieuw plan plantvakken", True), (60, "Aanplant", False)],
        [
            (
                -80,
                "Akkoord op het aangepaste plan voor de plantvakken.",
                "akkoord",
                "Met dank aan de bewoners.",
            )
        ],
    ),
    "Zomerfestival Havenkade": (
        "Drie drukke weekenden die nieuwe bezoekers naar de binnenstad trekken.",
        40000,
        1.02,
        "18.000 bezoekers; horeca meldt 30% meer omzet in de festivalweekenden.",
        "",
        [(-140, "Programma rond", True), (-100, "Evaluatie", True)],
        [],
    ),
    "Digitale zichtbaarheid ondernemers": (
        "Elke ondernemer goed vindbaar online.",
        12000,
        0.4,
        "24 deelnemers bij de eerste workshop.",
        "",
        [(-30, "Tweede workshop", True), (40, "Spreekuur in de bibliotheek", False)],
        [],
    ),
    "Cameratoezicht uitgaansgebied": (
        "Minder incidenten rond de Vismarkt in het weekend.",
        30000,
        0.1,
        "",
        "De privacytoets van de gemeente duurt langer; de AVG vraagt een zorgvuldige afweging.",
        [(-50, "Verkenning afgerond", True), (50, "Privacytoets gemeente", False)],
        [(25, "Akkoord om € 5.000 bij te dragen aan de privacytoets.", "", "")],
    ),
    "Draagvlakmeting BIZ 2027": (
        "Voldoende draagvlak voor een nieuwe BIZ-periode vanaf 2027.",
        15000,
        0.35,
        "Informatieavond met 60 ondernemers.",
        "Nog maar 40% van de ondernemers bezocht; zonder extra bezoeken haalt de meting de opkomst niet.",
        [(-20, "Planning met de gemeente", True), (35, "Alle ondernemers bezocht", False)],
        [
            (
                -10,
                "Akkoord op het concept-activiteitenplan BIZ 2027-2031.",
                "niet_akkoord",
                "De begroting voor promotie moet eerst omlaag.",
            )
        ],
    ),
    "Schoon, heel en veilig: schouwrondes": (
        "Elke melding binnen twee weken opgelost.",
        8000,
        0.6,
        "Meldingen komen nu via het portaal binnen; gemiddeld in negen dagen opgelost.",
        "",
        [(-40, "Schouw derde kwartaal", True), (50, "Schouw vierde kwartaal", False)],
        [],
    ),
    "Koopzondagen en openingstijden": (
        "Eén herkenbare set openingstijden voor de hele binnenstad.",
        3000,
        0.9,
        "Nieuwe afspraken gaan op 1 januari in.",
        "",
        [(-80, "Afspraken vastgelegd", True)],
        [],
    ),
}


def seed(ctx: DemoContext) -> None:
    now = timezone.now()
    today = timezone.localdate()
    year = now.year
    themes = {interest.slug: interest for interest in Interest.objects.all()}
    manager = (ctx.staff.get(roles.CENTRUMMANAGER) or [None])[0]
    board = (ctx.staff.get(roles.BESTUUR) or [None])[0]
    leads = [*ctx.staff.get(roles.ACCOUNTMANAGER, []), *ctx.staff.get(roles.FACILITAIR, []), manager]
    plans = {
        year: YearPlan.objects.create(
            year=year,
            introduction="Het jaarplan van het centrummanagement: de basistaken die elk jaar doorgaan, en "
            "de projecten die de binnenstad dit jaar sterker maken.",
        ),
        year - 1: YearPlan.objects.create(year=year - 1),
    }
    BasicTask.objects.bulk_create(
        BasicTask(
            year_plan=plans[year],
            kind=kind,
            description=description,
            budget=budget,
            lead=leads[number % len(leads)] if leads else None,
        )
        for number, (kind, description, budget) in enumerate(BASIC_TASKS)
    )
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:200])
    changes, milestones, decisions = [], [], []
    for number, (name, theme, public, summary, history) in enumerate(PROJECTS):
        goal, planned, spent_share, went_well, risks, steps, asked = DETAILS[name]
        started = (now - dt.timedelta(days=history[0][0])).date()
        project = Project.objects.create(
            name=name,
            year_plan=plans[year if history[0][0] < 330 else year - 1],
            theme=themes.get(theme),
            lead=leads[number % len(leads)] if leads else None,
            summary=summary,
            goal=goal,
            status=history[-1][1],
            progress=history[-1][2],
            went_well=went_well,
            risks=risks,
            budget_planned=Decimal(planned),
            budget_spent=(Decimal(planned) * Decimal(str(spent_share))).quantize(Decimal("1")),
            start_date=started,
            end_date=started + dt.timedelta(days=365),
            is_public=public,
        )
        if organisations:
            project.organisations.set(ctx.rng.sample(organisations, min(3, len(organisations))))
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
        milestones.extend(
            Milestone(project=project, title=title, due_date=today + dt.timedelta(days=days), is_done=done)
            for days, title, done in steps
        )
        for days, question, answer, explanation in asked:
            meeting = today + dt.timedelta(days=days)
            decisions.append(
                DecisionRequest(
                    project=project,
                    question=question,
                    meeting_date=meeting,
                    meeting_name="Bestuursvergadering",
                    answer=answer,
                    answer_text=explanation,
                    answered_on=meeting if answer else None,
                    answered_by=board if answer else None,
                )
            )
    # Demo history is written in one go; staff changes go through projects.services.
    ProjectStatusChange.objects.bulk_create(changes)
    Milestone.objects.bulk_create(milestones)
    DecisionRequest.objects.bulk_create(decisions)
    # The report sent last quarter (on the quarter before it, a week after that one ended): the
    # board's frozen copy, with the spring's fund payments in it.
    start, end = last_quarter(last_quarter(today)[0])
    services.send_progress_report(
        start=start,
        end=end,
        user=manager,
        introduction="De binnenstad heeft een goed kwartaal achter de rug. Aandacht vraagt de leegstand "
        "in de Marktstraat en het draagvlak voor de nieuwe BIZ.",
        at=timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=7), dt.time(10))),
    )
    ctx.write(
        f"  projects: year plan {year} with {len(BASIC_TASKS)} basic tasks, {len(PROJECTS)} projects, "
        f"{len(changes)} status changes, {len(milestones)} milestones, {len(decisions)} decisions, "
        "1 progress report sent last quarter"
    )
