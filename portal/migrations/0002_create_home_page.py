"""Replace Wagtail's placeholder page with the portal's home page, so `/` shows the portal."""

from django.db import migrations

INTRO = (
    "<p>Wij zijn de centrumorganisatie van ondernemers, vastgoedeigenaren, gemeente en bewoners. "
    "Samen maken we de binnenstad schoon, heel, veilig en levendig.</p>"
)


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("portal", "HomePage")

    placeholder_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=placeholder_type, slug="home", depth=2).delete()

    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Welkom in het Stadshart",
        draft_title="Welkom in het Stadshart",
        slug="home",
        content_type=home_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        intro=INTRO,
        locale=Locale.objects.first(),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Stadshart")


def remove_home_page(apps, schema_editor):
    apps.get_model("portal", "HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
