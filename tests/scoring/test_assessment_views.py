"""The examiner's own assessment pages: the scale and the stale-edit rules as the examiner
meets them, htmx autosave, submit and reopen, independence at the server, and a query
count that does not grow with the number of criteria."""

from decimal import Decimal

import pytest
from django.urls import reverse
from guardian.shortcuts import remove_perm

from award.models import AuditEntry, Track
from scoring import queries, services
from scoring.models import Assessment
from submissions.models import Answer, Attachment
from tests.support import factories
from tests.support.teams import confirmed_team, fill, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

# Measured: 22 for a draft, 24 once submitted (the team panel), for 2 and for 6 criteria; one
# more for the unit's earlier entry (none here).
PAGE_QUERIES = 25


def _own_item(world, user):
    assessment = services.assessment_for(application=world["application"], by=user)
    return assessment.items.order_by("criterion__number").first()


# Who reaches these pages, and the 404 everyone else gets, is the access walk's (tests/access).


def test_a_save_reaches_only_the_posters_own_assessment(client, team_world):
    """The save URL names a criterion, not an item: whoever posts saves their own."""
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["leader"])
    response = client.post(_item_url(team_world, item), _item_data(item, score=50))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.score is None
    leaders = _own_item(team_world, team_world["leader"])
    assert leaders.score == 50 and leaders.assessment.member.profile.user == team_world["leader"]


def test_a_member_who_has_not_opened_is_asked_the_conflict_question_first(client, team_world):
    application, user = team_world["application"], team_world["examiner"]
    remove_perm("submissions.view_application", user, application)
    client.force_login(user)
    response = client.get(reverse("scoring:assessment", args=[application.pk]))
    assert response["Location"].startswith(reverse("examiners:application_open", args=[application.pk]))


# --- The page ---------------------------------------------------------------------------


def _page(client, world, user=None):
    client.force_login(user or world["examiner"])
    return client.get(reverse("scoring:assessment", args=[world["application"].pk])).content.decode()


def test_page_shows_answers_guidance_scale_bands_and_attachments(client, team_world):
    application = team_world["application"]
    criterion = application.track.criteria.order_by("number").first()
    criterion.examiner_guidance = "Titta efter systematik."
    criterion.save()
    Answer.objects.create(application=application, criterion=criterion, text="Vi arbetar så här.")
    attachment = Attachment.objects.create(
        application=application,
        file="applications/plan.pdf",
        original_name="plan.pdf",
        kind=Attachment.Kind.PDF,
        size=100,
        uploaded_by=team_world["leader"],
    )
    content = _page(client, team_world)
    assert "Titta efter systematik." in content
    assert "Vi arbetar så här." in content
    assert reverse("submissions:attachment_download", args=[application.pk, attachment.pk]) in content
    assert "approach 30–45" in content  # the band descriptor of the criterion's kind
    assert 'value="45"' in content and 'value="7"' not in content  # only the scale's steps
    assert "3–5 brukar räcka" in content
    assert "<legend>" in content and 'aria-live="polite"' in content
    assert "Kriterium 1 saknar poäng." in content  # the completeness list


def test_independence_teammates_hidden_until_own_submission(client, team_world, monkeypatch):
    application, user = team_world["application"], team_world["examiner"]
    teammate = team_world["members"][2].profile.user
    services.assessment_submit(
        assessment=fill(application, teammate, 80, strengths=("Lagkamratens hemliga styrka",)), by=teammate
    )
    fill(application, user, 50)

    def refuse(*args, **kwargs):
        raise AssertionError("teammates' items read before the examiner's own submission")

    with monkeypatch.context() as patch:
        patch.setattr(queries, "criterion_rows", refuse)
        content = _page(client, team_world)
    assert "Lagkamratens hemliga styrka" not in content
    assert '<td class="num">80 %</td>' not in content
    assert "Lagkamraternas inlämnade bedömningar" not in content

    client.post(reverse("scoring:assessment_submit", args=[application.pk]))
    content = _page(client, team_world)
    assert "Lagkamratens hemliga styrka" in content
    assert '<td class="num">80 %</td>' in content


def test_independence_holds_for_the_team_leader_too(client, team_world):
    teammate = team_world["members"][2].profile.user
    services.assessment_submit(
        assessment=fill(team_world["application"], teammate, 80, strengths=("Hemligt för ledaren",)),
        by=teammate,
    )
    assert "Hemligt för ledaren" not in _page(client, team_world, team_world["leader"])


# --- Saving a criterion -----------------------------------------------------------------


def _item_data(item, *, score=None, strengths="", improvements="", notes="", version=None):
    prefix = f"k{item.criterion_id}"
    return {
        f"{prefix}-score": "" if score is None else str(score),
        f"{prefix}-strengths": strengths,
        f"{prefix}-improvements": improvements,
        f"{prefix}-notes": notes,
        f"{prefix}-version": str(item.version if version is None else version),
    }


def _item_url(world, item):
    return reverse("scoring:assessment_item", args=[world["application"].pk, item.criterion_id])


def test_save_button_saves_and_returns_to_the_criterion(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    response = client.post(
        _item_url(team_world, item),
        _item_data(item, score=55, strengths="Tydlig plan\n\nBra uppföljning\n", notes="Fråga om budgeten"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#kriterium-1")
    item.refresh_from_db()
    assert (item.score, item.strengths, item.notes, item.version) == (
        55,
        ["Tydlig plan", "Bra uppföljning"],
        "Fråga om budgeten",
        2,
    )


def test_score_off_the_scale_is_refused_with_the_services_message(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    response = client.post(_item_url(team_world, item), _item_data(item, score=7, strengths="Min styrka"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Poängen 7 finns inte på skalan" in content
    assert "Min styrka" in content  # what was written stays in the form
    item.refresh_from_db()
    assert (item.score, item.strengths, item.version) == (None, [], 1)


def test_score_off_the_scale_refused_in_autosave_too(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    response = client.post(
        _item_url(team_world, item), _item_data(item, score=105), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "finns inte på skalan" in content
    assert "hx-swap-oob" not in content
    item.refresh_from_db()
    assert item.score is None


def test_autosave_returns_the_status_fragment_with_the_new_version(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    response = client.post(
        _item_url(team_world, item),
        _item_data(item, score=60, improvements="Mät oftare"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "Sparat automatiskt" in content
    assert f'id="id_k{item.criterion_id}-version"' in content and 'value="2"' in content
    assert 'hx-swap-oob="true"' in content
    item.refresh_from_db()
    assert (item.score, item.improvements, item.version) == (60, ["Mät oftare"], 2)


def test_stale_edit_keeps_both_texts(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    url = _item_url(team_world, item)
    # Another window saves first, from version 1 ...
    client.post(url, _item_data(item, score=40, strengths="Sparad i det andra fönstret"))
    # ... then this one, also from version 1.
    response = client.post(url, _item_data(item, score=70, strengths="Skriven i det här fönstret", version=1))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kriteriet har sparats från ett annat fönster" in content
    assert "Sparad i det andra fönstret" in content
    assert "Skriven i det här fönstret" in content
    # The form now carries the saved version, so saving again is a deliberate overwrite.
    assert f'name="k{item.criterion_id}-version" value="2"' in content
    item.refresh_from_db()
    assert (item.score, item.strengths, item.version) == (40, ["Sparad i det andra fönstret"], 2)


def test_stale_autosave_saves_nothing_and_says_so(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    url = _item_url(team_world, item)
    client.post(url, _item_data(item, score=40))
    response = client.post(url, _item_data(item, score=70, version=1), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Inte sparat" in content and "hx-swap-oob" not in content
    item.refresh_from_db()
    assert item.score == 40


# --- Submit, reopen, hours --------------------------------------------------------------


def test_submit_asks_for_confirmation_then_submits(client, team_world):
    application, user = team_world["application"], team_world["examiner"]
    assessment = fill(application, user, 50)
    client.force_login(user)
    url = reverse("scoring:assessment_submit", args=[application.pk])
    content = client.get(url).content.decode()
    assert "Ja, lämna in bedömningen" in content
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    response = client.post(url)
    assert response["Location"] == reverse("scoring:assessment", args=[application.pk])
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    content = client.get(response["Location"]).content.decode()
    assert "Din bedömning är inlämnad" in content
    assert "Öppna bedömningen igen" in content
    assert 'name="k' not in content  # no editable fields once submitted


def test_incomplete_assessment_cannot_be_submitted(client, team_world):
    application, user = team_world["application"], team_world["examiner"]
    fill(application, user, 50, strengths=(), improvements=())
    client.force_login(user)
    url = reverse("scoring:assessment_submit", args=[application.pk])
    content = client.get(url).content.decode()
    assert "minst en styrka eller ett förbättringsområde" in content
    assert "Ja, lämna in bedömningen" not in content
    response = client.post(url, follow=True)
    assert "minst en styrka eller ett förbättringsområde" in response.content.decode()
    assert Assessment.objects.get(application=application, member__profile__user=user).status == "draft"


def test_reopen_until_consensus_starts(client, team_world):
    assessments = submit_all(team_world)
    application, user = team_world["application"], team_world["examiner"]
    client.force_login(user)
    url = reverse("scoring:assessment_reopen", args=[application.pk])
    client.post(url)
    assessments[1].refresh_from_db()
    assert assessments[1].status == Assessment.Status.DRAFT
    services.assessment_submit(assessment=assessments[1], by=user)
    services.consensus_start(application=application, by=team_world["leader"])
    response = client.post(url, follow=True)
    content = response.content.decode()
    assert "Konsensus har startat" in content
    assert "Öppna bedömningen igen" not in content
    assessments[1].refresh_from_db()
    assert assessments[1].status == Assessment.Status.SUBMITTED


def test_hours_recorded_with_a_decimal_comma(client, team_world):
    application, user = team_world["application"], team_world["examiner"]
    client.force_login(user)
    url = reverse("scoring:assessment_hours", args=[application.pk])
    response = client.post(url, {"hours": "6,5"})
    assert response["Location"].endswith("#tid")
    assert Assessment.objects.get(application=application, member__profile__user=user).hours == Decimal("6.5")
    content = client.post(url, {"hours": "500"}, follow=True).content.decode()
    assert "mellan 0 och 200" in content
    assert Assessment.objects.get(application=application, member__profile__user=user).hours == Decimal("6.5")


def test_examiner_home_links_to_the_assessment_with_its_status(client, team_world):
    client.force_login(team_world["examiner"])
    url = reverse("scoring:assessment", args=[team_world["application"].pk])
    content = client.get(reverse("examiners:home")).content.decode()
    assert url in content and "Bedöm" in content
    services.assessment_submit(
        assessment=fill(team_world["application"], team_world["examiner"], 50), by=team_world["examiner"]
    )
    assert "din bedömning är inlämnad" in client.get(reverse("examiners:home")).content.decode()


# --- Query count ------------------------------------------------------------------------


def _world_with(criteria: int, slk):
    cycle = factories.complete_cycle(open=True, criteria_per_track=(criteria, 5))
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team, members, (application,) = confirmed_team(cycle, quality, slk)
    for criterion in quality.criteria.all():
        Answer.objects.create(application=application, criterion=criterion, text="Svar")
    return {"members": members, "application": application, "examiner": members[1].profile.user}


@pytest.mark.parametrize("criteria", [2, 6])
@pytest.mark.parametrize("submitted", [False, True])
def test_assessment_page_queries_do_not_grow_with_criteria(
    client, slk, django_assert_max_num_queries, criteria, submitted
):
    world = _world_with(criteria, slk)
    if submitted:
        submit_all(world)
    else:
        fill(world["application"], world["examiner"], 50)
    client.force_login(world["examiner"])
    url = reverse("scoring:assessment", args=[world["application"].pk])
    client.get(url)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="saved-text"') == criteria


def test_opening_the_page_writes_nothing_and_the_first_save_starts_the_assessment(client, team_world):
    application, user = team_world["application"], team_world["examiner"]
    client.force_login(user)
    entries = AuditEntry.objects.count()
    response = client.get(reverse("scoring:assessment", args=[application.pk]))
    assert response.status_code == 200
    assert "Poäng för kriterium 1" in response.content.decode()
    assert not Assessment.objects.filter(application=application).exists()
    assert AuditEntry.objects.count() == entries

    criterion = application.track.criteria.order_by("number").first()
    prefix = f"k{criterion.pk}"
    data = {f"{prefix}-score": "50", f"{prefix}-strengths": "Tydlig plan", f"{prefix}-version": "1"}
    response = client.post(reverse("scoring:assessment_item", args=[application.pk, criterion.pk]), data)
    assert response.status_code == 302
    own = Assessment.objects.get(application=application, member__profile__user=user)
    assert own.items.get(criterion=criterion).score == 50
    assert list(
        AuditEntry.objects.filter(action__startswith="scoring.individual")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["scoring.individual_start", "scoring.individual"]


def test_the_form_has_a_criterion_menu_a_submit_bar_and_links_from_what_is_missing(client, team_world):
    html = _page(client, team_world)
    criteria = team_world["application"].track.criteria.order_by("number")
    menu = html[
        html.index('class="criterion-menu"') : html.index("</nav>", html.index('class="criterion-menu"'))
    ]
    for criterion in criteria:
        assert f'href="#kriterium-{criterion.number}"' in menu
        assert f'id="kriterium-{criterion.number}"' in html
    first = criteria.first().number
    assert f'<a href="#kriterium-{first}">Kriterium {first} saknar poäng.</a>' in html
    bar = html[html.index('class="save-bar submit-bar"') :]
    assert f"0 av {criteria.count()} kriterier klara." in bar
    assert reverse("scoring:assessment_submit", args=[team_world["application"].pk]) in bar
