"""The award's admin, in Swedish, for SLK. Reference data (administrations, units,
criteria, past results) can be imported and exported as XLSX or CSV. State changes that
have a service (opening and copying a cycle) are admin actions calling that service."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm

from award import audit, services
from award.models import (
    TIMELINE_FIELDS,
    AuditEntry,
    AwardCycle,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Organisation,
    PastResult,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
    User,
)
from award.resources import CriterionResource, OrganisationResource, PastResultResource, UnitResource
from award.upload_guards import GuardedImportAdminMixin

# Fields through which a user gains rights. Only a superuser may change them, so an SLK
# administrator (who manages user accounts) cannot raise anyone's rights, their own included.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


class ReadOnlyAdminMixin:
    """Viewing only: nobody adds, changes or deletes here (superusers included). For records
    that only the services write, so every change keeps its rules and its audit entry."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExportForm(SelectableFieldsExportForm):
    """The export form with Swedish column names beside the codes used in the file."""

    def _get_field_label(self, resource, field_name):
        if hasattr(resource, "column_label"):
            return resource.column_label(field_name)
        return super()._get_field_label(resource, field_name)


class AwardImportExportAdmin(GuardedImportAdminMixin, ImportExportModelAdmin):
    """Import and export as XLSX or CSV (formats from settings). The resources roll back the
    whole file when any row is invalid; this makes the confirm step say so instead of
    reporting "0 new"."""

    export_form_class = ExportForm

    def _create_log_entry(self, user_pk, rows, import_type, action_flag):
        super()._create_log_entry(user_pk, rows, import_type, action_flag)
        if len(rows) > 1:  # a single row's log entry is saved one by one and mirrored already
            audit.record_import(user_id=user_pk, instances=rows, action_flag=action_flag)

    # settings name the formats by dotted path, but django-import-export expects classes.
    @property
    def import_formats(self):
        return _format_classes(super().import_formats)

    @property
    def export_formats(self):
        return _format_classes(super().export_formats)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            for line in _result_problems(result):
                self.message_user(request, line, level=messages.ERROR)
            self.message_user(
                request, _("Ingenting importerades. Rätta filen och försök igen."), messages.ERROR
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(
                reverse("admin:{}_{}_import".format(*info), current_app=self.admin_site.name)
            )
        return super().process_result(result, request)


def _format_classes(formats):
    return [import_string(f) if isinstance(f, str) else f for f in formats]


def _result_problems(result) -> list[str]:
    """Each problem of an import result as a Swedish sentence naming the row."""
    problems = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems.extend(_("Rad %(row)s: %(error)s") % {"row": number, "error": e.error} for e in errors)
    for row in result.invalid_rows:
        for text in row.non_field_specific_errors:
            problems.append(_("Rad %(row)s: %(error)s") % {"row": row.number, "error": text})
        for column, texts in row.field_specific_errors.items():
            problems.extend(
                _("Rad %(row)s, %(column)s: %(error)s") % {"row": row.number, "column": column, "error": text}
                for text in texts
            )
    return problems


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role_list",
        "unit_list",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    readonly_fields = ("role_list", "unit_list", "last_login", "date_joined")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (gettext_lazy("Roller och enheter"), {"fields": ("role_list", "unit_list")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "units")

    @admin.display(description=gettext_lazy("roller"))
    def role_list(self, obj):
        # Role groups carry Swedish names; read from the prefetched groups, not per row.
        names = sorted(group.name for group in obj.groups.all())
        if obj.is_superuser:
            names.insert(0, _("superanvändare"))
        return ", ".join(names) or "–"

    @admin.display(description=gettext_lazy("enheter"))
    def unit_list(self, obj):
        return ", ".join(unit.name for unit in obj.units.all()) or "–"

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *PRIVILEGE_FIELDS)

    def has_change_permission(self, request, obj=None):
        # Changing a superuser's account (its password above all) would give their rights.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(AwardImportExportAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("name", "code", "kind", "unit_count")
    list_filter = ("kind",)
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_count=Count("units"))

    @admin.display(description=gettext_lazy("antal enheter"), ordering="unit_count")
    def unit_count(self, obj):
        return obj.unit_count


@admin.register(Unit)
class UnitAdmin(AwardImportExportAdmin):
    resource_classes = [UnitResource]
    list_display = (
        "name",
        "code",
        "organisation",
        "staff_count",
        "is_private_provider",
        "stockholmers_share",
    )
    list_filter = ("organisation", "is_private_provider", "has_operational_plan")
    list_select_related = ("organisation",)
    search_fields = ("name", "code", "head_name", "organisation__name")
    filter_horizontal = ("contacts",)
    fieldsets = (
        (None, {"fields": ("code", "name", "organisation")}),
        (
            gettext_lazy("Behörighet att delta"),
            {
                "fields": (
                    "head_name",
                    "head_email",
                    "staff_count",
                    "has_operational_plan",
                    "is_private_provider",
                    "stockholmers_share",
                )
            },
        ),
        (gettext_lazy("Kontaktpersoner"), {"fields": ("contacts",)}),
    )


class TrackInline(admin.TabularInline):
    model = Track
    fields = ("kind", "name", "description")
    extra = 0
    show_change_link = True


@admin.register(AwardCycle)
class AwardCycleAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "current_phase")
    list_filter = ("status",)
    readonly_fields = ("status", "current_phase")
    fieldsets = (
        (None, {"fields": ("year", "status", "current_phase")}),
        (gettext_lazy("Tidplan"), {"fields": TIMELINE_FIELDS}),
        (
            gettext_lazy("Inställningar"),
            {
                "fields": (
                    "max_applications_per_team",
                    "refresher_required",
                    "discussion_threshold",
                    "show_scores_to_units",
                )
            },
        ),
    )
    inlines = [TrackInline]
    actions = ["copy_to_next_year", "open_cycle"]

    @admin.display(description=gettext_lazy("aktuell fas"))
    def current_phase(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return obj.phase.label

    @admin.action(description=gettext_lazy("Kopiera till nästa år"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for cycle in queryset.order_by("year"):
            try:
                copy = services.cycle_copy(cycle=cycle, by=request.user)
            except ValidationError as error:
                self._report(request, error)
            else:
                self.message_user(
                    request,
                    _("Omgången %(year)s har skapats från %(source)s. Den är ett utkast tills den öppnas.")
                    % {"year": copy.year, "source": cycle.year},
                    level=messages.SUCCESS,
                )

    @admin.action(description=gettext_lazy("Öppna omgången"), permissions=["change"])
    def open_cycle(self, request, queryset):
        for cycle in queryset.order_by("year"):
            try:
                services.cycle_open(cycle=cycle, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("Omgången %(year)s kunde inte öppnas:") % {"year": cycle.year},
                    level=messages.ERROR,
                )
                self._report(request, error)
            else:
                self.message_user(
                    request, _("Omgången %(year)s är öppnad.") % {"year": cycle.year}, level=messages.SUCCESS
                )

    def _report(self, request, error: ValidationError):
        for message in error.messages:
            self.message_user(request, message, level=messages.ERROR)


class CompetitionClassInline(admin.TabularInline):
    model = CompetitionClass
    fields = ("name", "order")
    extra = 0


class CriterionInline(admin.StackedInline):
    model = Criterion
    fields = (
        ("number", "title"),
        ("kind", "weight", "max_length"),
        "applicant_guidance",
        "examiner_guidance",
    )
    extra = 0


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "cycle", "kind", "criterion_count", "weight_sum")
    list_filter = ("cycle", "kind")
    list_select_related = ("cycle",)
    inlines = [CompetitionClassInline, CriterionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(criterion_count=Count("criteria"), weight_sum=Sum("criteria__weight"))
        )

    def get_inlines(self, request, obj):
        # Förnyelsepriset has no competition classes (CompetitionClass.clean refuses them).
        if obj is not None and not obj.has_classes:
            return [CriterionInline]
        return super().get_inlines(request, obj)

    @admin.display(description=gettext_lazy("antal kriterier"), ordering="criterion_count")
    def criterion_count(self, obj):
        return obj.criterion_count

    @admin.display(description=gettext_lazy("summa vikter"), ordering="weight_sum")
    def weight_sum(self, obj):
        return obj.weight_sum or 0


@admin.register(CompetitionClass)
class CompetitionClassAdmin(admin.ModelAdmin):
    list_display = ("name", "track", "order")
    list_filter = ("track__cycle", "track__kind")
    list_select_related = ("track__cycle",)
    search_fields = ("name",)


@admin.register(Criterion)
class CriterionAdmin(AwardImportExportAdmin):
    resource_classes = [CriterionResource]
    list_display = ("number", "title", "track", "kind", "weight", "max_length")
    list_display_links = ("number", "title")
    list_filter = ("track__cycle", "track__kind", "kind")
    list_select_related = ("track__cycle",)
    search_fields = ("title",)
    ordering = ("-track__cycle__year", "track__kind", "number")


class ScaleBandInline(admin.TabularInline):
    model = ScaleBand
    fields = ("kind", "low", "high", "descriptor")
    extra = 0


@admin.register(ScoringScale)
class ScoringScaleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "cycle", "step")
    list_select_related = ("cycle",)
    readonly_fields = ("coverage",)
    fields = ("cycle", "step", "coverage")
    inlines = [ScaleBandInline]

    @admin.display(description=gettext_lazy("täckning"))
    def coverage(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        errors = obj.coverage_errors()
        if not errors:
            return _("Varje steg ligger i exakt en nivå för båda kriterietyperna.")
        return format_html_join("", "<p>{}</p>", ((error,) for error in errors))


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "cycle", "is_chair")
    list_filter = ("cycle", "is_chair")
    list_select_related = ("user", "cycle")
    autocomplete_fields = ("user",)


@admin.register(PastResult)
class PastResultAdmin(AwardImportExportAdmin):
    resource_classes = [PastResultResource]
    list_display = ("unit", "year", "track_kind", "outcome")
    list_filter = ("year", "track_kind", "outcome")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail is written by the services only: nobody adds, edits or deletes it here."""

    list_display = ("at", "actor", "action", "object_repr", "changes", "reason")
    list_display_links = None
    list_filter = ("action", "content_type")
    list_select_related = ("actor",)
    search_fields = ("action", "object_repr", "reason", "actor__username")
    date_hierarchy = "at"
