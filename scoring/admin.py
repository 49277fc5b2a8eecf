"""Scores in the admin are for looking up: every change goes through the scoring pages and
services, which check the rules and write the history, so nothing here adds, edits or
deletes (superusers included). Each row
links to the page where it is changed. Being registered read-only also keeps them from
being deleted along with a unit, an organisation or a cycle in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from award.admin import ReadOnlyAdminMixin, site_link
from scoring.models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)


class ApplicationPageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, every field, with a link to the application's page named by `page`."""

    page: str
    page_text = gettext_lazy("Öppna sidan på webbplatsen")

    def get_readonly_fields(self, request, obj=None):
        return ["site_page", *(f.name for f in self.model._meta.fields)]

    @admin.display(description=gettext_lazy("sidan på webbplatsen"))
    def site_page(self, obj):
        return site_link(self.page, [obj.application_id], self.page_text)


class AssessmentItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AssessmentItem
    fields = ["criterion", "score", "strengths", "improvements", "version", "updated_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ApplicationPageAdmin):
    list_display = ["application", "member", "status", "hours", "submitted_at"]
    list_filter = ["application__track__cycle", "status"]
    search_fields = ["application__code", "member__profile__user__last_name"]
    list_select_related = ["application__unit", "member__profile__user", "member__cycle"]
    inlines = [AssessmentItemInline]
    # Examiners change their own assessments; SLK follows every change in the score history.
    page = "scoring:history"
    page_text = gettext_lazy("Öppna bidragets poänghistorik")


class ConsensusItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsensusItem
    fields = ["criterion", "score", "visit_score", "visit_reason", "discussion_note", "version"]
    readonly_fields = fields
    extra = 0


@admin.register(Consensus)
class ConsensusAdmin(ApplicationPageAdmin):
    list_display = ["application", "team", "status", "started_at", "finalised_at"]
    list_filter = ["application__track__cycle", "status"]
    search_fields = ["application__code"]
    list_select_related = ["application__unit", "team"]
    inlines = [ConsensusItemInline]
    page = "scoring:consensus"
    page_text = gettext_lazy("Öppna konsensussidan")


@admin.register(SiteVisit)
class SiteVisitAdmin(ApplicationPageAdmin):
    list_display = ["application", "status", "visit_date", "selected_at"]
    list_filter = ["application__track__cycle", "status"]
    list_select_related = ["application__unit"]
    page = "scoring:site_visit"
    page_text = gettext_lazy("Öppna platsbesöket")


class FeedbackItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FeedbackItem
    fields = ["criterion", "score", "band", "strengths", "improvements"]
    readonly_fields = fields
    extra = 0


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ApplicationPageAdmin):
    list_display = ["application", "status", "approved_at"]
    list_filter = ["application__track__cycle", "status"]
    list_select_related = ["application__unit"]
    inlines = [FeedbackItemInline]
    page = "scoring:report_edit"
    page_text = gettext_lazy("Öppna återföringsrapporten")
