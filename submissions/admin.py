"""Applications in the admin are for looking up, not for changing: every state change goes
through the services (and the pages that call them), so nothing here edits or deletes; each
application links to its page, where SLK decides on it, extends or reopens it.

A unit's contacts are set here: this admin replaces award's UnitAdmin with one that saves
them through `services.unit_contacts_set`, so contacts gained and lost gain and lose access
to the unit's applications in the same transaction."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from award import admin as award_admin
from award.admin import ReadOnlyAdminMixin, ServiceAdminMixin, service_call, site_link
from award.models import Unit
from submissions import services
from submissions.models import Answer, Application, Attachment


class AnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Answer
    fields = ["criterion", "text", "version", "updated_by", "updated_at"]
    readonly_fields = fields
    extra = 0


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    fields = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "unit",
        "track",
        "competition_class",
        "registration_status",
        "status",
        "award_eligible",
    ]
    list_filter = ["track__cycle", "track__kind", "registration_status", "status", "award_eligible"]
    search_fields = ["code", "unit__name", "unit__organisation__name"]
    list_select_related = ["unit", "track__cycle", "competition_class"]
    inlines = [AnswerInline, AttachmentInline]
    readonly_fields = ["site_page", *(f.name for f in Application._meta.fields)]

    @admin.display(description=_("bidragets sida"))
    def site_page(self, obj):
        return site_link("submissions:application_detail", [obj.pk], gettext("Öppna bidraget på webbplatsen"))

    @admin.display(description=_("Kan tilldelas"))
    def eligible(self, obj):
        return obj.award_eligible


admin.site.unregister(Unit)


@admin.register(Unit)
class UnitAdmin(ServiceAdminMixin, award_admin.UnitAdmin):
    """award's UnitAdmin with the contacts editable, saved through the service."""

    readonly_fields = ()
    filter_horizontal = ("contacts",)
    fieldsets = (*award_admin.UnitAdmin.fieldsets[:-1], (_("Kontaktpersoner"), {"fields": ("contacts",)}))

    def save_related(self, request, form, formsets, change):
        # Taken out of the form's own many-to-many save, which would set them without access.
        contacts = form.cleaned_data.pop("contacts", None)
        super().save_related(request, form, formsets, change)
        if contacts is not None and "contacts" in form.changed_data:
            with service_call():
                services.unit_contacts_set(unit=form.instance, contacts=contacts, by=request.user)
