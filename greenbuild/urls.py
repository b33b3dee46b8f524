from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from greenbuild.api import open_data
from greenbuild.api.exceptions import not_found as api_not_found
from greenbuild.core import views as core_views

urlpatterns = [
    # Outside the language prefix: the switch translates `next` itself; operators' probe is language-free.
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),  # browsers ask for it on their own (UI-12)
    # The open data's DCAT-US v1.1 catalogue, at the site root as the convention asks (docs/open-data.md).
    path("data.json", open_data.DataCatalogue.as_view(), name="open-data-catalogue"),
    # The open API: language-free paths; messages follow Accept-Language (docs/api.md).
    path("api/v1/", include("greenbuild.api.urls")),
    re_path(r"^api(?:/|$)", api_not_found),  # `/api` too: never the pages' redirect or 404 page
]
urlpatterns += i18n_patterns(
    path("", include("greenbuild.dashboards.urls")),
    path("projects/", include("greenbuild.projects.urls")),
    path("projects/", include("greenbuild.scoring.urls")),
    path("projects/", include("greenbuild.plans.urls")),
    path("guidelines/", include("greenbuild.guidelines.urls")),
    path("attachments/", include("greenbuild.attachments.urls")),
    path("notifications/", include("greenbuild.notifications.urls")),
    path("accounts/", include("greenbuild.accounts.urls")),
    path("accounts/tokens/", include("greenbuild.api.page_urls")),
    path("jobs/", include("greenbuild.jobs.urls")),
    path("", include("greenbuild.reports.urls")),
    path("imports/", include("greenbuild.imports.urls")),
    path("audit/", include("greenbuild.audit.urls")),
    path("accounts/otp/", include("greenbuild.secondfactor.urls")),
    path("reviews/", include("greenbuild.reviews.urls")),
    path("conference/", include("greenbuild.conference.urls")),
    path("incentives/", include("greenbuild.incentives.urls")),
    path("lifecycle/", include("greenbuild.lifecycle.urls")),
    path("completion/", include("greenbuild.completion.urls")),
    path("supervision/", include("greenbuild.supervision.urls")),
    path("inspections/", include("greenbuild.inspections.urls")),
    path("documents/", include("greenbuild.documents.urls")),
    path("webhooks/", include("greenbuild.webhooks.urls")),
    path("lists/", include("greenbuild.lists.urls")),
    path("publicity/", include("greenbuild.publicity.urls")),
    path("bulletins/", include("greenbuild.bulletins.urls")),
    path("summaries/", include("greenbuild.summaries.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "greenbuild.core.views.bad_request"  # styled and translated
handler500 = "greenbuild.core.views.server_error"  # styled, translated, and safe when the database is down
