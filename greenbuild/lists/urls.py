from django.urls import path

from greenbuild.lists import views

app_name = "lists"
urlpatterns = [
    path("filters/save/", views.filter_save, name="filter-save"),
    path("filters/<int:pk>/delete/", views.filter_delete, name="filter-delete"),
]
