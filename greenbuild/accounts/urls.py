from django.contrib.auth import views as auth_views
from django.urls import path

from greenbuild.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("locked/", views.locked_accounts, name="locked"),
    path("locked/<int:pk>/unlock/", views.unlock_account, name="unlock"),
    path("locked/address/", views.unlock_address, name="unlock-address"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
    path("session/status/", views.session_status, name="session-status"),
]
