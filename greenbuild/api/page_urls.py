from django.urls import path

from greenbuild.api import pages

app_name = "api-tokens"
urlpatterns = [
    path("", pages.token_list, name="list"),
    path("<int:pk>/revoke/", pages.token_revoke, name="revoke"),
]
