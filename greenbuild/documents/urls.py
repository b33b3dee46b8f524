from django.urls import path, re_path

from greenbuild.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/download/", views.document_download, name="document-download"),
    path("<int:pk>/reissue/", views.document_reissue, name="document-reissue"),
    path("verify/", views.verify_start, name="verify-start"),
    re_path(r"^verify/(?P<token>[A-Za-z0-9_-]{1,64})/$", views.verify, name="verify"),
]
