"""Hostile XML is refused before anything is expanded or fetched; limits on size and line length hold.

Each attack is written in the test: external entities pointing at a local file and at a URL served by
a local HTTP server that records every request, a remote DTD, billion laughs and quadratic blow-up.
"""

from __future__ import annotations

import gzip
import http.server
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

import discourse
from discourse.errors import FormatError, InputError
from discourse.readers import detect, disqus, wordpress_html, wxr
from discourse.readers.base import ReadOptions

READERS = {"wxr": wxr, "disqus": disqus}

WXR_OPEN = ('<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>T</title>'
            "<wp:post_id>1</wp:post_id><wp:comment><wp:comment_id>1</wp:comment_id>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_content>")
WXR_CLOSE = "</wp:comment_content></wp:comment></item></channel></rss>"
DISQUS_OPEN = ('<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
               '<thread dsq:id="1"><link>https://x.example/a</link><title>T</title></thread>'
               '<post dsq:id="2"><thread dsq:id="1"/><message>')
DISQUS_CLOSE = "</message></post></disqus>"


def document(fmt: str, doctype: str, body: str) -> str:
    """An export of ``fmt`` whose first comment's text is ``body``, with ``doctype`` before the root."""
    opening, closing = (WXR_OPEN, WXR_CLOSE) if fmt == "wxr" else (DISQUS_OPEN, DISQUS_CLOSE)
    root = "rss" if fmt == "wxr" else "disqus"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype.replace("ROOT", root)}\n{opening}{body}{closing}\n'


@pytest.fixture
def server():
    """A local HTTP server on a free port that records every path requested."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = b'<!ENTITY leak "fetched">' if self.path.endswith(".dtd") else b"fetched"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def refused(tmp_path, fmt: str, text: str) -> FormatError:
    path = tmp_path / f"attack-{fmt}.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        READERS[fmt].read(path, ReadOptions())
    err = info.value
    assert err.path == str(path)
    assert err.message.startswith("refused: the file")
    assert "<!DOCTYPE" in err.hint
    return err


def test_the_server_fixture_records_requests(server):
    """The request log is live, so an empty log in the attacks below means nothing was fetched."""
    import urllib.request

    base, requests = server
    assert urllib.request.urlopen(base + "/probe", timeout=5).read() == b"fetched"
    assert requests == ["/probe"]


@pytest.mark.parametrize("fmt", READERS)
def test_xxe_local_file_refused(tmp_path, fmt):
    err = refused(tmp_path, fmt, document(
        fmt, '<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"))
    assert "document type" in err.message and err.line == 2
    assert "root:" not in str(err)


@pytest.mark.parametrize("fmt", READERS)
def test_xxe_url_refused_and_not_fetched(tmp_path, fmt, server):
    base, requests = server
    err = refused(tmp_path, fmt, document(
        fmt, f'<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "{base}/secret">]>', "&xxe;"))
    assert "document type" in err.message
    time.sleep(0.2)
    assert requests == []


@pytest.mark.parametrize("fmt", READERS)
def test_external_dtd_refused_and_not_fetched(tmp_path, fmt, server):
    base, requests = server
    err = refused(tmp_path, fmt, document(fmt, f'<!DOCTYPE ROOT SYSTEM "{base}/evil.dtd">', "&leak;"))
    assert f'SYSTEM "{base}/evil.dtd"' in err.message
    time.sleep(0.2)
    assert requests == []


@pytest.mark.parametrize("fmt", READERS)
def test_parameter_entity_url_not_fetched(tmp_path, fmt, server):
    base, requests = server
    refused(tmp_path, fmt, document(
        fmt, f'<!DOCTYPE ROOT [<!ENTITY % remote SYSTEM "{base}/evil.dtd"> %remote;]>', "&leak;"))
    time.sleep(0.2)
    assert requests == []


BILLION_LAUGHS = "<!DOCTYPE ROOT [\n <!ENTITY lol \"lol\">\n" + "".join(
    f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)) + "]>"


@pytest.mark.parametrize("fmt", READERS)
def test_billion_laughs_refused_without_expanding(tmp_path, fmt):
    tracemalloc.start()
    try:
        refused(tmp_path, fmt, document(fmt, BILLION_LAUGHS, "&lol9;"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024**2  # 10^9 "lol"s would be gigabytes


@pytest.mark.parametrize("fmt", READERS)
def test_quadratic_blowup_refused(tmp_path, fmt):
    big = "A" * 50_000
    tracemalloc.start()
    try:
        refused(tmp_path, fmt, document(fmt, f'<!DOCTYPE ROOT [<!ENTITY a "{big}">]>', "&a;" * 5_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024**2  # expanded, it would be 250 MB of text


def test_any_doctype_is_refused(tmp_path):
    """A harmless-looking DOCTYPE with no entities is refused too: exports never carry one."""
    err = refused(tmp_path, "wxr", document("wxr", "<!DOCTYPE rss>", "hello"))
    assert "<!DOCTYPE rss>" in err.message


def test_attack_refused_through_detection_and_corpus_read(tmp_path, server):
    base, requests = server
    path = tmp_path / "export.xml"
    path.write_text(document("wxr", f'<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "{base}/x">]>', "&xxe;"), encoding="utf-8")
    assert detect(path).name == "wxr"
    corpus = discourse.read(path)
    row = corpus.diagnostics.row(0, named=True)
    assert row["level"] == "error" and row["code"] == "format-error" and row["path"] == str(path)
    assert "refused" in row["message"] and "file skipped" in row["message"]
    with pytest.raises(FormatError, match="refused"):
        discourse.read(path, strict=True)
    assert requests == []


def test_undefined_entity_is_a_format_error_with_its_line(tmp_path):
    path = tmp_path / "e.xml"
    path.write_text(document("wxr", "", "caf&eacute;"), encoding="utf-8")
    with pytest.raises(FormatError) as info:
        wxr.read(path, ReadOptions())
    assert "not well-formed XML: undefined entity" in info.value.message and info.value.line == 3


def test_truncated_export_is_a_format_error(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(document("disqus", "", "hello")[:-40], encoding="utf-8")
    with pytest.raises(FormatError, match="not well-formed XML"):
        disqus.read(path, ReadOptions())


# ---- limits ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", READERS)
def test_file_size_limit(tmp_path, fmt):
    path = tmp_path / "big.xml"
    path.write_text(document(fmt, "", "x" * 5000), encoding="utf-8")
    with pytest.raises(InputError, match="over the 1,000-byte limit") as info:
        READERS[fmt].read(path, ReadOptions(max_bytes=1000))
    assert info.value.path == str(path) and "--max-bytes" in info.value.hint


def test_size_limit_applies_after_decompression(tmp_path):
    path = tmp_path / "bomb.xml.gz"
    path.write_bytes(gzip.compress(document("disqus", "", "x" * 3_000_000).encode()))
    assert path.stat().st_size < 50_000
    with pytest.raises(InputError, match="once decompressed"):
        disqus.read(path, ReadOptions(max_bytes=1_000_000))


@pytest.mark.parametrize("fmt", READERS)
def test_line_length_limit(tmp_path, fmt):
    path = tmp_path / "long.xml"
    path.write_text(document(fmt, "", "y" * 200_000), encoding="utf-8")
    with pytest.raises(InputError, match="over the 100,000-byte limit") as info:
        READERS[fmt].read(path, ReadOptions(max_line=100_000))
    assert info.value.line == 3 and "--max-line" in info.value.hint


@pytest.mark.parametrize("fmt", READERS)
def test_record_length_limit_counts_text_over_many_lines(tmp_path, fmt):
    path = tmp_path / "tall.xml"
    path.write_text(document(fmt, "", "short line\n" * 20_000), encoding="utf-8")
    with pytest.raises(InputError, match="characters? limit|character limit") as info:
        READERS[fmt].read(path, ReadOptions(max_line=100_000))
    assert info.value.line == 3


def test_html_limits(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><ol class='comment-list'>" + "<p>" + "z" * 5000 + "</p></ol></body></html>",
                    encoding="utf-8")
    with pytest.raises(InputError, match="line is 5,"):
        wordpress_html.read(page, ReadOptions(max_line=1000))
    with pytest.raises(InputError, match="over the 100-byte limit"):
        wordpress_html.read(page, ReadOptions(max_bytes=100))


def test_gzip_export_reads(tmp_path):
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress(document("disqus", "", "&lt;p&gt;Hi&lt;/p&gt;").encode()))
    assert detect(path).name == "disqus"
    parsed = disqus.read(path, ReadOptions())
    assert [c.text for c in parsed.articles[0].comments] == ["Hi"]


def test_documented_refusal_is_what_the_reader_says(tmp_path, monkeypatch):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    line = next(ln for ln in doc.splitlines() if ln.startswith("Error: export.xml:2: refused"))
    monkeypatch.chdir(tmp_path)
    Path("export.xml").write_text(document("wxr", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
                                  encoding="utf-8")
    with pytest.raises(FormatError) as info:
        discourse.read("export.xml", strict=True)
    assert "Error: " + str(info.value) == line
