from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "greenbuild.documents"
    verbose_name = _("Issued documents")

    def ready(self) -> None:
        from greenbuild.accounts.roles import is_bureau_admin
        from greenbuild.documents import events, permissions  # noqa: F401 (permissions registers the gate)
        from greenbuild.documents.panels import documents_panel_context
        from greenbuild.documents.registry import Party, register_party
        from greenbuild.projects.panels import register_panel

        events.register()
        register_party(Party(code="bureau", default_name="常州市住房和城乡建设局", is_member=is_bureau_admin))
        register_panel(
            "documents",
            order=215,
            template="documents/partials/project_panel.html",
            context=documents_panel_context,
            column="side",
        )
