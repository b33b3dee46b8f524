from django.urls import path

from greenbuild.conference import views

app_name = "conference"

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/moves/<slug:action>/", views.meeting_move, name="meeting-move"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
    path("meetings/<int:pk>/action-items/", views.action_item_add, name="action-item-add"),
    path("meetings/<int:pk>/attachments/", views.meeting_upload, name="meeting-upload"),
    path("meetings/<int:pk>/notice/", views.notice_issue, name="notice-issue"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/addenda/", views.addendum_add, name="addendum-add"),
    path("meetings/<int:pk>/attachments/<int:attachment_pk>/", views.meeting_attachment, name="meeting-attachment"),
    path("action-items/", views.action_board, name="action-board"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action-item-detail"),
    path("action-items/<int:pk>/moves/<slug:action>/", views.action_item_move, name="action-item-move"),
    path("action-items/<int:pk>/evidence/", views.action_item_evidence, name="action-item-evidence"),
    path(
        "action-items/<int:pk>/evidence/<int:attachment_pk>/",
        views.action_item_evidence_file,
        name="action-item-evidence-file",
    ),
    path("members/", views.member_list, name="member-list"),
    path("members/new/", views.member_edit, name="member-create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
]
