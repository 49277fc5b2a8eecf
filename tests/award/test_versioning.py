"""The one optimistic lock (issue 13): every versioned save compares and moves the version
through award.versioning, and no service writes the check or the increment by hand."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from award.versioning import StaleEdit, bump_version, check_version
from submissions.services import AnswerConflict


def test_the_current_version_passes_and_a_save_moves_it_by_one():
    row = SimpleNamespace(version=3)

    check_version(row, 3)
    bump_version(row)

    assert row.version == 4


@pytest.mark.parametrize("sent", [2, 4, None], ids=["older", "newer", "none"])
def test_any_other_version_is_refused_with_the_row_as_it_is_now(sent):
    row = SimpleNamespace(version=3)

    with pytest.raises(StaleEdit) as refused:
        check_version(row, sent)

    assert refused.value.current is row
    assert refused.value.messages == [
        "Någon annan har sparat här sedan du öppnade sidan. Dina ändringar är inte sparade; "
        "jämför med den nya versionen nedan och spara igen."
    ]
    assert row.version == 3


def test_an_answer_conflict_is_a_stale_edit_carrying_the_saved_answer():
    answer = SimpleNamespace(version=2, updated_by="Kim Kollega")

    conflict = AnswerConflict(answer)

    assert isinstance(conflict, StaleEdit)
    assert conflict.current is conflict.answer is answer
    assert conflict.messages == [
        "Kim Kollega sparade det här svaret medan du skrev. Din text är inte sparad: jämför texterna nedan."
    ]


HAND_WRITTEN = re.compile(
    r"\.version\s*\+=|\.version\s*[!=]=\s*base_version|base_version\s*[!=]=\s*\w+\.version"
    r"|filter\([^)]*\bversion=base_version"
)


def test_no_service_writes_the_version_check_or_increment_by_hand():
    base = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(base)}:{number}"
        for path in sorted(base.glob("*/**/services.py"))
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if HAND_WRITTEN.search(line)
    ]
    assert offenders == []
