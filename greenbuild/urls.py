from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [path("i18n/setlang/", set_language, name="set_language")]
urlpatterns += i18n_patterns(
    path("", include("greenbuild.dashboards.urls")),
    path("projects/", include("greenbuild.projects.urls")),
    path("projects/", include("greenbuild.scoring.urls")),
    path("notifications/", include("greenbuild.notifications.urls")),
    path("accounts/", include("greenbuild.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
