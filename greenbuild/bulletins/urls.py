from django.urls import path

from greenbuild.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="bulletin-list"),
    path("new/", views.bulletin_create, name="bulletin-create"),
    path("<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("<int:pk>/generate/", views.bulletin_generate, name="bulletin-generate"),
    path("<int:pk>/moves/<slug:action>/", views.bulletin_move, name="bulletin-move"),
    path("<int:pk>/revisions/<int:number>/<slug:fmt>/", views.revision_file, name="revision-file"),
    path("public/", views.public_list, name="public-list"),
    path("public/<int:pk>/", views.public_detail, name="public-detail"),
    path("public/<int:pk>/<slug:fmt>/", views.public_file, name="public-file"),
]
