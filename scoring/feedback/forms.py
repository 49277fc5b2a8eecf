"""The feedback report's form: the overall summary and, per criterion, the strengths and
areas for improvement, one per line. Saving goes through `services.report_save`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from scoring import services

LIST_HELP = _("En per rad; tre till fem brukar räcka.")


class ReportForm(CleanTextMixin, forms.Form):
    summary = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Helhetsbilden av bidraget, med det viktigaste att arbeta vidare med."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, items, **kwargs):
        """`items` are the report's FeedbackItems with their criteria, in order."""
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            number = item.criterion.number
            self.fields[f"strengths_{item.criterion_id}"] = forms.CharField(
                label=_("Styrkor, kriterium %(n)s") % {"n": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=LIST_HELP,
                initial="\n".join(item.strengths),
            )
            self.fields[f"improvements_{item.criterion_id}"] = forms.CharField(
                label=_("Förbättringsområden, kriterium %(n)s") % {"n": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=LIST_HELP,
                initial="\n".join(item.improvements),
            )

    @classmethod
    def for_report(cls, report, items, data=None):
        return cls(data, items=items, initial={"summary": report.summary, "version": report.version})

    def rows(self):
        """(item, strengths field, improvements field) per criterion, for the template."""
        for item in self.items:
            yield item, self[f"strengths_{item.criterion_id}"], self[f"improvements_{item.criterion_id}"]

    def save(self, *, report, by):
        data = self.cleaned_data
        return services.report_save(
            report=report,
            summary=data["summary"],
            items=[
                services.ReportItemData(
                    criterion_id=item.criterion_id,
                    strengths=data[f"strengths_{item.criterion_id}"],
                    improvements=data[f"improvements_{item.criterion_id}"],
                )
                for item in self.items
            ],
            base_version=data["version"],
            by=by,
        )

    def rebase(self, version: int):
        """After a conflict: keep what the editor wrote, but on the version now saved, so
        saving again is a deliberate choice."""
        data = self.data.copy()
        data["version"] = version
        return type(self)(data, items=self.items)
