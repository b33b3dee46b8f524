from django.urls import path

from greenbuild.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("", views.lifecycle_overview, name="overview"),
    path("steps/<str:pk>/", views.step_detail, name="step-detail"),
    path("steps/<str:pk>/conditions/<str:condition_pk>/<slug:action>/", views.condition_move, name="condition-move"),
    path("steps/<str:pk>/items/<str:item_pk>/", views.item_write, name="item-write"),
    path("steps/<str:pk>/documents/", views.step_document, name="step-document"),
    path("steps/<str:pk>/<slug:action>/", views.step_move, name="step-move"),
    path("departments/<slug:code>/", views.department_page, name="department"),
    path("projects/<str:pk>/baseline/change/", views.request_create, name="request-create"),
    path("baseline-changes/<str:pk>/", views.request_detail, name="request-detail"),
    path("baseline-changes/<str:pk>/<slug:action>/", views.request_decide, name="request-decide"),
]
