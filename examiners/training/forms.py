"""Forms for SLK's training pages. They validate input; the writes go through
`examiners.services` (`session_save`, `enrol`, `enrolment_cancel`, `attendance_mark`)."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from award.forms import CleanTextMixin
from award.models import Track
from examiners import services
from examiners.models import (
    Enrolment,
    PoolMember,
    PracticeAssessmentItem,
    PracticeCase,
    TrainingDay,
    TrainingSession,
)
from submissions.models import Application

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
        field.label = _("Närvarande %(date)s") % {"date": date_format(day.date)}
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


# --- The practice case ------------------------------------------------------------------


def _joined(lines) -> str:
    return "\n".join(lines or [])


class PracticeCaseForm(CleanTextMixin, forms.Form):
    """SLK's practice case: which track's criteria, a title and an introduction, then per
    criterion the case's text and the reference consensus (score, strengths, areas for
    improvement). The criterion fields are those of the chosen track."""

    track = forms.ModelChoiceField(label=gettext_lazy("Spår (kriterierna)"), queryset=Track.objects.none())
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=200)
    introduction = forms.CharField(
        label=gettext_lazy("Om fallet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Vilken sorts enhet, hur stor, vad deltagarna behöver veta. Inga namn."),
    )

    def __init__(self, *args, session: TrainingSession, case: PracticeCase | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session, self.case = session, case
        tracks = Track.objects.filter(cycle_id=session.cycle_id).order_by("kind")
        self.fields["track"].queryset = tracks
        self.fields["track"].empty_label = None
        track = None
        if self.is_bound:
            track = tracks.filter(pk=self.data.get("track") or 0).first()
        track = track or (case.track if case else tracks.first())
        self.criteria = list(track.criteria.order_by("number")) if track else []
        existing = {i.criterion_id: i for i in case.items.all()} if case else {}
        if case and not self.is_bound:
            self.initial.update(
                {"track": case.track_id, "title": case.title, "introduction": case.introduction}
            )
        self.rows = []
        for criterion in self.criteria:
            item = existing.get(criterion.pk)
            names = {key: f"c{criterion.pk}_{key}" for key in ("text", "score", "strengths", "improvements")}
            n = criterion.number
            self.fields[names["text"]] = forms.CharField(
                label=_("Fallets text, kriterium %(n)s") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
            self.fields[names["score"]] = forms.IntegerField(
                label=_("Referenspoäng (%%), kriterium %(n)s") % {"n": n},
                required=False,
                min_value=0,
                max_value=100,
            )
            self.fields[names["strengths"]] = forms.CharField(
                label=_("Referensens styrkor, kriterium %(n)s") % {"n": n},
                required=False,
                help_text=gettext_lazy("En per rad."),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[names["improvements"]] = forms.CharField(
                label=_("Referensens förbättringsområden, kriterium %(n)s") % {"n": n},
                required=False,
                help_text=gettext_lazy("En per rad."),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            if item and not self.is_bound:
                self.initial.update(
                    {
                        names["text"]: item.text,
                        names["score"]: item.reference_score,
                        names["strengths"]: _joined(item.reference_strengths),
                        names["improvements"]: _joined(item.reference_improvements),
                    }
                )
            self.rows.append({"criterion": criterion, "fields": [self[name] for name in names.values()]})

    def save(self, *, by) -> PracticeCase:
        data = self.cleaned_data
        items = {
            c.pk: services.CaseItemData(
                text=data[f"c{c.pk}_text"],
                reference_score=data[f"c{c.pk}_score"],
                reference_strengths=data[f"c{c.pk}_strengths"],
                reference_improvements=data[f"c{c.pk}_improvements"],
            )
            for c in self.criteria
            if c.track_id == data["track"].pk
        }
        return services.practice_case_save(
            session=self.session,
            track=data["track"],
            title=data["title"],
            introduction=data["introduction"],
            items=items,
            by=by,
        )


class PracticeCopyForm(CleanTextMixin, forms.Form):
    """A past application, by its code, copied as the case's texts."""

    code = forms.CharField(
        label=gettext_lazy("Bidragets kod"),
        max_length=40,
        help_text=gettext_lazy(
            "Ett inskickat bidrag från en tidigare omgång, med enhetens samtycke. Enhetens namn och kod tas bort "
            "ur texterna; läs igenom och redigera dem efteråt."
        ),
    )

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        application = (
            Application.objects.filter(code__iexact=code)
            .exclude(track__cycle_id=self.session.cycle_id)
            .first()
        )
        if application is None:
            raise ValidationError(
                _("Inget bidrag från en tidigare omgång har koden ”%(code)s”.") % {"code": code}
            )
        self.application = application
        return code

    def save(self, *, by) -> PracticeCase:
        return services.practice_case_copy(session=self.session, application=self.application, by=by)


class PracticeItemForm(CleanTextMixin, forms.Form):
    """One criterion of the trainee's practice assessment: the fields of the real
    assessment form (scoring.assessment.forms.AssessmentItemForm), without private notes.
    Whether the score lies on the scale is the service's rule."""

    score = forms.IntegerField(label=gettext_lazy("Poäng (%)"), required=False)
    strengths = forms.CharField(
        label=gettext_lazy("Styrkor"),
        required=False,
        help_text=gettext_lazy("En per rad. 3–5 brukar räcka."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    improvements = forms.CharField(
        label=gettext_lazy("Förbättringsområden"),
        required=False,
        help_text=gettext_lazy("En per rad. 3–5 brukar räcka."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item: PracticeAssessmentItem, **kwargs):
        kwargs.setdefault("prefix", f"k{item.criterion_id}")
        if not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "score": item.score,
                    "strengths": _joined(item.strengths),
                    "improvements": _joined(item.improvements),
                    "version": item.version,
                },
            )
        super().__init__(*args, **kwargs)

    def score_groups(self, scale, kind: str) -> list[dict]:
        """The scale's steps under the band of the criterion's kind they fall in, as the
        real assessment form draws them. `scale.bands` should be prefetched."""
        field = self["score"]
        current = "" if field.value() is None else str(field.value())
        bands = [band for band in scale.bands.all() if band.kind == kind]
        groups = [{"band": band, "options": []} for band in bands]
        outside = {"band": None, "options": []}
        for value in scale.steps:
            option = {"value": value, "id": f"{field.auto_id}_{value}", "checked": current == str(value)}
            group = next((g for g, b in zip(groups, bands, strict=True) if b.contains(value)), outside)
            group["options"].append(option)
        return [g for g in [*groups, outside] if g["options"]]

    def save(self, *, item: PracticeAssessmentItem, by) -> PracticeAssessmentItem:
        data = self.cleaned_data
        return services.practice_item_save(
            item=item,
            data=services.PracticeItemData(
                score=data["score"], strengths=data["strengths"], improvements=data["improvements"]
            ),
            base_version=data["version"],
            by=by,
        )
