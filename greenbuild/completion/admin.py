"""Read-only admin: every write goes through ``services.py`` (pages and API)."""

from __future__ import annotations

from django.contrib import admin

from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme, IncrementalCost, Lesson
from greenbuild.core.admin import ReadOnlyHistoryAdmin as ReadOnlyAdmin


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(ReadOnlyAdmin):
    list_display = ("version", "name", "pass_score", "created_by", "created_at")


@admin.register(CompletionEvaluation)
class CompletionEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("project", "status", "verdict", "score", "scheme", "created_at")
    list_filter = ("status", "verdict")


@admin.register(IncrementalCost)
class IncrementalCostAdmin(ReadOnlyAdmin):
    list_display = ("project", "measure", "amount_yuan", "reported_by", "reported_at")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("project", "title", "topic", "filed_by", "filed_at")
