"""Read-side helpers for the award's pages."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from award import audit
from award.models import TIMELINE_FIELDS, AwardCycle, Phase
from award.roles import Role, roles_of

# What each role can do in each phase of the cycle. Later stages of the examination
# extend this with links to their own pages.
_TASKS = {
    Role.UNIT_CONTACT: {
        Phase.PREPARATION: [_("Anmälan öppnar %(registration_opens)s. Läs kriterierna och anvisningarna.")],
        Phase.REGISTRATION: [
            _("Anmälan är öppen till och med %(registration_closes)s: anmäl din enhet till ett spår."),
            _("Börja skriva tävlingsbidraget; sista dag är %(application_deadline)s."),
        ],
        Phase.APPLICATION: [_("Skriv och lämna in tävlingsbidraget senast %(application_deadline)s.")],
        Phase.ASSESSMENT: [_("Ditt bidrag bedöms av examinatorerna. Inga ändringar kan göras.")],
        Phase.CONSENSUS: [_("Examinatorslaget enas om en gemensam bedömning.")],
        Phase.SHORTLISTING: [
            _("Domarkommittén väljer ut enheter för platsbesök %(first_committee_meeting)s.")
        ],
        Phase.SITE_VISITS: [_("Platsbesök görs %(site_visits_start)s–%(site_visits_end)s.")],
        Phase.FINAL_DECISION: [_("Domarkommittén fattar beslut %(final_committee_meeting)s.")],
        Phase.AWARDED: [
            _("Prisutdelning %(ceremony_date)s. Återföringsrapporten släpps %(feedback_release)s.")
        ],
        Phase.FEEDBACK: [_("Läs och ladda ner er återföringsrapport.")],
    },
    Role.EXAMINER: {
        Phase.PREPARATION: [_("Gå examinatorsutbildningen och anmäl eventuell jäv.")],
        Phase.REGISTRATION: [_("Gå examinatorsutbildningen och anmäl eventuell jäv.")],
        Phase.APPLICATION: [
            _("Lagen sätts samman. Sista dag för tävlingsbidrag är %(application_deadline)s.")
        ],
        Phase.ASSESSMENT: [_("Gör din individuella bedömning senast %(assessment_deadline)s.")],
        Phase.CONSENSUS: [_("Enas i laget om konsensusbedömningen senast %(consensus_deadline)s.")],
        Phase.SHORTLISTING: [
            _("Domarkommittén väljer ut bidrag för platsbesök %(first_committee_meeting)s.")
        ],
        Phase.SITE_VISITS: [_("Genomför platsbesök %(site_visits_start)s–%(site_visits_end)s.")],
        Phase.FINAL_DECISION: [_("Färdigställ återföringsrapporterna.")],
        Phase.AWARDED: [_("Återföringsrapporterna släpps %(feedback_release)s.")],
        Phase.FEEDBACK: [_("Återföringsmöten med enheterna.")],
    },
    Role.COMMITTEE: {
        Phase.SHORTLISTING: [_("Välj bidrag för platsbesök vid mötet %(first_committee_meeting)s.")],
        Phase.FINAL_DECISION: [_("Besluta om vinnare och hedersomnämnanden %(final_committee_meeting)s.")],
    },
    Role.SLK: {
        Phase.PREPARATION: [_("Förbered omgången: kriterier, skala, tidplan och utbildningar.")],
        Phase.REGISTRATION: [_("Granska och godkänn anmälningar.")],
        Phase.APPLICATION: [_("Sätt samman examinatorslag och tilldela bidrag.")],
        Phase.ASSESSMENT: [_("Följ examinatorernas arbete.")],
        Phase.CONSENSUS: [_("Följ lagens konsensusarbete.")],
        Phase.SHORTLISTING: [_("Förbered första domarmötet.")],
        Phase.SITE_VISITS: [_("Samordna platsbesöken.")],
        Phase.FINAL_DECISION: [_("Förbered det slutliga domarmötet.")],
        Phase.AWARDED: [_("Godkänn återföringsrapporterna före %(feedback_release)s.")],
        Phase.FEEDBACK: [_("Utvärdera omgången och sprid goda exempel.")],
    },
}

_DEFAULT = {
    Role.COMMITTEE: [
        _("Domarkommitténs möten: %(first_committee_meeting)s och %(final_committee_meeting)s.")
    ],
}


def tasks_for(*, role: Role, cycle: AwardCycle) -> list[str]:
    """What the role can do now, in the cycle's current phase, with the cycle's dates."""
    dates = {name: date_format(value, "j F Y") for name, value in _dates(cycle).items()}
    texts = _TASKS.get(role, {}).get(cycle.phase) or _DEFAULT.get(role, [])
    return [str(text) % dates for text in texts]


def _dates(cycle):
    return {name: getattr(cycle, name) for name in TIMELINE_FIELDS}


def home_sections(*, user, cycle: AwardCycle | None) -> list[dict]:
    """One section per role the user holds, in a stable order."""
    if cycle is None:
        return []
    return [
        {"role": role, "tasks": tasks_for(role=role, cycle=cycle)} for role in Role if role in roles_of(user)
    ]


def cycle_log(cycle: AwardCycle):
    return audit.entries_for(cycle)[:50]
