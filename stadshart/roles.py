"""Staff roles: Django groups named after the jobs in the centre organisation.

The groups are created by a migration (stadshart/migrations/0001_staff_roles.py). Each app grants
its own models' permissions to the roles in a migration of its own, through `grant()`, so a role
never depends on an app it does not use. Functions here take the migration's `apps` registry.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

BEHEERDER = "Beheerder"
CENTRUMMANAGER = "Centrummanager"
ACCOUNTMANAGER = "Accountmanager"
COMMUNICATIE = "Communicatie"
FACILITAIR = "Facilitair"
BESTUUR = "Bestuur"

ROLES = (BEHEERDER, CENTRUMMANAGER, ACCOUNTMANAGER, COMMUNICATIE, FACILITAIR, BESTUUR)

_IMAGES = ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image"]
_DOCUMENTS = ["wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document"]
_PAGES_EDIT = [
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.lock_page",
    "wagtailcore.unlock_page",
]

# Permissions on models of Django and Wagtail. Every role may enter the admin: it is the back office.
BASE_PERMISSIONS: dict[str, list[str]] = {
    BEHEERDER: [
        "wagtailadmin.access_admin",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.add_group",
        "auth.change_group",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.add_collection",
        "wagtailcore.change_collection",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    ],
    CENTRUMMANAGER: [
        "wagtailadmin.access_admin",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
    ],
    ACCOUNTMANAGER: ["wagtailadmin.access_admin"],
    COMMUNICATIE: ["wagtailadmin.access_admin"],
    FACILITAIR: ["wagtailadmin.access_admin"],
    BESTUUR: ["wagtailadmin.access_admin"],
}

# Permissions on the whole page tree (granted on the root page).
PAGE_PERMISSIONS: dict[str, list[str]] = {
    BEHEERDER: [*_PAGES_EDIT, "wagtailcore.publish_page", "wagtailcore.bulk_delete_page"],
    CENTRUMMANAGER: [*_PAGES_EDIT, "wagtailcore.publish_page"],
    # Communications writes and publishes portal pages; newsletters get their own review workflow.
    COMMUNICATIE: [*_PAGES_EDIT, "wagtailcore.publish_page"],
    FACILITAIR: ["wagtailcore.add_page", "wagtailcore.change_page"],
}

# Permissions on the root collection of images and documents.
COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    BEHEERDER: [*_IMAGES, "wagtailimages.delete_image", *_DOCUMENTS, "wagtaildocs.delete_document"],
    CENTRUMMANAGER: [*_IMAGES, *_DOCUMENTS],
    COMMUNICATIE: [*_IMAGES, *_DOCUMENTS],
    FACILITAIR: [*_IMAGES, *_DOCUMENTS],
    ACCOUNTMANAGER: ["wagtailimages.choose_image", "wagtaildocs.choose_document"],
}


def permission(apps, dotted: str):
    """The Permission row for "app_label.codename", created if post_migrate has not made it yet."""
    app_label, codename = dotted.split(".", 1)
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None:
        # Inside `migrate`, an app's permissions appear only after all migrations ran; make them now,
        # from the migration state, exactly as post_migrate would.
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, apps=apps)
        found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None:
        raise LookupError(f"No permission {dotted}")
    return found


def grant(apps, role: str, permissions: list[str]) -> None:
    """Give a role model permissions (used by every app's role migration)."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(*(permission(apps, dotted) for dotted in permissions))


def create_roles(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    # Wagtail's sample groups would sit beside the real roles and confuse; drop them while unused.
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        grant(apps, role, BASE_PERMISSIONS.get(role, []))
        for dotted in PAGE_PERMISSIONS.get(role, []):
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission(apps, dotted)
            )
        for dotted in COLLECTION_PERMISSIONS.get(role, []):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission(apps, dotted)
            )


def delete_roles(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
