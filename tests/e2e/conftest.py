"""Browser tests: Playwright (Python) driving Debian's Chromium, headless, against live_server.

No browser is ever downloaded: the test set-up installs Debian's `chromium` and this harness
points Playwright at it. A missing browser is an error, not a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from wenming.org.seed import DEMO_PASSWORD
from wenming.portal.selectors import city_boundaries

CHROMIUM = os.environ.get("WENMING_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("WENMING_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)
# The machine has no network: keep Chromium from trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


CSP_VIOLATIONS: list[str] = []


def watched(context):  # type: ignore[no-untyped-def]
    """A browser context whose Content-Security-Policy refusals (the browser reports each on
    the console) fail the test: every page must work under the strict policy."""
    context.on(
        "console",
        lambda m: CSP_VIOLATIONS.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return context


@pytest.fixture(autouse=True)
def no_csp_violations():  # type: ignore[no-untyped-def]
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "the browser refused content under the CSP:\n" + "\n".join(
        CSP_VIOLATIONS
    )


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run ./dev setup (installs Debian's chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


DESKTOP = {
    "viewport": {"width": 1366, "height": 900},
    "locale": "zh-CN",
    "reduced_motion": "reduce",  # no smooth scrolling or fades: clicks land where measured
}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "reduced_motion": "reduce",
}


PHONE_WIDTH = PHONE["viewport"]["width"]


def page_width(page) -> int:  # type: ignore[no-untyped-def]
    """The document's width in CSS pixels: more than the viewport's when the page scrolls
    sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def desktop(browser):  # type: ignore[no-untyped-def]
    page = watched(browser.new_context(**DESKTOP)).new_page()
    yield page
    page.context.close()


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    page = watched(browser.new_context(**PHONE)).new_page()
    yield page
    page.context.close()


@pytest.fixture
def new_phone(browser):  # type: ignore[no-untyped-def]
    """`new_phone(locale="en-US", geolocation=…)`: a page in a fresh phone context (options
    add to or override PHONE), closed after the test."""
    contexts = []

    def open_page(**options):  # type: ignore[no-untyped-def]
        contexts.append(watched(browser.new_context(**(PHONE | options))))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/screenshots (kept by CI)."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky headers stay at the top of the picture
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(  # type: ignore[no-untyped-def]
    page, live_server, username: str, password: str = DEMO_PASSWORD, next_url: str = ""
) -> None:
    """Sign in through the login form (once per user and browser context)."""
    page.goto(f"{live_server.url}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


@pytest.fixture
def staff(browser, live_server):  # type: ignore[no-untyped-def]
    """`staff("dispatcher")`: a signed-in desktop page (zh-CN) of that demo user; one browser
    context per user, signed in once, closed after the test."""
    contexts = {}

    def page_of(username: str, locale: str = "zh-CN"):  # type: ignore[no-untyped-def]
        if username not in contexts:
            page = watched(browser.new_context(**(DESKTOP | {"locale": locale}))).new_page()
            log_in(page, live_server, username)
            contexts[username] = page
        return contexts[username]

    yield page_of
    for page in contexts.values():
        page.context.close()


def drop_pin_in(page, street: str) -> None:  # type: ignore[no-untyped-def]
    """Click the report map inside the street's outline: the page draws the boundaries in the
    order the selector returns them, so the street's path is found by its position."""
    names = [f["properties"]["name"] for f in city_boundaries()["features"]]
    page.locator("#wm-report-map path.leaflet-interactive").nth(names.index(street)).click()
    expect(page.locator("#id_lat")).not_to_have_value("")


def make_jpeg(path: Path, colour: tuple[int, int, int] = (180, 60, 40)) -> Path:
    """A small real JPEG (the upload path re-encodes it, so it must be a valid image)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((160, 120, 480, 360), fill=(240, 240, 240))
    image.save(path, "JPEG", quality=85)
    return path
