from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "greenbuild.reviews"
    verbose_name = _("Expert review")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from greenbuild.plans import hooks
        from greenbuild.reviews import events, fields, permissions, receivers  # noqa: F401  (fields: the field policy)

        events.register()
        from greenbuild.reviews import letter

        letter.register()  # the decision letter, a kind of the issued-documents register
        from greenbuild.projects.panels import register_panel
        from greenbuild.reviews.panels import review_panel_context

        register_panel(
            "reviews",
            order=210,
            template="reviews/partials/project_panel.html",
            context=review_panel_context,
            column="side",
        )
        hooks.register_plan_reader(permissions.reads_plan, permissions.plan_reader_scope)
        hooks.register_review_leader(permissions.leads_plan_review)
        from greenbuild.attachments.permissions import register_attachment_reader
        from greenbuild.notifications.registry import register_reader_scope
        from greenbuild.projects.permissions import register_project_reader

        register_project_reader(permissions.reads_project, permissions.project_reader_scope)
        register_attachment_reader(permissions.reads_attachment, permissions.attachment_reader_scope)
        register_reader_scope("reviews.round", permissions.notification_reader_scope)
        post_save.connect(
            receivers.plan_version_saved, sender="plans.PlanVersion", dispatch_uid="reviews.plan_version_saved"
        )
