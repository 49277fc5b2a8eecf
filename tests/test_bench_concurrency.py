"""bench.concurrency (issue 8) without a server: the lost-update check on synthetic logs, and
the preparation step with the page parsers against the real views on a small generated load."""

import pytest
from django.test import Client

from award.models import AwardCycle
from bench import concurrency as bench
from bench.generate_load import generate
from scoring.models import Assessment, AssessmentItem, Consensus

BACKEND = "django.contrib.auth.backends.ModelBackend"


def tok(item, n):
    return f"bench:{item}:u:{n}"


def consistent_run():
    """Item 1: three saves applied in order, the last stored. Item 2: untouched."""
    sent = {tok(1, 1): 50, tok(1, 2): 55, tok(1, 3): 60}
    accepted = {tok(1, 1): 2, tok(1, 2): 3, tok(1, 3): None}  # the last by the save button
    audit = {tok(1, 1): 10, tok(1, 2): 11, tok(1, 3): 12}
    stored = {1: (60, [tok(1, 3)], 4), 2: (40, ["Generated"], 1)}
    return {
        "initial_versions": {1: 1, 2: 1},
        "sent": sent,
        "accepted": accepted,
        "audit": audit,
        "stored": stored,
    }


def test_consistent_run_has_no_lost_update():
    result = bench.check_saves(**consistent_run())
    assert result["lost_updates"] == 0
    assert result["accepted"] == result["applied"] == 3
    assert not (
        result["lost"] or result["versions"] or result["returned_versions"] or result["unacknowledged"]
    )


def test_stored_value_older_than_last_applied_save_is_lost():
    run = consistent_run()
    run["stored"][1] = (55, [tok(1, 2)], 4)
    result = bench.check_saves(**run)
    assert result["lost_updates"] == 1
    assert "item 1" in result["lost"][0]


def test_accepted_save_without_audit_entry_is_lost():
    run = consistent_run()
    run["sent"][tok(2, 1)] = 70
    run["accepted"][tok(2, 1)] = 2
    result = bench.check_saves(**run)
    assert result["lost_updates"] == 1
    assert result["not_applied"][0].startswith(tok(2, 1))


def test_applied_but_unacknowledged_save_is_not_lost():
    """A save the server applied after the client gave up (timeout) may be the stored one."""
    run = consistent_run()
    run["sent"][tok(1, 4)] = 65
    run["audit"][tok(1, 4)] = 13
    run["stored"][1] = (65, [tok(1, 4)], 5)
    result = bench.check_saves(**run)
    assert result["lost_updates"] == 0
    assert result["unacknowledged"] == [tok(1, 4)]


def test_two_saves_answered_with_the_same_version_are_caught():
    run = consistent_run()
    run["accepted"][tok(1, 2)] = 2  # both 1 and 2 claim to have made version 2
    result = bench.check_saves(**run)
    assert result["returned_versions"] and result["lost_updates"] == 0


def test_version_not_matching_the_applied_saves_is_caught():
    run = consistent_run()
    run["stored"][1] = (60, [tok(1, 3)], 5)  # one more write than the audit trail shows
    assert bench.check_saves(**run)["versions"]


@pytest.fixture
def load(db, settings):
    settings.DEBUG = True
    generate(applications=20, seed=7, cycle_year=2031)
    return AwardCycle.objects.select_related("scale").get(year=2031)


def test_prepare_opens_assessments_and_the_views_answer_as_the_benchmark_expects(load):
    plan = bench.prepare(load, examiners=3)
    assert plan.examiners and len(plan.examiners) >= 3
    assert not Consensus.objects.filter(application_id__in=plan.applications).exists()
    assert (
        not Assessment.objects.filter(application_id__in=plan.applications).exclude(status="draft").exists()
    )
    assert plan.consensus_removed == len(plan.applications)
    # Other applications keep their submitted assessments and final consensus.
    assert Consensus.objects.exclude(application_id__in=plan.applications).filter(status="final").exists()

    examiner = plan.examiners[0]
    application, items = next(iter(examiner.work.items()))
    item, criterion = next(iter(items.items()))
    client = Client()
    client.force_login(AssessmentItem.objects.get(pk=item).assessment.member.profile.user, backend=BACKEND)
    path = f"/bedomning/bidrag/{application}/"
    page = client.get(path).content.decode()
    versions = bench.page_versions(page)
    assert set(items.values()) <= set(versions) and bench.csrf_token(page)

    prefix = f"k{criterion}-"

    def save(version, mark, htmx=True):
        data = {
            prefix + "version": version,
            prefix + "score": 55,
            prefix + "strengths": mark,
            prefix + "improvements": bench.IMPROVEMENT,
            prefix + "notes": "",
        }
        headers = {"HX-Request": "true"} if htmx else {}
        return client.post(f"{path}kriterium/{criterion}/", data, headers=headers)

    version = versions[criterion]
    first = save(version, bench.TOKEN + f"{item}:t:1")
    assert bench.autosave_outcome(first.content.decode(), criterion) == ("saved", version + 1)
    stale = save(version, bench.TOKEN + f"{item}:t:2")
    assert bench.autosave_outcome(stale.content.decode(), criterion) == ("stale", None)
    stale_button = save(version, bench.TOKEN + f"{item}:t:3", htmx=False)
    assert stale_button.status_code == 200 and bench.STALE_PAGE in stale_button.content.decode()
    button = save(version + 1, bench.TOKEN + f"{item}:t:4", htmx=False)
    assert button.status_code == 302 and f"{path}#kriterium-" in button["Location"]

    stored, audit, other = bench.read_outcome(plan, audit_after=0)
    result = bench.check_saves(
        initial_versions=plan.initial_versions,
        sent={bench.TOKEN + f"{item}:t:{n}": 55 for n in (1, 2, 3, 4)},
        accepted={bench.TOKEN + f"{item}:t:1": version + 1, bench.TOKEN + f"{item}:t:4": None},
        audit=audit,
        stored=stored,
    )
    assert other == 0 and result["applied"] == 2 and result["lost_updates"] == 0, result
    assert not result["versions"] and not result["returned_versions"]
