"""The labelled sets in tests/data are whole and in sync with their sources."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _dataset():
    spec = importlib.util.spec_from_file_location("karabakh_dataset", DATA / "karabakh_comments" / "dataset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_karabakh_parts_are_written_from_the_pages():
    dataset = _dataset()
    for path, text in dataset.files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python {dataset.__file__}"


def test_the_karabakh_set_is_large_enough_and_split_by_thread():
    dataset = _dataset()
    comments, pages, threads = 0, 0, {}
    for part in dataset.PARTS:
        for page in dataset.pages(part):
            pages += 1
            comments += len(page["comments"])
            threads.setdefault(dataset.thread_key(page["url"]), set()).add(part)
            ids = {c["id"] for c in page["comments"]}
            for c in page["comments"]:
                assert c["sentiment"] in {"negative", "neutral", "positive"}, c["id"]
                assert set(c["topics"]) <= set(dataset.TOPICS), c["id"]
                assert c.get("parent") in (None, "") or c["parent"] in ids, c["id"]
    assert comments >= 300 and pages >= 30
    assert all(len(parts) == 1 for parts in threads.values())      # no thread in both parts


def test_the_comment_page_gold_files_are_well_formed():
    golds = sorted((DATA / "comment_pages").glob("*.gold.json"))
    assert len(golds) >= 40
    with_comments = 0
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        page = path.with_name(path.name.replace(".gold.json", ".txt"))
        assert page.exists(), page
        numbers = [c["n"] for c in gold["comments"]]
        assert numbers == list(range(1, len(numbers) + 1)), path.name
        assert all(c["parent"] is None or c["parent"] < c["n"] for c in gold["comments"]), path.name
        with_comments += bool(gold["comments"])
    assert with_comments >= 40


def test_the_held_out_comment_pages_are_well_formed_and_apart_from_the_development_set():
    # format only: no reader runs here (the held-out set is measured, never tuned on)
    golds = sorted((DATA / "comment_pages_heldout").glob("h*.gold.json"))
    assert len(golds) >= 28
    dev = [json.loads(p.read_text(encoding="utf-8")) for p in (DATA / "comment_pages").glob("*.gold.json")]
    dev_urls, dev_sites = {g["url"] for g in dev}, {g["site"] for g in dev}
    sites, with_comments = set(), 0
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        page = path.with_name(path.name.replace(".gold.json", ".txt"))
        text = page.read_text(encoding="utf-8")
        assert gold["page"] == page.stem and text.endswith("\n") and not text.endswith("\n\n"), path.name
        assert gold["url"] not in dev_urls and gold["site"] not in dev_sites, path.name
        numbers = [c["n"] for c in gold["comments"]]
        assert numbers == list(range(1, len(numbers) + 1)), path.name
        for c in gold["comments"]:
            assert c["parent"] is None or c["parent"] < c["n"], path.name
            if c["starts"] is None:  # a header with no text, cut off by the end of the page
                assert c["ends"] is None and c["cut"] and c["n"] == len(numbers), (path.name, c["n"])
            else:
                assert c["starts"] in text and c["ends"] in text, (path.name, c["n"])
        assert gold["cut_off"] == any(c["cut"] for c in gold["comments"]), path.name
        sites.add(gold["site"])
        with_comments += bool(gold["comments"])
    assert with_comments >= 24 and len(sites) >= 18
