"""Page helpers for the browser journeys: every page a journey reaches is checked.

`UserSession` wraps one signed-in Playwright page. Each navigation it makes (open, follow a
link, press a button) ends with `check_page`, which asserts, on the page as the user sees it:

* no axe-core violation of WCAG 2.0, 2.1 and 2.2 at levels A and AA (the rule, the elements
  and the page are named when one is found);
* a descriptive <title> (where the user is, then the service name), prefixed "Error: "
  exactly when the page shows an error summary, and unique to the page's route (two
  different routes never share a title);
* every field in error is listed in a GOV.UK error summary whose link leads to the field;
* every label, and every legend of a group of radios, checkboxes or date parts, has a control
  a user can operate (a visible, enabled input, select or textarea): a question with nothing
  to answer it with must never pass unnoticed again (`inoperable_fields`);
* statuses (govuk-tag) have words, never colour alone; every chart (canvas) comes with a
  data table; exactly one h1;
* no script error or Content Security Policy refusal in the browser console (the tests run
  under the app's real policy: axe-core is loaded from the site's own static files).

Screenshots: when SCREENSHOTS names a folder (`make screenshots`), `shot(name)` saves a
full-page PNG there; otherwise it does nothing, so ordinary test runs write no files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

if TYPE_CHECKING:  # playwright may be missing; the browser fixture says how to install it
    from playwright.sync_api import Page

BASE_DIR = Path(__file__).resolve().parents[2]
AXE_URL = "/static/vendor/axe-core/axe.min.js"  # static/vendor/fetch.sh pins its version
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TITLE_SUFFIX = " \N{EN DASH} Offender Hub"  # as base.html writes it
PASSWORD = "correct-horse-battery"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # tests.factories.UserFactory's password


class PageProblem(AssertionError):
    """A page failed an accessibility or content check."""


@dataclass
class Auditor:
    """Shared across the whole browser session: which titles belong to which routes."""

    titles: dict[str, str] = field(default_factory=dict)
    pages_checked: int = 0
    screenshot_dir: Path | None = None

    def route_of(self, url: str) -> str:
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            return path
        return match.view_name

    def register_title(self, title: str, url: str) -> None:
        route = self.route_of(url)
        # A title names where the user is: the same words on two different kinds of page
        # would leave a screen-reader user unsure which one they reached.
        generic = re.sub(r"^Error: ", "", title)
        owner = self.titles.setdefault(generic, route)
        if owner != route:
            raise PageProblem(
                f"Page title {title!r} is used by two different pages: {owner} and {route} "
                f"(at {url}). Titles must be unique and say where the user is."
            )


AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                            resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                              summary: n.failureSummary}))
  }));
}"""

PAGE_FACTS = """() => {
  const summaryLinks = [...document.querySelectorAll(".govuk-error-summary__list a")]
    .map(a => ({text: a.textContent.trim(), href: a.getAttribute("href") || ""}));
  const targets = summaryLinks.map(link => {
    const id = link.href.startsWith("#") ? decodeURIComponent(link.href.slice(1)) : "";
    const el = id ? document.getElementById(id) : null;
    return {href: link.href, found: !!el,
            focusable: !!el && (el.matches("input, select, textarea, button") ||
                                !!el.querySelector("input, select, textarea"))};
  });
  // A group (radios, a date input) is linked through any of its controls: GOV.UK links a
  // date's error to the part in error, which need not be the first.
  const fieldsInError = [...document.querySelectorAll(".govuk-form-group--error")].map(g => {
    const controls = [...g.querySelectorAll("input:not([type=hidden]), select, textarea")];
    return {id: controls.length ? controls[0].id : "", ids: controls.map(c => c.id),
            text: g.textContent.trim().slice(0, 80)};
  });
  return {
    title: document.title,
    h1s: [...document.querySelectorAll("h1")].map(h => h.textContent.trim()),
    hasErrorSummary: !!document.querySelector(".govuk-error-summary"),
    summaryLinks, targets, fieldsInError,
    emptyTags: [...document.querySelectorAll(".govuk-tag")]
      .filter(t => !t.textContent.trim()).map(t => t.outerHTML.slice(0, 120)),
    canvases: document.querySelectorAll("canvas").length,
    tables: document.querySelectorAll("table").length,
  };
}"""


INOPERABLE_FIELDS = """() => {
  const operable = el => !!el && el.matches("input:not([type=hidden]), select, textarea") &&
    !el.disabled && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== "hidden";
  const name = el => el.textContent.replace(/\\s+/g, " ").trim().slice(0, 80);
  const problems = [];
  for (const label of document.querySelectorAll("label")) {
    if (!operable(label.control)) problems.push(`label ${JSON.stringify(name(label))}`);
  }
  for (const fieldset of document.querySelectorAll("fieldset")) {
    const legend = fieldset.querySelector(":scope > legend");
    if (!legend) continue;
    const controls = [...fieldset.querySelectorAll("input, select, textarea")];
    if (!controls.some(operable)) problems.push(`legend ${JSON.stringify(name(legend))}`);
  }
  return problems;
}"""


def inoperable_fields(page: Page) -> list[str]:
    """Labels and legends on the page with no control a user can operate."""
    return page.evaluate(INOPERABLE_FIELDS)


def run_axe(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Loaded from the site's own static files (it is vendored there for the tests), so
        # the page's Content Security Policy allows it and need not be bypassed: the browser
        # tests run under the real policy.
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG A/AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"  [{v['id']}] ({v['impact']}) {v['help']}")
        lines.extend(f"      element: {node['target']}  {node['html']}" for node in v["nodes"][:5])
    return "\n".join(lines)


def check_page(page: Page, auditor: Auditor, console_errors: list[str] | None = None) -> None:
    """All the checks every journey page must pass (see the module docstring)."""
    url = page.url
    facts = page.evaluate(PAGE_FACTS)
    title = facts["title"]
    problems = []
    if console_errors:
        # Script errors and Content Security Policy refusals (inline script or style).
        problems.extend(f"browser console error: {error}" for error in console_errors)
        console_errors.clear()
    if not title.endswith(TITLE_SUFFIX) or not title.removesuffix(TITLE_SUFFIX).strip():
        problems.append(f"title {title!r} must say where the user is, then '{TITLE_SUFFIX}'")
    if facts["hasErrorSummary"] != title.startswith("Error: "):
        problems.append(
            f"title {title!r}: 'Error: ' prefix must be present exactly when the page has an "
            "error summary"
        )
    if len(facts["h1s"]) != 1:
        problems.append(f"expected exactly one h1, found {facts['h1s']!r}")
    problems.extend(
        f"error summary link {target['href']!r} does not lead to a form field on the page"
        for target in facts["targets"]
        if not target["found"] or not target["focusable"]
    )
    linked = {link["href"].lstrip("#") for link in facts["summaryLinks"]}
    # A radio or checkbox group is linked through its first option's id.
    problems.extend(
        f"field #{group['id']} is in error but is not linked from the error summary "
        f"({group['text']!r})"
        for group in facts["fieldsInError"]
        if group["id"] and not linked.intersection(group["ids"])
    )
    if facts["fieldsInError"] and not facts["hasErrorSummary"]:
        problems.append("fields are in error but the page has no GOV.UK error summary")
    problems.extend(
        f"{field} has no visible, enabled control to answer it" for field in inoperable_fields(page)
    )
    if facts["emptyTags"]:
        problems.append(f"status tags without words: {facts['emptyTags']}")
    if facts["canvases"] and not facts["tables"]:
        problems.append("a chart (canvas) has no data table on the page")
    if problems:
        raise PageProblem(f"Page {url} failed checks:\n  " + "\n  ".join(problems))
    violations = run_axe(page)
    if violations:
        raise PageProblem(format_violations(url, violations))
    auditor.register_title(title, url)
    auditor.pages_checked += 1


class UserSession:
    """One user's browser tab. Navigation helpers check every page they arrive at."""

    def __init__(self, page: Page, base_url: str, auditor: Auditor):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.auditor = auditor
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({self.page.url})")

    # -- navigation ---------------------------------------------------------------------
    def open(self, path: str) -> UserSession:
        self.page.goto(self.base_url + path)
        self.check()
        return self

    def follow(self, name: str | re.Pattern, *, exact: bool = False) -> UserSession:
        """Follow a link (by its accessible name) and check the page it leads to."""
        link = self.page.get_by_role("link", name=name, exact=exact).first
        with self.page.expect_navigation():
            link.click()
        self.check()
        return self

    def press(self, name: str | re.Pattern, *, exact: bool = False) -> UserSession:
        """Press a button (submit a form) and check the page that comes back."""
        button = self.page.get_by_role("button", name=name, exact=exact).first
        with self.page.expect_navigation():
            button.click()
        self.check()
        return self

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        check_page(self.page, self.auditor, self.console_errors)

    # -- forms ----------------------------------------------------------------------------
    def fill(self, label: str | re.Pattern, value: str, *, exact: bool = False) -> UserSession:
        """Type into the field with this label; a YYYY-MM-DD value for a GOV.UK date input
        (a group of Day, Month and Year boxes named by its legend) fills the three boxes."""
        if isinstance(value, str) and ISO_DATE.match(value):
            group = self.page.get_by_role("group", name=label, exact=exact)
            if group.count() and group.first.get_by_label("Day", exact=True).count():
                return self.fill_date(group.first, dt.date.fromisoformat(value))
        self.page.get_by_label(label, exact=exact).first.fill(value)
        return self

    def fill_date(self, group, date: dt.date | str) -> UserSession:
        """Type a date (or an ISO date string) into a GOV.UK date input (a locator for its
        group) as a user would: day and month without leading zeros, a four-figure year."""
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        group.get_by_label("Day", exact=True).fill(str(date.day))
        group.get_by_label("Month", exact=True).fill(str(date.month))
        group.get_by_label("Year", exact=True).fill(str(date.year))
        return self

    def choose(self, label: str | re.Pattern, *, exact: bool = False) -> UserSession:
        """Tick a radio button or checkbox by its label."""
        self.page.get_by_label(label, exact=exact).first.check()
        return self

    def answer(self, question: str, option: str) -> UserSession:
        """Choose `option` among the radios of the fieldset whose legend is `question`."""
        group = self.page.get_by_role("group", name=question, exact=True)
        group.get_by_label(option, exact=True).check()
        return self

    def in_group(self, legend: str):
        """A locator for the fieldset with this legend (to fill repeated fields)."""
        return self.page.get_by_role("group", name=legend, exact=True)

    def select(self, label: str | re.Pattern, option: str, *, exact: bool = False) -> UserSession:
        self.page.get_by_label(label, exact=exact).first.select_option(label=option)
        return self

    # -- reading --------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.page.title()

    @property
    def h1(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def error_summary(self) -> list[str]:
        return [
            t.strip() for t in self.page.locator(".govuk-error-summary__list a").all_inner_texts()
        ]

    def shot(self, name: str, *, full_page: bool = True) -> None:
        """Save a screenshot for the README, only when `make screenshots` asks for them
        (`full_page=False` keeps just the first screenful of a very long page)."""
        folder = self.auditor.screenshot_dir
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def sign_in(
    session: UserSession, username: str, password: str = PASSWORD, *, next_path: str = ""
) -> UserSession:
    """Sign in through the real sign-in form; lands on the user's home page (checked), or on
    `next_path` when given."""
    session.open("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    session.fill("Username", username).fill("Password", password)
    session.press("Sign in")
    assert "Sign in" not in session.title, f"{username} could not sign in: {session.text()}"
    return session


def screenshot_dir_from_env() -> Path | None:
    value = os.environ.get("SCREENSHOTS", "").strip()
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else BASE_DIR / path


# -- keyboard only ---------------------------------------------------------------------------
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  // GOV.UK radios and checkboxes hide the native input and draw the focus ring on the
  // label's ::before box.
  const choice = el.matches(".govuk-radios__input, .govuk-checkboxes__input");
  const styled = choice && el.labels.length ? el.labels[0] : el;
  const cs = getComputedStyle(styled, choice ? "::before" : null);
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const name = (el.getAttribute("aria-label") || label || el.textContent || el.value || "")
    .replace(/\\s+/g, " ").trim();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "", name,
    position: Array.prototype.indexOf.call(document.getElementsByTagName("*"), el),
    outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineColor: cs.outlineColor, boxShadow: cs.boxShadow, background: cs.backgroundColor,
  };
}"""

FIELD_TAGS = frozenset({"input", "textarea", "select"})
TRANSPARENT = {"transparent", "rgba(0, 0, 0, 0)"}
FOCUS_YELLOW = "rgb(255, 221, 0)"  # $govuk-focus-colour
LEGEND_OF_FOCUSED = """() => {
  const group = document.activeElement && document.activeElement.closest("fieldset");
  const legend = group && group.querySelector(":scope > legend");
  return legend ? legend.textContent.trim() : null;
}"""


def focus_is_visible(focused: dict) -> bool:
    """GOV.UK and MoJ Frontend draw focus as a box-shadow, a solid outline, or the yellow
    focus background (with a black bar drawn by ::before on MoJ navigation); each of these
    counts as a visible focus indicator."""
    if focused["boxShadow"] and focused["boxShadow"] != "none":
        return True
    if focused["background"] == FOCUS_YELLOW:
        return True
    return (
        focused["outlineStyle"] not in ("none", "")
        and focused["outlineWidth"] >= 2
        and focused["outlineColor"] not in TRANSPARENT
    )


class Keyboard:
    """Drives a UserSession with Tab, Enter, Space and arrow keys only (typing text aside),
    checking that every element reached has a visible focus indicator."""

    def __init__(self, session: UserSession, max_tabs: int = 80):
        self.session = session
        self.page = session.page
        self.max_tabs = max_tabs
        self.stops = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, name: str | re.Pattern, *, tags: frozenset[str] = frozenset()) -> dict:
        """Press Tab until the focused element's name matches (and its tag is one of `tags`,
        when given); fail if focus is ever invisible on the way or the element is never
        reached."""
        pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name), re.I)
        seen = []
        for _ in range(self.max_tabs):
            self.page.keyboard.press("Tab")
            focused = self.focused()
            if focused is None:
                continue  # focus left the document (the browser chrome); keep going
            self.stops += 1
            if not focus_is_visible(focused):
                raise PageProblem(
                    f"No visible focus on <{focused['tag']} id={focused['id']!r}> "
                    f"{focused['name']!r} at {self.page.url}: {focused}"
                )
            seen.append(focused["name"][:40])
            if pattern.search(focused["name"]) and (not tags or focused["tag"] in tags):
                return focused
        raise PageProblem(
            f"Tab never reached {pattern.pattern!r} on {self.page.url}; focus went: {seen}"
        )

    def tab_through(self, limit: int = 300) -> int:
        """Tab through every focusable element of the page, from the top, until focus comes
        back to the first one; each must show a visible focus indicator. Returns the count."""
        self.page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
        first = None
        for count in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.focused()
            if focused is None:
                continue
            key = focused["position"]
            if first is None:
                first = key
            elif key == first:
                # Leave the page as it was found, for the rest of the journey.
                self.page.evaluate("() => { document.activeElement.blur(); scrollTo(0, 0); }")
                return count
            self.stops += 1
            if not focus_is_visible(focused):
                raise PageProblem(
                    f"No visible focus on <{focused['tag']} id={focused['id']!r}> "
                    f"{focused['name']!r} at {self.page.url}: {focused}"
                )
        raise PageProblem(f"Tab did not come back to the top of {self.page.url}")

    def type_into(self, name: str | re.Pattern, text: str) -> Keyboard:
        # A field, not an error summary link whose message names the field.
        self.tab_to(name, tags=FIELD_TAGS)
        self.page.keyboard.type(text)
        return self

    def type_date(self, name: str | re.Pattern, date: dt.date) -> Keyboard:
        """Tab to the Day box of the GOV.UK date input whose legend matches `name`, then type
        the day, Tab, the month, Tab, the year."""
        pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name), re.I)
        for _ in range(10):
            self.tab_to(re.compile("^Day$"), tags=FIELD_TAGS)
            legend = self.page.evaluate(LEGEND_OF_FOCUSED) or ""
            if pattern.search(legend):
                break
        else:
            raise PageProblem(f"No date input {pattern.pattern!r} reached on {self.page.url}")
        self.page.keyboard.type(str(date.day))
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(str(date.month))
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(str(date.year))
        return self

    def press_enter(self, name: str | re.Pattern) -> Keyboard:
        """Tab to a link or button and press Enter: a navigation, then the page checks."""
        self.tab_to(name)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.session.check()
        return self

    def press_space(self, name: str | re.Pattern) -> Keyboard:
        """Tab to a checkbox (or button) and press Space."""
        self.tab_to(name)
        self.page.keyboard.press("Space")
        return self

    def choose_radio(self, group_first: str | re.Pattern, option: str | re.Pattern) -> Keyboard:
        """Tab into a radio group (its first option, or the checked one), then arrow keys
        to the option; arrows select as they move, Space confirms."""
        self.tab_to(group_first)
        pattern = option if isinstance(option, re.Pattern) else re.compile(re.escape(option), re.I)
        for _ in range(12):
            focused = self.focused()
            if focused and pattern.search(focused["name"]):
                self.page.keyboard.press("Space")
                return self
            self.page.keyboard.press("ArrowDown")
        raise PageProblem(f"Radio option {pattern.pattern!r} not reached on {self.page.url}")


def sign_in_with_keyboard(
    session: UserSession, username: str, password: str = PASSWORD, *, next_path: str = ""
) -> Keyboard:
    """Sign in with the keyboard only; returns the Keyboard driver for the rest of the journey."""
    keys = Keyboard(session)
    session.open("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    # (Django's sign-in form autofocuses the username field, so Tab starts from there.)
    keys.type_into("Username", username).type_into("Password", password)
    keys.press_enter(re.compile("^Sign in$"))
    assert "Sign in" not in session.title, f"{username} could not sign in: {session.text()}"
    # On a freshly loaded page, the first Tab stop is the skip link.
    before = keys.stops
    assert keys.tab_to("Skip to main content")["tag"] == "a"
    assert keys.stops == before + 1, "the skip link must be the first thing Tab reaches"
    return keys
