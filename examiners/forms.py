from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin, UnitField
from award.models import Organisation, Unit
from examiners import services
from examiners.models import PoolMember


class VolunteerForm(CleanTextMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Din förvaltning eller ditt bolag"), queryset=Organisation.objects.order_by("name")
    )
    employer_unit = forms.ModelChoiceField(
        label=_("Din arbetsplats (enhet)"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        help_text=_("Om du arbetar på en enhet som kan söka utmärkelsen."),
    )
    employer = forms.CharField(label=_("Arbetsgivare"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Befattning"), max_length=200, required=False)
    areas = forms.MultipleChoiceField(
        label=_("Verksamheter du känner väl"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    manager_name = forms.CharField(
        label=_("Din chef"), max_length=200, help_text=_("Chefen behöver godkänna att du avsätter tid i år.")
    )
    available = forms.BooleanField(
        label=_("Jag kan avsätta tid under bedömningsperioden"), required=False, initial=True
    )
    availability_note = forms.CharField(
        label=_("Kommentar om tillgänglighet"), max_length=300, required=False
    )
    conflict_units = forms.ModelMultipleChoiceField(
        label=_("Enheter du har jäv mot"),
        queryset=Unit.objects.order_by("name"),
        required=False,
        help_text=_("Till exempel där en närstående arbetar. Din egen förvaltning räknas alltid som jäv."),
    )
    conflict_reason = forms.CharField(
        label=_("Skäl till jävet"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, class_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(name, name) for name in class_names]

    def clean(self):
        data = super().clean()
        if data.get("conflict_units") and not (data.get("conflict_reason") or "").strip():
            self.add_error("conflict_reason", _("Ange skälet till jävet."))
        return data


class ConflictForm(CleanTextMixin, forms.Form):
    # Typed, not chosen from a list: a drop-down of every unit is megabytes at national scale.
    unit = UnitField(label=_("Enhet"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("…eller en hel förvaltning"), queryset=Organisation.objects.order_by("name"), required=False
    )
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Välj antingen en enhet eller en förvaltning."))
        return data

    @property
    def target(self):
        return self.cleaned_data.get("unit") or self.cleaned_data.get("organisation")


class OpeningForm(CleanTextMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Har du jäv mot enheten?"),
        choices=[("0", _("Nej, jag har inget jäv")), ("1", _("Ja, jag har jäv"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Skäl (om du har jäv)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ange skälet till jävet."))
        return data


class ManagerApprovalForm(CleanTextMixin, forms.Form):
    manager_name = forms.CharField(label=_("Chefens namn"), max_length=200)
    approved_on = forms.DateField(label=_("Godkänt datum"), widget=forms.DateInput(attrs={"type": "date"}))


class MaxTeamsForm(CleanTextMixin, forms.Form):
    max_teams = forms.IntegerField(label=_("Högst antal lag"), min_value=1, max_value=services.MAX_TEAMS)


class TeamCreateForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Lagets namn"), max_length=100)
    track = forms.ModelChoiceField(label=_("Spår"), queryset=None)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = cycle.tracks.all()


class MemberAddForm(CleanTextMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("Examinator"), queryset=None)
    leader = forms.BooleanField(label=_("Lagledare"), required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            PoolMember.objects.filter(cycle=cycle, status=PoolMember.Status.ACCEPTED)
            .select_related("cycle", "profile__user")
            .order_by("profile__user__last_name", "profile__user__first_name")
        )


class AssignForm(CleanTextMixin, forms.Form):
    application = forms.ModelChoiceField(label=_("Bidrag"), queryset=None)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
