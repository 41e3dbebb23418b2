"""The issue's browser walk: log in as gangnam, Korean dashboard, English, large text, log out,
with axe-core on every page visited (0 serious or critical violations)."""

import pytest

from tests.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_officer_walk_through_dashboard(browser_page):
    page = browser_page
    page.goto("/")
    assert "/login/" in page.url
    axe_check(page)

    page.login("gangnam")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").first.inner_text() == "2021 사업 현황"
    assert "강남구" in page.locator(".user-menu summary").inner_text()
    assert page.get_by_text("7,381,683천원").count() >= 1
    axe_check(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == "2021 programmes"
    axe_check(page)

    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert before >= 16
    page.locator("#large-text-toggle").click()
    page.wait_for_load_state()
    assert "large-text" in (page.locator("html").get_attribute("class") or "")
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after > before * 1.2
    assert page.locator("#large-text-toggle").get_attribute("aria-pressed") == "true"
    axe_check(page)
    page.reload()
    assert "large-text" in (page.locator("html").get_attribute("class") or "")

    page.locator(".user-menu summary").click()
    page.locator("#logout-button").click()
    page.wait_for_load_state()
    assert "/login/" in page.url
    page.goto("/")
    assert "/login/" in page.url
    axe_check(page)


def test_keyboard_only_login_skip_link_and_visible_focus(browser_page):
    page = browser_page
    page.goto("/login/")
    # The username field has focus on arrival; everything else is done with the keyboard.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("seocho")
    page.keyboard.press("Tab")
    page.keyboard.type("seoul-demo-2021")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "서초구" in page.locator(".user-menu summary").inner_text()

    page.keyboard.press("Tab")  # the skip link is the first stop on every page
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
