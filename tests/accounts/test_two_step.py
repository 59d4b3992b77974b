"""Two-step sign-in: offered to everyone on My page, and required of administrators and of
screeners, steering group members and editors who sign in with a password; recovery codes work
once each."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client

from kunnskap.accounts import policy
from kunnskap.accounts.models import Role
from tests.conftest import PASSWORD, make_person, totp_code, two_step_secret

SETUP = "/konto/totrinn/app/"
CODE_STEP = "/konto/totrinn/kode/"


def english() -> Client:
    client = Client()
    client.cookies["kunnskap_language"] = "en"
    return client


def sign_in(client: Client, user, password: str = PASSWORD):
    return client.post("/konto/logg-inn/", {"login": user.email, "password": password})


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.SCREENER, True),
        (Role.STEERING, True),
        (Role.EDITOR, True),
        (Role.COMMITTEE, False),
        (Role.SUBMITTER, False),
        (Role.PRODUCER, False),
        (Role.COORDINATOR, False),
    ],
)
def test_who_must_use_two_step_sign_in(hov_hub, role, required):
    person = make_person("rolle@example.no", "Rolle Person", "4601", role, hov_hub)
    assert policy.must_use_two_step(person) is required


def test_administrators_and_admin_site_staff_must(ada, otto):
    assert policy.must_use_two_step(ada)
    assert not policy.must_use_two_step(otto)
    otto.is_staff = True
    otto.save()
    assert policy.must_use_two_step(otto)


def test_an_administrator_without_an_app_is_sent_to_set_it_up_before_anything_else(ada):
    browser = english()
    assert sign_in(browser, ada).status_code == 302
    for path in ["/konto/min-side/", "/sekretariat/vurdering/", "/admin/", "/bibliotek/"]:
        response = browser.get(path)
        assert (response.status_code, response["Location"]) == (302, SETUP), path

    page = browser.get(SETUP).content.decode()
    assert "Your role gives you access to personal data or decisions" in page
    secret = re.search(r'id="totp-secret" class="token">([A-Z2-7]+)<', page).group(1)
    wrong = browser.post(SETUP, {"code": "000000"})
    assert "The code is wrong" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=ada).exists()

    activated = browser.post(SETUP, {"code": totp_code(secret)})
    assert activated["Location"] == "/konto/totrinn/reservekoder/"
    assert Authenticator.objects.filter(user=ada, type=Authenticator.Type.TOTP).exists()
    assert len(recovery_codes(ada)) == 10
    assert browser.get("/konto/min-side/").status_code == 200
    assert browser.get("/admin/").status_code == 200

    # Next time, the password alone does not sign her in: the code step follows.
    browser.post("/konto/logg-ut/")
    again = english()
    response = sign_in(again, ada)
    assert response["Location"] == CODE_STEP
    assert again.get("/konto/min-side/").status_code == 302  # not signed in yet
    assert again.post(CODE_STEP, {"code": totp_code(secret)})["Location"] == "/mine-oppgaver/"
    assert again.get("/konto/min-side/").status_code == 200


def test_the_setup_page_lets_her_sign_out_and_switch_language(berit):
    browser = english()
    sign_in(browser, berit)
    assert browser.get(SETUP).status_code == 200
    assert browser.post("/sprak/", {"language": "nn", "next": SETUP}).status_code == 302
    assert browser.post("/konto/logg-ut/").status_code == 302
    assert browser.get("/konto/min-side/")["Location"].startswith("/konto/logg-inn/")


def test_a_screener_with_an_app_enters_a_code_and_a_wrong_code_is_refused(berit):
    secret = two_step_secret(berit)
    browser = english()
    assert sign_in(browser, berit)["Location"] == CODE_STEP
    wrong = browser.post(CODE_STEP, {"code": "123456"})
    assert wrong.status_code == 200
    assert "The code is wrong" in wrong.content.decode()
    assert browser.post(CODE_STEP, {"code": totp_code(secret)}).status_code == 302
    assert browser.get("/sekretariat/vurdering/").status_code == 200


def test_a_submitter_is_offered_two_step_sign_in_but_not_made_to(frida):
    browser = english()
    assert sign_in(browser, frida)["Location"] == "/mine-oppgaver/"
    page = browser.get("/konto/min-side/").content.decode()
    assert "Turn on two-step sign-in" in page
    assert "Your role requires" not in browser.get(SETUP).content.decode()


def test_recovery_codes_work_once_each(berit):
    two_step_secret(berit)
    first, second = recovery_codes(berit)[:2]

    browser = english()
    sign_in(browser, berit)
    assert browser.post(CODE_STEP, {"code": first})["Location"] == "/mine-oppgaver/"
    assert first not in recovery_codes(berit)
    browser.post("/konto/logg-ut/")

    browser = english()
    sign_in(browser, berit)
    used_again = browser.post(CODE_STEP, {"code": first})
    assert used_again.status_code == 200
    assert "The code is wrong" in used_again.content.decode()
    assert browser.post(CODE_STEP, {"code": second})["Location"] == "/mine-oppgaver/"
    assert len(recovery_codes(berit)) == 8


def test_whoever_must_use_two_step_sign_in_cannot_turn_it_off(berit, frida):
    secret = two_step_secret(berit)
    browser = english()
    sign_in(browser, berit)
    browser.post(CODE_STEP, {"code": totp_code(secret)})
    page = browser.get("/konto/totrinn/app/slett/")
    assert "You cannot turn off two-step sign-in" in page.content.decode()
    assert "Turn off two-step sign-in" not in browser.get("/konto/min-side/").content.decode()
    browser.post("/konto/totrinn/app/slett/")
    assert Authenticator.objects.filter(user=berit, type=Authenticator.Type.TOTP).exists()

    # Frida chose it herself and may turn it off (after a fresh sign-in).
    secret = two_step_secret(frida)
    browser = english()
    sign_in(browser, frida)
    browser.post(CODE_STEP, {"code": totp_code(secret)})
    assert browser.post("/konto/totrinn/app/slett/").status_code == 302
    assert not Authenticator.objects.filter(user=frida).exists()


def test_the_admin_site_signs_in_through_our_page(client, ada):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")
    refused = client.post("/admin/login/", {"username": ada.email, "password": PASSWORD})
    assert refused.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_her_language_comes_back_after_the_code_step(berit):
    berit.language = "nn"
    berit.save(update_fields=["language"])
    secret = two_step_secret(berit)
    browser = Client()
    assert "kunnskap_language" not in sign_in(browser, berit).cookies
    response = browser.post(CODE_STEP, {"code": totp_code(secret)})
    assert response.cookies["kunnskap_language"].value == "nn"


def test_after_five_wrong_codes_the_right_one_waits_too(berit):
    from tests.accounts.test_throttling import let_the_pause_pass

    secret = two_step_secret(berit)
    for _ in range(5):
        browser = english()
        sign_in(browser, berit)
        assert "The code is wrong" in browser.post(CODE_STEP, {"code": "000000"}).content.decode()

    browser = english()
    sign_in(browser, berit)
    refused = browser.post(CODE_STEP, {"code": totp_code(secret)})
    assert "Too many wrong codes" in refused.content.decode()
    assert browser.get("/konto/min-side/").status_code == 302

    let_the_pause_pass()
    cache.clear()  # allauth's own limit of codes (in the cache) has passed too
    assert browser.post(CODE_STEP, {"code": totp_code(secret)})["Location"] == "/mine-oppgaver/"
