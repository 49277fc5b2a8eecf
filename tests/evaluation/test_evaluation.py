"""Evaluating the cycle: sending the questionnaires, answering them once, their aggregated
results, the cycle report and its documents, and who may open which page."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from award import services as award_services
from award.models import AwardCycle
from evaluation import report as cycle_report
from evaluation import services as evaluation_services
from evaluation.models import Questionnaire, QuestionnaireResponse
from evaluation.urls import urlpatterns
from examiners import services as examiner_services
from submissions import services as submission_services
from submissions.models import Application
from tests.support import factories

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

APPLICANTS = Questionnaire.Audience.APPLICANTS
EXAMINERS = Questionnaire.Audience.EXAMINERS

GOOD_APPLICANT_ANSWERS = {
    "criteria_clarity": 4,
    "feedback_usefulness": 5,
    "workload": 3,
    "change": "  Färre kriterier  ",
    "other": "",
}


def _release(cycle):
    """Move the whole timeline into the past (order kept): feedback was released 75 days ago."""
    AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=-200))
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def world(team_world, quality, unit, unit_contact, slk):
    """The team world with the unit contact's unit holding a submitted application, plus
    contacts who must not be asked: a draft's, a withdrawn application's, an examiner's in
    a team not yet confirmed."""
    cycle = team_world["cycle"]
    factories.submitted_application(quality, unit=unit)
    second_contact = factories.user_with_role("unit_contact")
    unit.contacts.add(second_contact)
    draft_contact = factories.user_with_role("unit_contact")
    factories.submitted_application(
        quality, status=Application.Status.DRAFT, submitted_at=None
    ).unit.contacts.add(draft_contact)
    withdrawn_contact = factories.user_with_role("unit_contact")
    factories.submitted_application(quality, status=Application.Status.WITHDRAWN).unit.contacts.add(
        withdrawn_contact
    )
    draft_team = examiner_services.team_create(cycle=cycle, track=quality, name="Lag C", by=slk)
    draft_member = factories.pool_member(cycle)
    examiner_services.team_member_add(team=draft_team, member=draft_member, leader=True, by=slk)
    return {
        **team_world,
        "applicants": {unit_contact, second_contact},
        "examiners": {m.profile.user for m in team_world["members"]}
        | {tm.member.profile.user for tm in team_world["other_team"].members.all()},
        "not_asked": {draft_contact, withdrawn_contact, draft_member.profile.user},
    }


@pytest.fixture
def released(world):
    _release(world["cycle"])
    return world


def _send(world, audience, slk):
    return evaluation_services.questionnaire_send(cycle=world["cycle"], audience=audience, by=slk)


# --- Sending ---------------------------------------------------------------------------------


def test_send_refused_before_feedback_release(world, slk):
    cycle = world["cycle"]
    with pytest.raises(ValidationError, match="återföringsrapporterna har släppts"):
        evaluation_services.questionnaire_send(cycle=cycle, audience=APPLICANTS, by=slk)
    with pytest.raises(ValidationError):
        evaluation_services.questionnaire_send(
            cycle=cycle, audience=APPLICANTS, by=slk, on=cycle.feedback_release - dt.timedelta(days=1)
        )
    assert not Questionnaire.objects.exists()
    evaluation_services.questionnaire_send(
        cycle=cycle, audience=APPLICANTS, by=slk, on=cycle.feedback_release
    )
    assert Questionnaire.objects.filter(cycle=cycle, audience=APPLICANTS).exists()


def test_send_refused_for_anyone_but_slk(released):
    with pytest.raises(PermissionDenied):
        _send(released, APPLICANTS, released["leader"])
    assert not Questionnaire.objects.exists()


def test_applicant_recipients_are_the_contacts_of_units_with_submitted_applications(released):
    recipients = set(cycle_report.questionnaire_recipients(cycle=released["cycle"], audience=APPLICANTS))
    assert recipients == released["applicants"]


def test_examiner_recipients_are_the_members_of_confirmed_teams(released):
    recipients = set(cycle_report.questionnaire_recipients(cycle=released["cycle"], audience=EXAMINERS))
    assert recipients == released["examiners"]
    assert len(recipients) == 8


@pytest.mark.parametrize("audience", [APPLICANTS, EXAMINERS])
def test_every_recipient_is_mailed_once_with_the_link(
    released, slk, audience, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire = _send(released, audience, slk)
    expected = released["applicants" if audience == APPLICANTS else "examiners"]
    # One message per person: nobody sees the other recipients' addresses.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in expected)
    assert all(len(m.to) == 1 for m in mail.outbox)
    link = reverse("evaluation:questionnaire_answer", args=[questionnaire.pk])
    assert all(link in m.body for m in mail.outbox)
    assert not {m.to[0] for m in mail.outbox} & {u.email for u in released["not_asked"]}


def test_a_questionnaire_is_sent_once_per_audience(released, slk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(released, APPLICANTS, slk)
        with pytest.raises(ValidationError, match="redan skickad"):
            _send(released, APPLICANTS, slk)
        _send(released, EXAMINERS, slk)
    assert len(mail.outbox) == len(released["applicants"]) + len(released["examiners"])


# --- Answering -------------------------------------------------------------------------------


def test_answers_are_validated_per_question(released, slk, unit_contact):
    questionnaire = _send(released, APPLICANTS, slk)
    with pytest.raises(ValidationError) as refused:
        evaluation_services.questionnaire_answer(
            questionnaire=questionnaire,
            respondent=unit_contact,
            answers={"criteria_clarity": 7, "feedback_usefulness": "fem", "change": "x" * 3001},
            by=unit_contact,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"criteria_clarity", "feedback_usefulness", "workload", "change"}
    assert errors["criteria_clarity"] == ["Välj ett värde mellan 1 och 5."]
    assert "högst 3000 tecken" in errors["change"][0]
    assert not QuestionnaireResponse.objects.exists()

    response = evaluation_services.questionnaire_answer(
        questionnaire=questionnaire, respondent=unit_contact, answers=GOOD_APPLICANT_ANSWERS, by=unit_contact
    )
    response.refresh_from_db()
    assert response.answers == {
        "criteria_clarity": 4,
        "feedback_usefulness": 5,
        "workload": 3,
        "change": "Färre kriterier",
    }


def test_a_recipient_answers_once(released, slk, unit_contact):
    questionnaire = _send(released, APPLICANTS, slk)
    evaluation_services.questionnaire_answer(
        questionnaire=questionnaire, respondent=unit_contact, answers=GOOD_APPLICANT_ANSWERS, by=unit_contact
    )
    with pytest.raises(ValidationError, match="redan besvarat"):
        evaluation_services.questionnaire_answer(
            questionnaire=questionnaire,
            respondent=unit_contact,
            answers=GOOD_APPLICANT_ANSWERS,
            by=unit_contact,
        )
    assert QuestionnaireResponse.objects.count() == 1


def test_only_recipients_of_that_audience_answer(released, slk, unit_contact):
    questionnaire = _send(released, APPLICANTS, slk)
    examiner = released["examiner"]
    for outsider in [examiner, *released["not_asked"]]:
        with pytest.raises(PermissionDenied):
            evaluation_services.questionnaire_answer(
                questionnaire=questionnaire, respondent=outsider, answers=GOOD_APPLICANT_ANSWERS, by=outsider
            )
    with pytest.raises(PermissionDenied):
        evaluation_services.questionnaire_answer(
            questionnaire=questionnaire, respondent=unit_contact, answers=GOOD_APPLICANT_ANSWERS, by=slk
        )
    assert not QuestionnaireResponse.objects.exists()


def test_the_answer_page_takes_one_answer_then_thanks(client, released, slk):
    questionnaire = _send(released, EXAMINERS, slk)
    examiner = released["examiner"]
    url = reverse("evaluation:questionnaire_answer", args=[questionnaire.pk])
    client.force_login(examiner)
    page = client.get(url)
    assert page.status_code == 200
    assert "Hur väl fungerade samarbetet i ditt examinatorslag?" in page.content.decode()

    missing = client.post(url, {"criteria_clarity": "4"})
    assert missing.status_code == 200
    assert "Välj ett värde mellan 1 och 5." in missing.content.decode()
    assert not QuestionnaireResponse.objects.exists()

    answers = {"criteria_clarity": "4", "training_usefulness": "5", "workload_hours": "2", "team_work": "5"}
    done = client.post(url, {**answers, "change": "Mer tid till konsensus"})
    assert done.status_code == 302 and done.url == url
    thanks = client.get(url)
    assert "Tack för dina svar" in thanks.content.decode()
    assert '<form method="post" class="narrow">' not in thanks.content.decode()

    client.post(url, {**answers, "change": "Ett andra svar"})
    (response,) = QuestionnaireResponse.objects.all()
    assert response.respondent == examiner
    assert response.answers["change"] == "Mer tid till konsensus"


def test_a_non_recipient_gets_404(client, released, slk, other_unit_contact):
    questionnaire = _send(released, APPLICANTS, slk)
    url = reverse("evaluation:questionnaire_answer", args=[questionnaire.pk])
    for outsider in [other_unit_contact, released["examiner"], *released["not_asked"], slk]:
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"criteria_clarity": "5"}).status_code == 404
    client.force_login(other_unit_contact)
    assert (
        client.get(reverse("evaluation:questionnaire_answer", args=[questionnaire.pk + 100])).status_code
        == 404
    )
    assert not QuestionnaireResponse.objects.exists()


# --- Results -----------------------------------------------------------------------------------


def _answer_as_applicants(questionnaire, unit, scores_and_texts):
    """One new contact of `unit` per (clarity, change text) answer."""
    for clarity, change in scores_and_texts:
        contact = factories.user_with_role("unit_contact")
        unit.contacts.add(contact)
        evaluation_services.questionnaire_answer(
            questionnaire=questionnaire,
            respondent=contact,
            answers={"criteria_clarity": clarity, "feedback_usefulness": 4, "workload": 2, "change": change},
            by=contact,
        )


def test_results_aggregate_known_answers(released, slk, unit):
    questionnaire = _send(released, APPLICANTS, slk)
    _answer_as_applicants(
        questionnaire, unit, [(5, "Kortare ansökan"), (4, ""), (4, "=Fler exempel"), (2, "")]
    )

    applicants, examiners = cycle_report.questionnaire_results(released["cycle"])
    assert (applicants.audience, examiners.audience) == (APPLICANTS, EXAMINERS)
    # The two contacts from the fixture plus the four who answered.
    assert (applicants.recipients, applicants.responses, applicants.response_rate) == (6, 4, 67)
    clarity, usefulness, workload = applicants.scales
    assert clarity.n == 4 and clarity.mean == 3.75
    assert [count for _value, _label, count, _percent in clarity.distribution] == [0, 1, 0, 2, 1]
    assert [percent for *_rest, percent in clarity.distribution] == [0, 25, 0, 50, 25]
    assert usefulness.mean == 4 and workload.mean == 2
    change, other = applicants.texts
    assert change.answers == ["Kortare ansökan", "=Fler exempel"]
    assert other.answers == []
    assert examiners.questionnaire is None and examiners.responses == 0 and examiners.recipients == 8


def test_evaluation_page_shows_charts_counts_and_free_text(client, released, slk, unit):
    questionnaire = _send(released, APPLICANTS, slk)
    _answer_as_applicants(questionnaire, unit, [(5, "Kortare ansökan"), (3, "")])
    client.force_login(slk)
    page = client.get(reverse("evaluation:evaluation", args=[released["cycle"].year])).content.decode()
    assert "2 av 4 har svarat (50 %)" in page
    assert page.count("<svg ") == 3  # one chart per scale question that has answers
    assert 'role="img"' in page and "style=" not in page.split("<svg", 1)[1]
    assert "Kortare ansökan" in page
    # The examiners' questionnaire is not sent yet: its button names how many it goes to.
    assert "Skicka enkäten till 8 personer" in page


def test_evaluation_page_sends_through_the_service(client, released, slk, django_capture_on_commit_callbacks):
    client.force_login(slk)
    url = reverse("evaluation:evaluation", args=[released["cycle"].year])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"audience": EXAMINERS})
    assert response.status_code == 302 and response.url == url
    assert Questionnaire.objects.filter(audience=EXAMINERS).exists()
    assert len(mail.outbox) == 8


def test_evaluation_page_before_release_offers_no_send_button(client, world, slk):
    client.force_login(slk)
    url = reverse("evaluation:evaluation", args=[world["cycle"].year])
    page = client.get(url).content.decode()
    assert "Skicka enkäten till" not in page
    client.post(url, {"audience": APPLICANTS})
    assert not Questionnaire.objects.exists()


def test_evaluation_page_queries_do_not_grow_with_answers(client, released, slk, unit):
    questionnaire = _send(released, APPLICANTS, slk)
    url = reverse("evaluation:evaluation", args=[released["cycle"].year])
    client.force_login(slk)
    _answer_as_applicants(questionnaire, unit, [(5, "Svaret ett")])
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    assert "1 av 3 har svarat (33 %)" in response.content.decode()
    _answer_as_applicants(questionnaire, unit, [(4, "Svaret två"), (3, "Svaret tre")])
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 av 5 har svarat (60 %)" in page
    assert all(text in page for text in ("Svaret ett", "Svaret två", "Svaret tre"))
    assert len(one) == len(three)


# --- The cycle report -------------------------------------------------------------------------


@pytest.fixture
def history(world, slk, unit_contact, quality):
    """A phase extended, an application given more time and submitted after the cycle's
    deadline, then the timeline moved past the feedback release and answers given."""
    cycle = world["cycle"]
    planned_closes = cycle.registration_closes
    award_services.phase_extend(
        cycle=cycle, by=slk, until=planned_closes + dt.timedelta(days=7), reason="Få anmälningar"
    )
    cycle.refresh_from_db()
    late = factories.submitted_application(quality, status=Application.Status.DRAFT, submitted_at=None)
    until = cycle.application_deadline + dt.timedelta(days=5)
    submission_services.application_extend(application=late, until=until, reason="Sjukdom", by=slk)
    Application.objects.filter(pk=late.pk).update(
        status=Application.Status.SUBMITTED,
        submitted_at=cycle.application_deadline_at + dt.timedelta(days=2),
    )
    _release(cycle)
    questionnaire = _send(world, APPLICANTS, slk)
    evaluation_services.questionnaire_answer(
        questionnaire=questionnaire,
        respondent=unit_contact,
        answers={**GOOD_APPLICANT_ANSWERS, "change": '=HYPERLINK("x")'},
        by=unit_contact,
    )
    return {**world, "planned_closes": planned_closes, "late": late}


def test_report_numbers_on_known_data(history):
    report = cycle_report.cycle_report(history["cycle"])
    part = report["participation"]
    # Team world: two submitted; the fixture: the unit contact's submitted, a draft and a
    # withdrawn one; the history: the late one. All approved, all in the first class.
    assert part["totals"] == {"registered": 6, "approved": 6, "submitted": 4, "withdrawn": 1}
    first = part["classes"][0]
    assert (first["class"], first["registered"], first["submitted"]) == ("Förskola", 6, 4)
    assert [row["class"] for row in part["classes"]] == ["Förskola", "Skola", "Äldreomsorg", ""]
    assert sum(row["units"] for row in part["organisations"]) == 6

    timeline = report["timeline"]
    assert (timeline["extended"], timeline["closed_early"]) == (1, 0)
    change = next(c for c in timeline["changes"] if c.action == "cycle.phase_extended")
    assert change.phase == "Anmälan" and change.reason == "Få anmälningar"
    closes = next(d for d in timeline["dates"] if d["label"] == "anmälan stänger")
    assert closes["planned"] == history["planned_closes"]

    (extension,) = report["extensions"]
    assert extension["code"] == history["late"].code and extension["after_deadline"]
    assert extension["reason"] == "Sjukdom"
    assert report["submitted_after_deadline"] == 1
    assert report["examiners"]["in_teams"] == 8 and report["examiners"]["teams"] == 2


def test_report_xlsx_opens_with_numbers_and_no_formulas(client, history, slk):
    client.force_login(slk)
    response = client.get(
        reverse("evaluation:cycle_report", args=[history["cycle"].year]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Deltagande per klass",
        "Deltagande per förvaltning",
        "Examinatorer",
        "Timmar per lag",
        "Tidsplan",
        "Ändringar av tidsplanen",
        "Förlängd tid",
        "Enkäter",
        "Fritextsvar",
    ]
    totals = list(book["Deltagande per klass"].iter_rows(values_only=True))[-1]
    assert totals == ("Totalt", None, 6, 6, 4, 1)
    survey = list(book["Enkäter"].iter_rows(values_only=True))
    clarity = next(row for row in survey if row[1] and str(row[1]).startswith("Hur tydliga"))
    assert clarity[2:] == (1, 4, 0, 0, 0, 1, 0)
    free = list(book["Fritextsvar"].iter_rows(values_only=True))
    assert free[1][2] == '=HYPERLINK("x")'
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_report_pdf_and_page(client, history, slk):
    client.force_login(slk)
    url = reverse("evaluation:cycle_report", args=[history["cycle"].year])
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    page = client.get(url).content.decode()
    assert "Få anmälningar" in page and history["late"].code in page and "Sjukdom" in page


# --- Who may open what --------------------------------------------------------------------------

ROLES = ["anonymous", "unit_contact", "other_unit_contact", "examiner", "committee_member", "slk"]
LOGIN = "login"

#: url name -> outcome per role, in the order of ROLES. The unit contact is a recipient of
#: the applicants' questionnaire; the examiner is in no team.
MATRIX = {
    "evaluation": [LOGIN, 403, 403, 403, 403, 200],
    "cycle_report": [LOGIN, 403, 403, 403, 403, 200],
    "questionnaire_answer": [LOGIN, 200, 404, 404, 404, 404],
}


def test_every_evaluation_url_has_a_row():
    # The navigation's link without a year is walked in tests/access.
    pages = [p for p in urlpatterns if p.name != "evaluation_current"]
    assert set(MATRIX) == {pattern.name for pattern in pages}
    assert len(MATRIX) == len(pages)


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        pytest.param(name, role, expected, id=f"{name}-{role}")
        for name, outcomes in MATRIX.items()
        for role, expected in zip(ROLES, outcomes, strict=True)
    ],
)
def test_access(client, request, released, slk, name, role, expected):
    questionnaire = _send(released, APPLICANTS, slk)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    kwargs = {"pk": questionnaire.pk} if name == "questionnaire_answer" else {"year": released["cycle"].year}
    response = client.get(reverse(f"evaluation:{name}", kwargs=kwargs))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
