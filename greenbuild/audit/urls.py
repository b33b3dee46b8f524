from django.urls import path

from greenbuild.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("export.xlsx", views.event_export, name="export"),
    path("export/start/", views.event_export_start, name="export-start"),
]
