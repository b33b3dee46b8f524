"""The platform's URLs plus one view that fails, to see the 500 page (test_platform_pages.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from greenbuild.core.tests.test_platform_pages import _boom
from greenbuild.urls import handler500
from greenbuild.urls import urlpatterns as platform_urlpatterns

urlpatterns = [*platform_urlpatterns, *i18n_patterns(path("boom/", _boom), prefix_default_language=False)]

__all__ = ["handler500", "urlpatterns"]
