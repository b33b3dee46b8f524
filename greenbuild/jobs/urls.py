from django.urls import path

from greenbuild.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/retry/", views.job_retry, name="job-retry"),
]
