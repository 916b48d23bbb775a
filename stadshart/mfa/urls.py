"""The two steps a staff member reaches with only a password: verify and (first login) setup.

Outside Wagtail's admin URL set (which would answer "no access" first), under /admin/mfa/.
The steps after them (recovery codes, your own second factor, the Beheerder's reset) are admin
views registered in stadshart/wagtail_hooks.py.
"""

from django.urls import path

from stadshart.mfa import views

urlpatterns = [
    path("verify/", views.verify, name="stadshart_mfa_verify"),
    path("setup/", views.setup, name="stadshart_mfa_setup"),
]
