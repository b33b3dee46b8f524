from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "greenbuild.api"
    label = "api"
    verbose_name = _("Open API")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from greenbuild.accounts.models import Membership

        post_delete.connect(_membership_removed, sender=Membership, dispatch_uid="api_membership_removed")


def _membership_removed(sender: type, instance: object, **kwargs: object) -> None:
    """A removed membership revokes the tokens bound to its organisation (docs/api.md, "Authentication")."""
    from greenbuild.api.services import revoke_unbound_tokens

    revoke_unbound_tokens(
        user_id=instance.user_id,  # type: ignore[attr-defined]
        organisation_id=instance.organisation_id,  # type: ignore[attr-defined]
    )
