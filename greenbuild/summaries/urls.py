from django.urls import path

from greenbuild.summaries import views

app_name = "summaries"

urlpatterns = [
    path("", views.summary_list, name="summary-list"),
    path("new/", views.summary_create, name="summary-create"),
    path("<int:pk>/", views.summary_detail, name="summary-detail"),
    path("<int:pk>/generate/", views.summary_generate, name="summary-generate"),
    path("<int:pk>/recommendations/", views.summary_recommendations, name="summary-recommendations"),
    path("<int:pk>/moves/<slug:action>/", views.summary_move, name="summary-move"),
    path("<int:pk>/revisions/<int:number>/<slug:fmt>/", views.revision_file, name="revision-file"),
    path("<int:pk>/edition/start/", views.edition_start, name="edition-start"),
    path("<int:pk>/edition/", views.edition_detail, name="edition"),
    path("<int:pk>/edition/items/<int:item_id>/", views.edition_item_change, name="edition-item-change"),
]
