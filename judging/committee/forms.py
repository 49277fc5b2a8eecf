"""Forms of the committee pages. They validate what the user typed; the services decide
whether it may be saved."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from award.models import CommitteeMembership, Organisation, Unit
from judging import services as judging_services
from submissions.models import Application


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})"


class ConflictForm(CleanTextMixin, forms.Form):
    """A conflict with one unit or one whole organisation. SLK may record it for a member."""

    member = forms.ModelChoiceField(queryset=CommitteeMembership.objects.none(), label=_("Ledamot"))
    unit = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Enhet"),
        empty_label=_("– ingen enhet –"),
        help_text=_("Välj en enhet eller en hel förvaltning, inte båda."),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        label=_("Förvaltning eller bolag"),
        empty_label=_("– ingen förvaltning –"),
    )
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel: arbetar i förvaltningen, närstående arbetar på enheten."),
    )

    def __init__(self, *args, cycle, user, for_slk: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle, self.user = cycle, user
        # Only units that have entered this cycle: a conflict with any other unit decides nothing.
        self.fields["unit"].queryset = (
            Unit.objects.filter(
                applications__track__cycle=cycle,
                applications__status__in=[Application.Status.DRAFT, Application.Status.SUBMITTED],
            )
            .select_related("organisation")
            .distinct()
            .order_by("name")
        )
        if for_slk:
            self.fields["member"].queryset = CommitteeMembership.objects.of_cycle(cycle)
            self.fields["member"].label_from_instance = lambda m: str(m.user)
        else:
            del self.fields["member"]

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Välj antingen en enhet eller en förvaltning."))
        return data

    def save(self, *, by):
        data = self.cleaned_data
        member = data["member"].user if "member" in data else self.user
        return judging_services.committee_conflict_declare(
            cycle=self.cycle,
            member=member,
            target=data["unit"] or data["organisation"],
            reason=data["reason"],
            by=by,
        )


class ConsolidatedFilterForm(CleanTextMixin, forms.Form):
    """The consolidated view's filters, read from the query string."""

    klass = forms.ChoiceField(label=_("Tävlingsklass"), required=False)
    behoriga = forms.BooleanField(
        label=_("Visa bara bidrag som kan tilldelas utmärkelsen"),
        required=False,
        help_text=_("Döljer bidrag med anmärkning om underskott eller vinst de senaste två åren."),
    )

    def __init__(self, *args, class_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].choices = [("", _("Alla klasser"))] + [(name, name) for name in class_names]

    def filters(self) -> dict:
        """The valid filters; an unknown class in the address shows every class."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"klass": data.get("klass") or "", "eligible_only": bool(data.get("behoriga"))}
