"""Forms for SLK's training pages. They validate input; the writes go through
`examiners.services` (`session_save`, `enrol`, `enrolment_cancel`, `attendance_mark`)."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from award.forms import CleanTextMixin
from examiners import services
from examiners.models import Enrolment, PoolMember, TrainingDay, TrainingSession

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_days(text: str) -> list[dt.date]:
    """Dates written as ÅÅÅÅ-MM-DD, one a line or separated by commas, sorted. Anything
    else is refused with a Swedish message naming the faulty part."""
    days = []
    errors = []
    for part in re.split(r"[,;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        try:
            if not DATE_PATTERN.fullmatch(part):
                raise ValueError
            days.append(dt.date.fromisoformat(part))
        except ValueError:
            errors.append(
                ValidationError(
                    _("”%(value)s” är inte ett datum. Skriv datum som ÅÅÅÅ-MM-DD."),
                    code="invalid_date",
                    params={"value": part},
                )
            )
    if errors:
        raise ValidationError(errors)
    if not days:
        raise ValidationError(_("Ange minst en dag."), code="required")
    if len(set(days)) != len(days):
        raise ValidationError(_("Samma datum förekommer två gånger."), code="duplicate")
    return sorted(days)


class SessionForm(CleanTextMixin, forms.ModelForm):
    days = forms.CharField(
        label=gettext_lazy("Dagar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Ett datum per rad eller med kommatecken emellan, som ÅÅÅÅ-MM-DD. "
            "Grundutbildningen är normalt två dagar."
        ),
    )
    notify = forms.BooleanField(
        label=gettext_lazy("Skicka e-post om ändringen till anmälda och till dem på väntelistan"),
        required=False,
        initial=True,
    )

    class Meta:
        model = TrainingSession
        fields = ["kind", "title", "place", "capacity", "trainer", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].widget.attrs["min"] = 1
        if self.instance.pk is None:
            # Nobody is enrolled in a session that does not exist yet.
            del self.fields["notify"]
        else:
            self.initial.setdefault("days", "\n".join(d.date.isoformat() for d in self.instance.days.all()))

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise ValidationError(_("En utbildning måste ha minst en plats."))
        return capacity

    def clean_days(self):
        return parse_days(self.cleaned_data["days"])

    def save(self, *, by, commit=True):
        return services.session_save(
            session=self.instance,
            days=self.cleaned_data["days"],
            by=by,
            notify=self.cleaned_data.get("notify", False),
        )


class EnrolForm(CleanTextMixin, forms.Form):
    member = forms.ModelChoiceField(
        label=gettext_lazy("Examinator"),
        queryset=PoolMember.objects.none(),
        empty_label=gettext_lazy("Välj examinator"),
    )

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        active = Enrolment.objects.filter(session=session).exclude(status=Enrolment.Status.CANCELLED)
        self.fields["member"].queryset = (
            PoolMember.objects.filter(cycle_id=session.cycle_id, status=PoolMember.Status.ACCEPTED)
            .exclude(pk__in=active.values("member_id"))
            .select_related("profile__user")
        )
        self.fields["member"].label_from_instance = lambda m: str(m.profile)

    def save(self, *, by) -> Enrolment:
        return services.enrol(session=self.session, member=self.cleaned_data["member"], by=by)


class AttendanceForm(CleanTextMixin, forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Närvarande"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Kryssa för dem som var där. De som inte är ikryssade markeras som frånvarande."
        ),
    )

    def __init__(self, *args, day: TrainingDay, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        field = self.fields["present"]
        field.choices = [(e.member_id, str(e.member.profile)) for e in enrolments]
        field.label = _("Närvarande %(date)s") % {"date": day.date.isoformat()}
        if not self.is_bound:
            self.initial["present"] = [
                e.member_id
                for e in enrolments
                for a in e.attendance.all()
                if a.day_id == day.pk and a.present
            ]

    def save(self, *, by) -> int:
        return services.attendance_mark(day=self.day, present_member_ids=self.cleaned_data["present"], by=by)


class QualificationFilterForm(CleanTextMixin, forms.Form):
    QUALIFIED, NOT_QUALIFIED = "ja", "nej"

    qualified = forms.ChoiceField(
        label=gettext_lazy("Visa"),
        choices=[
            ("", gettext_lazy("Alla")),
            (QUALIFIED, gettext_lazy("Kvalificerade")),
            (NOT_QUALIFIED, gettext_lazy("Inte kvalificerade")),
        ],
        required=False,
    )

    def qualified_filter(self) -> bool | None:
        if not self.is_valid():
            return None
        return {self.QUALIFIED: True, self.NOT_QUALIFIED: False}.get(self.cleaned_data["qualified"])
