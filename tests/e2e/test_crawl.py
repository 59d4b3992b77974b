"""Every page a crawler reaches, public and as a screener, loads under the enforced
Content-Security-Policy without a violation, without an error, and axe-clean."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from tests.e2e.conftest import assert_accessible, sign_in_on

# Enough to reach every kind of page from the menus and lists; a list's every row is not needed.
MAX_PAGES = 45
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/konto/logg-ut/", "/sprak/")
SKIP_SUFFIXES = (
    ".csv",
    ".xlsx",
    ".docx",
    ".pdf",
    ".json",
    ".ics",
    "/feed/",
    "/reservekoder/last-ned/",
)


def crawlable(path: str) -> bool:
    return not path.startswith(SKIP_PREFIXES) and not (
        path.endswith(SKIP_SUFFIXES) or "/feed/" in path
    )


def crawl(page, axe, start: str = "/") -> list[str]:
    """Breadth first over same-site links; one visit per path (its first query string)."""
    origin = urlsplit(page.url if page.url.startswith("http") else "").netloc
    queue, seen_paths, visited = deque([start]), set(), []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if path in seen_paths or not crawlable(path):
            continue
        seen_paths.add(path)
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        assert_accessible(page, axe)
        visited.append(url)
        origin = origin or urlsplit(page.url).netloc
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urlsplit(urldefrag(href).url)
            if target.scheme in ("http", "https") and target.netloc == origin:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return visited


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # the demo command refuses without it
    call_command("demo", verbosity=0)


def test_the_crawler_sees_a_violation(live_server, page):
    page.goto("/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
    }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.injected") is None  # the policy blocked it
    assert any("script-src" in message for message in page.csp_violations)
    page.csp_violations.clear()


@pytest.mark.slow
def test_a_visitor_reaches_every_public_page_without_a_csp_violation(demo, page, axe):
    visited = crawl(page, axe)
    assert len(visited) >= 20, visited
    assert page.csp_violations == []


@pytest.mark.slow
def test_a_screener_reaches_every_page_of_hers_without_a_csp_violation(demo, page, axe):
    from kunnskap.accounts.models import User
    from kunnskap.management.commands.demo import DEMO_PASSWORD

    sign_in_on(page, User.objects.get(email="bibliotekar@demo.example"), DEMO_PASSWORD)
    visited = crawl(page, axe, start="/mine-oppgaver/")
    assert any("/sekretariat/vurdering/" in url for url in visited), visited
    assert len(visited) >= 25, visited
    assert page.csp_violations == []
