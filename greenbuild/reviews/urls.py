from django.urls import path

from greenbuild.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("experts/", views.expert_list, name="expert-list"),
    path("experts/<int:user_pk>/", views.expert_edit, name="expert-edit"),
    path("draw/<int:plan_pk>/", views.draw, name="draw"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/replace/", views.round_replace, name="round-replace"),
    path("<int:pk>/leader/", views.round_leader, name="round-leader"),
    path("<int:pk>/clarify/", views.round_clarify, name="round-clarify"),
    path("<int:pk>/conclude/", views.round_conclude, name="round-conclude"),
    path("<int:pk>/letter/", views.round_letter, name="round-letter"),
    path("seats/<int:pk>/respond/", views.seat_respond, name="seat-respond"),
    path("seats/<int:pk>/score/", views.seat_score, name="seat-score"),
]
