"""Every page a crawler reaches speaks nynorsk: `lang="nn"`, no English and no bokmål left over,
axe-clean. The crawler follows the links of the front page outwards, anonymously, as a
screener and as a submitter."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

# Words the interface uses in bokmål or English that correct nynorsk never has. (Not "også",
# "mange" or "deg": nynorsk has them too.)
BOKMAL_ONLY = [
    "ikke",
    "hva",
    "hvem",
    "hvor",
    "hvis",
    "hvilke",
    "hvordan",
    "ennå",
    "allerede",
    "noen",
    "navn",
    "bruker",
    "kommuner",
    "enhet",
    "tjenesten",
    "forskning",
    "fra",
    "jeg",
    "hjem",
    "mottatt",
    "vises",
    "lagret",
]
ENGLISH = ["the", "and", "your", "you", "with", "this", "from", "need", "needs", "page", "sign"]
TELL_TALE = re.compile(rf"\b({'|'.join(BOKMAL_ONLY + ENGLISH)})\b", re.IGNORECASE)

# Not pages for people, or not ours to translate: the API's own documentation (Swagger UI),
# the admin site, feeds and downloads, and links that act (sign out).
SKIP = re.compile(
    r"^/(api/|admin/|static/|media/|sprak/|konto/logg-ut/)|\.(xml|csv|json|docx|pdf|xlsx|ics|png|svg)$"
    r"|/feed|/atom|/last-ned/$"
)

# The text a reader sees in nynorsk, with its placeholders, labels and alternative texts; leaves
# out elements marked as another language (the language switch) and code (field names).
VISIBLE_NYNORSK_TEXT = """() => {
  const skip = (el) => el.closest('[lang]:not([lang="nn"]), script, style, code');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!skip(node.parentElement) && node.parentElement.checkVisibility()) parts.push(node.data);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
    if (!skip(el)) parts.push(el.getAttribute('placeholder') || el.getAttribute('aria-label')
      || el.getAttribute('title') || el.getAttribute('alt') || '');
  }
  return parts.join(' ');
}"""


@pytest.fixture
def nynorsk(page, live_server):
    page.context.add_cookies([{"name": "kunnskap_language", "value": "nn", "url": live_server.url}])
    return page


def crawl(page, visit, start: list[str], limit: int) -> list[str]:
    """Visit pages breadth first from `start`, following same-site links; return the paths."""
    from django.conf import settings

    from kunnskap.rounds.models import Criterion

    # Text that is not a message of the interface but what people wrote, in the language they
    # wrote it in: the operator's name, and a round's criteria (the secretariat's texts, made
    # from the defaults in the language of the page where the round was set up).
    names = [settings.SITE_OWNER]
    for criterion in Criterion.objects.all():
        names += [criterion.label, criterion.help_text, *criterion.steps]
    names = sorted(filter(None, names), key=len, reverse=True)
    seen, queue, visited = set(start), deque(start), []
    while queue and len(visited) < limit:
        path = queue.popleft()
        visit(path)
        visited.append(path)
        assert page.locator("html").get_attribute("lang") == "nn", path
        text = " ".join(page.evaluate(VISIBLE_NYNORSK_TEXT).split())
        for name in names:
            text = text.replace(name, "")
        found = [text[max(m.start() - 30, 0) : m.end() + 30] for m in TELL_TALE.finditer(text)]
        assert found == [], path
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc != urlsplit(page.url).netloc or SKIP.search(parts.path):
                continue
            key = parts.path  # one page per path: the filters of a list are the same page
            if key not in seen:
                seen.add(key)
                queue.append(target)
    assert list(queue) == [], "the crawl stopped before it had seen every page"
    return visited


@pytest.fixture
def some_work(submit, eligible, committee, the_round, berit):
    """A need waiting for screening, one accepted and in a round, a round to score, and a
    publication in the library."""
    from kunnskap.library import services as library
    from kunnskap.rounds import services as rounds

    waiting, token = submit(title="Fallforebygging for heimebuande eldre")
    accepted = eligible()
    rounds.entry_add(round_=the_round, proposal=accepted, actor=berit)
    library.publication_create(
        data=library.PublicationInput(
            title="Musikkterapi ved demens", kind="short_summary", summary="Ei oppsummering."
        ),
        actor=None,
    )
    return {"waiting": waiting, "token": token, "accepted": accepted}


def test_an_anonymous_visitor_reads_every_reachable_page_in_nynorsk(nynorsk, visit, some_work):
    visited = crawl(nynorsk, visit, ["/"], limit=60)
    assert {"/", "/kunnskapsbehov/", "/bibliotek/", "/kommuner/"} <= set(visited)
    visit("/finst-ikkje/", status=404)
    assert nynorsk.get_by_role("heading", level=1).inner_text() == "Vi fann ikkje sida"


def test_the_submitter_s_private_pages_and_form_are_in_nynorsk(nynorsk, visit, some_work):
    from kunnskap.proposals.services import status_url

    private = urlsplit(status_url(some_work["token"])).path
    crawl(nynorsk, visit, [private, "/kunnskapsbehov/nytt/"], limit=60)
    nynorsk.goto("/kunnskapsbehov/nytt/")
    nynorsk.get_by_role("button", name="Send behovet").click()
    assert "Rett opp dette" in nynorsk.locator("main").inner_text()


@pytest.mark.parametrize("persona", ["berit", "frida"])
def test_signed_in_pages_are_in_nynorsk(request, nynorsk, visit, sign_in, some_work, persona):
    user = request.getfixturevalue(persona)
    sign_in(user)
    start = ["/mine-oppgaver/", "/konto/min-side/"]
    if persona == "berit":
        start += [
            "/sekretariat/vurdering/",
            f"/sekretariat/vurdering/{some_work['waiting'].public_id}/",
        ]
    visited = crawl(nynorsk, visit, start, limit=60)
    assert visited[0] == "/mine-oppgaver/"


def test_the_language_switch_fits_a_320_pixel_screen(nynorsk, visit, db):
    nynorsk.set_viewport_size({"width": 320, "height": 640})
    page = visit("/")
    switch = page.locator(".language-switch")
    for button in switch.get_by_role("button").all():
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    switch.get_by_role("button", name="Bokmål").click()
    assert page.locator("html").get_attribute("lang") == "nb"
