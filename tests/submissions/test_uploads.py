import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from award import audit
from submissions import services
from submissions.models import Attachment
from tests.support import factories
from tests.support.applications import EXE_BYTES, docx_bytes, pdf_bytes, png_bytes, register, upload

pytestmark = pytest.mark.django_db

ALLOWED_TYPES = "Tillåtna typer: PDF, Word (DOCX), Excel (XLSX), PNG, JPEG."


def _add(application, by, name, content, description=""):
    return services.attachment_add(
        application=application, uploaded_file=upload(name, content), description=description, by=by
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Verksamhetsplan.pdf", pdf_bytes(), Attachment.Kind.PDF),
        ("Diagram.PNG", png_bytes(), Attachment.Kind.PNG),
        ("Rutiner.docx", docx_bytes(), Attachment.Kind.DOCX),
    ],
    ids=["pdf", "png", "docx"],
)
def test_allowed_types_are_accepted(application, unit_contact, media_root, name, content, kind):
    attachment = _add(application, unit_contact, name, content, description="Underlag")
    assert (attachment.kind, attachment.original_name, attachment.size) == (kind, name, len(content))
    assert Path(attachment.file.path).read_bytes() == content
    assert audit.entries_for(application).filter(action="attachment.add").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("installera.exe", EXE_BYTES),
        ("anteckningar.txt", b"Bara lite text.\n"),
        ("sida.html", b"<html></html>"),
    ],
    ids=["exe", "txt", "html"],
)
def test_disallowed_types_are_refused(application, unit_contact, media_root, name, content):
    with pytest.raises(ValidationError) as refused:
        _add(application, unit_contact, name, content)
    assert refused.value.messages == [f"Filen {name} är inte av en tillåten typ. {ALLOWED_TYPES}"]
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EXE_BYTES, f"Filen bilaga.pdf är inte av en tillåten typ. {ALLOWED_TYPES}"),
        (
            b"Det h\xc3\xa4r \xc3\xa4r text.\n",
            f"Filen bilaga.pdf är inte av en tillåten typ. {ALLOWED_TYPES}",
        ),
        (png_bytes(), "Filen bilaga.pdf har ett namn som inte stämmer med innehållet (PNG)."),
        (docx_bytes(), "Filen bilaga.pdf har ett namn som inte stämmer med innehållet (Word (DOCX))."),
    ],
    ids=["exe", "text", "png", "docx"],
)
def test_disguised_upload_named_pdf_is_refused(application, unit_contact, media_root, content, message):
    with pytest.raises(ValidationError) as refused:
        _add(application, unit_contact, "bilaga.pdf", content)
    assert refused.value.messages == [message]
    assert not Attachment.objects.exists()


def test_pdf_named_as_image_is_refused(application, unit_contact, media_root):
    with pytest.raises(ValidationError, match="namn som inte stämmer med innehållet"):
        _add(application, unit_contact, "bild.png", pdf_bytes())


def test_empty_file_is_refused(application, unit_contact, media_root):
    with pytest.raises(ValidationError, match="inte av en tillåten typ"):
        _add(application, unit_contact, "tom.pdf", b"")


@override_settings(ATTACHMENT_MAX_FILE_BYTES=1_000_000)
def test_file_over_the_size_limit_is_refused(application, unit_contact, media_root):
    _add(application, unit_contact, "precis.pdf", pdf_bytes(1_000_000))
    with pytest.raises(ValidationError) as refused:
        _add(application, unit_contact, "stor.pdf", pdf_bytes(1_200_000))
    assert refused.value.messages == ["Filen är 1,2 MB; en bilaga får vara högst 1 MB."]
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["precis.pdf"]


@override_settings(ATTACHMENT_MAX_FILE_BYTES=1_000_000, ATTACHMENT_MAX_TOTAL_BYTES=2_000_000)
def test_files_over_the_total_limit_are_refused(application, unit_contact, media_root):
    _add(application, unit_contact, "ett.pdf", pdf_bytes(900_000))
    _add(application, unit_contact, "tva.pdf", pdf_bytes(900_000))
    with pytest.raises(ValidationError) as refused:
        _add(application, unit_contact, "tre.pdf", pdf_bytes(900_000))
    assert refused.value.messages == ["Bilagorna får vara högst 2 MB tillsammans; 0,2 MB återstår."]
    assert Attachment.objects.count() == 2


@override_settings(ATTACHMENT_MAX_COUNT=2)
def test_number_of_attachments_is_limited(application, unit_contact, media_root):
    _add(application, unit_contact, "ett.pdf", pdf_bytes())
    _add(application, unit_contact, "tva.pdf", pdf_bytes())
    with pytest.raises(ValidationError) as refused:
        _add(application, unit_contact, "tre.pdf", pdf_bytes())
    assert refused.value.messages == ["Ett bidrag får ha högst 2 bilagor."]


def test_limits_are_per_application(cycle, application, unit_contact, slk, media_root):
    other = register(cycle, factories.UnitFactory(), slk)
    with override_settings(ATTACHMENT_MAX_COUNT=1):
        _add(application, unit_contact, "ett.pdf", pdf_bytes())
        _add(other, slk, "annan.pdf", pdf_bytes())
    assert Attachment.objects.count() == 2


# --- through the page ------------------------------------------------------------------------------


def test_upload_page_accepts_a_pdf(client, application, unit_contact, media_root):
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:attachment_upload", args=[application.pk]),
        {"file": upload("Plan.pdf", pdf_bytes()), "description": "Verksamhetsplan"},
        follow=True,
    )
    assert "Bilagan Plan.pdf är uppladdad." in _messages(response)
    assert response.redirect_chain[-1][0].endswith("#bilagor")
    content = response.content.decode()
    assert "Plan.pdf" in content and "Verksamhetsplan" in content


def test_upload_page_refuses_a_disguised_file_with_a_message(client, application, unit_contact, media_root):
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:attachment_upload", args=[application.pk]),
        {"file": upload("virus.pdf", EXE_BYTES)},
        follow=True,
    )
    assert _messages(response) == [f"Filen virus.pdf är inte av en tillåten typ. {ALLOWED_TYPES}"]
    assert not Attachment.objects.exists()


def test_upload_page_without_a_file_asks_for_one(client, application, unit_contact):
    client.force_login(unit_contact)
    response = client.post(reverse("submissions:attachment_upload", args=[application.pk]), {}, follow=True)
    assert _messages(response) == ["Välj en fil att ladda upp."]


def test_removing_an_attachment_deletes_the_file_after_commit(
    client, application, unit_contact, media_root, django_capture_on_commit_callbacks
):
    attachment = _add(application, unit_contact, "plan.pdf", pdf_bytes())
    path = Path(attachment.file.path)
    client.force_login(unit_contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("submissions:attachment_delete", args=[application.pk, attachment.pk]), follow=True
        )
    assert any(m.startswith("Bilagan ") and m.endswith(" är borttagen.") for m in _messages(response))
    assert not Attachment.objects.exists()
    assert not path.exists()


# --- who may download -------------------------------------------------------------------------------


@pytest.fixture
def stored_pdf(application, unit_contact, media_root):
    return _add(application, unit_contact, "Plan & mål.pdf", pdf_bytes())


def _download(client, attachment):
    return client.get(
        reverse("submissions:attachment_download", args=[attachment.application_id, attachment.pk])
    )


def test_unit_contact_downloads_their_attachment(client, stored_pdf, unit_contact):
    client.force_login(unit_contact)
    response = _download(client, stored_pdf)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_word_file_is_downloaded_not_shown(client, application, unit_contact, media_root):
    attachment = _add(application, unit_contact, "Rutiner.docx", docx_bytes())
    client.force_login(unit_contact)
    response = _download(client, attachment)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"


def test_slk_downloads_any_attachment(client, stored_pdf, slk):
    client.force_login(slk)
    assert _download(client, stored_pdf).status_code == 200


@pytest.mark.parametrize("who", ["other_unit_contact", "examiner", "committee_member"])
def test_others_get_not_found(client, stored_pdf, request, who):
    client.force_login(request.getfixturevalue(who))
    assert _download(client, stored_pdf).status_code == 404


def test_anonymous_is_sent_to_login(client, stored_pdf):
    response = _download(client, stored_pdf)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_attachment_of_another_application_is_not_found_under_this_one(
    client, cycle, stored_pdf, unit_contact, other_unit_contact, media_root
):
    theirs = register(cycle, other_unit_contact.units.get(), other_unit_contact)
    client.force_login(other_unit_contact)
    url = reverse("submissions:attachment_download", args=[theirs.pk, stored_pdf.pk])
    assert client.get(url).status_code == 404


def test_missing_file_gives_not_found(client, stored_pdf, unit_contact):
    Path(stored_pdf.file.path).unlink()
    client.force_login(unit_contact)
    assert _download(client, stored_pdf).status_code == 404


# --- where files are kept -----------------------------------------------------------------------------


def test_file_is_stored_under_media_root_with_a_generated_name(stored_pdf, media_root, application):
    path = Path(stored_pdf.file.path).resolve()
    assert path.is_relative_to(Path(media_root).resolve())
    assert path.parent.name == str(application.pk)
    assert "Plan" not in path.name and path.suffix == ".pdf"


def test_media_root_is_outside_the_web_root():
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        static = static.resolve()
        assert not media.is_relative_to(static)
        assert not static.is_relative_to(media)
    if "DJANGO_MEDIA_ROOT" not in os.environ:
        assert media.is_relative_to(Path(settings.BASE_DIR).resolve() / "var")


def test_stored_file_is_not_reachable_by_url(client, stored_pdf, unit_contact):
    client.force_login(unit_contact)
    for url in [
        f"/{stored_pdf.file.name}",
        f"/media/{stored_pdf.file.name}",
        f"/static/{stored_pdf.file.name}",
    ]:
        assert client.get(url).status_code == 404, url
