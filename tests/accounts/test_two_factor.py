import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, twofactor
from tests.support import factories

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]


def _code(key: str) -> str:
    return f"{TOTP(bytes.fromhex(key)).token():06d}"


def test_slk_is_sent_to_setup_and_in_after_confirming_a_code(client, slk):
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:two_factor_setup")
    )
    page = client.get(response["Location"])
    assert "data:image/svg+xml" in page.content.decode()
    key = client.session["award_totp_key"]
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "Koden stämmer inte" in wrong.content.decode()
    done = client.post(reverse("accounts:two_factor_setup"), {"code": _code(key)})
    assert "Dina reservkoder" in done.content.decode()
    assert client.get(reverse("submissions:overview")).status_code == 200


def test_a_new_login_asks_for_the_code_and_a_recovery_code_works_once(client, committee_member):
    key = twofactor.new_totp_key()
    TOTPDevice.objects.create(user=committee_member, key=key, confirmed=True)
    codes = services.recovery_codes_renew(user=committee_member)
    client.force_login(committee_member)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(committee_member)
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200 and "Koden stämmer inte" in again.content.decode()


def test_an_examiner_may_turn_it_on_and_off(client, examiner):
    client.force_login(examiner)
    assert client.get(reverse("home")).status_code == 200
    client.get(reverse("accounts:two_factor_setup"))
    key = client.session["award_totp_key"]
    client.post(reverse("accounts:two_factor_setup"), {"code": _code(key)})
    assert TOTPDevice.objects.filter(user=examiner).exists()
    client.post(reverse("accounts:two_factor_setup"), {"action": "disable"})
    assert not TOTPDevice.objects.filter(user=examiner).exists()


def test_slk_cannot_turn_it_off_for_themselves(slk):
    with pytest.raises(Exception, match="kräver"):
        services.two_factor_disable(person=slk, by=slk)


def test_staff_need_it_for_the_admin(client):
    staff = factories.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor_setup"))
