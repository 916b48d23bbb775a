from django.urls import path

from drafting import views

app_name = "drafting"

urlpatterns = [
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/retry/", views.retry, name="retry"),
]
