"""The judging committee's records in the admin, read-only: they are written on the
committee's pages through judging.services, and each links to that page. Being registered
read-only also keeps them from being deleted along with a unit or a cycle in the admin."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from award.admin import ReadOnlyAdminMixin, site_link
from judging.models import CommitteeConflict, Decision, DecisionOutcome, Meeting


@admin.register(CommitteeConflict)
class CommitteeConflictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Declared on the committee's page by the member, or by SLK for them; history after that."""

    list_display = ["member", "cycle", "target", "reason", "recorded_by", "recorded_at"]
    list_filter = ["cycle"]
    list_select_related = ["member", "cycle", "unit", "organisation", "recorded_by"]
    search_fields = ["member__first_name", "member__last_name", "unit__name", "organisation__name", "reason"]
    fields = ["site_page", "cycle", "member", "unit", "organisation", "reason", "recorded_by", "recorded_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("kommitténs sida"))
    def site_page(self, obj):
        return site_link("judging:committee_home", [obj.cycle.year], _("Öppna domarkommitténs sida"))

    @admin.display(description=gettext_lazy("gäller"))
    def target(self, obj):
        return obj.target


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "cycle", "kind", "date"]
    list_filter = ["cycle", "kind"]
    list_select_related = ["cycle"]
    fields = ["site_page", "cycle", "kind", "date", "present", "notes", "recorded_by"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("beslutssidan"))
    def site_page(self, obj):
        return site_link("judging:decisions", [obj.cycle.year], _("Öppna domarkommitténs beslut"))


class DecisionOutcomeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DecisionOutcome
    fields = ["application", "outcome", "citation", "public_summary", "unit_consented"]
    readonly_fields = fields
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Saved, signed and corrected on the decision pages: signing locks a decision and a
    correction replaces it, so nothing here may change one."""

    list_display = ["__str__", "track", "meeting", "status", "signed_at"]
    list_filter = ["track__cycle", "track__kind", "status"]
    list_select_related = ["track__cycle", "competition_class", "meeting"]
    inlines = [DecisionOutcomeInline]

    def get_readonly_fields(self, request, obj=None):
        return [
            "site_page",
            *(f.name for f in Decision._meta.fields),
            *(f.name for f in Decision._meta.many_to_many),
        ]

    @admin.display(description=gettext_lazy("beslutets sida"))
    def site_page(self, obj):
        return site_link("judging:decision_detail", [obj.pk], _("Öppna beslutet"))
