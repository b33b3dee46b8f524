from django.urls import path

from greenbuild.guidelines import views

app_name = "guidelines"

urlpatterns = [
    path("", views.guideline_detail, name="current"),
    path("<slug:code>/", views.guideline_detail, name="edition"),
]
