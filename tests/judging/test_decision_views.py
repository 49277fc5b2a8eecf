"""The committee's decision pages: meetings, site visits, a decision from draft to signature
and correction, the rules the pages must show (eligibility, conflicts, the chair signs),
who may open what, and the notification command."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from award.models import CommitteeMembership, PastResult, Track, today
from award.roles import Role
from judging import services as judging_services
from judging.decisions import urls as urls_decisions
from judging.decisions.views import decision_edit_url
from judging.models import Decision, DecisionOutcome, Meeting
from scoring.models import SiteVisit
from tests.support import factories
from tests.support.teams import finalise, judged

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(cycle):
    people = {
        "chair": factories.user_with_role(Role.COMMITTEE, username="ordforande", first_name="Olga"),
        "member": factories.user_with_role(Role.COMMITTEE, username="ledamot", first_name="Lars"),
        "conflicted": factories.user_with_role(Role.COMMITTEE, username="javig", first_name="Jana"),
    }
    for role, user in people.items():
        CommitteeMembership.objects.create(cycle=cycle, user=user, is_chair=role == "chair")
    return people


@pytest.fixture
def applications(quality):
    """Three submitted applications in the first class, each with a finalised consensus;
    b1 is the one to win."""
    return {key: judged(factories.submitted_application(quality)) for key in ("a1", "a2", "b1")}


def _meeting(cycle, committee, slk, kind=Meeting.Kind.FINAL):
    return judging_services.meeting_record(
        cycle=cycle,
        kind=kind,
        date=cycle.final_committee_meeting,
        present=committee.values(),
        by=slk,
    )


def _post_decision(client, url, outcomes, *, rationale="Bäst i klassen", version="", no_award=False):
    data = {"rationale": rationale, "version": version}
    if no_award:
        data["no_award"] = "on"
    for application, (outcome, citation) in outcomes.items():
        data[f"outcome_{application.pk}"] = outcome
        data[f"citation_{application.pk}"] = citation
    return client.post(url, data, follow=True)


def _tag_attributes(page: str, name: str) -> set[str]:
    """The attributes of the form control called `name`."""
    tag = re.search(rf'<(?:select|textarea|input)[^>]*name="{name}"[^>]*>', page).group(0)
    return set(re.findall(r'[\w-]+(?:="[^"]*")?', tag.strip("<>"))[1:])


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) + response.content.decode()


def test_the_decision_flow_through_the_pages(client, cycle, quality, committee, applications, slk):
    chair, member = committee["chair"], committee["member"]
    b1, a2 = applications["b1"], applications["a2"]

    # The chair records the final meeting with who was present.
    client.force_login(chair)
    response = client.post(
        reverse("judging:decisions", args=[cycle.year]),
        {
            "kind": Meeting.Kind.FINAL,
            "date": cycle.final_committee_meeting.isoformat(),
            "present": [chair.pk, member.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(cycle=cycle)
    assert set(meeting.present.all()) == {chair, member}
    url = decision_edit_url(meeting, quality, b1.competition_class)
    page = client.get(reverse("judging:decisions", args=[cycle.year])).content.decode()
    assert url.replace("&", "&amp;") in page or url in page

    # A member drafts the decision.
    client.force_login(member)
    page = client.get(url).content.decode()
    assert b1.code in page and a2.code in page
    response = _post_decision(
        client, url, {b1: ("winner", "Ett föredömligt arbete"), a2: ("honourable_mention", "Hedervärt")}
    )
    decision = Decision.objects.get()
    assert decision.status == Decision.Status.DRAFT and decision.version == 1
    assert {o.application: o.outcome for o in decision.outcomes.all()} == {
        b1: "winner",
        a2: "honourable_mention",
    }
    # Saving from the loaded version works; from an old one it is refused, nothing changes.
    _post_decision(client, url, {b1: ("winner", "Ett föredömligt arbete")}, rationale="Ändrad", version="1")
    decision.refresh_from_db()
    assert decision.version == 2 and decision.outcomes.count() == 1
    response = _post_decision(client, url, {b1: ("winner", "Gammalt")}, rationale="Gammal", version="1")
    assert "Någon annan har sparat här" in _messages(response)
    decision.refresh_from_db()
    assert decision.rationale == "Ändrad"

    # Only the chair signs; the confirmation page asks first.
    assert client.get(reverse("judging:decision_sign", args=[decision.pk])).status_code == 403
    assert client.post(reverse("judging:decision_sign", args=[decision.pk])).status_code == 403
    client.force_login(chair)
    page = client.get(reverse("judging:decision_sign", args=[decision.pk])).content.decode()
    assert "Ja, signera beslutet" in page
    client.post(reverse("judging:decision_sign", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED and decision.signed_by == chair

    # Locked: the page offers no form, and a post changes nothing.
    page = client.get(url).content.decode()
    assert "signerat och låst" in page and 'name="rationale"' not in page
    response = _post_decision(client, url, {b1: ("honourable_mention", "Nej")}, rationale="Försök")
    assert "Det finns redan ett beslut" in _messages(response)
    assert Decision.objects.count() == 1
    decision.refresh_from_db()
    assert decision.rationale == "Ändrad"
    detail = client.get(reverse("judging:decision_detail", args=[decision.pk])).content.decode()
    assert "Ändrad" in detail and "Ett föredömligt arbete" in detail and "Olga" in detail

    # A correction needs a reason, starts a new draft and replaces the decision when signed.
    correct_url = reverse("judging:decision_correct", args=[decision.pk])
    response = client.post(correct_url, {"reason": ""})
    assert response.status_code == 200 and Decision.objects.count() == 1
    response = client.post(correct_url, {"reason": "Fel utfall angavs"})
    correction = Decision.objects.get(supersedes=decision)
    assert response.url == url
    _post_decision(
        client,
        url,
        {b1: ("honourable_mention", "Hedervärt arbete")},
        rationale="Rättat",
        version=str(correction.version),
    )
    client.post(reverse("judging:decision_sign", args=[correction.pk]))
    decision.refresh_from_db()
    correction.refresh_from_db()
    assert decision.status == Decision.Status.SUPERSEDED
    assert correction.status == Decision.Status.SIGNED
    assert PastResult.objects.get(unit=b1.unit, year=cycle.year).outcome == "honourable_mention"
    detail = client.get(reverse("judging:decision_detail", args=[decision.pk])).content.decode()
    assert f"Rättas av beslut nr {correction.pk}" in detail
    detail = client.get(reverse("judging:decision_detail", args=[correction.pk])).content.decode()
    assert f"Rättar beslut nr {decision.pk}" in detail and "Fel utfall angavs" in detail
    overview = client.get(reverse("judging:decisions", args=[cycle.year])).content.decode()
    assert "Ersatt" in overview and f"Rättat av beslut nr {correction.pk}" in overview


def test_ineligible_application_cannot_win(client, cycle, quality, committee, applications, slk):
    meeting = _meeting(cycle, committee, slk)
    b1 = applications["b1"]
    b1.award_eligible = False
    b1.eligibility_note = "Underskott förra året."
    b1.save()
    url = decision_edit_url(meeting, quality, b1.competition_class)
    client.force_login(committee["member"])
    assert "Underskott förra året." in client.get(url).content.decode()
    response = _post_decision(client, url, {b1: ("winner", "Bäst")})
    assert "kan inte tilldelas utmärkelsen: Underskott förra året." in _messages(response)
    assert not Decision.objects.exists()
    # An honourable mention is still possible.
    _post_decision(client, url, {b1: ("honourable_mention", "Hedervärt")})
    assert DecisionOutcome.objects.get().outcome == "honourable_mention"


def test_a_recent_winner_is_marked_with_the_rule(client, cycle, quality, committee, applications, slk):
    meeting = _meeting(cycle, committee, slk)
    b1 = applications["b1"]
    PastResult.objects.create(unit=b1.unit, year=cycle.year - 1, track_kind="quality_award", outcome="winner")
    client.force_login(committee["member"])
    page = client.get(decision_edit_url(meeting, quality, b1.competition_class)).content.decode()
    assert f"får vinna igen tidigast {cycle.year + 2}" in page


def test_a_conflicted_members_fields_are_disabled_and_a_post_is_refused(
    client, cycle, quality, committee, applications, slk
):
    b1, a2 = applications["b1"], applications["a2"]
    judging_services.committee_conflict_declare(
        cycle=cycle, member=committee["conflicted"], target=b1.unit, reason="Min bror", by=slk
    )
    meeting = _meeting(cycle, committee, slk)
    url = decision_edit_url(meeting, quality, b1.competition_class)
    client.force_login(committee["conflicted"])
    page = client.get(url).content.decode()
    for name in (f"outcome_{b1.pk}", f"citation_{b1.pk}"):
        assert {"disabled", f'aria-describedby="note-{b1.pk}"'} <= _tag_attributes(page, name)
    assert "disabled" not in _tag_attributes(page, f"outcome_{a2.pk}")
    assert f'id="note-{b1.pk}"' in page and "Du har jäv mot bidraget" in page

    response = _post_decision(client, url, {b1: ("winner", "Bäst")})
    assert f"Du har jäv mot {b1.code}" in _messages(response)
    assert not Decision.objects.exists()

    # Another member's decision on it cannot be saved by the conflicted member either.
    client.force_login(committee["member"])
    _post_decision(client, url, {b1: ("winner", "Bäst")})
    decision = Decision.objects.get()
    client.force_login(committee["conflicted"])
    response = _post_decision(client, url, {a2: ("honourable_mention", "Bra")}, version=str(decision.version))
    assert f"Du har jäv mot {b1.code}" in _messages(response)
    decision.refresh_from_db()
    assert decision.version == 1 and list(decision.outcomes.values_list("application", flat=True)) == [b1.pk]


def test_the_pages_say_who_steps_out_of_the_class_decision_as_the_services_do(
    client, cycle, quality, committee, applications, slk
):
    """A conflict with a1, which no outcome names, keeps a member out of the class's
    decision and the chair from signing it; the pages say so before the services refuse."""
    a1, b1 = applications["a1"], applications["b1"]
    meeting = _meeting(cycle, committee, slk)
    url = decision_edit_url(meeting, quality, b1.competition_class)
    client.force_login(committee["member"])
    _post_decision(client, url, {b1: ("winner", "Bäst")})
    decision = Decision.objects.get()
    for who in ("conflicted", "chair"):
        judging_services.committee_conflict_declare(
            cycle=cycle, member=committee[who], target=a1.unit, reason="Jäv", by=slk
        )

    client.force_login(committee["conflicted"])
    page = client.get(url).content.decode()
    assert "Du deltar inte i det här beslutet" in page and a1.code in page
    assert "Spara utkastet" not in page

    client.force_login(committee["chair"])
    detail = client.get(reverse("judging:decision_detail", args=[decision.pk])).content.decode()
    assert reverse("judging:decision_sign", args=[decision.pk]) not in detail
    confirm = client.get(reverse("judging:decision_sign", args=[decision.pk])).content.decode()
    assert f"Ordföranden har jäv mot {a1.code}" in confirm and "Ja, signera beslutet" not in confirm


def test_renewal_prize_page_names_the_nominee(client, cycle, committee, slk):
    renewal = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
    application = judged(
        factories.submitted_application(renewal, nominee_kind="team", nominee_name="Digitala teamet")
    )
    meeting = _meeting(cycle, committee, slk)
    url = decision_edit_url(meeting, renewal)
    client.force_login(committee["member"])
    assert "Digitala teamet" in client.get(url).content.decode()
    _post_decision(client, url, {application: ("winner", "Nytänkande")})
    decision = Decision.objects.get(track=renewal)
    assert decision.competition_class is None
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    page = client.get(reverse("judging:decision_detail", args=[decision.pk])).content.decode()
    assert "Digitala teamet (ett arbetslag)" in page and "Pristagare" in page


def test_site_visits_are_chosen_by_code_at_the_first_meeting(client, cycle, quality, committee, slk):
    from tests.support.teams import confirmed_team

    _team, members, (first, second) = confirmed_team(cycle, quality, slk, applications=2)
    finalise(first, members, [60, 60, 70, 70], 65)
    finalise(second, members, [40, 40, 50, 50], 45)
    meeting = _meeting(cycle, committee, slk, kind=Meeting.Kind.SHORTLISTING)
    url = reverse("judging:site_visit_choice", args=[meeting.pk])
    client.force_login(committee["member"])
    page = client.get(url).content.decode()
    assert first.code in page and second.code in page
    assert first.unit.name not in page and first.unit.organisation.name not in page
    assert meeting.date.strftime("%Y") in page and "Olga" in page

    response = client.post(url, {"applications": [first.pk]})
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.application == first and visit.choice.meeting == meeting
    page = client.get(url).content.decode()
    assert "Redan vald" in page
    # Choosing it again is not offered.
    response = client.post(url, {"applications": [first.pk]})
    assert response.status_code == 200 and SiteVisit.objects.count() == 1


def test_site_visits_cannot_be_chosen_by_a_conflicted_member(client, cycle, quality, committee, slk):
    from tests.support.teams import confirmed_team

    _team, members, (application,) = confirmed_team(cycle, quality, slk)
    finalise(application, members, [60, 60, 70, 70], 65)
    judging_services.committee_conflict_declare(
        cycle=cycle, member=committee["conflicted"], target=application.unit, reason="Jäv", by=slk
    )
    meeting = _meeting(cycle, committee, slk, kind=Meeting.Kind.SHORTLISTING)
    client.force_login(committee["conflicted"])
    response = client.post(
        reverse("judging:site_visit_choice", args=[meeting.pk]), {"applications": [application.pk]}
    )
    assert response.status_code == 200 and not SiteVisit.objects.exists()


def test_slk_notifies_only_after_the_release_date_and_once(
    client, cycle, quality, committee, applications, slk, django_capture_on_commit_callbacks
):
    meeting = _meeting(cycle, committee, slk)
    decision = judging_services.decision_save(
        meeting=meeting,
        track=quality,
        competition_class=applications["b1"].competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[judging_services.OutcomeData(applications["b1"], "winner", "Föredömligt")],
        by=committee["member"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    url = reverse("judging:decisions_notify", args=[cycle.year])
    client.force_login(slk)
    response = client.post(url, follow=True)
    assert "Återföringsrapporterna släpps" in _messages(response)
    assert not mail.outbox

    cycle.feedback_release = today()
    cycle.save(update_fields=["feedback_release"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Besluten meddelades för 3 bidrag" in _messages(response)
    sent = len(mail.outbox)
    assert sent == 3
    response = client.post(url, follow=True)
    assert "inga nya signerade beslut" in _messages(response)
    assert len(mail.outbox) == sent


def test_notify_command_sends_once(
    cycle, quality, committee, applications, slk, django_capture_on_commit_callbacks
):
    from io import StringIO

    meeting = _meeting(cycle, committee, slk)
    decision = judging_services.decision_save(
        meeting=meeting,
        track=quality,
        competition_class=applications["b1"].competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[judging_services.OutcomeData(applications["b1"], "winner", "Föredömligt")],
        by=committee["member"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])

    out = StringIO()
    call_command("notify_decisions", "--cycle", str(cycle.year), stdout=out)
    assert "inget har skickats" in out.getvalue() and not mail.outbox

    cycle.feedback_release = today() - dt.timedelta(days=1)
    cycle.save(update_fields=["feedback_release"])
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_decisions", "--cycle", str(cycle.year), stdout=out)
    assert "1 beslut meddelades; 3 bidrag underrättades." in out.getvalue()
    sent = len(mail.outbox)
    assert sent == 3
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_decisions", "--cycle", str(cycle.year), stdout=out)
    assert "0 beslut meddelades; 0 bidrag underrättades." in out.getvalue()
    assert len(mail.outbox) == sent


def test_decisions_page_query_count_does_not_grow(
    client, cycle, quality, committee, slk, django_assert_max_num_queries
):
    meeting = _meeting(cycle, committee, slk)
    classes = list(quality.classes.all())

    def decide(competition_class):
        application = judged(factories.submitted_application(quality, competition_class=competition_class))
        decision = judging_services.decision_save(
            meeting=meeting,
            track=quality,
            competition_class=competition_class,
            no_award=False,
            rationale="Bäst",
            outcomes=[judging_services.OutcomeData(application, "winner", "Bra")],
            by=committee["member"],
        )
        judging_services.decision_sign(decision=decision, by=committee["chair"])
        return decision

    url = reverse("judging:decisions", args=[cycle.year])
    client.force_login(committee["member"])
    decisions = [decide(classes[0])]
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Beslut nr ") == 1
    decisions += [decide(classes[1]), decide(classes[2])]
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert all(f"Beslut nr {decision.pk}," in page for decision in decisions)


# --- who may open what -------------------------------------------------------------------------

ROLES = ["anonymous", "unit_contact", "examiner", "other_committee", "member", "chair", "slk"]
OK = {"member": 200, "chair": 200, "slk": 200, "other_committee": 404}

# POST-only views are checked with POST; the rest with GET.
EXPECTED = {
    "decisions": OK,
    "decisions_notify": {"member": 403, "chair": 403, "slk": 302, "other_committee": 403},
    "site_visit_choice": OK,
    "decision_edit": OK,
    "decision_detail": OK,
    "decision_sign": {"member": 403, "chair": 200, "slk": 403, "other_committee": 404},
    "decision_correct": OK,
    "good_example_edit": {"member": 403, "chair": 403, "slk": 200, "other_committee": 403},
}
POST_ONLY = {"decisions_notify"}


def test_the_matrix_covers_every_decision_url():
    assert set(EXPECTED) == {pattern.name for pattern in urls_decisions.urlpatterns}


@pytest.fixture
def matrix_world(cycle, quality, committee, applications, slk, role_users):
    shortlisting = _meeting(cycle, committee, slk, kind=Meeting.Kind.SHORTLISTING)
    final = _meeting(cycle, committee, slk)
    b1 = applications["b1"]
    draft = judging_services.decision_save(
        meeting=final,
        track=quality,
        competition_class=b1.competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[judging_services.OutcomeData(b1, "winner", "Föredömligt")],
        by=committee["member"],
    )
    renewal = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
    nominee = judged(factories.submitted_application(renewal, nominee_kind="individual", nominee_name="Nina"))
    signed = judging_services.decision_save(
        meeting=final,
        track=renewal,
        competition_class=None,
        no_award=False,
        rationale="Nytt",
        outcomes=[judging_services.OutcomeData(nominee, "winner", "Nyskapande")],
        by=committee["member"],
    )
    judging_services.decision_sign(decision=signed, by=committee["chair"])
    users = {
        "unit_contact": role_users[Role.UNIT_CONTACT],
        "examiner": role_users[Role.EXAMINER],
        "other_committee": role_users[Role.COMMITTEE],  # on the committee, but not this cycle's
        "member": committee["member"],
        "chair": committee["chair"],
        "slk": slk,
    }
    paths = {
        "decisions": reverse("judging:decisions", args=[cycle.year]),
        "decisions_notify": reverse("judging:decisions_notify", args=[cycle.year]),
        "site_visit_choice": reverse("judging:site_visit_choice", args=[shortlisting.pk]),
        "decision_edit": decision_edit_url(final, quality, b1.competition_class),
        "decision_detail": reverse("judging:decision_detail", args=[draft.pk]),
        "decision_sign": reverse("judging:decision_sign", args=[draft.pk]),
        "decision_correct": reverse("judging:decision_correct", args=[signed.pk]),
        "good_example_edit": reverse("judging:good_example_edit", args=[signed.outcomes.get().pk]),
    }
    return users, paths


# Every other role is walked, with the refusal due, by tests/access; the chair is not one of
# the walk's roles.
@pytest.mark.parametrize("role", ["chair"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(client, matrix_world, name, role):
    users, paths = matrix_world
    if role != "anonymous":
        client.force_login(users[role])
    send = client.post if name in POST_ONLY else client.get
    response = send(paths[name])
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif role in ("unit_contact", "examiner"):
        assert response.status_code == 403
    else:
        assert response.status_code == EXPECTED[name][role]
