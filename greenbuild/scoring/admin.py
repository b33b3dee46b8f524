import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, ReadOnlyAdminMixin
from greenbuild.scoring import services
from greenbuild.scoring.models import RuleTable, ScoreRun


class RuleTableAddForm(forms.ModelForm):
    upload = forms.FileField(
        label=gettext_lazy("rule table (JSON)"),
        help_text=gettext_lazy("A JSON rule table with standard, edition, effective_date, version and engine."),
    )

    class Meta:
        model = RuleTable
        fields = ["active"]

    def clean_upload(self):  # type: ignore[no-untyped-def]
        try:
            data = json.loads(self.cleaned_data["upload"].read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ValidationError(_("Not a JSON file: {error}").format(error=error)) from None
        services.check_rule_table(data)
        return data


@admin.register(RuleTable)
class RuleTableAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    """Load a corrected rule table as a new edition or version; the service validates it.

    A loaded table's content is read-only and its history versions cannot be reverted (issue 10
    item 1): a corrected table is uploaded as a new version. Only ``active`` can be switched.
    """

    list_display = ["edition", "version", "engine", "effective_date", "active", "uploaded_by", "uploaded_at"]
    list_filter = ["engine", "active"]
    readonly_fields = [
        "engine",
        "standard",
        "edition",
        "version",
        "effective_date",
        "data",
        "uploaded_by",
        "uploaded_at",
    ]

    def get_form(self, request, obj=None, **kwargs):  # type: ignore[no-untyped-def]
        if obj is None:
            kwargs["form"] = RuleTableAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return super().get_readonly_fields(request, obj) if obj else []

    def get_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [*self.readonly_fields, "active"] if obj else ["upload", "active"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if change:
            obj._history_user = request.user
            obj.save()
            return
        table = services.load_rule_table(
            actor=request.user, data=form.cleaned_data["upload"], active=form.cleaned_data["active"]
        )
        obj.pk = table.pk


@admin.register(ScoreRun)
class ScoreRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Score runs are the audit trail: shown, never added, changed or deleted."""

    list_display = ["project", "engine", "subject", "headline", "edition", "ruleset_version", "actor", "at"]
    list_filter = ["engine", "edition"]
    readonly_fields = [f.name for f in ScoreRun._meta.fields]
