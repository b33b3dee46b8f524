from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "greenbuild.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django_tasks.signals import task_finished

        from greenbuild.accounts.models import Membership
        from greenbuild.notifications import badge
        from greenbuild.notifications.models import Event

        # An event may add or close someone's to-do, a membership changes what a person may do, a
        # job (an import, a recomputation) writes outside any request: the navbar badges count
        # afresh once the change is committed (badge.py).
        post_save.connect(badge.changed, sender=Event, dispatch_uid="inbox-badge-on-event")
        post_save.connect(badge.changed, sender=Membership, dispatch_uid="inbox-badge-on-membership")
        post_delete.connect(badge.changed, sender=Membership, dispatch_uid="inbox-badge-on-membership-gone")
        task_finished.connect(badge.changed, dispatch_uid="inbox-badge-on-job")
