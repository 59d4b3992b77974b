"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Every page a test visits goes through `visit`, which runs axe-core with the WCAG 2.0/2.1 A and
AA rules and fails on any violation.
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser() -> Iterator:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (Debian package: chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# The page reports each Content-Security-Policy violation to the console as well as Chromium
# does; the init script runs outside the page's policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def is_csp_message(text: str) -> bool:
    return "CSP violation" in text or "Content Security Policy" in text


# A loaded CI machine (two test processes, two Chromiums) can take more than Playwright's default
# five seconds to answer a POST that sends mail and re-indexes; waits end as soon as the page is
# there, so a longer limit costs nothing when it passes.
expect.set_options(timeout=15_000)


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser tab; the test fails on any CSP violation it saw (the policy is enforced
    on every page, so one inline script or style anywhere shows here)."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            is_csp_message(message.text) and violations.append(f"{page.url}: {message.text}")
        ),
    )
    page.csp_violations = violations
    yield page
    context.close()
    assert violations == [], "\n".join(violations)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(page, axe: Axe) -> None:
    # Colours measured halfway through a fade (a dialog opening) are not the colours people read.
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def visit(page, axe):
    """Open a path, check the response, and run axe on what the person sees."""

    def go(path: str, status: int = 200):
        response = page.goto(path)
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )
        assert_accessible(page, axe)
        return page

    return go


@pytest.fixture
def check_accessibility(page, axe):
    """Run axe on the page as it is now (after a click or a form submission)."""
    return lambda: assert_accessible(page, axe)


def sign_in_on(page, user, password: str = "") -> None:
    """Sign in through the real form, with a code from her authenticator app when she must use
    two-step sign-in (given an app here when she has none: the setup has its own test)."""
    from kunnskap.accounts import policy
    from tests.conftest import PASSWORD, totp_code, two_step_secret

    secret = two_step_secret(user) if policy.must_use_two_step(user) else None
    page.goto("/konto/logg-inn/")
    page.get_by_label("E-postadresse").fill(user.email)
    page.get_by_label("Passord").fill(password or PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    if secret is not None:
        page.wait_for_url("**/konto/totrinn/kode/")
        page.get_by_label("Kode").fill(totp_code(secret))
        page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/mine-oppgaver/")


@pytest.fixture
def sign_in(page):
    """Sign in through the real form (and the code step, for those who must use it)."""
    return lambda user: sign_in_on(page, user)


@pytest.fixture
def rita_editor(db):
    from kunnskap.accounts.models import Role
    from kunnskap.organisations.models import Hub
    from tests.conftest import make_person

    return make_person(
        "rita@ksf.example", "Rita Redaktør", None, Role.EDITOR, Hub.objects.get(level="national")
    )
