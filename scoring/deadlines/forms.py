from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from examiners.models import Team


class AssessmentExtendForm(CleanTextMixin, forms.Form):
    """SLK's extension of the individual assessment (scoring.services.assessment_deadline_extend)."""

    team = forms.ModelChoiceField(
        label=_("Lag"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Alla lag i omgången"),
    )
    until = forms.DateField(
        label=_("Ny sista dag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Sparas i lagets historik. Examinatorerna som inte har lämnat in får ett meddelande den dag förlängningen börjar."
        ),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.confirmed().filter(cycle=cycle).order_by("name")
