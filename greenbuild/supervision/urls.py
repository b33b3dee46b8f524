from django.urls import path

from greenbuild.supervision import views

app_name = "supervision"

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/moves/<slug:action>/", views.plan_move, name="plan-move"),
    path("pool/", views.pool, name="pool"),
    path("pool/add/", views.pool_add, name="pool-add"),
    path("pool/<int:pk>/toggle/", views.pool_toggle, name="pool-toggle"),
    path("draws/", views.draw_list, name="draw-list"),
    path("draws/new/", views.draw_create, name="draw-create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw-detail"),
    path("draws/<int:pk>/publish/", views.draw_publish, name="draw-publish"),
    path("public/draws/", views.public_draw_list, name="public-draw-list"),
    path("public/draws/<int:pk>/", views.public_draw_detail, name="public-draw-detail"),
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation-create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/report/", views.evaluation_file, name="evaluation-file"),
    path("evaluations/<int:pk>/moves/<slug:action>/", views.evaluation_move, name="evaluation-move"),
]
