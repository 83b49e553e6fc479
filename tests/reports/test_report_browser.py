"""HTML reports open in a real browser: headless Chromium (Debian's `chromium`), by Playwright.

Each page loads without a console error, every internal link (#anchor) leads to an
element that is there, and the lineage diagram can be seen at full size: the "Show at
full size" link lays the image out at its own size, scrollable, rather than shrunk to
the page. A screenshot of each is kept in the test's folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_samples import PRODUCED_AT, TARGET
from test_report_folding import family_manifest

import lineage
from lineage.reports import TEMPLATES
from lineage.reports.produce import produce_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium here: install the Debian package 'chromium' (make setup does, as root)",
)

# Each internal link, and whether the element it names is in the page.
LINKS = """() => Array.from(document.querySelectorAll('a[href^="#"]')).map(a => {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    return [id, document.getElementById(id) !== null];
})"""
IMAGE = """() => {
    const img = document.querySelector('figure.diagram img');
    const box = img.getBoundingClientRect();
    return {complete: img.complete, natural: img.naturalWidth, naturalHeight: img.naturalHeight,
            shown: box.width, frame: img.parentElement.getBoundingClientRect().width};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright cannot download a browser here: it drives the system's Chromium.
    with sync_playwright() as driver:
        opened = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield opened
        opened.close()


def open_report(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """The page of `path` loaded, and every console error and uncaught exception it met."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def assert_opens_cleanly(browser: Any, path: Path, screenshots: Path) -> dict[str, Any]:
    page, errors = open_report(browser, path)
    try:
        links = page.evaluate(LINKS)
        assert links, "the report has internal links"
        missing = [target for target, found in links if not found]
        assert not missing, f"internal links to nothing: {missing[:10]}"
        image: dict[str, Any] = page.evaluate(IMAGE)
        assert image["complete"] and image["natural"] > 0, "the diagram did not load"
        page.screenshot(path=str(screenshots / f"{path.stem}-fitted.png"))
        fitted = image["shown"]
        assert fitted <= image["frame"] + 1, "fitted, the diagram stays within the page"
        page.click("a.zoom-in")
        page.wait_for_function("() => location.hash === '#diagram-full'")
        zoomed: dict[str, Any] = page.evaluate(IMAGE)
        # At full size the image is drawn at its own size, however wide the page.
        assert abs(zoomed["shown"] - zoomed["natural"]) <= 1, zoomed
        page.screenshot(path=str(screenshots / f"{path.stem}-full.png"))
        page.click("a.zoom-out")
        page.wait_for_function("() => location.hash === '#diagram'")
        assert not errors, errors
        return {"fitted": image, "zoomed": zoomed}
    finally:
        page.close()


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_sample_html_report_opens_in_chromium_with_its_diagram(
    sample_store: lineage.Store, browser: Any, tmp_path: Path, template: str
) -> None:
    report, data = produce_report(
        sample_store, TARGET, "html", template=template, produced_at=PRODUCED_AT
    )
    assert report.records
    path = tmp_path / f"{template}.html"
    path.write_bytes(data)
    assert_opens_cleanly(browser, path, tmp_path)


def test_a_large_folded_html_report_opens_in_chromium_and_its_diagram_zooms(
    store: lineage.Store, browser: Any, tmp_path: Path
) -> None:
    store.record(family_manifest())
    _, data = produce_report(store, "m", "html", produced_at=PRODUCED_AT)
    path = tmp_path / "folded.html"
    path.write_bytes(data)
    sizes = assert_opens_cleanly(browser, path, tmp_path)
    assert sizes["zoomed"]["natural"] > 0
    page, errors = open_report(browser, path)
    try:
        # A folded row's note and the records left to the JSON report are on the page.
        text = page.inner_text("main")
        assert "records alike" in text
        assert "lists every record" in text
        assert not errors, errors
    finally:
        page.close()
