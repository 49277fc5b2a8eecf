"""The qualification export's practice-case columns: whether each examiner submitted the
training's practice case, and the deviation of one flagged for a talk."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.support.practice import practice_assessment, practice_case

pytestmark = pytest.mark.django_db


def test_the_export_says_who_did_the_practice_case_and_who_is_due_a_talk(client, slk, cycle):
    case = practice_case(cycle, slk, reference=60)
    near = practice_assessment(case, slk, 60)
    far = practice_assessment(case, slk, 90)
    writing = practice_assessment(case, slk, 60, submit=False)
    client.force_login(slk)
    response = client.get(reverse("examiners:qualification_export", args=[cycle.year]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Övningsfall", "Samtal: avvikelse från referensen (procentenheter)")
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[str(near.member.profile)][-2:] == ("Inlämnat", None)
    assert by_name[str(far.member.profile)][-2:] == ("Inlämnat", 30)
    assert by_name[str(writing.member.profile)][-2] == "Inte gjort"
