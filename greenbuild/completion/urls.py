from django.urls import path

from greenbuild.completion import views

app_name = "completion"

urlpatterns = [
    path("", views.evaluation_list, name="evaluation-list"),
    path("schemes/", views.scheme_list, name="scheme-list"),
    path("schemes/new/", views.scheme_create, name="scheme-create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("projects/<int:project_pk>/start/", views.evaluation_start, name="evaluation-start"),
    path("projects/<int:project_pk>/costs/", views.project_costs, name="project-costs"),
    path("projects/<int:project_pk>/lessons/", views.project_lessons, name="project-lessons"),
    path("costs/<int:pk>/delete/", views.cost_delete, name="cost-delete"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("<int:pk>/refresh/", views.evaluation_refresh, name="evaluation-refresh"),
    path("<int:pk>/panel/", views.evaluation_panel, name="evaluation-panel"),
    path("<int:pk>/conclude/", views.evaluation_conclude, name="evaluation-conclude"),
    path("<int:pk>/actions/<slug:action>/", views.evaluation_move, name="evaluation-move"),
]
