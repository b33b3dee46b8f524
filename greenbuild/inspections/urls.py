from django.urls import path

from greenbuild.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("new/", views.inspection_create, name="inspection-create"),
    path("counts/", views.stats, name="stats"),
    path("counts.xlsx", views.stats_xlsx, name="stats-xlsx"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/checks/", views.inspection_checks, name="inspection-checks"),
    path("<int:pk>/draft/", views.inspection_draft, name="inspection-draft"),
    path("<int:pk>/findings/", views.finding_create, name="finding-create"),
    path("<int:pk>/<slug:action>/", views.inspection_move, name="inspection-move"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/photos/", views.finding_photo, name="finding-photo"),
    path("findings/<int:pk>/photos/<int:photo_pk>/", views.finding_photo_file, name="finding-photo-file"),
    path("findings/<int:pk>/order/", views.finding_order, name="finding-order"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding-close"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/evidence/", views.order_evidence, name="order-evidence"),
    path("orders/<int:pk>/evidence/<int:attachment_pk>/", views.order_evidence_file, name="order-evidence-file"),
    path("orders/<int:pk>/deadline/", views.order_deadline, name="order-deadline"),
    path("orders/<int:pk>/<slug:action>/", views.order_move, name="order-move"),
]
