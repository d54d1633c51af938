"""A real browser on the query page: headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by
Selenium with the system browser and driver; nothing is downloaded) runs named queries and sees their rows.

Screenshots are saved under a temporary folder (``$MCGRAPH_ARTIFACTS`` when set) and their paths printed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from mcgraph.queries import run_query
from serve_support import RunningServer, copy_store, running_server

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                       reason="headless Chromium is absent: `apt-get install chromium chromium-driver` (Debian) "
                              "to run the browser test"),
]

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> RunningServer:
    store_dir = copy_store(built_store_dir, tmp_path_factory.mktemp("browser") / "store")
    with running_server(store_dir) as running:
        yield running


@pytest.fixture(scope="module")
def artefacts() -> Path:
    folder = Path(os.environ.get("MCGRAPH_ARTIFACTS") or tempfile.mkdtemp(prefix="mcgraph-browser-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shoot(browser, artefacts: Path, name: str) -> Path:
    path = artefacts / f"{name}.png"
    browser.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def run_named(browser, server: RunningServer, name: str, **params: str) -> None:
    browser.get(server.url)
    wait = WebDriverWait(browser, 30)
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f'button[data-query="{name}"]'))).click()
    for key, value in params.items():
        field = browser.find_element(By.ID, f"param-{key}")
        field.clear()
        field.send_keys(value)
    browser.find_element(By.ID, "nq-run").click()
    try:
        wait.until(lambda b: " rows in " in b.find_element(By.ID, "nq-status").text
                   or b.find_element(By.ID, "nq-error").is_displayed())
    except TimeoutException:
        raise AssertionError(f"no answer on the page; browser log: {browser.get_log('browser')}") from None


def table_rows(browser) -> list[list[str]]:
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".yasr table tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def test_query_page_runs_a_named_query_with_a_parameter_and_shows_its_rows(browser, server: RunningServer,
                                                                          built_store, artefacts: Path) -> None:
    expected = run_query(built_store, "label-search", text="data analysis")
    run_named(browser, server, "label-search", text="data analysis")
    assert browser.find_element(By.ID, "nq-status").text.startswith(f"{len(expected)} rows in ")
    rows = table_rows(browser)
    shoot(browser, artefacts, "label-search")
    assert len(rows) == len(expected) >= 3
    shown = " ".join(" ".join(r) for r in rows)
    for label in expected.values("label"):
        assert label in shown
    headers = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".yasr table thead th")]
    assert [h for h in headers if h] == list(expected.variables)
    # the named query's SPARQL is in the editor of the tab it opened
    editor = browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror").text
    assert "Find concepts by label" in editor
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_query_page_shows_a_readable_error_for_a_bad_parameter(browser, server: RunningServer,
                                                              artefacts: Path) -> None:
    run_named(browser, server, "framework-level", framework="eqf", number="five")
    error = browser.find_element(By.ID, "nq-error")
    shoot(browser, artefacts, "framework-level-error")
    assert error.is_displayed()
    assert error.text.startswith("400: parameter 'number' expects a whole number; got 'five'")


def test_query_page_runs_sparql_typed_in_the_editor(browser, server: RunningServer, built_store,
                                                    artefacts: Path) -> None:
    browser.get(server.url)
    wait = WebDriverWait(browser, 30)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    # the page opens with a query counting triples per named graph: run it with YASGUI's own button
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe_queryButton"))).click()
    rows = table_rows(browser)
    shoot(browser, artefacts, "editor-query")
    graphs = {g.graph for g in built_store.graph_records()}
    assert len(rows) >= len(graphs) > 10
