"""The labelling kit in headless Chromium, driven by playwright with the system's browser: label with the
keyboard and the mouse, export, reload, import into a fresh browser, export again, validate.

With ``DISCOURSE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser or playwright is a failure;
otherwise the tests are skipped and say why.
"""

from __future__ import annotations

import os
import shutil

import pytest

from discourse.validation import annotate, read_labels, validate_labels

#: flags that keep headless Chromium off the network and out of the user's profile (as tests/report/test_browser.py)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
         "--mute-audio"]


def _skip(message: str):
    if os.environ.get("DISCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and DISCOURSE_REQUIRE_BROWSER=1 requires it")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip("playwright is not installed (pip install -e '.[test]')")
    path = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if path is None:
        _skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def kit(analysis, tmp_path):
    return annotate(analysis, tmp_path / "kit", size=10, seed=3)


def _open(browser, kit_path, console):
    context = browser.new_context(accept_downloads=True)
    requests = []
    context.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "blob:", "data:")) else None)
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(kit_path.resolve().as_uri())
    return context, page, requests


def _wait_message(page, text):
    from playwright.sync_api import expect

    expect(page.locator("#message")).to_contain_text(text)


def _export(page, path):
    with page.expect_download() as info:
        page.click("#export")
    info.value.save_as(path)
    return path.read_text(encoding="utf-8")


def test_label_export_import_round_trip(browser, kit, analysis, topics, tmp_path):
    console: list[str] = []
    kit_path = kit.paths[0]
    context, page, requests = _open(browser, kit_path, console)
    order = kit.sample.get_column("comment_id").to_list()
    assert page.inner_text("#total") == "10" and page.inner_text("#count") == "0"
    # no labelling before a name is given
    page.keyboard.press("n")
    assert "type your name" in page.inner_text("#message") and page.inner_text("#count") == "0"
    page.fill("#annotator", "Ann O'Tator")
    page.press("#annotator", "Tab")
    expected = {}
    # comment 1: keyboard only - topics 1 and 3 (betrayal, concessions), negative
    page.keyboard.press("1")
    page.keyboard.press("3")
    page.keyboard.press("n")
    expected[order[0]] = ("negative", {"betrayal": True, "concessions": True}, None)
    page.keyboard.press("ArrowRight")
    # comment 2: the mouse - diaspora ticked then unticked, unity ticked, positive; a note needing CSV quotes
    page.check("#topic-diaspora")
    page.uncheck("#topic-diaspora")
    page.check("#topic-unity")
    page.check("#sentiment-positive")
    page.fill("#note", 'sarcastic? "very loyal", hm\nsecond line')
    expected[order[1]] = ("positive", {"unity": True}, 'sarcastic? "very loyal", hm\nsecond line')
    page.click("#next")
    # comment 3: neutral only; then jump to the next unlabelled comment (4) and give it topic 10 only
    page.keyboard.press("m")
    expected[order[2]] = ("neutral", {}, None)
    page.keyboard.press("u")
    assert page.inner_text("#position") == "4"
    page.keyboard.press("0")
    expected[order[3]] = (None, {"alliances_geopolitics": True}, None)
    assert page.inner_text("#count") == "3"          # labelled = has a sentiment
    # the comment text is shown as text: the script in comment c10 did not run
    assert page.evaluate("document.title") == "discourse labelling kit"

    first = _export(page, tmp_path / "first.csv")
    labels = read_labels(tmp_path / "first.csv", analysis.comments, topics)
    got = {}
    for r in labels.rows.iter_rows(named=True):
        assert r["annotator"] == "Ann O'Tator"
        chosen = {t: v for c, t, v in labels.topics.filter(comment_id=r["comment_id"]).select(
            "comment_id", "topic", "label").iter_rows()}
        assert set(chosen) == set(topics)            # a touched comment has every topic labelled, 1 or 0
        got[r["comment_id"]] = (r["sentiment"], {t for t, v in chosen.items() if v}, r["note"])
    assert got == {k: (s, set(t), n) for k, (s, t, n) in expected.items()}
    # the inclusion probabilities travel with the labels
    p = dict(kit.sample.select("comment_id", "inclusion_probability").iter_rows())
    assert {c: q for c, q in labels.rows.select("comment_id", "inclusion_probability").iter_rows()} == {
        c: p[c] for c in expected}

    # work is kept in the browser between visits
    page.reload()
    assert page.input_value("#annotator") == "Ann O'Tator" and page.inner_text("#count") == "3"
    assert page.inner_text("#position") == "4"
    # a second annotator on the same browser starts blind and keeps her own work; the first one's is untouched
    page.fill("#annotator", "Bea")
    page.press("#annotator", "Tab")
    assert page.inner_text("#count") == "0" and page.inner_text("#position") == "1"
    assert not page.is_checked("#topic-betrayal")
    page.keyboard.press("p")
    assert page.inner_text("#count") == "1"
    page.fill("#annotator", "Ann O'Tator")
    page.press("#annotator", "Tab")
    assert page.inner_text("#count") == "3" and page.inner_text("#position") == "4"
    assert _export(page, tmp_path / "again.csv") == first
    context.close()

    # a fresh browser (no stored work): import the export, export again - the same bytes
    context, page, _ = _open(browser, kit_path, console)
    assert page.inner_text("#count") == "0"
    page.set_input_files("#import", str(tmp_path / "first.csv"))
    _wait_message(page, "imported")
    assert page.input_value("#annotator") == "Ann O'Tator" and page.inner_text("#count") == "3"
    assert _export(page, tmp_path / "second.csv") == first

    # a file written by hand with empty (unlabelled) topic cells and a context column imports and exports exactly
    rows = first.splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    cells[header.index("war_violence")] = ""
    hand = "\n".join([rows[0], ",".join(cells)]) + "\n"
    (tmp_path / "hand.csv").write_text(hand, encoding="utf-8")
    context.close()
    context, page, _ = _open(browser, kit_path, console)
    page.fill("#annotator", "Ann O'Tator")
    page.press("#annotator", "Tab")
    page.set_input_files("#import", str(tmp_path / "hand.csv"))
    _wait_message(page, "imported")
    assert _export(page, tmp_path / "third.csv") == hand

    # a file naming a comment the kit does not hold is refused whole, with its line
    bad = hand.replace(cells[0], "nope", 1)
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    page.set_input_files("#import", str(tmp_path / "bad.csv"))
    _wait_message(page, "nothing imported")
    assert "bad.csv:2:" in page.inner_text("#message") and '"nope"' in page.inner_text("#message")
    context.close()

    assert console == [] and requests == []
    # and the export validates
    v = validate_labels(analysis, tmp_path / "first.csv", replicates=200)
    assert v.settings["comments_labelled"] == 4 and v.settings["weighted"]
    assert v.sentiment.filter(method="sentence_mean")["n"].item() == 3


def test_predictions_hidden_unless_asked(browser, analysis, tmp_path):
    console: list[str] = []
    blind = annotate(analysis, tmp_path / "blind", size=10, seed=3)
    shown = annotate(analysis, tmp_path / "shown", size=10, seed=3, show_predictions=True)
    for kit, visible in ((blind, False), (shown, True)):
        context, page, _ = _open(browser, kit.paths[0], console)
        texts = []
        for _ in range(10):
            texts.append(page.inner_text("#predicted"))
            page.click("#next")
        assert any("discourse:" in t for t in texts) is visible
        context.close()
    assert "betrayal" not in (tmp_path / "blind" / "kit.html").read_text(encoding="utf-8").split("kit-data")[1].split(
        '"topics"')[0]
    assert console == []
