"""The committee's pages: the consolidated view's numbers, order and filters on a known
data set, the shortlisting mode without names, conflicts, the drill-down, the query count,
and who may open which page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.models import CommitteeMembership
from award.roles import Role
from judging import services as judging_services
from judging.committee import views as views_committee
from judging.committee.urls import urlpatterns
from judging.models import CommitteeConflict
from scoring import services
from scoring.models import ConsensusItem
from tests.support import factories
from tests.support.decisions import final_meeting, winner
from tests.support.teams import confirmed_team, finalise

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "committee", "scored")  # built once for the module (tests/support/world.py)


def _consolidated(client, user, track, *, name="consolidated", **params):
    client.force_login(user)
    return client.get(reverse(f"judging:{name}", args=[track.cycle.year, track.pk]), params)


def _rows(response):
    return [row for group in response.context["groups"] for row in group["rows"]]


def _codes_in_order(html, applications):
    positions = sorted((html.index(f">{a.code}</a>"), a) for a in applications)
    return [a for _pos, a in positions]


def _row_html(html, application):
    """The consolidated table's row of the application."""
    start = html.index(f">{application.code}</a>")
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


# --- The numbers ---------------------------------------------------------------------------


def test_consolidated_view_shows_the_known_totals_and_ranks(client, scored, committee):
    response = _consolidated(client, committee["member"], scored["track"])
    assert response.status_code == 200
    rows = {row.application: row for row in _rows(response)}
    a1, a2, b1 = scored["a1"], scored["a2"], scored["b1"]
    assert [str(rows[a].total) for a in (a1, a2, b1)] == ["450.0", "650.0", "800.0"]
    assert [rows[a].rank for a in (b1, a2, a1)] == [1, 2, 3]
    assert (rows[a1].max_spread, rows[b1].max_spread) == (10, 20)
    assert rows[a2].calibrated_rank < rows[b1].calibrated_rank
    html = response.content.decode()
    # Ranked order by default, totals in Swedish number format, the method explained.
    assert _codes_in_order(html, [a1, a2, b1]) == [b1, a2, a1]
    for total in ("450,0", "650,0", "800,0"):
        assert total in html
    assert "standardiseras" in html
    assert 'aria-sort="ascending"' in html and html.count("aria-sort=") == 1
    assert f'<td class="unit">{b1.unit.name}<span class="org">' in html and b1.unit.organisation.name in html


def test_consolidated_table_reads_rank_code_unit_totals_eligibility_decision(client, scored, committee):
    html = _consolidated(client, committee["member"], scored["track"]).content.decode()
    head = html[html.index('<table class="consolidated">') : html.index("</thead>")]
    order = ["Placering", "Bidrag", "Enhet", "Konsensus, totalt", "Efter platsbesök", "Kalibrerat, totalt"]
    order += ["Kalibrerad placering", "Största spridning", "Behörighet", "Beslut"]
    positions = [head.index(label) for label in order]
    assert positions == sorted(positions)
    # The organisation is under the unit's name, not a column of its own.
    assert "Förvaltning" not in head


def test_per_criterion_scores_are_shown_on_demand(client, scored, committee, cycle):
    track = scored["track"]
    html = _consolidated(client, committee["member"], track).content.decode()
    assert "criteria-table" not in html and "?kriterier=1" in html
    assert reverse("judging:charts", args=[cycle.year, track.pk]) in html
    html = _consolidated(client, committee["member"], track, kriterier="1").content.decode()
    assert "criteria-table" in html and "poäng per kriterium" in html
    assert "Dölj poäng per kriterium" in html


def test_the_whole_class_fits_one_page_on_request(client, scored, committee, monkeypatch):
    monkeypatch.setattr(views_committee, "PAGE_SIZE", 2)
    paged = _consolidated(client, committee["member"], scored["track"])
    assert len(_rows(paged)) == 2 and "Hela klassen på en sida" in paged.content.decode()
    whole = _consolidated(client, committee["member"], scored["track"], alla="1")
    assert len(_rows(whole)) == 3
    html = whole.content.decode()
    assert "Nästa sida" not in html and "Dela upp i sidor" in html


def test_sorting_by_a_column_is_server_side_and_announced(client, scored, committee):
    a1, a2, b1 = scored["a1"], scored["a2"], scored["b1"]
    response = _consolidated(client, committee["member"], scored["track"], sort="code")
    html = response.content.decode()
    assert _codes_in_order(html, [a1, a2, b1]) == sorted([a1, a2, b1], key=lambda a: a.code)
    header = re.search(r'<th scope="col"[^>]*aria-sort="ascending"[^>]*>\s*<a href="([^"]+)">Bidrag', html)
    assert header and "sort=-code" in header.group(1)  # the active column's link reverses it

    response = _consolidated(client, committee["member"], scored["track"], sort="-max_spread", storlek="stor")
    html = response.content.decode()
    assert _codes_in_order(html, [a1, a2, b1])[0] == b1
    assert re.search(r'aria-sort="descending"[^>]*>\s*<a href="[^"]*storlek=stor', html)
    assert "committee-large" in html


def test_filters_keep_only_eligible_applications_of_a_class(client, scored, committee, cycle):
    ineligible = scored["a2"]
    ineligible.award_eligible = False
    ineligible.eligibility_note = "Underskott i årets prognos."
    ineligible.save()
    response = _consolidated(client, committee["member"], scored["track"])
    html = response.content.decode()
    assert "Kan inte vinna" in _row_html(html, ineligible)
    assert "Underskott i årets prognos." in _row_html(html, ineligible)

    response = _consolidated(client, committee["member"], scored["track"], behoriga="on")
    assert ineligible not in [r.application for r in _rows(response)]
    assert len(_rows(response)) == 2
    # Ranks stay the class's ranks when the list is filtered.
    assert sorted(r.rank for r in _rows(response)) == [1, 3]

    class_name = scored["b1"].competition_class.name
    assert len(_rows(_consolidated(client, committee["member"], scored["track"], klass=class_name))) == 3
    assert _rows(_consolidated(client, committee["member"], scored["track"], klass="Skola")) == []
    assert len(_rows(_consolidated(client, committee["member"], scored["track"], klass="Okänd"))) == 3


def test_a_long_ranking_is_paged_and_ranks_stay_the_classs(client, scored, committee, monkeypatch):
    monkeypatch.setattr(views_committee, "PAGE_SIZE", 2)
    a1, a2, b1 = scored["a1"], scored["a2"], scored["b1"]
    first = _consolidated(client, committee["member"], scored["track"], storlek="stor")
    assert [r.application for r in _rows(first)] == [b1, a2]
    html = first.content.decode()
    assert "Visar 1–2 av 3." in html and 'aria-current="page"' in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">Nästa sida</a>', html)
    assert next_link and "storlek=stor" in next_link.group(1) and "sida=2" in next_link.group(1)
    assert "(bidrag 1–2 av 3; 3 i klassen)" in html

    second = _consolidated(client, committee["member"], scored["track"], storlek="stor", sida=2)
    rows = _rows(second)
    assert [r.application for r in rows] == [a1] and rows[0].rank == 3  # ranked in the whole class
    html = second.content.decode()
    assert "(fortsättning)" in html and "(bidrag 3–3 av 3; 3 i klassen)" in html
    assert 'rel="prev"' in html and 'rel="next"' not in html
    # Sorting by another column starts again at the first page.
    assert all("sida=" not in header["url"] for header in second.context["headers"])
    # A page past the end shows the last one; sorting applies before paging.
    assert [
        r.application for r in _rows(_consolidated(client, committee["member"], scored["track"], sida=99))
    ] == [a1]
    by_code = _consolidated(client, committee["member"], scored["track"], sort="code")
    assert [r.application for r in _rows(by_code)] == sorted([a1, a2, b1], key=lambda a: a.code)[:2]


def test_a_ranking_that_fits_one_page_has_no_page_links(client, scored, committee):
    html = _consolidated(client, committee["member"], scored["track"]).content.decode()
    assert "Nästa sida" not in html and "Visar 1–" not in html
    assert "(3 av 3 bidrag)" in html


# --- Shortlisting mode ---------------------------------------------------------------------


def _names(applications):
    names = set()
    for a in applications:
        names |= {a.unit.name, a.unit.code, a.unit.organisation.name, a.unit.head_name}
    return names


@pytest.mark.parametrize("how", ["url", "parameter"])
def test_shortlisting_mode_shows_no_unit_or_organisation_names(client, scored, committee, cycle, how):
    applications = [scored["a1"], scored["a2"], scored["b1"]]
    # Free texts that do name the unit are rewritten too.
    a2 = scored["a2"]
    a2.award_eligible = False
    a2.eligibility_note = f"{a2.unit.name} ({a2.unit.organisation.name}) redovisade underskott."
    a2.save()
    judging_services.committee_conflict_declare(
        cycle=cycle,
        member=committee["member"],
        target=a2.unit,
        reason=f"Jag har arbetat på {a2.unit.name}",
        by=committee["member"],
    )
    if how == "url":
        response = _consolidated(client, committee["member"], scored["track"], name="consolidated_anonymous")
    else:
        response = _consolidated(client, committee["member"], scored["track"], anonym="1", sort="unit")
    html = response.content.decode()
    for name in _names(applications):
        assert name not in html
    assert f"{a2.code} ({a2.code}) redovisade underskott." in html
    assert all(a.code in html for a in applications)
    assert "Jäv – du deltar inte" in _row_html(html, a2)
    assert 'aria-sort="ascending"' in html  # sorting by unit name falls back to rank

    # The drill-down reached from the anonymised list stays anonymised.
    ConsensusItem.objects.filter(consensus__application=a2).update(discussion_note=f"Hos {a2.unit.name} …")
    drill = client.get(reverse("judging:drilldown", args=[a2.pk]), {"anonym": "1"}).content.decode()
    assert f"{reverse('judging:drilldown', args=[a2.pk])}?anonym=1" in html
    for name in _names(applications):
        assert name not in drill
    assert a2.code in drill


# --- Conflicts -----------------------------------------------------------------------------


def test_conflicted_member_sees_the_row_marked_and_others_do_not(client, scored, committee, cycle):
    b1 = scored["b1"]
    judging_services.committee_conflict_declare(
        cycle=cycle,
        member=committee["conflicted"],
        target=b1.unit.organisation,
        reason="Jag arbetar i förvaltningen",
        by=committee["conflicted"],
    )
    response = _consolidated(client, committee["conflicted"], scored["track"])
    assert [r.application for r in _rows(response) if r.conflict] == [b1]
    html = response.content.decode()
    assert "Jäv – du deltar inte" in _row_html(html, b1)
    assert "is-conflict" in _row_html(html, b1)
    assert "Jäv – du deltar inte" not in _row_html(html, scored["a1"])

    html = _consolidated(client, committee["member"], scored["track"]).content.decode()
    assert "Jäv – du deltar inte" not in html

    client.force_login(committee["conflicted"])
    drill = client.get(reverse("judging:drilldown", args=[b1.pk])).content.decode()
    assert "Du har anmält jäv för det här bidraget" in drill
    assert drill.index("Du har anmält jäv") < drill.index("Kriterieprofil")
    assert "Jag arbetar i förvaltningen" in drill


def test_member_declares_a_conflict_on_the_committee_page(client, scored, committee, cycle):
    member, unit = committee["member"], scored["a1"].unit
    client.force_login(member)
    url = reverse("judging:committee_home", args=[cycle.year])
    page = client.get(url).content.decode()
    assert reverse("judging:consolidated", args=[cycle.year, scored["track"].pk]) in page
    assert reverse("judging:consolidated_anonymous", args=[cycle.year, scored["track"].pk]) in page

    response = client.post(url, {"unit": unit.pk, "reason": "Min syster är chef där"})
    assert response.status_code == 302
    conflict = CommitteeConflict.objects.get()
    assert (conflict.member, conflict.unit, conflict.recorded_by) == (member, unit, member)
    assert "Min syster är chef där" in client.get(url).content.decode()

    both = client.post(url, {"unit": unit.pk, "organisation": unit.organisation_id, "reason": "x"})
    assert "Välj antingen en enhet eller en förvaltning." in both.content.decode()
    assert CommitteeConflict.objects.count() == 1


def test_slk_records_a_conflict_for_a_member_and_sees_everyones(client, scored, committee, cycle, slk):
    chair = CommitteeMembership.objects.get(cycle=cycle, user=committee["chair"])
    client.force_login(slk)
    url = reverse("judging:committee_home", args=[cycle.year])
    organisation = scored["b1"].unit.organisation
    client.post(url, {"member": chair.pk, "organisation": organisation.pk, "reason": "Styrelseuppdrag"})
    conflict = CommitteeConflict.objects.get()
    assert (conflict.member, conflict.organisation, conflict.recorded_by) == (
        committee["chair"],
        organisation,
        slk,
    )
    assert str(committee["chair"]) in client.get(url).content.decode()


def test_a_signed_decision_shows_its_outcome_on_the_row(client, scored, committee, cycle, slk):
    b1 = scored["b1"]
    meeting = final_meeting(cycle, committee, slk)
    decision = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=b1.competition_class,
        no_award=False,
        rationale="Bäst i klassen",
        outcomes=[winner(b1)],
        by=committee["chair"],
    )
    html = _consolidated(client, committee["member"], scored["track"]).content.decode()
    assert "Vinnare" not in html  # a draft decides nothing yet
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    html = _consolidated(client, committee["member"], scored["track"]).content.decode()
    assert "<strong>Vinnare</strong>" in _row_html(html, b1)


# --- The drill-down ------------------------------------------------------------------------


@pytest.fixture
def visited(scored, slk):
    """b1 visited: criterion 1 revised from 80 to 90 with a reason; a report drafted."""
    b1 = scored["b1"]
    visit = judging_services.site_visit_select(application=b1, by=slk)
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(
            visit_date=b1.track.cycle.site_visits_end,
            participants="",
            questions="",
            findings="Bra",
            done=True,
        ),
        base_version=visit.version,
        by=slk,
    )
    item = ConsensusItem.objects.get(consensus__application=b1, criterion__number=1)
    services.visit_score_revise(
        item=item, score=90, reason="Verifierat på plats", base_version=item.version, by=slk
    )
    services.report_draft(application=b1, by=slk)
    return b1


def test_drilldown_shows_every_stage_with_examiners_numbered_for_the_committee(
    client, scored, committee, visited
):
    client.force_login(committee["member"])
    response = client.get(reverse("judging:drilldown", args=[visited.pk]))
    html = response.content.decode()
    assert [label for label, _total in response.context["individual_totals"]] == [
        f"Examinator {n}" for n in range(1, 5)
    ]
    assert sorted(str(total) for _label, total in response.context["individual_totals"]) == [
        "700.0",
        "800.0",
        "800.0",
        "900.0",
    ]
    assert (str(response.context["consensus_total"]), str(response.context["visit_total"])) == (
        "800.0",
        "825.0",
    )
    assert "825,0" in html and "Verifierat på plats" in html
    assert "Diskuterat" in html  # the team's note on the flagged spread of 20
    assert "Styrka" in html and "Område" in html  # the feedback report draft
    for assessment in visited.assessments.select_related("member__profile__user"):
        assert assessment.member.profile.user.last_name not in html
    assert visited.unit.name in html


def test_drilldown_names_the_examiners_to_slk(client, scored, slk):
    client.force_login(slk)
    html = client.get(reverse("judging:drilldown", args=[scored["a1"].pk])).content.decode()
    for assessment in scored["a1"].assessments.select_related("member__profile__user"):
        assert str(assessment.member.profile) in html
    assert "Examinator 1" not in html


def test_consolidated_view_shows_the_visit_total_and_status(client, scored, committee, visited):
    response = _consolidated(client, committee["member"], scored["track"])
    row = next(r for r in _rows(response) if r.application == visited)
    assert (str(row.visit_total), row.visit_label, row.rank) == ("825.0", "Genomfört", 1)
    assert "Genomfört" in _row_html(response.content.decode(), visited)


# --- Query count ---------------------------------------------------------------------------


def _three_more(cycle, track, slk):
    """Three more finalised applications (a team takes at most two)."""
    for name, count in [("Lag C", 2), ("Lag D", 1)]:
        _team, members, apps = confirmed_team(cycle, track, slk, name=name, applications=count)
        for application in apps:
            finalise(application, members, [50, 60, 60, 70], 60)


def test_consolidated_view_query_count_does_not_grow_with_applications(
    client, scored, committee, cycle, quality, slk, django_assert_max_num_queries
):
    client.force_login(committee["member"])
    url = reverse("judging:consolidated", args=[cycle.year, quality.pk])
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    _three_more(cycle, quality, slk)
    with django_assert_max_num_queries(len(three)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(_rows(response)) == 6
    # session, user, roles, track and cycle, classes, membership, 8 to consolidate (stored
    # figures), and the viewer's own teams' applications whose individual scores are withheld
    # (independence); the per-criterion figures (two more) only when asked for
    assert len(three) <= 15


def test_drilldown_query_count_does_not_grow_with_applications(
    client, scored, committee, cycle, quality, slk, django_assert_max_num_queries
):
    client.force_login(committee["member"])
    url = reverse("judging:drilldown", args=[scored["a1"].pk])
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    assert response.status_code == 200
    assert scored["a1"].code in response.content.decode()
    _three_more(cycle, quality, slk)
    with django_assert_max_num_queries(len(before)):
        response = client.get(url)
    assert response.status_code == 200
    assert scored["a1"].code in response.content.decode()


# --- Who may open what ---------------------------------------------------------------------

ROLES = ["anonymous", "unit_contact", "examiner", "member", "slk", "outsider"]
LOGIN, HOME = "login", "→committee_home"

#: (url name, method) -> outcome per role, in the order of ROLES. "outsider" holds the
#: committee role but sits on no committee of this cycle: the cycle is not theirs to see.
MATRIX = [
    ("committee_home", "get", [LOGIN, 403, 403, 200, 200, 404]),
    ("committee_home", "post", [LOGIN, 403, 403, HOME, HOME, 404]),
    ("consolidated", "get", [LOGIN, 403, 403, 200, 200, 404]),
    ("consolidated_anonymous", "get", [LOGIN, 403, 403, 200, 200, 404]),
    ("drilldown", "get", [LOGIN, 403, 403, 200, 200, 404]),
]


def test_every_committee_url_has_a_row():
    assert {row[0] for row in MATRIX} == {p.name for p in urlpatterns}


@pytest.fixture
def people(scored, committee, slk, cycle):
    a1 = scored["a1"]
    unit_contact = factories.user_with_role(Role.UNIT_CONTACT)
    a1.unit.contacts.add(unit_contact)
    examiner = a1.assessments.select_related("member__profile__user").first().member.profile.user
    outsider = factories.user_with_role(Role.COMMITTEE)
    CommitteeMembership.objects.create(cycle=factories.complete_cycle(cycle.year - 1), user=outsider)
    return {
        "anonymous": None,
        "unit_contact": unit_contact,
        "examiner": examiner,
        "member": committee["member"],
        "slk": slk,
        "outsider": outsider,
    }


def _url(name, scored):
    track, application = scored["track"], scored["a1"]
    values = {"year": track.cycle.year, "track_pk": track.pk, "pk": application.pk}
    pattern = next(p for p in urlpatterns if p.name == name)
    return reverse(f"judging:{name}", kwargs={k: values[k] for k in pattern.pattern.converters})


@pytest.mark.parametrize(
    ("name", "method", "role", "expected"),
    # The refusals of a GET are asserted by the access walk (tests/access); a refused POST
    # is kept here for what it must not do: declare a conflict.
    [
        pytest.param(name, method, role, expected, id=f"{name}-{method}-{role}")
        for name, method, outcomes in MATRIX
        for role, expected in zip(ROLES, outcomes, strict=True)
        if method == "post" or expected not in (LOGIN, 403, 404)
    ],
)
def test_access(client, scored, cycle, people, name, method, role, expected):
    if people[role] is not None:
        client.force_login(people[role])
    url = _url(name, scored)
    if method == "post":
        member = CommitteeMembership.objects.get(cycle=cycle, user=people["member"])
        data = {"member": member.pk, "unit": scored["a1"].unit_id, "reason": "Tidigare anställd"}
        response = client.post(url, data)
    else:
        response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif expected == HOME:
        assert response.status_code == 302
        assert response.url == reverse("judging:committee_home", args=[cycle.year])
        # The member declares for themselves; SLK records it for the member chosen.
        assert CommitteeConflict.objects.get().member == people["member"]
    else:
        assert response.status_code == expected
    if method == "post" and expected != HOME:
        assert not CommitteeConflict.objects.exists()


def test_objects_outside_the_cycle_answer_404(client, scored, committee, cycle, quality):
    client.force_login(committee["member"])
    other = factories.complete_cycle(cycle.year + 1)
    foreign_track = other.tracks.first()
    draft = factories.submitted_application(quality, status="draft")
    for url in [
        reverse("judging:committee_home", args=[cycle.year + 5]),
        reverse("judging:consolidated", args=[cycle.year, foreign_track.pk]),
        reverse("judging:consolidated", args=[other.year, foreign_track.pk]),
        reverse("judging:drilldown", args=[draft.pk]),
        reverse("judging:drilldown", args=[draft.pk + 1000]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_class_split_across_pages_continues_and_the_next_class_follows(
    client, scored, committee, monkeypatch
):
    monkeypatch.setattr(views_committee, "PAGE_SIZE", 2)
    quality = scored["track"]
    first_class = scored["a1"].competition_class
    second_class = quality.classes.exclude(pk=first_class.pk).order_by("order").first()
    unscored = factories.submitted_application(quality, competition_class=second_class)
    pages = [_consolidated(client, committee["member"], quality, sida=n) for n in (1, 2)]
    shown = [[(g["name"], g["continued"], len(g["rows"])) for g in p.context["groups"]] for p in pages]
    # Three rows of the first class, then the second class's one: the second page holds the
    # first class's last row (continued) and the whole second class.
    assert shown == [
        [(first_class.name, False, 2)],
        [(first_class.name, True, 1), (second_class.name, False, 1)],
    ]
    assert _rows(pages[1])[-1].application == unscored and _rows(pages[1])[-1].rank is None
    html = pages[1].content.decode()
    assert f"{first_class.name} (fortsättning)" in html and f"{second_class.name} (fortsättning)" not in html


def test_the_renewal_track_has_one_list_named_after_the_track(client, cycle, committee, slk):
    renewal = cycle.tracks.get(kind="renewal_prize")
    team, members, (application,) = confirmed_team(cycle, renewal, slk, name="Lag F")
    finalise(application, members, [60, 60, 70, 70], 65)
    response = _consolidated(client, committee["member"], renewal)
    assert [(g["name"], [r.application for r in g["rows"]]) for g in response.context["groups"]] == [
        (renewal.name, [application])
    ]
    assert _rows(response)[0].rank == 1 and str(_rows(response)[0].total) == "650.0"
    # Choosing the track's only "class" in the filter shows the same list.
    assert [
        r.application for r in _rows(_consolidated(client, committee["member"], renewal, klass=renewal.name))
    ] == [application]
