import pytest
from django.core import mail
from django.urls import reverse

from submissions.models import Application

pytestmark = pytest.mark.django_db


def test_flow(client, cycle, unit_contact, unit, slk, django_capture_on_commit_callbacks):
    client.force_login(unit_contact)
    r = client.get(reverse("submissions:register"))
    assert r.status_code == 200, r.content[:500]
    track = cycle.tracks.get(kind="quality_award")
    klass = track.classes.first()
    r = client.post(
        reverse("submissions:register"),
        {
            "unit": unit.pk,
            "track": track.pk,
            "competition_class": klass.pk,
            "head_has_full_responsibility": "on",
            "deficit_last_year": "1",
            "deficit_forecast": "0",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    app = Application.objects.get()
    assert not app.award_eligible
    r = client.get(r.url)
    assert r.status_code == 200
    for ans in app.answers.all():
        r = client.get(reverse("submissions:answer_edit", args=[app.pk, ans.criterion_id]))
        assert r.status_code == 200
        r = client.post(
            reverse("submissions:answer_edit", args=[app.pk, ans.criterion_id]),
            {"text": "Svar " * 10, "version": 0},
        )
        assert r.status_code == 302
    r = client.post(
        reverse("submissions:answer_edit", args=[app.pk, ans.criterion_id]),
        {"text": "Nytt", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert "Sparat automatiskt" in r.content.decode(), r.content.decode()
    r = client.post(
        reverse("submissions:answer_edit", args=[app.pk, ans.criterion_id]), {"text": "Gammalt", "version": 1}
    )
    assert "Någon annan har sparat" in r.content.decode()
    r = client.get(reverse("submissions:submit", args=[app.pk]))
    assert r.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("submissions:submit", args=[app.pk]))
        assert r.status_code == 302
    r = client.get(r.url)
    assert "Tack!" in r.content.decode()
    assert len(mail.outbox) == 2 and "K" in mail.outbox[0].subject  # the contact and the head
    r = client.get(reverse("submissions:print", args=[app.pk]))
    assert r.status_code == 200
    r = client.get(reverse("submissions:pdf", args=[app.pk]))
    assert r.content[:4] == b"%PDF"

    client.force_login(slk)
    r = client.get(reverse("submissions:overview"))
    assert r.status_code == 200
    r = client.get(reverse("submissions:overview") + "?export=xlsx")
    assert r.status_code == 200
    r = client.get(reverse("submissions:application_detail", args=[app.pk]))
    assert r.status_code == 200
