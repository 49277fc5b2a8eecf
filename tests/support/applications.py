"""Applications: registered through the service, answered, past their deadline, and files
of each kind for the upload rules."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from award.models import AwardCycle, Track
from submissions import services
from submissions.models import Application
from tests.support import factories


def register(cycle, unit, by, *, kind=Track.Kind.QUALITY_AWARD, **overrides) -> Application:
    """Register `unit` for the track of `kind` through the service, meeting every rule
    unless `overrides` say otherwise."""
    track = cycle.tracks.get(kind=kind)
    data = {
        "unit": unit,
        "track": track,
        "competition_class": track.classes.first() if track.has_classes else None,
        "head_has_full_responsibility": True,
    }
    if not track.has_classes:
        data.update(nominee_kind=Application.NomineeKind.TEAM, nominee_name="Arbetslag Blå")
    data.update(overrides)
    return services.application_register(data=services.RegistrationData(**data), by=by)


def answer_all(application, by, text="Vi arbetar systematiskt med mål och uppföljning.") -> None:
    for answer in application.answers.all():
        services.answer_save(
            application=application,
            criterion_id=answer.criterion_id,
            text=text,
            base_version=answer.version,
            by=by,
        )


def close_writing(cycle: AwardCycle) -> None:
    """Move the whole timeline back so the application deadline lies 30 days behind us."""
    AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=-80))
    cycle.refresh_from_db()


def pdf_bytes(size: int = 0) -> bytes:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return content + b"%" * max(size - len(content), 0)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The same bytes at every call: each member carries a fixed date, not the clock's (test
    ids made from them must agree between the xdist workers that collect them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("word/document.xml", '<?xml version="1.0"?><document/>'),
        ]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
