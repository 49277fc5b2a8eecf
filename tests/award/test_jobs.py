"""Long work in the background with progress (issue 15): SLK starts the cycle export, the
report PDF or the decisions' notices from the cycle's jobs page; the row shows progress and
asks for itself again with htmx until it is done, then offers the file, to SLK only, for a
day; the scheduler's tick removes it after that."""

import datetime as dt
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from award import jobs
from award.models import BackgroundJob
from award.tasks import tick
from tests.support import factories

pytestmark = pytest.mark.django_db


def _start(client, cycle, kind, capture):
    with capture(execute=True):
        return client.post(reverse("award:job_start", args=[cycle.year]), {"kind": kind})


def _job(slk, cycle, **fields):
    return BackgroundJob.objects.create(
        kind="judging.cycle_export", params={"year": cycle.year}, requested_by=slk, **fields
    )


def test_slk_starts_the_export_and_downloads_the_file(
    client, slk, cycle, media_root, django_capture_on_commit_callbacks
):
    client.force_login(slk)
    response = _start(client, cycle, "judging.cycle_export", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.is_done and job.filename == f"omgang-{cycle.year}.xlsx"

    page = client.get(reverse("award:cycle_jobs", args=[cycle.year]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Omgångens export (Excel)" in body and reverse("award:job_download", args=[job.pk]) in body
    assert "hx-trigger" not in body  # nothing left to poll
    assert "htmx" in body and "<script>" not in body  # htmx from a file, no inline script

    download = client.get(reverse("award:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert f'filename="omgang-{cycle.year}.xlsx"' in download["Content-Disposition"]


def test_progress_shows_and_the_row_polls_until_done(client, slk, cycle, media_root):
    job = _job(slk, cycle, status=BackgroundJob.Status.RUNNING, done=3, total=10)
    client.force_login(slk)
    url = reverse("award:job_status", args=[job.pk])
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="3" max="10"' in body and "30 %" in body
    assert f'hx-get="{url}"' in body and 'hx-trigger="every 2s"' in body and 'hx-swap="outerHTML"' in body
    assert "<script" not in body

    job.status, job.finished_at = BackgroundJob.Status.DONE, timezone.now()
    job.expires_at = job.finished_at + dt.timedelta(hours=24)
    job.filename = "omgang.xlsx"
    job.file.save("x.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in body and reverse("award:job_download", args=[job.pk]) in body


def test_progress_is_recorded_while_the_job_runs(slk, cycle, media_root, monkeypatch):
    seen = []

    def work(job, progress):
        for done in range(3):
            progress(done, 3)
            seen.append(BackgroundJob.objects.values_list("done", "total").get(pk=job.pk))
        return "x.txt", "text/plain", b"x"

    monkeypatch.setitem(
        jobs._kinds, "test.counting", jobs.Kind(func=work, may_start=lambda *a: True, label="T")
    )
    job = _job(slk, cycle, status=BackgroundJob.Status.QUEUED)
    BackgroundJob.objects.filter(pk=job.pk).update(kind="test.counting")
    assert jobs.run(job.pk) == "done"
    assert seen == [(0, 3), (1, 3), (2, 3)]
    assert jobs.run(job.pk) == "taken"  # a second worker leaves it alone


@pytest.mark.parametrize("role", ["examiner", "committee_member", "unit_contact"])
def test_the_file_is_slks_only(client, request, slk, cycle, media_root, role):
    job = _job(
        slk, cycle, status=BackgroundJob.Status.DONE, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    job.file.save("x.xlsx", ContentFile(b"PK"), save=True)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("award:job_download", args=[job.pk])).status_code == 403
    assert client.get(reverse("award:job_status", args=[job.pk])).status_code == 403
    assert client.post(reverse("award:job_start", args=[cycle.year]), {"kind": job.kind}).status_code == 403


def test_anonymous_is_sent_to_login_and_a_missing_job_is_404(client, slk, cycle):
    response = client.get(reverse("award:job_download", args=[1]))
    assert response.status_code == 302 and "logga-in" in response["Location"]
    client.force_login(slk)
    assert client.get(reverse("award:job_download", args=[999])).status_code == 404
    unfinished = _job(slk, cycle, status=BackgroundJob.Status.RUNNING)
    assert client.get(reverse("award:job_download", args=[unfinished.pk])).status_code == 404


def test_the_file_is_kept_a_day_then_removed_by_the_tick(
    client, slk, cycle, media_root, django_capture_on_commit_callbacks
):
    client.force_login(slk)
    _start(client, cycle, "judging.cycle_export", django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    path = job.file.path
    url = reverse("award:job_download", args=[job.pk])
    # (each time a new login: the session would have ended overnight)
    with time_machine.travel(job.finished_at + dt.timedelta(hours=23), tick=False):
        tick.call()
        client.force_login(slk)
        assert client.get(url).status_code == 200
    with time_machine.travel(job.finished_at + dt.timedelta(hours=25), tick=False):
        client.force_login(slk)
        assert client.get(url).status_code == 404  # past its day, even before the tick
        tick.call()
    assert not BackgroundJob.objects.filter(pk=job.pk).exists()
    assert not os.path.exists(path)


def test_the_report_pdf_and_the_decision_notices_run_as_jobs(
    client, slk, cycle, media_root, django_capture_on_commit_callbacks
):
    client.force_login(slk)
    _start(client, cycle, "evaluation.cycle_report_pdf", django_capture_on_commit_callbacks)
    report = BackgroundJob.objects.get(kind="evaluation.cycle_report_pdf")
    assert report.is_done and report.file.read().startswith(b"%PDF")

    # Before the release date the notices refuse, and the page says why.
    _start(client, cycle, "judging.decision_notices", django_capture_on_commit_callbacks)
    notices = BackgroundJob.objects.get(kind="judging.decision_notices")
    assert notices.is_failed and "släpps" in notices.error
    body = client.get(reverse("award:cycle_jobs", args=[cycle.year])).content.decode()
    assert "Misslyckades" in body and "släpps" in body


def test_an_unknown_kind_is_404(client, slk, cycle):
    client.force_login(slk)
    assert client.post(reverse("award:job_start", args=[cycle.year]), {"kind": "nope"}).status_code == 404
    assert not BackgroundJob.objects.exists()


def test_the_page_reads_the_same_queries_for_one_job_or_three(
    client, slk, cycle, django_assert_max_num_queries
):
    client.force_login(slk)
    _job(slk, cycle, status=BackgroundJob.Status.RUNNING, done=1, total=2)
    client.get(reverse("award:cycle_jobs", args=[cycle.year]))
    with django_assert_max_num_queries(30) as one:
        response = client.get(reverse("award:cycle_jobs", args=[cycle.year]))
    assert response.status_code == 200 and "50 %" in response.content.decode()
    other = factories.user_with_role("slk")
    _job(other, cycle, status=BackgroundJob.Status.QUEUED)
    _job(other, cycle, status=BackgroundJob.Status.QUEUED)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("award:cycle_jobs", args=[cycle.year]))
    assert response.status_code == 200
