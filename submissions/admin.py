"""Applications in the admin are for looking up, not for changing: every state change goes
through the services (and the pages that call them), so nothing here edits or deletes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from award.admin import ReadOnlyAdminMixin
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
    readonly_fields = [f.name for f in Application._meta.fields]

    @admin.display(description=_("Kan tilldelas"))
    def eligible(self, obj):
        return obj.award_eligible
