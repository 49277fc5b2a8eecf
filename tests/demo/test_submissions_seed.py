"""The demo's registrations and applications (demo/submissions.py), seeded once for the
module through the seed_demo command."""

import re

import pytest

from award.models import AuditEntry, Phase, Track, Unit, end_of_day, today
from demo.submissions import DRAFT, PENDING, REJECTED, SUBMITTED, WITHDRAWN, state_of
from submissions import eligibility, queries
from submissions.models import Answer, AnswerRevision, Application, ApplicationUserObjectPermission
from tests.support.demo import model_counts, seed_demo_again

pytestmark = pytest.mark.django_db

ALL_STATES = {SUBMITTED, DRAFT, WITHDRAWN, REJECTED, PENDING}
SEEDED_MODELS = [Application, Answer, AnswerRevision, ApplicationUserObjectPermission, AuditEntry]


def counts() -> dict[str, int]:
    return model_counts(SEEDED_MODELS)


def applications(cycle, kind=None):
    queryset = Application.objects.filter(track__cycle=cycle).select_related(
        "track__cycle", "unit", "competition_class"
    )
    return list(queryset.filter(track__kind=kind) if kind else queryset)


def test_every_state_in_both_tracks_of_the_current_cycle(current):
    assert current.phase == Phase.ASSESSMENT
    for kind in Track.Kind.values:
        states = {state_of(a) for a in applications(current, kind)}
        assert states == ALL_STATES, kind
    approved = Application.objects.filter(
        track__cycle=current, registration_status=Application.RegistrationStatus.APPROVED
    )
    assert {state_of(a) for a in approved} == {SUBMITTED, DRAFT, WITHDRAWN}


def test_enough_submitted_entries_for_the_examiner_teams(current):
    entries = applications(current)
    assert 20 <= len(entries) <= 30
    submitted = [a for a in entries if state_of(a) == SUBMITTED]
    assert sum(1 for a in submitted if a.track.kind == Track.Kind.QUALITY_AWARD) >= 12
    assert sum(1 for a in submitted if a.track.kind == Track.Kind.RENEWAL_PRIZE) >= 5
    classes = {a.competition_class.name for a in submitted if a.competition_class}
    assert len(classes) == current.tracks.get(kind=Track.Kind.QUALITY_AWARD).classes.count()


def test_last_years_decided_cycle_has_submitted_entries_behind_its_results(previous):
    assert previous.phase == Phase.FEEDBACK
    entries = applications(previous)
    assert {state_of(a) for a in entries} <= {SUBMITTED, WITHDRAWN}
    submitted_units = {a.unit_id for a in entries if state_of(a) == SUBMITTED}
    last_years_results = Unit.objects.filter(past_results__year=previous.year)
    assert set(last_years_results.values_list("pk", flat=True)) <= submitted_units


def test_tracks_carry_their_own_registration_details(seeded):
    for application in Application.objects.select_related("track", "competition_class"):
        if application.track.kind == Track.Kind.QUALITY_AWARD:
            assert application.competition_class.track_id == application.track_id
            assert application.nominee_kind == application.nominee_name == ""
            assert application.film_url == ""
        else:
            assert application.competition_class is None
            assert application.nominee_kind in Application.NomineeKind.values
            assert application.nominee_name.strip()
            assert not application.film_url or application.film_url.startswith("https://")
    kinds = Application.objects.filter(track__kind=Track.Kind.RENEWAL_PRIZE).values_list(
        "nominee_kind", flat=True
    )
    assert set(kinds) == set(Application.NomineeKind.values)


def test_codes_come_from_the_code_helper_numbered_per_track(seeded):
    for track in Track.objects.filter(applications__isnull=False).distinct():
        prefix = "K" if track.kind == Track.Kind.QUALITY_AWARD else "F"
        codes = sorted(track.applications.values_list("code", flat=True))
        assert codes == [f"{prefix}{track.cycle.year % 100:02d}-{n:03d}" for n in range(1, len(codes) + 1)]


def test_every_entry_follows_the_eligibility_rules_and_some_report_a_deficit(seeded):
    for application in Application.objects.select_related("unit", "track__cycle"):
        result = eligibility.check(
            unit=application.unit,
            track=application.track,
            head_has_full_responsibility=application.head_has_full_responsibility,
            deficit_last_year=application.deficit_last_year,
            deficit_forecast=application.deficit_forecast,
        )
        assert result.can_register, application
        assert (application.award_eligible, application.eligibility_note) == (
            result.award_eligible,
            result.note,
        )
    deficits = Application.objects.filter(status=Application.Status.SUBMITTED, award_eligible=False)
    assert deficits.filter(track__kind=Track.Kind.QUALITY_AWARD).exists()
    assert deficits.filter(track__kind=Track.Kind.RENEWAL_PRIZE).exists()
    assert all("underskott" in a.eligibility_note for a in deficits)


def test_answers_are_real_text_within_each_criterions_limit(seeded):
    answers = Answer.objects.select_related("criterion", "application")
    assert answers.count() == sum(
        a.track.criteria.count() for a in Application.objects.select_related("track")
    )
    for answer in answers:
        assert len(answer.text) <= answer.criterion.max_length, answer
        assert "lorem" not in answer.text.lower()
        assert "{" not in answer.text and "}" not in answer.text, answer
        if answer.text:
            assert answer.version >= 1
            assert answer.revisions.filter(version=answer.version, text=answer.text).exists()
    for application in Application.objects.filter(submitted_at__isnull=False):
        for answer in application.answers.all():
            assert answer.text.count("\n\n") >= 1, answer  # several paragraphs
            assert len(answer.text) >= 500, answer
    drafts = Application.objects.filter(
        status=Application.Status.DRAFT, registration_status=Application.RegistrationStatus.APPROVED
    )
    for application in drafts:
        texts = [a.text for a in application.answers.all()]
        assert any(texts) and not all(texts), application  # started, not finished


def test_the_texts_speak_of_the_unit_itself(current):
    application = Application.objects.get(track__cycle=current, unit__name="Kista grundskola")
    first = application.answers.get(criterion__number=1).text
    assert first.startswith("Kista grundskola ingår i Utbildningsförvaltningen")
    assert "eleverna" in application.answers.get(criterion__number=2).text


def test_timestamps_follow_each_cycles_timeline(seeded):
    for application in Application.objects.select_related("track__cycle"):
        cycle = application.track.cycle
        registered = application.registered_at.date()
        assert cycle.registration_opens <= registered <= cycle.registration_closes, application
        if application.registration_status == Application.RegistrationStatus.PENDING:
            assert application.registration_decided_at is None
        else:
            assert application.registration_decided_by.username == "slk"
            assert application.registration_decided_at > application.registered_at
        if application.registration_status == Application.RegistrationStatus.REJECTED:
            assert application.registration_decision_reason
        if application.submitted_at:
            assert application.registration_decided_at < application.submitted_at
            assert application.submitted_at <= end_of_day(cycle.application_deadline)
            assert application.submitted_by == application.registered_by
        if application.status == Application.Status.WITHDRAWN:
            assert application.withdrawn_at and application.withdraw_reason
        assert application.registered_by in application.unit.contacts.all()


def test_one_draft_has_more_time_so_its_contact_can_still_write(current):
    (extended,) = Application.objects.filter(track__cycle=current, deadline_extended_to__isnull=False)
    assert extended.status == Application.Status.DRAFT
    assert extended.deadline_extended_to > today()
    assert extended.is_editable
    locked = Application.objects.filter(
        track__cycle=current, status=Application.Status.DRAFT, deadline_extended_to__isnull=True
    )
    assert locked.exists() and not any(a.is_editable for a in locked)


def test_the_audit_trail_tells_each_entrys_story(seeded):
    expected = {
        SUBMITTED: {"application.register", "application.registration_approved", "application.submit"},
        REJECTED: {"application.register", "application.registration_rejected"},
        PENDING: {"application.register"},
    }
    for application in Application.objects.all():
        actions = {entry.action for entry in AuditEntry.objects.filter(object_id=str(application.pk))}
        state = state_of(application)
        if state in expected:
            assert expected[state] <= actions, application
        if state == WITHDRAWN:
            assert "application.withdraw" in actions


def test_every_step_went_through_its_service_at_the_moment_it_happened(seeded):
    """The clock stamps the rows and the audit trail alike: the entry written at a moment
    of the cycle's own timeline is the service's entry, not one dated afterwards."""
    for application in Application.objects.all():
        entries = {e.action: e for e in AuditEntry.objects.filter(object_id=str(application.pk))}
        assert entries["application.register"].at == application.registered_at
        assert entries["application.register"].actor == application.registered_by
        if application.registration_decided_at:
            decided = application.registration_decided_at
            action = {
                Application.RegistrationStatus.APPROVED: "application.registration_approved",
                Application.RegistrationStatus.REJECTED: "application.registration_rejected",
            }[application.registration_status]
            assert entries[action].at == decided
        if application.submitted_at:
            assert entries["application.submit"].at == application.submitted_at
        if application.withdrawn_at:
            assert entries["application.withdraw"].at == application.withdrawn_at
        for answer in application.answers.exclude(text=""):
            revision = answer.revisions.get(version=answer.version)
            assert revision.saved_at == answer.updated_at
            assert revision.saved_by == application.registered_by


def test_a_unit_contact_sees_their_units_entries_and_no_other(seeded):
    application = Application.objects.filter(status=Application.Status.SUBMITTED).first()
    contact = application.unit.contacts.get()
    visible = set(queries.applications_for_user(contact))
    assert application in visible
    assert visible == set(Application.objects.filter(unit=application.unit))
    assert set(queries.applications_for_user(contact, "submissions.change_application")) == visible
    other = Application.objects.exclude(unit=application.unit).first()
    assert other not in visible
    # The unit with entries in both tracks sees both; a unit without entries sees none.
    both = Application.objects.filter(track__cycle__year=today().year, unit__name="Hemtjänst Vasastan")
    vasastan = both.first().unit.contacts.get()
    assert set(queries.applications_for_user(vasastan)) == set(both)
    idle = Unit.objects.filter(applications__isnull=True).first().contacts.get()
    assert not queries.applications_for_user(idle).exists()


def test_the_summary_counts_the_entries_in_swedish(seeded, current):
    lines = [line.strip() for line in seeded.splitlines() if line.strip().startswith("Tävlingsbidrag")]
    assert len(lines) == 2
    line = lines[0]
    assert line.startswith(f"Tävlingsbidrag {current.year}: {len(applications(current))} (")
    submitted = sum(1 for a in applications(current) if state_of(a) == SUBMITTED)
    assert re.search(rf"\b{submitted} inlämnade\b", line)
    assert "Kvalitetsutmärkelsen" in line and "Förnyelsepriset" in line


def test_seeding_again_changes_nothing(seeded):
    before = counts()
    rows = list(Application.objects.order_by("code").values())
    again, writes = seed_demo_again()
    assert again == seeded
    assert counts() == before
    assert list(Application.objects.order_by("code").values()) == rows
    assert writes == []
