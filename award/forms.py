from django import forms
from django.utils.translation import gettext_lazy as _


class PhaseCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sparas i omgångens logg."),
    )


class PhaseExtendForm(PhaseCloseForm):
    until = forms.DateField(
        label=_("Fasen pågår till och med"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
