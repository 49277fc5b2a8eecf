"""Scores in the admin are for looking up: every change goes through the scoring pages and
services, which check the rules and write the history, so nothing here edits or deletes."""

from django.contrib import admin

from award.admin import ReadOnlyAdminMixin

from .models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)


class AssessmentItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AssessmentItem
    fields = ["criterion", "score", "strengths", "improvements", "version", "updated_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["application", "member", "status", "hours", "submitted_at"]
    list_filter = ["application__track__cycle", "status"]
    search_fields = ["application__code", "member__profile__user__last_name"]
    list_select_related = ["application__unit", "member__profile__user", "member__cycle"]
    readonly_fields = [f.name for f in Assessment._meta.fields]
    inlines = [AssessmentItemInline]


class ConsensusItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsensusItem
    fields = ["criterion", "score", "visit_score", "visit_reason", "discussion_note", "version"]
    readonly_fields = fields
    extra = 0


@admin.register(Consensus)
class ConsensusAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["application", "team", "status", "started_at", "finalised_at"]
    list_filter = ["application__track__cycle", "status"]
    search_fields = ["application__code"]
    list_select_related = ["application__unit", "team"]
    readonly_fields = [f.name for f in Consensus._meta.fields]
    inlines = [ConsensusItemInline]


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["application", "status", "visit_date", "selected_at"]
    list_filter = ["application__track__cycle", "status"]
    list_select_related = ["application__unit"]
    readonly_fields = [f.name for f in SiteVisit._meta.fields]


class FeedbackItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FeedbackItem
    fields = ["criterion", "score", "band", "strengths", "improvements"]
    readonly_fields = fields
    extra = 0


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["application", "status", "approved_at"]
    list_filter = ["application__track__cycle", "status"]
    list_select_related = ["application__unit"]
    readonly_fields = [f.name for f in FeedbackReport._meta.fields]
    inlines = [FeedbackItemInline]
