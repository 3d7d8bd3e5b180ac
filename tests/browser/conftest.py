"""Real-browser end-to-end tests: Debian's Chromium, driven by Playwright's
sync API, against pytest-django's ``live_server`` (a transactional database).

Every page a test is shown goes through ``Tab.audit()``: axe-core must find no
accessibility violation, the browser must not have reported a
Content-Security-Policy violation, and the page must have been sent with a
strict CSP header. A ``Tab`` refuses to close while a page it received has not
been audited, so no visited page escapes the checks.

Chromium is never downloaded: the tests use ``/usr/bin/chromium``. Without it
they are skipped, loudly -- or, when the ``CI`` variable is set, they fail,
because CI must skip nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored
BROWSER_TESTS_DIR = Path(__file__).resolve().parent

MISSING_CHROMIUM = (
    f"!!! BROWSER TESTS NOT RUN: {CHROMIUM} is missing. Install Debian's `chromium` "
    "package (apt-get install chromium); Playwright's own browser downloads are not used. "
    "With CI set, this is a failure instead of a skip. !!!"
)


# --- Chromium present? Skip the directory loudly, or fail under CI ------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    mine = [i for i in items if BROWSER_TESTS_DIR in Path(str(i.path)).resolve().parents]
    if not mine:
        return
    if os.environ.get("CI"):
        # Fail, do not skip: the browser fixture below raises for each test.
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(MISSING_CHROMIUM, red=True, bold=True)
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


# axe-core with the WCAG 2.2 rules switched on (target-size, among others, is
# off unless asked for), plus axe's best practices, as every run before had.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22a",
            "wcag22aa",
            "best-practice",
        ],
    },
}
# The narrowest phone a page must fit without sideways scrolling (WCAG 1.4.10
# asks for 320 CSS px); every audited page is also laid out at this width.
NARROWEST = 320


# --- Playwright and Chromium, one per test module ----------------------------------


@pytest.fixture(scope="module")
def _allow_async_unsafe() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop running in the test thread, so
    # Django would refuse ORM calls made from the test (fixtures, the task worker)
    # with SynchronousOnlyOperation. Allow them while the browser tests of a
    # module run, and restore the previous value afterwards so that the rest of
    # the suite keeps Django's safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_async_unsafe: None) -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server: Any, settings: Any) -> str:
    """The live server's address; invitation links in emails point at it."""
    settings.SITE_URL = live_server.url
    return str(live_server.url)


# --- A tab that audits every page it shows -----------------------------------------


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"      html: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      why:  {summary[:300]}")
    return "\n".join(lines)


# Layouts audited in this process (see ``Tab.audit``).
_AUDITED_LAYOUTS: set[str] = set()
# Django masks its CSRF token afresh in every answer: not part of a layout.
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def _layout_key(url: str, width: int, html: str) -> str:
    document = _CSRF_VALUE.sub(r'\1"', html)
    return hashlib.sha256(f"{url}\n{width}\n{document}".encode()).hexdigest()


@dataclass
class Tab:
    """One browser context with one page, and the checks every page must pass."""

    name: str
    context: Any
    page: Any
    base_url: str
    csp_console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    header_problems: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    pending: str | None = None  # the last document received, until audited
    audited: list[str] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("response", self._on_response)

    # Event handlers: no calls back into the browser from here.
    def _on_console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and (
            "Content Security Policy" in text or "Content-Security-Policy" in text
        ):
            self.csp_console_errors.append(f"{self.page.url}: {text}")

    def _on_response(self, response: Any) -> None:
        self.responses.append(response)
        request = response.request
        if request.resource_type != "document" or response.frame != self.page.main_frame:
            return
        if 300 <= response.status < 400:
            return  # a redirect: the page it leads to is the one shown
        csp = response.headers.get("content-security-policy", "")
        if not csp:
            self.header_problems.append(f"{response.url}: no Content-Security-Policy header")
        elif "unsafe-inline" in csp or "unsafe-eval" in csp:
            self.header_problems.append(f"{response.url}: weak Content-Security-Policy: {csp}")
        if self.pending is not None:
            self.unaudited.append(self.pending)
        self.pending = response.url

    # Navigation helpers.
    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.url(path))
        self.audit()
        return response

    def follow(self, locator: Any, path_suffix: str | None = None) -> None:
        """Click something that loads a new page; wait for that page (never the
        one we are leaving, even when the new one has the same address), check
        where we landed, and audit it."""
        main_frame = self.page.main_frame
        with self.page.expect_event("framenavigated", predicate=lambda f: f == main_frame):
            locator.click()
        self.page.wait_for_load_state("load")
        if path_suffix is not None:
            path = self.page.url.removeprefix(self.base_url).split("?")[0]
            assert path.endswith(path_suffix), f"{self.name}: at {path}, not {path_suffix}"
        self.audit()

    def audit(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        url = self.page.url
        # A page laid out exactly as one already audited (the same address,
        # width and document, the form tokens aside: a sweep comes back to a
        # page after each of its forms) gives axe and the layout the same
        # answers: they ran on it once.
        layout = _layout_key(url, self.page.viewport_size["width"], self.page.content())
        if layout not in _AUDITED_LAYOUTS:
            results = Axe().run(self.page, options=AXE_OPTIONS)
            violations = results.response["violations"]
            if violations:
                report = _format_violations(url, violations)
                print("\n" + report)
                raise AssertionError(report)
            self.assert_reflows()
            self.assert_reflows(at=NARROWEST)
            _AUDITED_LAYOUTS.add(layout)
        assert not self.csp_console_errors, "CSP violations reported by the browser:\n" + (
            "\n".join(self.csp_console_errors)
        )
        assert not self.page_errors, "JavaScript errors:\n" + "\n".join(self.page_errors)
        assert not self.header_problems, "\n".join(self.header_problems)
        self.audited.append(url)
        self.pending = None

    # Page weight.
    def start_measuring(self) -> None:
        self.responses.clear()

    def measure(self) -> dict[str, int]:
        """gzip-compressed bytes of the HTML, CSS and JS received since
        ``start_measuring()``: the live server does not compress, so we do."""
        kinds = {"document": "html", "stylesheet": "css", "script": "js"}
        sizes = {"html": 0, "css": 0, "js": 0}
        for response in self.responses:
            kind = kinds.get(response.request.resource_type)
            if kind is None or response.status != 200:
                continue
            sizes[kind] += len(gzip.compress(response.body()))
        return sizes

    def assert_reflows(self, at: int | None = None) -> None:
        """No horizontal scrolling of the page at the current width, or at the
        width ``at`` (then restored) -- WCAG 1.4.10; wide tables scroll inside
        their own, keyboard-reachable, region."""
        size = self.page.viewport_size
        if at is not None and at != size["width"]:
            self.page.set_viewport_size({"width": at, "height": size["height"]})
        try:
            width = self.page.viewport_size["width"]
            scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                # Name the elements that stick out, so the failure says what to fix.
                culprits = self.page.evaluate(
                    """(width) => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > width + 0.5
                                  || e.getBoundingClientRect().left + e.scrollWidth > width + 0.5)
                        .filter(e => !e.closest('.table-wrap, .chart-scroll'))
                        .slice(-5)
                        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                             + ' ' + Math.round(e.getBoundingClientRect().right) + 'px: '
                             + (e.textContent || '').trim().slice(0, 60))""",
                    width,
                )
                raise AssertionError(
                    f"{self.page.url}: {scroll_width}px wide at {width}px; sticking out: {culprits}"
                )
        finally:
            if at is not None and at != size["width"]:
                self.page.set_viewport_size(size)

    def close(self) -> None:
        self.context.close()

    def assert_all_audited(self) -> None:
        left = self.unaudited + ([self.pending] if self.pending else [])
        assert not left, f"{self.name}: pages shown but never audited: {left}"


@pytest.fixture
def open_tab(browser: Any, site: str) -> Iterator[Callable[..., Tab]]:
    """Opens a fresh browser context (its own cookies: its own person) with one
    page. The site's Content-Security-Policy stays in force: axe-core is
    injected through the DevTools protocol (``page.evaluate``), which CSP does
    not govern, so ``bypass_csp`` is not needed."""
    tabs: list[Tab] = []

    def _open(name: str, *, width: int = 1280, height: int = 900, no_cache: bool = False) -> Tab:
        context = browser.new_context(locale="en-US", viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        # The site has no favicon: answer Chromium's automatic request here rather
        # than fill the output with "Not Found: /favicon.ico".
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page = context.new_page()
        if no_cache:
            # Measure every page as a first visit would: nothing from the HTTP cache.
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        tab = Tab(name=name, context=context, page=page, base_url=site)
        tabs.append(tab)
        return tab

    yield _open
    for tab in tabs:
        print(f"\n[{tab.name}] {len(tab.audited)} pages audited (axe-core, CSP)")
    try:
        for tab in tabs:
            tab.assert_all_audited()
    finally:
        for tab in tabs:
            tab.close()


def wait_for_fresh_totp_window(period: int = 30, margin: float = 3.0) -> None:
    """Avoid typing a code in the last seconds of its 30-second window."""
    while period - (time.time() % period) < margin:
        time.sleep(0.25)
