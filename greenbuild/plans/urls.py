from django.urls import path

from greenbuild.plans import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/plan/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/plan/start/", views.plan_start, name="plan-start"),
    path("<int:pk>/plan/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/plan/move/<slug:action>/", views.plan_move, name="plan-move"),
    path("<int:pk>/plan/verify/", views.plan_verify, name="plan-verify"),
    path("<int:pk>/plan/files/", views.plan_upload, name="plan-upload"),
    path("<int:pk>/plan/files/<int:attachment_pk>/remove/", views.plan_file_remove, name="plan-file-remove"),
    path("<int:pk>/plan/versions/<int:number>/", views.version_detail, name="version-detail"),
    path("<int:pk>/plan/diff/", views.version_diff, name="version-diff"),
]
