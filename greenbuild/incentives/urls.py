from django.urls import path

from greenbuild.incentives import views

app_name = "incentives"

urlpatterns = [
    path("", views.bonus_list, name="bonus-list"),
    path("bonuses/award/", views.bonus_award, name="bonus-award"),
    path("bonuses/<int:pk>/", views.bonus_detail, name="bonus-detail"),
    path("bonuses/<int:pk>/revoke/", views.bonus_revoke, name="bonus-revoke"),
    path("rules/", views.rule_list, name="rule-list"),
    path("rules/new/", views.rule_create, name="rule-create"),
    path("escrow/", views.escrow_list, name="escrow-list"),
    path("escrow/assess/", views.escrow_assess, name="escrow-assess"),
    path("escrow/<int:pk>/", views.escrow_detail, name="escrow-detail"),
    path("escrow/<int:pk>/release/", views.escrow_release, name="escrow-release"),
    path("enterprises/", views.my_enterprises, name="enterprise-list"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("public/enterprises/<int:pk>/", views.enterprise_public, name="enterprise-public"),
    path("training/", views.session_list, name="session-list"),
    path("training/new/", views.session_create, name="session-create"),
    path("training/<int:pk>/", views.session_detail, name="session-detail"),
    path("training/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("training/<int:pk>/attendance/", views.attendance_add, name="attendance-add"),
    path("training/<int:pk>/import/", views.attendance_import, name="attendance-import"),
    path("training/<int:pk>/import/template/", views.attendance_template, name="attendance-template"),
]
