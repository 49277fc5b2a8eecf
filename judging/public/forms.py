"""The good examples' search: free text, year, class and criterion, all by GET."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin


class GoodExampleSearchForm(CleanTextMixin, forms.Form):
    """The choices are what the published examples hold (`published_choices`), so every
    option finds something; an unknown value is refused with a message, never a 500."""

    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=100,
        help_text=_("Enhet, förvaltning eller ord i motiveringen."),
    )
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    klass = forms.ChoiceField(label=_("Tävlingsklass"), required=False)
    criterion = forms.ChoiceField(
        label=_("Särskilt stark i kriteriet"),
        required=False,
        help_text=_("Visar de exempel som examinatorerna bedömde som särskilt starka i kriteriet."),
    )

    def __init__(self, *args, years, classes, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]
        self.fields["klass"].choices = everything + [(c, c) for c in classes]
        self.fields["criterion"].choices = everything + [(value, label) for value, label in criteria]
