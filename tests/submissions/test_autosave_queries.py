"""The answer's autosave, the unit's most frequent request while writing, costs a fixed
number of queries (issue 18's ten; from 15): session, user, roles, the application (read
only if the user may change it), the answer; in the service's transaction the
application's timestamp (a conditional update that is also the contact, phase and deadline
check), the revision, and the answer's update on its version, the last statement, so its
row is locked for that one; in a test also the savepoint and its release."""

import pytest
from django.urls import reverse

from submissions.models import Answer

pytestmark = pytest.mark.django_db


def test_an_answer_autosave_costs_a_fixed_number_of_queries(
    client, application, unit_contact, django_assert_max_num_queries
):
    answer = Answer.objects.filter(application=application).order_by("criterion__number").first()
    url = reverse("submissions:answer_edit", args=[application.pk, answer.criterion_id])
    client.force_login(unit_contact)
    client.post(url, {"text": "Första utkastet.", "version": answer.version}, HTTP_HX_REQUEST="true")
    answer.refresh_from_db()

    with django_assert_max_num_queries(10):
        response = client.post(
            url, {"text": "Andra utkastet.", "version": answer.version}, HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    assert "Sparat automatiskt" in response.content.decode()
    answer.refresh_from_db()
    assert answer.text == "Andra utkastet."
