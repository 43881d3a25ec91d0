"""The UI in Chromium (Playwright) against a real ``evalsets serve`` on SQLite.

One served app and one browser for the whole story (fast): sign in with the keyboard, create a
dataset by importing a file, edit and commit, compare two versions, deploy, restore; a key of
another project sees nothing; datapoint HTML/JS is shown as text. Screenshots of the main
pages land in ``artifacts/screenshots/`` (1280 and 390 px wide).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends import Templates
from tests.clients import Served, serve

pytest.importorskip("playwright")
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
XSS = '<script>alert("xss")</script><img src=x onerror=alert(2)>'


@pytest.fixture
def served(templates: Templates, tmp_path: Path) -> Iterator[Served]:
    with (
        templates.database("sqlite", tmp_path) as url,
        serve(url, tmp_path, {"EVALSETS_SESSION_SECRET": "browser-test-secret"}) as server,
    ):
        yield server


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield found
        found.close()


def _page(context: BrowserContext, alerts: list[str], width: int = 1280) -> Page:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(10_000)

    def on_dialog(dialog: Dialog) -> None:
        if dialog.type == "confirm":
            dialog.accept()
        else:
            alerts.append(dialog.message)
            dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page: Page, url: str, key: str) -> None:
    """Sign in with the keyboard only: the key field has focus, Enter submits."""
    page.goto(f"{url}/")
    expect(page).to_have_url(re.compile(r"/ui/sign-in"))
    expect(page.get_by_label("API key")).to_be_focused()
    _shot(page, "sign-in")
    page.keyboard.type(key)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Datasets"))).to_be_visible()


def _import(page: Page, tmp_path: Path) -> None:
    rows = [f'{{"inputs": {{"q": "question {i}"}}, "expected": "answer {i}"}}' for i in range(60)]
    rows[1] = '{"inputs": {"q": "' + XSS.replace('"', '\\"') + '"}, "expected": "x"}'
    source = tmp_path / "golden.jsonl"
    source.write_text("\n".join(rows) + "\n")
    page.get_by_role("link", name="Import a file").first.click()
    page.get_by_label("Dataset path").fill("team/golden")
    page.get_by_label("File", exact=True).set_input_files(str(source))
    page.get_by_label("Commit message").fill("First import")
    _shot(page, "import")
    with page.expect_request("**/ui/import") as upload:
        page.get_by_role("button", name="Import").click()
    assert upload.value.headers.get("x-requested-with") == "fetch"  # the progress-bar upload
    expect(page.get_by_role("status").first).to_contain_text("File imported")
    expect(page.get_by_role("heading", name="golden")).to_be_visible()


def test_the_ui_story_in_chromium(served: Served, browser: Browser, tmp_path: Path) -> None:
    alerts: list[str] = []
    page = _page(browser.new_context(), alerts)
    _sign_in(page, served.url, served.admin_key)
    _import(page, tmp_path)
    table = page.locator("table.datapoints")
    expect(table).to_contain_text("<script>alert(")  # shown as text, not run
    expect(page.locator("table.datapoints img")).to_have_count(0)
    _shot(page, "dataset")
    _edit_and_commit(page)
    _compare(page)
    _deploy_and_restore(page)
    _deep_and_read_only(page)
    _screens(page, served, alerts)
    assert alerts == []  # no datapoint content ever ran as script

    # a key of another project sees nothing
    other = _page(browser.new_context(), alerts)
    _sign_in(other, served.url, _stranger_key(served))
    expect(other.locator("main")).to_contain_text("No datasets")
    other.goto(f"{served.url}/ui/datasets/{_dataset_id(served)}")
    expect(other.get_by_role("heading", name="Not found")).to_be_visible()


def _edit_and_commit(page: Page) -> None:
    page.locator("table.datapoints").get_by_role("link", name=re.compile("^Edit")).first.click()
    page.get_by_label(re.compile("^Content")).fill(
        '{"inputs": {"q": "question 0"}, "expected": "a better answer"}'
    )
    page.get_by_role("button", name="Save to draft").click()
    expect(page.get_by_role("status").first).to_contain_text("Datapoint saved")
    _shot(page, "datapoint")
    page.get_by_role("link", name="team/golden").click()
    page.get_by_label("Commit message").fill("Better answer for q0")
    page.get_by_role("button", name="Commit draft").click()
    expect(page.get_by_role("status").first).to_contain_text("Draft committed")


def _compare(page: Page) -> None:
    """v1 against v2: one changed datapoint, the changed field marked."""
    page.get_by_role("link", name="Compare versions").click()
    expect(page.locator("p.stats")).to_contain_text("0 added, 0 removed, 1 changed")
    expect(page.locator("tr.changed-field")).to_have_count(1)
    expect(page.locator("tr.changed-field th")).to_contain_text("expected")
    _shot(page, "diff")


def _deploy_and_restore(page: Page) -> None:
    """Deploy v1 to production, then restore v1 as v3."""
    page.get_by_role("link", name="team/golden").click()
    page.get_by_label("Environment for v1").select_option("production")
    page.get_by_role("button", name="Deploy v1").click()
    expect(page.get_by_role("status").first).to_contain_text("Version deployed")
    expect(page.locator(".timeline .env")).to_have_text(["production"])
    page.get_by_role("button", name="Restore v1").click()
    expect(page.get_by_role("status").first).to_contain_text("restored")
    expect(page.locator(".timeline > li")).to_have_count(3)
    expect(page.locator(".timeline > li").first).to_contain_text("Restore version 1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "readme-dataset.png"))


def _deep_and_read_only(page: Page) -> None:
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_text("Columns", exact=True).click()
    page.get_by_label("metadata").uncheck()
    page.get_by_label("other").check()
    page.get_by_role("button", name="Apply").click()
    headers = page.locator("table.datapoints thead th")
    expect(headers).to_contain_text(["#", "Id", "inputs", "expected", "other"])
    expect(headers.filter(has_text="metadata")).to_have_count(0)
    page.get_by_label("Go to row").fill("55")
    page.get_by_label("Go to row").press("Enter")
    expect(page.locator("nav.pager span")).to_contain_text("rows 51–60 of 60")
    page.get_by_role("link", name=re.compile(r"^v2")).click()
    expect(page.locator(".banner")).to_contain_text("read-only")
    expect(page.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)


def _screens(page: Page, served: Served, alerts: list[str]) -> None:
    """The lists at 1280 and 390 px; the narrow pages never scroll sideways."""
    page.goto(f"{served.url}/ui/")
    expect(page.locator("table.grid")).to_contain_text("production: v1")
    _shot(page, "datasets")
    narrow = _page(page.context, alerts, width=390)
    for url, name in (
        (f"{served.url}/ui/", "datasets-390"),
        (f"{served.url}/ui/datasets/{_dataset_id(served)}", "dataset-390"),
    ):
        narrow.goto(url)
        _shot(narrow, name)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 390, name


def _dataset_id(served: Served) -> str:
    with served.client() as client:
        found: str = client.get("/api/v1/datasets").json()["items"][0]["id"]
        return found


def _stranger_key(served: Served) -> str:
    with served.client() as admin:
        project = admin.post("/api/v1/projects", json={"name": "strangers"}).json()
        made = admin.post(
            f"/api/v1/projects/{project['id']}/keys",
            json={"name": "s", "scopes": ["datasets:write"]},
        )
        assert made.status_code == 201, made.text
        key: str = made.json()["key"]
        return key
