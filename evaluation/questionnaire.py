"""The questions of the cycle's evaluation, fixed in code so that answers from different
years can be compared question by question. Each audience has its own list; the `key` is
what a response stores its answer under and must never change once a cycle has used it.

Scale questions are answered 1–5 (required); text questions are optional free text.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SCALE = "scale"
TEXT = "text"
SCALE_VALUES = (1, 2, 3, 4, 5)
TEXT_MAX_LENGTH = 3000


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str  # SCALE or TEXT
    # For a scale question: what 1 and 5 mean, or (`labels`) what each of the five values means.
    low: str = ""
    high: str = ""
    labels: tuple = ()

    @property
    def is_scale(self) -> bool:
        return self.kind == SCALE

    def value_labels(self) -> list[tuple[int, str]]:
        """(value, label) for each step of a scale question, for forms and tables."""
        if self.labels:
            return list(zip(SCALE_VALUES, [str(label) for label in self.labels], strict=True))
        return [
            (
                value,
                f"{value} – {self.low}"
                if value == 1
                else f"{value} – {self.high}"
                if value == 5
                else str(value),
            )
            for value in SCALE_VALUES
        ]


APPLICANTS = [
    Question(
        key="criteria_clarity",
        text=_("Hur tydliga var kriterierna och instruktionerna för att skriva tävlingsbidraget?"),
        kind=SCALE,
        low=_("mycket otydliga"),
        high=_("mycket tydliga"),
    ),
    Question(
        key="feedback_usefulness",
        text=_("Hur användbar är återföringsrapporten för ert fortsatta utvecklingsarbete?"),
        kind=SCALE,
        low=_("inte alls användbar"),
        high=_("mycket användbar"),
    ),
    Question(
        key="workload",
        text=_("Hur rimlig var arbetsinsatsen att skriva tävlingsbidraget?"),
        kind=SCALE,
        low=_("orimligt stor"),
        high=_("helt rimlig"),
    ),
    Question(key="change", text=_("Vad skulle ni vilja ändra till nästa omgång?"), kind=TEXT),
    Question(key="other", text=_("Har ni något annat att framföra?"), kind=TEXT),
]

EXAMINERS = [
    Question(
        key="criteria_clarity",
        text=_("Hur tydliga var kriterierna och instruktionerna för bedömningen?"),
        kind=SCALE,
        low=_("mycket otydliga"),
        high=_("mycket tydliga"),
    ),
    Question(
        key="training_usefulness",
        text=_("Hur användbar var utbildningen för ditt arbete som examinator?"),
        kind=SCALE,
        low=_("inte alls användbar"),
        high=_("mycket användbar"),
    ),
    # The hours each examiner recorded are in the cycle report already; this asks for the
    # whole assignment (training, meetings, site visits included), in bands.
    Question(
        key="workload_hours",
        text=_("Ungefär hur många timmar lade du på hela uppdraget, utbildning och möten inräknade?"),
        kind=SCALE,
        labels=(
            _("under 20 timmar"),
            _("20–39 timmar"),
            _("40–59 timmar"),
            _("60–79 timmar"),
            _("80 timmar eller mer"),
        ),
    ),
    Question(
        key="team_work",
        text=_("Hur väl fungerade samarbetet i ditt examinatorslag?"),
        kind=SCALE,
        low=_("mycket dåligt"),
        high=_("mycket väl"),
    ),
    Question(key="change", text=_("Vad skulle du vilja ändra till nästa omgång?"), kind=TEXT),
]

QUESTIONS = {"applicants": APPLICANTS, "examiners": EXAMINERS}


def questions_for(audience: str) -> list[Question]:
    return QUESTIONS[audience]
