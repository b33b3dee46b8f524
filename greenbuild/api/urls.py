"""``/api/v1/``: kebab-case plural routes, the schema, its documentation, open data."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from greenbuild.api import exceptions, files, open_data, pages, upload_views, views
from greenbuild.bulletins.api import open_data as bulletin_open_data
from greenbuild.bulletins.api import views as bulletin_views
from greenbuild.completion.api import views as completion_views
from greenbuild.conference.api import views as conference_views
from greenbuild.core.middleware import csp_update
from greenbuild.documents.api import views as document_views
from greenbuild.guidelines import api as guideline_views
from greenbuild.incentives.api import views as incentive_views
from greenbuild.inspections.api import views as inspection_views
from greenbuild.lifecycle.api import views as lifecycle_views
from greenbuild.plans.api import views as plan_views
from greenbuild.projects.api import views as project_views
from greenbuild.publicity.api import views as publicity_views
from greenbuild.reviews.api import views as review_views
from greenbuild.scoring.api import views as scoring_views
from greenbuild.summaries.api import views as summary_views
from greenbuild.supervision.api import views as supervision_views
from greenbuild.webhooks.api import views as webhook_views

app_name = "api"
DOCS_CSP = csp_update(style_src=("'unsafe-inline'",), worker_src=("'self'", "blob:"), img_src=("'self'", "data:"))

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.APIRootView = open_data.ApiRoot  # links the open data and its catalogue (docs/open-data.md)
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("quota-rules", views.QuotaRuleViewSet, basename="quota-rule")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("project-categories", views.ProjectCategoryViewSet, basename="project-category")
router.register("investment-natures", views.InvestmentNatureViewSet, basename="investment-nature")
router.register("structure-materials", views.StructureMaterialViewSet, basename="structure-material")
router.register("structure-systems", views.StructureSystemViewSet, basename="structure-system")
router.register("building-uses", views.BuildingUseViewSet, basename="building-use")
router.register("organisation-modes", views.OrganisationModeViewSet, basename="organisation-mode")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("projects", project_views.ProjectViewSet, basename="project")
router.register("buildings", project_views.BuildingViewSet, basename="building")
router.register("participants", project_views.ParticipantViewSet, basename="participant")
router.register("transitions", project_views.TransitionViewSet, basename="transition")
router.register("scorecards", scoring_views.ScorecardViewSet, basename="scorecard")
router.register("building-assessments", scoring_views.BuildingAssessmentViewSet, basename="building-assessment")
router.register("waste-records", scoring_views.WasteRecordViewSet, basename="waste-record")
router.register("material-lines", scoring_views.MaterialLineViewSet, basename="material-line")
router.register("energy-records", scoring_views.EnergyRecordViewSet, basename="energy-record")
router.register("score-runs", scoring_views.ScoreRunViewSet, basename="score-run")
router.register("rule-tables", scoring_views.RuleTableViewSet, basename="rule-table")
router.register("guidelines", guideline_views.GuidelineViewSet, basename="guideline")
router.register("guideline-items", guideline_views.GuidelineItemViewSet, basename="guideline-item")
router.register("plans", plan_views.PlanViewSet, basename="plan")
router.register("plan-versions", plan_views.PlanVersionViewSet, basename="plan-version")
router.register("attachments", files.AttachmentViewSet, basename="attachment")
router.register("jobs", files.JobViewSet, basename="job")
router.register("baselines", lifecycle_views.BaselineViewSet, basename="baseline")
router.register(
    "baseline-change-requests", lifecycle_views.BaselineChangeRequestViewSet, basename="baseline-change-request"
)
router.register("step-types", lifecycle_views.StepTypeViewSet, basename="step-type")
router.register("project-steps", lifecycle_views.ProjectStepViewSet, basename="project-step")
router.register("step-items", lifecycle_views.StepItemViewSet, basename="step-item")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("expert-profiles", review_views.ExpertProfileViewSet, basename="expert-profile")
router.register("criteria-schemes", review_views.CriteriaSchemeViewSet, basename="criteria-scheme")
router.register("review-rounds", review_views.RoundViewSet, basename="review-round")
router.register("panel-seats", review_views.SeatViewSet, basename="panel-seat")
router.register("expert-scores", review_views.ExpertScoreViewSet, basename="expert-score")
router.register("conference-members", conference_views.ConferenceMemberViewSet, basename="conference-member")
router.register("meetings", conference_views.MeetingViewSet, basename="meeting")
router.register("decisions", conference_views.DecisionViewSet, basename="decision")
router.register("action-items", conference_views.ActionItemViewSet, basename="action-item")
router.register("inspection-plans", supervision_views.InspectionPlanViewSet, basename="inspection-plan")
router.register("draws", supervision_views.DrawViewSet, basename="draw")
router.register("evaluations", supervision_views.EvaluationViewSet, basename="evaluation")
router.register("inspections", inspection_views.InspectionViewSet, basename="inspection")
router.register("findings", inspection_views.FindingViewSet, basename="finding")
router.register("rectification-orders", inspection_views.RectificationOrderViewSet, basename="rectification-order")
router.register("bonus-rules", incentive_views.BonusRuleViewSet, basename="bonus-rule")
router.register("bonus-records", incentive_views.BonusRecordViewSet, basename="bonus-record")
router.register("escrow-eligibilities", incentive_views.EscrowViewSet, basename="escrow-eligibility")
router.register("training-sessions", incentive_views.TrainingSessionViewSet, basename="training-session")
router.register("training-attendance", incentive_views.TrainingAttendanceViewSet, basename="training-attendance")
router.register("documents", document_views.IssuedDocumentViewSet, basename="document")
router.register("completion-schemes", completion_views.SchemeViewSet, basename="completion-scheme")
router.register("completion-evaluations", completion_views.EvaluationViewSet, basename="completion-evaluation")
router.register("incremental-costs", completion_views.CostViewSet, basename="incremental-cost")
router.register("lessons", completion_views.LessonViewSet, basename="lesson")
router.register("open/pilots", open_data.OpenPilotViewSet, basename="open-pilot")
router.register("bulletins", bulletin_views.BulletinViewSet, basename="bulletin")
router.register("summaries", summary_views.SummaryViewSet, basename="summary")
router.register("open/bulletins", bulletin_open_data.OpenBulletinViewSet, basename="open-bulletin")
router.register("webhooks", webhook_views.SubscriptionViewSet, basename="webhook")
router.register("webhook-deliveries", webhook_views.DeliveryViewSet, basename="webhook-delivery")
router.register("public-notices", publicity_views.NoticeViewSet, basename="public-notice")
router.register("objections", publicity_views.ObjectionViewSet, basename="objection")
router.register("public-messages", publicity_views.MessageViewSet, basename="public-message")
router.register("open/public-notices", publicity_views.OpenNoticeViewSet, basename="open-public-notice")
router.register("open/public-messages", publicity_views.OpenMessageViewSet, basename="open-public-message")

urlpatterns = [
    path("users/me/", views.MeView.as_view(), name="me"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path(
        "projects/<str:pk>/scorecards/<str:stage>/",
        scoring_views.ScorecardFileView.as_view(),
        name="project-scorecard-file",
    ),
    path(
        "projects/<str:pk>/scorecards/<str:stage>/review/",
        scoring_views.ScorecardReviewView.as_view(),
        name="project-scorecard-review",
    ),
    path("projects/<str:pk>/score-runs/", scoring_views.RunEnginesView.as_view(), name="project-run-engines"),
    path("projects/<str:pk>/star-level/", scoring_views.ResultOfRecordView.as_view(), name="project-result-of-record"),
    path("projects/<str:pk>/checks/", scoring_views.RequirementChecksView.as_view(), name="project-checks"),
    path("buildings/<str:pk>/assessment/", scoring_views.AssessBuildingView.as_view(), name="building-assess"),
    path("open/", open_data.OpenDataIndex.as_view(), name="open-data"),
    path("open/pilots.csv", open_data.OpenPilotCsv.as_view(), name="open-pilots-csv"),
    path("open/pilots.json", open_data.OpenPilotJson.as_view(), name="open-pilots-json"),
    path("open/pilots/dictionary.json", open_data.OpenPilotDictionary.as_view(), name="open-pilots-dictionary"),
    path("open/bulletins.json", bulletin_open_data.OpenBulletinJson.as_view(), name="open-bulletins-json"),
    path("open/bulletins.csv", bulletin_open_data.OpenBulletinCsv.as_view(), name="open-bulletins-csv"),
    path(
        "open/bulletins/dictionary.json",
        bulletin_open_data.OpenBulletinDictionary.as_view(),
        name="open-bulletins-dictionary",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and ReDoc inject their own <style> elements: the only pages allowed inline styles.
    path("docs/", DOCS_CSP(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("redoc/redoc.standalone.js", pages.redoc_bundle, name="redoc-bundle"),
    # resumable uploads (tus 1.0.0; api/upload_views.py)
    path("uploads/", upload_views.UploadCollectionView.as_view(), name="uploads"),
    path("uploads/<str:upload_id>/", upload_views.UploadView.as_view(), name="upload"),
    path("", include(router.urls)),
    re_path(r"^.*$", exceptions.not_found),
]
