from django.urls import path

from greenbuild.publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.public_index, name="public-index"),
    path("notices/<int:pk>/", views.public_notice, name="public-notice"),
    path("pilots/<int:pk>/", views.public_pilot, name="public-pilot"),
    path("manage/", views.manage, name="manage"),
    path("manage/projects/<int:project_pk>/notices/new/", views.notice_create, name="notice-create"),
    path("manage/notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("manage/notices/<int:pk>/<slug:action>/", views.notice_move, name="notice-move"),
    path("manage/objections/<int:pk>/answer/", views.objection_answer, name="objection-answer"),
    path("manage/messages/<int:pk>/", views.message_detail, name="message-detail"),
    path("manage/messages/<int:pk>/answer/", views.message_answer, name="message-answer"),
    path("manage/messages/<int:pk>/photo/", views.message_photo, name="message-photo"),
]
