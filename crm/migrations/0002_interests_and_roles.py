"""The themes of city-centre work as the first interests, and what each staff role may do in the CRM."""

from django.db import migrations

from stadshart import roles

THEMES = [
    ("schoon-heel-veilig", "Schoon, heel en veilig"),
    ("evenementen", "Evenementen"),
    ("marketing-promotie", "Marketing en promotie"),
    ("leegstand-herbestemming", "Leegstand en herbestemming"),
    ("vastgoed", "Vastgoed"),
    ("bereikbaarheid-parkeren", "Bereikbaarheid en parkeren"),
    ("openingstijden", "Openingstijden"),
    ("branchering", "Branchering"),
    ("openbare-ruimte-groen", "Openbare ruimte en groen"),
    ("duurzaamheid", "Duurzaamheid"),
    ("digitalisering", "Digitalisering"),
    ("veiligheid", "Veiligheid"),
    ("wonen", "Wonen"),
    ("cultuur", "Cultuur"),
    ("sociale-functie", "Sociale functie"),
]

ALL_MODELS = [
    "organisation",
    "person",
    "role",
    "emailaddress",
    "phonenumber",
    "consent",
    "premises",
    "occupancy",
    "relation",
    "interaction",
    "signal",
    "followup",
    "segment",
    "interest",
    "stakeholderpositionchange",
]


def perms(actions: str, models: list[str]) -> list[str]:
    return [f"crm.{action}_{model}" for model in models for action in actions.split()]


FIELD_WORK = [
    "organisation",
    "person",
    "role",
    "emailaddress",
    "phonenumber",
    "premises",
    "occupancy",
    "relation",
    "interaction",
    "signal",
    "followup",
    "stakeholderpositionchange",
]

CRM_PERMISSIONS = {
    roles.BEHEERDER: [
        *perms("add change delete view", ALL_MODELS),
        "crm.import_organisations",
        "crm.export_records",
        "crm.merge_records",
        "crm.erase_person",
        "crm.export_person_data",
        "crm.view_notes",
    ],
    roles.CENTRUMMANAGER: [
        *perms("add change delete view", ALL_MODELS),
        "crm.import_organisations",
        "crm.export_records",
        "crm.merge_records",
        "crm.erase_person",
        "crm.export_person_data",
        "crm.view_notes",
    ],
    roles.ACCOUNTMANAGER: [
        *perms("add change view", FIELD_WORK),
        *perms("add view", ["consent"]),
        *perms("view", ["segment", "interest"]),
        *perms("add change view", ["segment"]),
        "crm.export_records",
        "crm.merge_records",
        "crm.view_notes",
    ],
    roles.COMMUNICATIE: [
        *perms("view", ["organisation", "person", "role", "emailaddress", "consent", "interest", "premises"]),
        *perms("add change view", ["segment"]),
        "crm.export_records",
    ],
    roles.FACILITAIR: [
        *perms(
            "view", ["organisation", "person", "role", "emailaddress", "phonenumber", "interest", "segment"]
        ),
        *perms("add change view", ["premises", "occupancy", "interaction", "signal", "followup"]),
        "crm.view_notes",
    ],
    # The board reads statistics (insights), never notes or personal data.
    roles.BESTUUR: [],
}


def forwards(apps, schema_editor):
    Interest = apps.get_model("crm", "Interest")
    for slug, name in THEMES:
        Interest.objects.get_or_create(slug=slug, defaults={"name": name})
    for role, granted in CRM_PERMISSIONS.items():
        roles.grant(apps, role, granted)


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial"), ("stadshart", "0001_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
