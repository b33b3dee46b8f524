from django.urls import path

from greenbuild.scoring import views

app_name = "scoring"
urlpatterns = [
    path("<int:pk>/scores/", views.scores, name="scores"),
    path("<int:pk>/scores/scorecards/<slug:stage>/", views.scorecard_edit, name="scorecard-edit"),
    path("<int:pk>/scores/scorecards/<slug:stage>/review/", views.scorecard_review, name="scorecard-review"),
    path("<int:pk>/scores/buildings/<int:building_pk>/", views.building_assess, name="building-assess"),
    path("<int:pk>/scores/records/", views.records, name="records"),
    path("<int:pk>/scores/records/<slug:kind>/<int:record_pk>/", views.records, name="record-edit"),
    path("<int:pk>/scores/records/<slug:kind>/<int:record_pk>/delete/", views.record_delete, name="record-delete"),
    path("<int:pk>/scores/run/", views.run_engines, name="run-engines"),
    path("<int:pk>/scores/recompute/", views.recompute_results, name="recompute-results"),
    path("<int:pk>/scores/runs/<int:run_pk>/", views.score_run, name="score-run"),
    path("<int:pk>/scores/evidence/<int:claim_pk>/", views.evidence, name="evidence"),
]
