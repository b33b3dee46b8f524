from django.urls import path

from greenbuild.secondfactor import views

app_name = "otp"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
]
