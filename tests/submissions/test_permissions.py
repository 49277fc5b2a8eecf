"""Who may open which submissions page: every URL name against every role.

Adding a URL to submissions/urls.py without a row here fails
test_every_submissions_url_has_a_row, so no page goes unchecked."""

import datetime as dt

import pytest
from django.urls import reverse

from award.models import today
from award.roles import Role
from submissions import services
from submissions.models import Application
from submissions.urls import urlpatterns
from tests.support import factories
from tests.support.applications import answer_all, pdf_bytes, register, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unit_contact", "other_unit_contact", "examiner", "committee_member", "slk"]

# Expected outcomes: a status code, "login" (redirect to the login page) or "→<url name>"
# (a redirect to that page of the same application after the action was done).
LOGIN = "login"
DETAIL = "→submissions:application_detail"
ANSWER = "→submissions:answer_edit"
OVERVIEW = "→submissions:overview"

POST_DATA = {
    "details_save": {"film_url": ""},
    "attachment_upload": {"description": "Ingen fil"},
    "attachment_delete": {},
    "registration_decide": {"decision-decision": "approve", "decision-reason": ""},
    "extend": {"extend-until": "", "extend-reason": "Sjukdom i arbetsgruppen"},  # until filled in below
    "reopen": {"reopen-reason": "Fel bilaga"},
}

#: (url name, method, state of the application) -> outcome per role, in the order of ROLES.
MATRIX = [
    ("application_list", "get", "draft", [LOGIN, 200, 200, 403, 403, OVERVIEW]),
    ("register", "get", "draft", [LOGIN, 200, 200, 403, 403, 403]),
    ("overview", "get", "draft", [LOGIN, 403, 403, 403, 403, 200]),
    ("registrations_approve", "post", "draft", [LOGIN, 403, 403, 403, 403, OVERVIEW]),
    ("application_detail", "get", "draft", [LOGIN, 200, 404, 404, 404, 200]),
    ("answer_edit", "get", "draft", [LOGIN, 200, 404, 404, 404, 403]),
    ("details_save", "post", "draft", [LOGIN, DETAIL, 404, 404, 404, 403]),
    ("improvement_notes", "post", "draft", [LOGIN, ANSWER, 404, 404, 404, 403]),
    ("attachment_upload", "post", "draft", [LOGIN, DETAIL, 404, 404, 404, 403]),
    ("attachment_download", "get", "draft", [LOGIN, 200, 404, 404, 404, 200]),
    ("attachment_delete", "post", "draft", [LOGIN, DETAIL, 404, 404, 404, 403]),
    ("submit", "get", "draft", [LOGIN, 200, 404, 404, 404, 403]),
    ("receipt", "get", "submitted", [LOGIN, 200, 404, 404, 404, 200]),
    ("withdraw", "get", "draft", [LOGIN, 200, 404, 404, 404, 403]),
    ("print", "get", "draft", [LOGIN, 200, 404, 404, 404, 200]),
    ("pdf", "get", "draft", [LOGIN, 200, 404, 404, 404, 200]),
    ("registration_decide", "post", "draft", [LOGIN, 403, 403, 403, 403, DETAIL]),
    ("extend", "post", "draft", [LOGIN, 403, 403, 403, 403, DETAIL]),
    ("reopen", "post", "submitted", [LOGIN, 403, 403, 403, 403, DETAIL]),
]

# The refusals (the login page, 403, 404) of every role are asserted by the access walk
# (tests/access), which knows which refusal is due; here each allowed role uses the page in
# the state it needs.
CASES = [
    pytest.param(name, method, state, role, expected, id=f"{name}-{role}")
    for name, method, state, outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
    if expected not in (LOGIN, 403, 404)
]


def test_every_submissions_url_has_a_row():
    assert {row[0] for row in MATRIX} == {pattern.name for pattern in urlpatterns}
    assert len(MATRIX) == len(urlpatterns)


@pytest.fixture
def prepared(application, unit_contact, media_root):
    """The application with one attachment, as a draft."""
    attachment = services.attachment_add(
        application=application,
        uploaded_file=upload("plan.pdf", pdf_bytes()),
        description="",
        by=unit_contact,
    )
    return application, attachment


def _url(name, application, attachment):
    pattern = next(p for p in urlpatterns if p.name == name)
    values = {
        "pk": application.pk,
        "criterion_id": application.answers.order_by("criterion__number").first().criterion_id,
        "attachment_id": attachment.pk,
    }
    kwargs = {key: values[key] for key in pattern.pattern.converters}
    return reverse(f"submissions:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method", "state", "role", "expected"), CASES)
def test_access(client, request, prepared, unit_contact, name, method, state, role, expected):
    application, attachment = prepared
    if state == "submitted":
        answer_all(application, unit_contact)
        services.application_submit(application=application, by=unit_contact)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = _url(name, application, attachment)
    data = dict(POST_DATA.get(name, {}))
    if name == "extend":
        data["extend-until"] = (
            max(today(), application.cycle.application_deadline) + dt.timedelta(days=5)
        ).isoformat()

    response = client.post(url, data) if method == "post" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif isinstance(expected, str):
        assert response.status_code == 302
        target = expected.removeprefix("→")
        args = [] if target == "submissions:overview" else [application.pk]
        if target == "submissions:answer_edit":
            args.append(application.answers.order_by("criterion__number").first().criterion_id)
        assert response.url.split("#")[0] == reverse(target, args=args)
    else:
        assert response.status_code == expected


def test_slk_actions_in_the_matrix_take_effect(client, slk, prepared, unit_contact):
    application, attachment = prepared
    client.force_login(slk)
    client.post(_url("registration_decide", application, attachment), POST_DATA["registration_decide"])
    until = application.cycle.application_deadline + dt.timedelta(days=5)
    client.post(
        _url("extend", application, attachment),
        {"extend-until": until.isoformat(), "extend-reason": "Sjukdom"},
    )
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.APPROVED
    assert application.deadline_extended_to == until


def test_refused_roles_change_nothing(client, request, prepared):
    application, attachment = prepared
    for role in ["other_unit_contact", "examiner", "committee_member"]:
        client.force_login(request.getfixturevalue(role))
        client.post(_url("registration_decide", application, attachment), POST_DATA["registration_decide"])
        client.post(_url("attachment_delete", application, attachment))
    client.force_login(request.getfixturevalue("unit_contact"))
    client.post(_url("registration_decide", application, attachment), POST_DATA["registration_decide"])
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.PENDING
    assert application.attachments.count() == 1


def test_existing_and_missing_applications_look_the_same_to_outsiders(
    client, other_unit_contact, application
):
    client.force_login(other_unit_contact)
    existing = client.get(reverse("submissions:application_detail", args=[application.pk]))
    missing = client.get(reverse("submissions:application_detail", args=[application.pk + 1000]))
    assert existing.status_code == missing.status_code == 404


def test_unit_contact_list_shows_only_their_own_applications(client, cycle, application, other_unit_contact):
    theirs = register(cycle, other_unit_contact.units.get(), other_unit_contact)
    client.force_login(other_unit_contact)
    content = client.get(reverse("submissions:application_list")).content.decode()
    assert theirs.code in content
    assert application.code not in content


def test_new_contact_gets_access_and_removed_contact_loses_it(client, application, unit, unit_contact, slk):
    newcomer = factories.user_with_role(Role.UNIT_CONTACT)
    services.unit_contacts_set(unit=unit, contacts=[newcomer], by=slk)
    url = reverse("submissions:application_detail", args=[application.pk])
    client.force_login(newcomer)
    assert client.get(url).status_code == 200
    client.force_login(unit_contact)
    assert client.get(url).status_code == 404
