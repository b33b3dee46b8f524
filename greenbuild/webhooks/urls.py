from django.urls import path

from greenbuild.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="subscription-list"),
    path("new/", views.subscription_create, name="subscription-create"),
    path("<int:pk>/", views.subscription_detail, name="subscription-detail"),
    path("<int:pk>/edit/", views.subscription_edit, name="subscription-edit"),
    path("<int:pk>/test/", views.subscription_test, name="subscription-test"),
    path("<int:pk>/rotate-secret/", views.subscription_rotate, name="subscription-rotate"),
    path("<int:pk>/delete/", views.subscription_delete, name="subscription-delete"),
]
