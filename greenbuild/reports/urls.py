from django.urls import path

from greenbuild.reports import views

app_name = "reports"
urlpatterns = [
    path("projects/export.xlsx", views.project_list_xlsx, name="project-list-xlsx"),
    path("projects/selection.xlsx", views.project_selection_xlsx, name="project-selection-xlsx"),
    path("projects/<int:pk>/scores/runs.xlsx", views.score_runs_xlsx, name="score-runs-xlsx"),
    path("projects/<int:pk>/scores/records.xlsx", views.records_xlsx, name="records-xlsx"),
    path("projects/<int:pk>/reports/standards-summary/", views.standards_summary_start, name="standards-summary"),
]
