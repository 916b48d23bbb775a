"""The admin's "Relaties" menu: CRM screens (and other apps' staff screens about relations) add
their entries with @hooks.register("register_crm_menu_item")."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

MENU_HOOK = "register_crm_menu_item"

crm_menu = Menu(register_hook_name=MENU_HOOK, construct_hook_name="construct_crm_menu")


@hooks.register("register_admin_menu_item")
def register_crm_menu():
    return SubmenuMenuItem(_("Relations"), crm_menu, icon_name="group", name="crm", order=150)


class PermissionMenuItem(MenuItem):
    """A menu entry shown only to staff who hold one permission."""

    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
