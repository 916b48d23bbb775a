"""The CRM's addresses outside the admin (the admin's are registered in crm.wagtail_hooks)."""

from django.urls import path

from crm.views.work import follow_up_feed

urlpatterns = [
    # Calendar apps cannot log in: the signed token in the address is the key (see crm.views.work).
    path("feeds/follow-ups/<str:token>.ics", follow_up_feed, name="crm_follow_up_feed"),
]
