"""The CRM in the Wagtail admin: one "Relaties" menu that every CRM screen adds itself to.

Each feature keeps its hooks in a module of its own (crm/hooks_<feature>.py), imported at the
bottom of this file, and adds its menu entries with @hooks.register("register_crm_menu_item").
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

crm_menu = Menu(register_hook_name="register_crm_menu_item", construct_hook_name="construct_crm_menu")


@hooks.register("register_admin_menu_item")
def register_crm_menu():
    return SubmenuMenuItem(_("Relations"), crm_menu, icon_name="group", name="crm", order=150)
