"""The award's admin, in Swedish, for SLK. Reference data (administrations, units,
criteria, past results) can be imported and exported as XLSX or CSV. State changes that
have a service go through it: opening and copying a cycle are admin actions, and the
committee's form saves and deletes through the committee services (ServiceAdminMixin).
A unit's contacts are set in the submissions admin, which grants access with them."""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm

from award import audit, queries, services
from award.forms import CleanTextMixin, CleanTextModelForm
from award.models import (
    TIMELINE_FIELDS,
    AuditEntry,
    AwardCycle,
    BackgroundJob,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Organisation,
    OutboxMessage,
    PastResult,
    ScaleBand,
    ScheduleSlot,
    ScoringScale,
    Track,
    Unit,
    User,
    WorkerHeartbeat,
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


class Refused(Exception):
    """A service refused a change made in the admin; `messages` say why, in Swedish."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@contextmanager
def service_call():
    """Around a service called from the admin: its refusal becomes a Refused, which
    ServiceAdminMixin shows instead of an error page."""
    try:
        yield
    except ValidationError as error:
        raise Refused(error.messages) from error
    except PermissionDenied as error:
        raise Refused([str(error) or _("Du har inte behörighet att göra detta.")]) from error


class ServiceAdminMixin:
    """For an admin whose save_model, save_related and delete_model call services inside
    `service_call()`, so the services' rules, grants and audit entries hold here too,
    superusers included. Bulk deletion goes through delete_model row by row. A refusal
    rolls back everything the request did (the admin's log entry too) and is shown in
    Swedish: on the posted form, shown again, or as a message after a delete or an action."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refusal:
            # Build the posted form again with the refusal as its error: it is invalid
            # this time, so the page is shown again and nothing is saved.
            request.admin_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "admin_refusal", None)
        if refusal is None:
            return form_class

        def clean(form):
            cleaned = form_class.clean(form)
            form.add_error(None, refusal.messages)
            return cleaned

        return type(form_class.__name__, (form_class,), {"clean": clean})

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refusal:
            self._report_refusal(request, refusal)
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_change".format(*info), args=[object_id], current_app=self.admin_site.name
                )
            )

    def response_action(self, request, queryset):
        # Django runs actions outside a transaction; here a refusal undoes the whole action.
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except Refused as refusal:
            self._report_refusal(request, refusal)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def _report_refusal(self, request, refusal: Refused):
        for text in refusal.messages:
            self.message_user(request, text, level=messages.ERROR)


def site_link(url_name: str, args: list, text) -> str:
    """A link to the page of the site where the thing shown in the admin is changed."""
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return "–"
    return format_html('<a href="{}">{}</a>', url, text)


class ExportForm(CleanTextMixin, SelectableFieldsExportForm):
    """The export form with Swedish column names beside the codes used in the file."""

    def _get_field_label(self, resource, field_name):
        if hasattr(resource, "column_label"):
            return resource.column_label(field_name)
        return super()._get_field_label(resource, field_name)


class AwardImportExportAdmin(GuardedImportAdminMixin, ImportExportModelAdmin):
    """Import and export as XLSX or CSV (formats from settings). The resources roll back the
    whole file when any row is invalid; this makes the confirm step say so instead of
    reporting "0 new". Its change form refuses control characters as every form does."""

    form = CleanTextModelForm
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
    """Units and their eligibility facts. The contacts are only shown here: setting them
    grants and revokes access to the unit's applications, which the award app knows
    nothing of, so submissions/admin.py replaces this admin with one that sets them
    through `submissions.services.unit_contacts_set`."""

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
    readonly_fields = ("contact_list",)
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
        (gettext_lazy("Kontaktpersoner"), {"fields": ("contact_list",)}),
    )

    def save_model(self, request, obj, form, change):
        # Through the service, as the units import: a unit moved to another administration
        # takes its applications from that administration's examiners (R8).
        services.unit_save(unit=obj, by=request.user)

    @admin.display(description=gettext_lazy("kontaktpersoner"))
    def contact_list(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return ", ".join(str(user) for user in obj.contacts.all()) or "–"


def set_up_cycle(obj) -> AwardCycle | None:
    """The cycle whose set-up `obj` is (or belongs to): a cycle, track, class, criterion,
    scale or band."""
    if obj is None or isinstance(obj, AwardCycle):
        return obj
    if isinstance(obj, (Track, ScoringScale)):
        return obj.cycle
    if isinstance(obj, (CompetitionClass, Criterion)):
        return obj.track.cycle
    if isinstance(obj, ScaleBand):
        return obj.scale.cycle
    raise TypeError(f"Not part of a cycle's set-up: {obj!r}")


def set_up_locked(obj) -> bool:
    """Whether the set-up `obj` belongs to is fixed: its cycle is open."""
    cycle = set_up_cycle(obj)
    return cycle is not None and cycle.pk is not None and cycle.status == AwardCycle.Status.OPEN


def set_up_note(cycle: AwardCycle) -> str:
    return _(
        "Omgången %(year)s är öppnad, så dess tävlingsspår, tävlingsklasser, kriterier och "
        "bedömningsskala kan inte ändras här längre: bidragens poäng och totalsummor räknas med "
        "kriteriernas vikter och skalans nivåer. Ändringar görs i nästa års omgång (Kopiera till nästa år)."
    ) % {"year": cycle.year}


class SetUpLockMixin:
    """For the admins and inlines of a cycle's set-up (tracks, classes, criteria, scale):
    read-only once the cycle is open, superusers included, since scores and totals already
    computed rest on its weights and levels; a draft's stays editable. A locked object's
    page says why (`set_up_note`, first on the form), and a new one can only be added to a
    draft cycle. For an inline, `obj` is the parent object."""

    def has_add_permission(self, request, obj=None):
        if set_up_locked(obj):
            return False
        return (
            super().has_add_permission(request, obj)
            if self._is_inline()
            else super().has_add_permission(request)
        )

    def has_change_permission(self, request, obj=None):
        return not set_up_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not set_up_locked(obj) and super().has_delete_permission(request, obj)

    def _is_inline(self) -> bool:
        return isinstance(self, admin.options.InlineModelAdmin)

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "set_up_note"]
        if not self._is_inline() and set_up_locked(obj):
            return ["set_up_note", *fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not self._is_inline() and set_up_locked(obj):
            return (*readonly, "set_up_note")
        return readonly

    @admin.display(description=gettext_lazy("kan inte ändras"))
    def set_up_note(self, obj):
        return set_up_note(set_up_cycle(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New set-up only for a draft cycle.
        if db_field.name == "cycle" and db_field.related_model is AwardCycle:
            kwargs["queryset"] = AwardCycle.objects.filter(status=AwardCycle.Status.DRAFT)
        elif db_field.name == "track" and db_field.related_model is Track:
            kwargs["queryset"] = Track.objects.filter(cycle__status=AwardCycle.Status.DRAFT).select_related(
                "cycle"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TrackInline(SetUpLockMixin, admin.TabularInline):
    model = Track
    form = CleanTextModelForm
    fields = ("kind", "name", "description")
    extra = 0
    show_change_link = True


CYCLE_SETTINGS = (
    "max_applications_per_team",
    "refresher_required",
    "discussion_threshold",
    "show_scores_to_units",
    "practice_case_required",
    "practice_deviation_threshold",
)


class AwardCycleForm(CleanTextMixin, forms.ModelForm):
    """A draft cycle's timeline changes with a reason, which goes with the dates to
    `services.cycle_timeline_set` and into the cycle's log."""

    timeline_reason = forms.CharField(
        label=gettext_lazy("Motivering till ändrad tidplan"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Krävs när tidplanen ändras. Sparas i omgångens logg."),
    )

    class Meta:
        model = AwardCycle
        fields = ["year", *TIMELINE_FIELDS, *CYCLE_SETTINGS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or self.instance.status == AwardCycle.Status.OPEN:
            # A new cycle's dates need no reason; an opened one's are not edited here.
            del self.fields["timeline_reason"]

    def timeline_changes(self) -> dict:
        """{field: new date} for the dates of the timeline this form changes."""
        return {
            name: self.cleaned_data[name]
            for name in TIMELINE_FIELDS
            if name in self.changed_data and name in self.cleaned_data
        }

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.timeline_changes() and not cleaned.get("timeline_reason", "").strip():
            self.add_error("timeline_reason", _("Ange en motivering till ändringen av tidplanen."))
        return cleaned


@admin.register(AwardCycle)
class AwardCycleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Cycles. A draft's timeline is edited here, with a reason, through the service; an
    opened cycle's timeline is read-only here and moved on the cycle's own page, where
    closing a phase early or extending it needs a reason too. The service's refusal (the
    cycle opened while the form was filled in, say) is shown on the form."""

    form = AwardCycleForm
    list_display = ("year", "status", "current_phase")
    list_filter = ("status",)
    readonly_fields = ("status", "current_phase")
    inlines = [TrackInline]
    actions = ["copy_to_next_year", "open_cycle"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            timeline = tuple(TIMELINE_FIELDS)
        elif self._is_open(obj):
            timeline = ("timeline_note", *TIMELINE_FIELDS)
        else:
            timeline = (*TIMELINE_FIELDS, "timeline_reason")
        fieldsets = [
            (None, {"fields": ("year", "status", "current_phase")}),
            (gettext_lazy("Tidplan"), {"fields": timeline}),
            (gettext_lazy("Inställningar"), {"fields": CYCLE_SETTINGS}),
        ]
        if obj is not None and self._is_open(obj):
            # Said above the tracks, which are shown read-only below.
            fieldsets.append(
                (gettext_lazy("Tävlingsspår, kriterier och skala"), {"fields": ("set_up_note",)})
            )
        return fieldsets

    @admin.display(description=gettext_lazy("kan inte ändras"))
    def set_up_note(self, obj):
        return set_up_note(obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and self._is_open(obj):
            return (*readonly, "timeline_note", "set_up_note", *TIMELINE_FIELDS)
        return readonly

    @staticmethod
    def _is_open(obj) -> bool:
        return obj.pk is not None and obj.status == AwardCycle.Status.OPEN

    def save_model(self, request, obj, form, change):
        dates = form.timeline_changes() if change else {}
        if not dates:
            return super().save_model(request, obj, form, change)
        # The dates go through the service, with the reason, into the cycle's log; the
        # other fields the form changed are saved here.
        with service_call():
            services.cycle_timeline_set(
                cycle=obj, dates=dates, reason=form.cleaned_data["timeline_reason"], by=request.user
            )
        others = [
            name for name in form.changed_data if name not in TIMELINE_FIELDS and name != "timeline_reason"
        ]
        if others:
            obj.save(update_fields=others)

    def get_actions(self, request):
        # A cycle is deleted one at a time, from its page, where a refusal names its data.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        # Refused before the confirmation page, which would list every record of the cycle.
        cycle = self.get_object(request, unquote(object_id))
        refusal = queries.cycle_delete_refusal(cycle) if cycle is not None else ""
        if refusal:
            self.message_user(request, refusal, level=messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:award_awardcycle_change", args=[cycle.pk], current_app=self.admin_site.name)
            )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        with service_call():
            services.cycle_delete(cycle=obj, by=request.user)

    @admin.display(description=gettext_lazy("ändra tidplanen"))
    def timeline_note(self, obj):
        return format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Omgången är öppnad. Tidplanen ändras på omgångens sida, där en fas avslutas i förtid eller förlängs med en motivering:"
            ),
            reverse("award:cycle_detail", args=[obj.year]),
            _("Omgång %(year)s: tidplan och faser") % {"year": obj.year},
        )

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


class CompetitionClassInline(SetUpLockMixin, admin.TabularInline):
    model = CompetitionClass
    form = CleanTextModelForm
    fields = ("name", "order")
    extra = 0


class CriterionInline(SetUpLockMixin, admin.StackedInline):
    model = Criterion
    form = CleanTextModelForm
    fields = (
        ("number", "title"),
        ("kind", "weight", "max_length"),
        "applicant_guidance",
        "examiner_guidance",
    )
    extra = 0


@admin.register(Track)
class TrackAdmin(SetUpLockMixin, admin.ModelAdmin):
    form = CleanTextModelForm
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
class CompetitionClassAdmin(SetUpLockMixin, admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ("name", "track", "order")
    list_filter = ("track__cycle", "track__kind")
    list_select_related = ("track__cycle",)
    search_fields = ("name",)


@admin.register(Criterion)
class CriterionAdmin(SetUpLockMixin, AwardImportExportAdmin):
    resource_classes = [CriterionResource]
    list_display = ("number", "title", "track", "kind", "weight", "max_length")
    list_display_links = ("number", "title")
    list_filter = ("track__cycle", "track__kind", "kind")
    list_select_related = ("track__cycle",)
    search_fields = ("title",)
    ordering = ("-track__cycle__year", "track__kind", "number")


class ScaleBandInline(SetUpLockMixin, admin.TabularInline):
    model = ScaleBand
    form = CleanTextModelForm
    fields = ("kind", "low", "high", "descriptor")
    extra = 0


@admin.register(ScoringScale)
class ScoringScaleAdmin(SetUpLockMixin, admin.ModelAdmin):
    form = CleanTextModelForm
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


class CommitteeMembershipForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = CommitteeMembership
        fields = ["cycle", "user", "is_chair"]

    def clean(self):
        # The services' own refusals, on their fields, instead of the database constraints'
        # names; the services check again when saving.
        cleaned = super().clean()
        cycle = cleaned.get("cycle") or (self.instance.cycle if self.instance.pk else None)
        if cycle is None:
            return cleaned
        if self.instance.pk is None and cleaned.get("user"):
            refusal = queries.committee_member_refusal(cycle=cycle, user=cleaned["user"])
            if refusal:
                self.add_error("user", refusal)
        if cleaned.get("is_chair"):
            refusal = queries.committee_chair_refusal(cycle=cycle, membership=self.instance)
            if refusal:
                self.add_error("is_chair", refusal)
        return cleaned


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Seating, chairing and removing members go through the committee services: the role
    that opens the committee pages comes and goes with the membership, one chair per
    cycle holds, and each change is in the audit trail."""

    form = CommitteeMembershipForm
    list_display = ("user", "cycle", "is_chair")
    list_filter = ("cycle", "is_chair")
    list_select_related = ("user", "cycle")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # Another person or another cycle is another membership: add it, remove this one.
        return ("cycle", "user") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        with service_call():
            if not change:
                membership = services.committee_member_add(
                    cycle=obj.cycle, user=obj.user, is_chair=obj.is_chair, by=request.user
                )
                obj.pk, obj._state.adding = membership.pk, False
            elif "is_chair" in form.changed_data:
                services.committee_chair_set(membership=obj, is_chair=obj.is_chair, by=request.user)

    def delete_model(self, request, obj):
        with service_call():
            services.committee_member_remove(membership=obj, by=request.user)


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


# The worker's records: written by the outbox, the scheduler and the jobs only. SLK uses the
# outbox page (/omgang/utkorg/: resend, the workers' heartbeat) and the cycle's jobs page;
# here they can only be read.
@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "status", "attempts", "sent_at", "outbox_page")
    list_filter = ("status",)
    search_fields = ("recipient", "subject", "key", "reason")
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("Utkorgen"))
    def outbox_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("award:outbox"), _("Skicka igen där"))


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "requested_by", "status", "done", "total", "expires_at")
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "last_seen")


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "next_due", "last_run")
