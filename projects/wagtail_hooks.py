"""The year plan in the admin (its view sets are in projects.viewsets)."""

from django.utils.safestring import mark_safe
from wagtail import hooks

from projects.viewsets import YearPlanGroup


@hooks.register("insert_global_admin_css")
def year_plan_list_css():
    return mark_safe("<style>td.year-plan-name { min-width: 9.5rem; }</style>")


@hooks.register("register_admin_viewset")
def register_year_plan():
    return YearPlanGroup()
