"""The newsletter page offers its sign-up link as a QR code, PNG and SVG, for posters and
slides (seed 000 asks people to scan one)."""

import io

import segno
from django.conf import settings


def test_the_sign_up_page_shows_and_offers_the_code(client, db):
    html = client.get("/nyhetsbrev/").content.decode()
    assert 'src="/nyhetsbrev/qr.svg"' in html
    assert 'href="/nyhetsbrev/qr.png"' in html
    assert f"{settings.SITE_URL}/nyhetsbrev/" in html  # the address in words too


def test_the_codes_are_png_and_svg_of_the_sign_up_address(client, db):
    png = client.get("/nyhetsbrev/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get("/nyhetsbrev/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") or b"<svg" in svg.content[:200]
    # The same image as segno makes of the address: the code opens the sign-up page.
    expected = io.BytesIO()
    segno.make(f"{settings.SITE_URL}/nyhetsbrev/", error="m").save(
        expected, kind="png", scale=10, border=4
    )
    assert png.content == expected.getvalue()
