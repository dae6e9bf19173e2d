"""The report in a real browser: no script from the input runs, and the page logs nothing to the console.

Needs Chromium. With ``DISCOURSE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser is a failure;
otherwise the test is skipped and says why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import discourse
from discourse.report import build_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: flags that keep headless Chromium off the network and out of the user's profile
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio")


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    message = "Chromium is not installed (apt-get install chromium); the report's browser test needs it"
    if os.environ.get("DISCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and DISCOURSE_REQUIRE_BROWSER=1 requires it")
    pytest.skip(message)


def load(browser: str, page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and every console message the page produced."""
    cmd = [browser, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


@pytest.fixture(scope="module")
def browser():
    return find_browser()


def test_no_script_from_the_input_runs(browser, xss_corpus, tmp_path):
    out = build_report(discourse.analyze(xss_corpus), tmp_path / "report")
    dom, console = load(browser, out / "index.html", tmp_path / "profile")
    assert console == [], console                          # no errors, no blocked script, no CSP violation
    assert "<title>discourse report</title>" in dom        # no payload changed the title
    assert "pwned" not in re.sub(r"&[a-z#0-9]+;|&lt;.*?&gt;", "", dom.split("<body")[0])
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    body = dom.split("<body", 1)[1]
    # the payloads are text: no element was made from them
    assert not re.search(r"<(img|iframe|script)[^>]*(pwned|onerror|javascript)", body)
    assert not re.search(r"<svg[^>]*onload", body)
    assert not re.search(r"<a [^>]*href=\"javascript", body)
    # the page's own script did run (JavaScript was on): it showed the expand/collapse buttons
    assert re.search(r'<button type="button" data-open="1">expand all</button>', body)
    assert body.count("&lt;script&gt;document.title=") >= 2


def test_the_bundled_report_loads_cleanly(browser, bundled, tmp_path):
    out = build_report(bundled, tmp_path / "report")
    dom, console = load(browser, out / "index.html", tmp_path / "profile")
    assert console == [], console
    assert dom.count('<figure id="fig-') == 6 and "Thread browser" in dom
