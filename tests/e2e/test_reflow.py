"""On a phone the proposal form shows the "already asked?" panel before the send button, so the
check is seen before sending; on a desktop the panel stands beside the form."""


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_the_similar_needs_panel_comes_before_the_send_button_on_a_phone(page, visit, db):
    page.set_viewport_size({"width": 320, "height": 800})
    visit("/kunnskapsbehov/nytt/")
    panel, button = box(page, ".similar-panel"), box(page, "button[form='need-form']")
    assert panel["y"] + panel["height"] <= button["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.set_viewport_size({"width": 1280, "height": 800})
    panel, form = box(page, ".similar-panel"), box(page, "#need-form")
    assert panel["x"] >= form["x"] + form["width"]  # beside the form, not below it
    button = box(page, "button[form='need-form']")
    assert button["y"] >= form["y"] + form["height"]  # the button still ends the form


def test_the_send_button_outside_the_form_still_sends_it(page, visit, db):
    page.set_viewport_size({"width": 320, "height": 800})
    visit("/kunnskapsbehov/nytt/")
    page.get_by_role("button", name="Send behovet").click()
    assert "Rett opp dette" in page.locator("main").inner_text()  # the form's own errors
