from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin
from greenbuild.programmes.models import Phase, Programme, QuotaRule


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class QuotaRuleInline(admin.TabularInline):
    model = QuotaRule
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "city", "min_pilots", "is_current"]
    filter_horizontal = ["districts"]
    inlines = [PhaseInline, QuotaRuleInline]
