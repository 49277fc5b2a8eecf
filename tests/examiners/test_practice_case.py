"""The practice case of examiner training: SLK's case and reference, the trainee's own
assessment with the real form's scale and independence (nothing of others' or the
reference until they submit), the trainer's calibration page, and qualification."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from award.models import AwardCycle, Track
from examiners import services
from examiners.models import (
    Enrolment,
    PoolMember,
    PracticeAssessment,
    PracticeAssessmentItem,
    PracticeCase,
    TrainingSession,
)
from submissions.models import Answer
from tests.support import factories

pytestmark = pytest.mark.django_db

REFERENCE_STRENGTH = "Referensens styrka: tydliga mål"
REFERENCE_AREA = "Referensens område: följ upp resultaten"


def make_session(cycle, slk, *, capacity=10):
    return services.session_save(
        session=TrainingSession(
            cycle=cycle,
            kind=TrainingSession.Kind.BASIC,
            title="Grundutbildning med övningsfall",
            place="Stadshuset",
            capacity=capacity,
            trainer="Eva",
        ),
        days=[dt.date(2030, 3, 4)],
        by=slk,
    )


def quality(cycle) -> Track:
    return cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)


def make_case(session, slk, *, reference=60):
    track = quality(session.cycle)
    items = {
        c.pk: services.CaseItemData(
            text=f"Fallets text till kriterium {c.number}.",
            reference_score=reference,
            reference_strengths=[REFERENCE_STRENGTH],
            reference_improvements=[REFERENCE_AREA],
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


def trainee(cycle, session, slk, **kwargs):
    member = factories.pool_member(cycle, experienced=False, qualified=False, **kwargs)
    services.enrol(session=session, member=member, by=slk)
    return member


def assess(case, member, score, *, strength="Egen styrka", submit=True):
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


@pytest.fixture
def world(cycle, slk):
    session = make_session(cycle, slk)
    case = make_case(session, slk)
    return {
        "session": session,
        "case": case,
        "one": trainee(cycle, session, slk),
        "two": trainee(cycle, session, slk),
    }


# --- SLK's case ---------------------------------------------------------------------------


def test_slk_sets_the_case_and_its_reference(world):
    case = world["case"]
    assert case.items.count() == quality(case.session.cycle).criteria.count()
    item = case.items.first()
    assert item.reference_score == 60
    assert item.reference_strengths == [REFERENCE_STRENGTH]


def test_a_reference_score_off_the_scale_is_refused_and_nothing_changes(world, slk):
    case = world["case"]
    criterion = case.items.first().criterion
    with pytest.raises(ValidationError, match="steg på skalan"):
        services.practice_case_save(
            session=case.session,
            track=case.track,
            title="Nytt namn",
            introduction="",
            items={criterion.pk: services.CaseItemData(reference_score=63)},
            by=slk,
        )
    case.refresh_from_db()
    assert case.title == "Förskolan Exempel"


def test_only_slk_sets_a_case(world):
    with pytest.raises(PermissionDenied):
        make_case(world["session"], world["one"].profile.user)


def test_a_past_application_is_copied_without_the_units_name_and_code(world, slk):
    last_year = factories.complete_cycle(year=world["session"].cycle.year - 1, open=True)
    unit = factories.UnitFactory(name="Förskolan Solrosen", code="SOL1")
    application = factories.submitted_application(quality(last_year), unit)
    criterion = quality(last_year).criteria.get(number=1)
    Answer.objects.create(
        application=application,
        criterion=criterion,
        text="På Förskolan Solrosen (SOL1) arbetar vi med mål.",
        updated_by=application.registered_by,
    )
    session = make_session(world["session"].cycle, slk)
    case = services.practice_case_copy(session=session, application=application, by=slk)
    text = case.items.get(criterion__number=1).text
    assert "Solrosen" not in text and "SOL1" not in text
    assert "arbetar vi med mål" in text
    assert case.source == application
    assert case.items.get(criterion__number=1).reference_score is None


def test_slk_case_page_saves_the_form(client, slk, cycle):
    session = make_session(cycle, slk)
    track = quality(cycle)
    client.force_login(slk)
    url = reverse("examiners:practice_case", args=[session.pk])
    assert client.get(url).status_code == 200
    data = {"track": track.pk, "title": "Skrivet fall", "introduction": "Om fallet"}
    for c in track.criteria.all():
        data |= {
            f"c{c.pk}_text": f"Text {c.number}",
            f"c{c.pk}_score": "50",
            f"c{c.pk}_strengths": "S1\nS2",
            f"c{c.pk}_improvements": "F1",
        }
    response = client.post(url, data)
    assert response.status_code == 302
    case = PracticeCase.objects.get(session=session)
    assert case.title == "Skrivet fall"
    assert case.items.get(criterion__number=2).reference_strengths == ["S1", "S2"]


# --- The trainee's assessment: independence and the hidden reference ---------------------


def test_the_trainee_sees_neither_the_reference_nor_others_before_submitting(client, world):
    case, one, two = world["case"], world["one"], world["two"]
    assess(case, two, 30, strength="Tvåans hemliga styrka")
    assess(case, one, 50, submit=False)
    client.force_login(one.profile.user)
    content = client.get(reverse("examiners:practice", args=[case.pk])).content.decode()
    assert "Fallets text till kriterium 1." in content
    assert REFERENCE_STRENGTH not in content
    assert REFERENCE_AREA not in content
    assert "Tvåans hemliga styrka" not in content
    assert "Referensen" not in content


def test_after_submitting_the_trainee_sees_the_reference_and_only_their_own(client, world):
    case, one, two = world["case"], world["one"], world["two"]
    assess(case, two, 30, strength="Tvåans hemliga styrka")
    assess(case, one, 50)
    client.force_login(one.profile.user)
    content = client.get(reverse("examiners:practice", args=[case.pk])).content.decode()
    assert REFERENCE_STRENGTH in content and REFERENCE_AREA in content
    assert "Skillnad: -10 procentenheter" in content
    assert "10.0 procentenheter från referensens poäng" in content or "10,0 procentenheter" in content
    assert "Tvåans hemliga styrka" not in content


def test_someone_not_enrolled_gets_404(client, world, cycle, slk):
    outsider = factories.pool_member(cycle)
    waiting_session = world["session"]
    for user in (outsider.profile.user, slk):
        client.force_login(user)
        assert client.get(reverse("examiners:practice", args=[world["case"].pk])).status_code == 404
    # A place on the waiting list is not a place.
    full = make_session(cycle, slk, capacity=1)
    case = make_case(full, slk)
    trainee(cycle, full, slk)
    waiting = trainee(cycle, full, slk)
    assert Enrolment.objects.get(session=full, member=waiting).is_waiting
    client.force_login(waiting.profile.user)
    assert client.get(reverse("examiners:practice", args=[case.pk])).status_code == 404
    assert waiting_session.pk != full.pk


def test_a_trainee_cannot_save_anothers_item(world):
    case, one, two = world["case"], world["one"], world["two"]
    own = services.practice_assessment_for(case=case, by=one.profile.user)
    item = own.items.first()
    with pytest.raises(PermissionDenied):
        services.practice_item_save(
            item=item, data=services.PracticeItemData(score=50), base_version=1, by=two.profile.user
        )


def test_saving_through_the_page_and_autosave(client, world):
    case, one = world["case"], world["one"]
    criterion = case.items.first().criterion
    client.force_login(one.profile.user)
    url = reverse("examiners:practice_item", args=[case.pk, criterion.pk])
    prefix = f"k{criterion.pk}"
    response = client.post(
        url, {f"{prefix}-score": "45", f"{prefix}-strengths": "A", f"{prefix}-version": "1"}
    )
    assert response.status_code == 302
    item = PracticeAssessmentItem.objects.get(assessment__member=one, criterion=criterion)
    assert (item.score, item.strengths) == (45, ["A"])
    response = client.post(
        url,
        {f"{prefix}-score": "50", f"{prefix}-strengths": "A", f"{prefix}-version": str(item.version)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Sparat" in response.content.decode()
    item.refresh_from_db()
    assert item.score == 50


def test_off_scale_score_is_refused(world):
    own = services.practice_assessment_for(case=world["case"], by=world["one"].profile.user)
    item = own.items.first()
    with pytest.raises(ValidationError):
        services.practice_item_save(
            item=item, data=services.PracticeItemData(score=42), base_version=1, by=world["one"].profile.user
        )
    item.refresh_from_db()
    assert item.score is None


def test_submit_needs_every_criterion_and_then_nothing_changes(world):
    case, one = world["case"], world["one"]
    user = one.profile.user
    own = services.practice_assessment_for(case=case, by=user)
    with pytest.raises(ValidationError, match="saknar poäng"):
        services.practice_submit(assessment=own, by=user)
    assess(case, one, 50)
    own.refresh_from_db()
    assert own.is_submitted
    item = own.items.first()
    with pytest.raises(ValidationError, match="inlämnad"):
        services.practice_item_save(
            item=item, data=services.PracticeItemData(score=100), base_version=item.version, by=user
        )


def test_submit_page_confirms_then_submits(client, world):
    case, one = world["case"], world["one"]
    assess(case, one, 50, submit=False)
    client.force_login(one.profile.user)
    url = reverse("examiners:practice_submit", args=[case.pk])
    assert "Lämna in" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert PracticeAssessment.objects.get(member=one).is_submitted


def test_examiner_home_lists_the_case(client, world):
    client.force_login(world["one"].profile.user)
    content = client.get(reverse("examiners:home")).content.decode()
    assert reverse("examiners:practice", args=[world["case"].pk]) in content
    assert "inte påbörjad" in content


# --- The trainer's calibration page --------------------------------------------------------


def test_calibration_shows_each_trainee_against_the_reference(client, slk, world):
    case, one, two = world["case"], world["one"], world["two"]
    assess(case, one, 55)
    assess(case, two, 90)  # 30 points from the reference everywhere: a talk
    client.force_login(slk)
    content = client.get(
        reverse("examiners:practice_calibration", args=[world["session"].pk])
    ).content.decode()
    assert str(one.profile) in content and str(two.profile) in content
    assert "Ja, avviker mycket från referensen" in content
    assert content.count("Ja, avviker mycket från referensen") == 1
    # Spread of 55 and 90 on each criterion.
    assert '<td class="num">35</td>' in content
    svg = client.get(reverse("examiners:practice_calibration_svg", args=[world["session"].pk]))
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content


def test_calibration_ignores_drafts(slk, world):
    from examiners.training.queries import calibration

    assess(world["case"], world["one"], 55, submit=False)
    result = calibration(world["case"])
    assert result.trainees == []
    assert {m.pk for m in result.not_submitted} == {world["one"].pk, world["two"].pk}


@pytest.mark.parametrize("size", [1, 3])
def test_calibration_page_runs_a_fixed_number_of_queries(
    client, slk, cycle, size, django_assert_max_num_queries
):
    session = make_session(cycle, slk)
    case = make_case(session, slk)
    for i in range(size):
        assess(case, trainee(cycle, session, slk), 50 + 5 * i)
    client.force_login(slk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("examiners:practice_calibration", args=[session.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('<td class="num">50</td>') >= 1


# --- Qualification ---------------------------------------------------------------------------


def _attend(session, member, slk):
    for day in session.days.all():
        services.attendance_mark(
            day=day,
            present_member_ids=[e.member_id for e in session.enrolments.all() if e.member_id == member.pk]
            + [a.enrolment.member_id for a in day.attendance.filter(present=True)],
            by=slk,
        )


def _status(member):
    return PoolMember.objects.get(pk=member.pk).training_status()


def test_without_the_setting_the_case_is_not_needed(world, slk):
    _attend(world["session"], world["one"], slk)
    assert _status(world["one"]).qualified


def test_with_the_setting_a_new_examiner_needs_the_case(world, slk, cycle):
    AwardCycle.objects.filter(pk=cycle.pk).update(practice_case_required=True)
    _attend(world["session"], world["one"], slk)
    status = _status(world["one"])
    assert not status.qualified
    assert "övningsfallet" in str(status.label)
    assess(world["case"], world["one"], 55)
    assert _status(world["one"]).qualified


def test_an_experienced_examiner_does_not_need_the_case(cycle):
    AwardCycle.objects.filter(pk=cycle.pk).update(practice_case_required=True)
    member = factories.pool_member(cycle, experienced=True)
    assert _status(member).qualified


def test_qualification_page_shows_who_has_not_done_it_and_who_needs_a_talk(client, slk, world, cycle):
    AwardCycle.objects.filter(pk=cycle.pk).update(practice_case_required=True)
    assess(world["case"], world["two"], 90)
    client.force_login(slk)
    content = client.get(reverse("examiners:qualification", args=[cycle.year])).content.decode()
    assert "<strong>Inte gjort</strong>" in content
    assert "Inlämnat" in content
    assert (
        "Samtal: avviker 30.0 procentenheter" in content or "Samtal: avviker 30,0 procentenheter" in content
    )
