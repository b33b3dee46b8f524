from django.urls import path

from greenbuild.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("batches/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/errors.xlsx", views.batch_errors, name="batch-errors"),
    path("<slug:name>/", views.import_form, name="import-form"),
    path("<slug:name>/template.xlsx", views.import_template, name="template"),
]
