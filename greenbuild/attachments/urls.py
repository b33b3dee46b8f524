from django.urls import path

from greenbuild.attachments import views

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/download/", views.download, name="download"),
]
