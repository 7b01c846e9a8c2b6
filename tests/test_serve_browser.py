"""`kg serve` in a real browser: Debian's headless Chromium, driven over CDP by Playwright.

Playwright drives /usr/bin/chromium (``executable_path``); its own browser downloads are never
used. The browser runs with a fresh profile, no background networking, and every request it
makes outside 127.0.0.1 is aborted and recorded (the test fails on any). Screenshots of the
pages it visits are kept under ``tests/artifacts/`` (git-ignored) for a person to look at.

With ``CI=true`` a missing Chromium fails the test; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright
from rdflib import Dataset

from .test_serve import (
    HOSTILE_NAME,
    HOSTILE_QUOTE,
    HOSTILE_STATEMENT,
    Served,
    build_store,
    local_path,
    start_server,
    stop_server,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium"
                                         if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        reason = "Debian's chromium is not installed (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI=true: the browser test must run)", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def served(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = build_store(tmp_path_factory.mktemp("browse") / "store", dataset)
    server = start_server(store, "--workers", "2")
    yield server
    stop_server(server)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"serve-{name}.png"), full_page=True)


def test_a_person_browses_and_queries(served: Served, tmp_path: Path) -> None:
    executable = chromium()
    outside: list[str] = []
    dialogs: list[str] = []

    def loopback_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1200, "height": 900})
        try:
            context.route("**/*", loopback_only)
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            # The home page: counts, the articles, the query form.
            page.goto(served.url)
            assert page.locator("h1").inner_text() == "newskg"
            counts = page.locator("table.counts")
            assert counts.locator("tr", has_text="articles").locator("td").inner_text() == "2"
            shot(page, "home")

            # Click through: the article, then the organization it mentions.
            page.get_by_role("link", name="Microsoft Bans Face-Recognition Sales to Police",
                             exact=False).first.click()
            page.wait_for_load_state()
            assert page.url.endswith("/newskg/id/article/microsoft-face-recognition-police")
            assert "Microsoft Bans Face-Recognition" in page.locator("h1").inner_text()
            page.locator("p.mentions").get_by_role("link", name="Microsoft", exact=True).click()
            page.wait_for_load_state()
            assert page.url.endswith("/newskg/id/organization/microsoft")
            assert page.locator("h1").inner_text() == "Microsoft"
            wikidata = page.get_by_role("link", name="Wikidata Q2283")
            assert wikidata.get_attribute("href") == "http://www.wikidata.org/entity/Q2283"
            assert page.locator("section.facts h2").all_inner_texts()[:3] == [
                "Roles", "Announcements", "Statements"]
            assert page.locator("figure.evidence mark").count() >= 5
            shot(page, "organization")

            # A statement, from its permalink on the organization page.
            statements = page.locator("section.facts", has=page.locator("h2", has_text=(
                "Statements")))
            statements.locator("a.permalink").first.click()
            page.wait_for_load_state()
            assert "/statement/" in page.url
            words = page.locator("section.summary p.words").inner_text()
            assert words.startswith("Microsoft stated: ") or " said: “" in words
            mark = page.locator("section.evidence-list mark").first.inner_text()
            sentence = page.locator("section.evidence-list blockquote").first.inner_text()
            assert mark and mark in sentence and len(sentence) > len(mark)
            shot(page, "statement")

            # Hostile text is shown as text: no alert, no image, the markup visible as written.
            page.goto(served.url.rstrip("/") + local_path(str(HOSTILE_STATEMENT)))
            assert page.locator("section.evidence-list mark").inner_text() == HOSTILE_QUOTE
            assert HOSTILE_NAME in page.locator("section.summary").inner_text()
            assert page.locator("img").count() == 0
            shot(page, "hostile")

            # A canned query from the form: pick it, the box fills, run it, read the table.
            page.goto(served.url)
            page.select_option("#canned-select", "roles")
            assert "nkg:Role" in page.locator("#query-text").input_value()
            page.click("#run-query")
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Query results"
            assert page.locator("#row-count").inner_text() == "2"
            headers = page.locator("table.results th").all_inner_texts()
            assert headers == ["person", "title", "organization", "article"]
            cells = page.locator("table.results tbody").inner_text()
            assert "Brad Smith" in cells and "president and chief counsel" in cells
            shot(page, "query-results")
        finally:
            context.close()
    assert dialogs == []
    assert outside == []
