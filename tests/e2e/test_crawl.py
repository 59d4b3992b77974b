"""Every page a crawler reaches, public and as each role of the demo, is checked once per
visit: it loads under the enforced Content-Security-Policy without a violation or an error, is
axe-clean, reflows at 320 and at 1280 CSS pixels without the document scrolling sideways
(WCAG 2.1 criterion 1.4.10; tables scroll inside their own container), and shows none of the
English default texts of Django and django-ninja in the bokmål interface."""

import re
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
    ".png",
    ".svg",
    ".ics",
    "/feed/",
    "/reservekoder/last-ned/",
)
WIDTHS = (320, 1280)
HEIGHT = 800

# The English texts Django's forms, models and pages and django-ninja fall back to when a
# project leaves a label, an empty choice or a message to them (or a translation is missing).
ENGLISH_DEFAULTS = re.compile(
    r"- Select an option -|-{9}|This field is required|Enter a valid|Ensure this value"
    r"|Select a valid choice|Page not found|Not Found|Server Error|Forbidden|Please correct"
    r"|Currently:|Change:|Field required|Input should be|\bNone\b|\bTrue\b|\bFalse\b"
)

# The widest element that sticks out past the window, for the failure message.
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const width = root.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const name = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
    return [el.tagName.toLowerCase(), ...classes.filter(Boolean)].join(".");
  };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el))
    .map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().right)}px)`);
  const wide = root.scrollWidth;
  return `document ${wide}px wide in a ${width}px window: ${culprits.slice(-5).join(", ")}`;
}"""

# The visible text, placeholders and labels, leaving out what people wrote in another language
# (marked with `lang`) and code.
VISIBLE_TEXT = """() => {
  const skip = (el) => el.closest('[lang]:not(html), script, style, code, pre');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!skip(node.parentElement)) parts.push(node.data);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
    if (!skip(el)) parts.push(el.getAttribute('placeholder') || el.getAttribute('aria-label')
      || el.getAttribute('title') || el.getAttribute('alt') || '');
  }
  return parts.join(' | ');
}"""


def crawlable(path: str) -> bool:
    return not path.startswith(SKIP_PREFIXES) and not (
        path.endswith(SKIP_SUFFIXES) or "/feed/" in path
    )


def check_page(page, axe) -> list[str]:
    """The problems of the page as it is now, at both widths; axe runs at each width."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            problems.append(f"{page.url} at {width}px: {overflow}")
        try:
            assert_accessible(page, axe)
        except AssertionError as error:
            problems.append(f"at {width}px: {error}")
    text = " ".join(page.evaluate(VISIBLE_TEXT).split())
    for match in ENGLISH_DEFAULTS.finditer(text):
        problems.append(
            f"{page.url}: English default {match.group()!r} in "
            f"{text[max(match.start() - 40, 0) : match.end() + 40]!r}"
        )
    return problems


def crawl(page, axe, start: str = "/") -> tuple[list[str], list[str]]:
    """Breadth first over same-site links; one visit per path (its first query string).
    Returns the URLs visited and the problems found on them."""
    origin = urlsplit(page.url if page.url.startswith("http") else "").netloc
    queue, seen_paths, visited, problems = deque([start]), set(), [], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if path in seen_paths or not crawlable(path):
            continue
        seen_paths.add(path)
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        assert page.locator("html").get_attribute("lang") == "nb", url
        problems += check_page(page, axe)
        visited.append(url)
        origin = origin or urlsplit(page.url).netloc
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urlsplit(urldefrag(href).url)
            if target.scheme in ("http", "https") and target.netloc == origin:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return visited, problems


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


def test_the_crawler_sees_sideways_scrolling_and_english(live_server, page, axe):
    page.goto("/")
    page.evaluate("""() => {
        const wide = document.createElement("p");
        wide.className = "too-wide";
        wide.textContent = "- Select an option -";
        wide.style.width = "400px";
        document.querySelector("main").append(wide);
    }""")
    page.csp_violations.clear()  # the style attribute set from a script is not blocked
    problems = check_page(page, axe)
    assert any("at 320px" in p and "p.too-wide" in p for p in problems), problems
    assert not any("at 1280px" in p for p in problems), problems
    assert any("'- Select an option -'" in p for p in problems), problems


@pytest.mark.slow
def test_a_visitor_reaches_every_public_page_cleanly(demo, page, axe):
    visited, problems = crawl(page, axe)
    assert len(visited) >= 20, visited
    assert problems == [], "\n".join(problems)
    assert page.csp_violations == []


# Each role of the demo (see kunnskap/management/commands/demo.py) and the page she lands on.
ROLES = {
    "submitter": "forslag@demo.example",
    "screener": "bibliotekar@demo.example",
    "committee chair": "utvalg1@demo.example",
    "steering group": "styring@demo.example",
    "producer": "produsent@demo.example",
    "editor": "redaktor@demo.example",
    "coordinator and mini-HTA author": "fou@demo.example",
    "administrator": "admin@demo.example",
}


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_every_page_of_hers_cleanly(demo, page, axe, role):
    from kunnskap.accounts.models import User
    from kunnskap.management.commands.demo import DEMO_PASSWORD

    sign_in_on(page, User.objects.get(email=ROLES[role]), DEMO_PASSWORD)
    visited, problems = crawl(page, axe, start=urlsplit(page.url).path)
    if role == "screener":
        assert any("/sekretariat/vurdering/" in url for url in visited), visited
        assert len(visited) >= 25, visited
    assert problems == [], "\n".join(problems)
    assert page.csp_violations == []
