from django.urls import path

from greenbuild.projects import batch_views, views, withdrawal_views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_create, name="project-create"),
    path("batch/assign-evaluator/", batch_views.project_batch_assign, name="project-batch-assign"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/buildings/new/", views.building_form, name="building-create"),
    path("<int:pk>/buildings/<int:building_pk>/", views.building_form, name="building-edit"),
    path("<int:pk>/buildings/<int:building_pk>/delete/", views.building_delete, name="building-delete"),
    path("<int:pk>/participants/new/", views.participant_add, name="participant-create"),
    path("<int:pk>/participants/<int:participant_pk>/remove/", views.participant_remove, name="participant-remove"),
    path("<int:pk>/evaluators/new/", views.evaluator_assign, name="evaluator-assign"),
    path("<int:pk>/evaluators/<int:participant_pk>/remove/", views.evaluator_remove, name="evaluator-remove"),
    path("<int:pk>/actions/<slug:action>/", views.project_transition, name="project-transition"),
    path("<int:pk>/withdrawal/", withdrawal_views.withdrawal_request, name="withdrawal-request"),
    path(
        "<int:pk>/withdrawal/<int:request_pk>/<slug:action>/",
        withdrawal_views.withdrawal_decide,
        name="withdrawal-decide",
    ),
]
