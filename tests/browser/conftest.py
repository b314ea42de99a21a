"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server, in the same process.

* The browser is Debian's `chromium` package (Playwright's own download does not work on
  these machines). Set CHROMIUM to use another binary. When it is missing, every browser test
  fails with a message saying how to install it: a missing browser must not pass as a skip.
* One browser per test session; each user in a journey gets a fresh context (cookies and
  storage of their own), so an officer and a sergeant can be signed in side by side.
* The live server needs committed data, so these tests are transactional; they ask for a
  serialized rollback so that the reference data and roles created by migrations are
  restored for the next test after each flush.
* Playwright's sync API keeps an asyncio loop in the main thread, which Django would take
  for async code and refuse ORM calls from the test; DJANGO_ALLOW_ASYNC_UNSAFE is set for
  the browser session only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.pages import Auditor, UserSession, screenshot_dir_from_env, sign_in

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    "The browser tests need Chromium at {path} and the Python package playwright.\n"
    "Install them with:  apt-get install -y chromium  (Debian/Ubuntu, as .ci/run does)\n"
    "                    .venv/bin/pip install '.[dev]'\n"
    "or point CHROMIUM at another Chromium binary. Skip them deliberately with -m 'not browser'."
)

# The browser tests run last: they are the slowest, and a quick failure elsewhere should
# show first. (They are transactional, which pytest-django already orders after the rest.)
BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: BROWSER_DIR in Path(str(item.path)).parents)


def _carry_serialized_contents_into_playwright_context(start: Callable[[], object]):
    """Start Playwright without losing the test database's serialized contents.

    Django keeps database connections in thread-critical asgiref locals: plain thread-locals
    while no asyncio loop runs, but a separate context-variable store once one does. Playwright's
    sync API leaves its loop running in the main thread, so after it starts the test code gets
    a new connection object, without the `_test_serialized_contents` that serialized_rollback
    restores from. Copy it across so that every browser test starts with the reference data
    and roles that migrations created."""
    from django.db import connections

    contents = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    started = start()
    for alias, value in contents.items():
        connections[alias]._test_serialized_contents = value
    return started


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker) -> Iterator:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"No browser found at {CHROMIUM}.\n" + INSTALL_HINT.format(path=CHROMIUM),
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright is not installed.\n" + INSTALL_HINT.format(path=CHROMIUM), pytrace=False
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with django_db_blocker.unblock():
        playwright = _carry_serialized_contents_into_playwright_context(
            lambda: sync_playwright().start()
        )
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:
        playwright.stop()
        pytest.fail(
            f"Chromium at {CHROMIUM} did not start: {exc}\n" + INSTALL_HINT.format(path=CHROMIUM)
        )
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def auditor() -> Auditor:
    return Auditor(screenshot_dir=screenshot_dir_from_env())


@pytest.fixture(autouse=True)
def _browser_settings(settings) -> None:
    # The live server speaks plain HTTP on 127.0.0.1.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    # Two-factor sign-in is tested by the security tests; journeys sign in with a password.
    settings.OTP_REQUIRED = False
    # Static files come from the finders through the live server's static handler, so no
    # collectstatic manifest is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def open_session(browser, live_server, auditor) -> Iterator[Callable[..., UserSession]]:
    """`open_session("officer1")`: a new browser context, signed in through the sign-in form
    when a username is given. Pass `keyboard=True`-style options to the context via kwargs."""
    contexts = []

    def open_(username: str | None = None, **context_options) -> UserSession:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            locale="en-GB",
            timezone_id="Europe/London",
            **context_options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        session = UserSession(context.new_page(), live_server.url, auditor)
        if username:
            sign_in(session, username)
        return session

    yield open_
    for context in contexts:
        context.close()
