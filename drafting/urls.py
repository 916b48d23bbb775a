from django.urls import path

from drafting import admin_views, views

app_name = "drafting"

urlpatterns = [
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/retry/", views.retry, name="retry"),
    path("settings/", admin_views.AISettingsView.as_view(), name="settings"),
]
