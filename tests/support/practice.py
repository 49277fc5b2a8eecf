"""A training session with a practice case, and a trainee's assessment of it."""

import datetime as dt

from award.models import Track
from examiners import services
from examiners.models import TrainingSession
from tests.support import factories


def practice_case(cycle, slk, *, reference=60):
    session = services.session_save(
        session=TrainingSession(
            cycle=cycle,
            kind=TrainingSession.Kind.BASIC,
            title="Grundutbildning med övningsfall",
            place="Stadshuset",
            capacity=10,
            trainer="Eva",
        ),
        days=[dt.date(2030, 3, 4)],
        by=slk,
    )
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    items = {
        c.pk: services.CaseItemData(
            text=f"Fallets text till kriterium {c.number}.",
            reference_score=reference,
            reference_strengths=["Referensens styrka"],
            reference_improvements=["Referensens område"],
        )
        for c in track.criteria.all()
    }
    return services.practice_case_save(
        session=session,
        track=track,
        title="Förskolan Exempel",
        introduction="En förskola.",
        items=items,
        by=slk,
    )


def practice_assessment(case, slk, score, *, strength="Egen styrka", submit=True, member=None):
    """An enrolled new examiner's assessment of `case`, every criterion at `score`."""
    member = member or factories.pool_member(case.session.cycle, experienced=False, qualified=False)
    services.enrol(session=case.session, member=member, by=slk)
    user = member.profile.user
    own = services.practice_assessment_for(case=case, by=user)
    for item in own.items.all():
        services.practice_item_save(
            item=item,
            data=services.PracticeItemData(score=score, strengths=strength, improvements="Eget område"),
            base_version=item.version,
            by=user,
        )
    if submit:
        services.practice_submit(assessment=own, by=user)
    return own
