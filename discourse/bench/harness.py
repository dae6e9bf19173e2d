"""``discourse bench``: throughput, end-to-end time and peak memory on synthetic corpora of several sizes.

Every step runs in a fresh Python process, so its memory is its own; the peak is the largest resident set
of the whole process tree (the step and its worker processes), sampled every 20 ms from ``/proc`` (on
systems without ``/proc``, the largest single process, from ``getrusage``). Figures with a baseline are
printed as a ratio against it, measured in the same run: the VADER engine against vaderSentiment 3.3.2 on
the same texts, two worker processes against one. Benchmarks report; they never fail on a slow machine.

>>> result = run_benchmarks([1_000], "bench-out")          # doctest: +SKIP
>>> print(result.markdown())                               # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from discourse.bench import synth
from discourse.errors import ConfigError, DiscourseError

Say = Callable[[str], None]


class BenchError(DiscourseError):
    """A benchmark step did not run (not: it ran slowly)."""

#: comment texts used by the throughput steps that need no whole corpus (topics, engine against vaderSentiment)
SAMPLE = 20_000
#: comment lengths of the length curve, in words, and texts scored at each
LENGTHS = (100, 400, 1_600, 6_400)
LENGTH_TEXTS = 200
#: times the parse step runs (each in a fresh process); the table shows the best and every run
PARSE_RUNS = 3
#: iterations of the pure-Python loop that measures what two processes gain on this machine (about 2 s)
CEILING_LOOPS = 15_000_000


@dataclass
class Run:
    """One process: its wall time, the peak resident memory of its process tree, exit code and output."""

    seconds: float
    peak_bytes: int
    returncode: int
    stdout: str
    stderr: str
    #: user + system CPU seconds of the process and the worker processes it waited for: on a shared machine
    #: the wall time says how busy the machine was as much as how much work the step did; this does not
    cpu_seconds: float = 0.0

    def json(self) -> dict:
        return json.loads(_checked(self).stdout.strip().splitlines()[-1])


def _checked(run: Run) -> Run:
    if run.returncode != 0:
        raise BenchError(f"a benchmark step failed (exit code {run.returncode}): {run.stderr.strip()[-600:]}",
                         hint="run the step's command by hand to see the whole error")
    return run


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def run_process(args: Sequence[str], *, cwd: str | Path | None = None, env: dict | None = None) -> Run:
    """Run ``args``; sample the resident memory of its whole process tree while it runs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            env=env)
    peak = 0
    sampling = Path("/proc").is_dir()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            tree = [proc.pid]
            k = 0
            while k < len(tree):
                tree += _children(tree[k])
                k += 1
            peak = max(peak, sum(_rss(pid) for pid in tree))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampling:
        sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu
    done.set()
    if sampling:
        sampler.join()
    else:  # the largest single process (kilobytes on Linux, bytes on macOS)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = max(after, before) * (1 if sys.platform == "darwin" else 1024)
    return Run(seconds, peak, proc.returncode, stdout, stderr, cpu)


def _step(name: str, **args) -> Run:
    return run_process([sys.executable, "-m", "discourse.bench.steps", name, json.dumps(args)])


def _cli(*args: str, cwd: Path) -> Run:
    return run_process([sys.executable, "-m", "discourse", *args], cwd=cwd)


def corpus_path(work: Path, comments: int, seed: int) -> Path:
    return work / f"corpus-{comments}-seed{seed}-v{synth.VERSION}"


def ensure_corpus(work: Path, comments: int, seed: int, workers: int) -> tuple[Path, float | None]:
    """The synthetic corpus of ``comments`` comments (generated once, then reused), and the seconds it took
    to generate it now (None when it already existed)."""
    path = corpus_path(work, comments, seed)
    done = path / ".complete"
    if done.is_file():
        return path, None
    start = time.perf_counter()
    synth.generate(path, comments, seed=seed, workers=workers)
    seconds = time.perf_counter() - start
    done.write_text(f"{seconds!r}\n", encoding="utf-8")
    return path, seconds


@dataclass
class SizeResult:
    """Every figure measured on one corpus size (None where not measured)."""

    comments: int
    figures: dict[str, object] = field(default_factory=dict)


@dataclass
class BenchResult:
    sizes: list[SizeResult]
    lengths: list[dict]
    machine: dict

    ROWS = (
        ("articles", "articles"),
        ("corpus_mb", "corpus size (MB)"),
        ("words", "words (comments + articles)"),
        ("generate_s", "generate corpus (s, once)"),
        ("parse_mb_s", "parse, 1 process (MB/s), best run"),
        ("parse_runs", "parse, 1 process: every run (MB/s)"),
        ("parse_peak", "parse: peak memory"),
        ("score1_cps", "scoring, 1 worker (comments/s)"),
        ("score1_wps", "scoring, 1 worker (words/s)"),
        ("score2_cps", "scoring, 2 workers (comments/s)"),
        ("score2_wps", "scoring, 2 workers (words/s)"),
        ("score_ratio", "2 workers against 1"),
        ("ceiling_ratio", "this machine's ceiling: a pure-Python loop, 2 processes against 1"),
        ("score2_peak", "scoring, 2 workers: peak memory"),
        ("topics_mb_s", "topic matching, 1 core (MB/s)"),
        ("topics_tps", "topic matching, 1 core (comments/s)"),
        ("vader_tps", "VADER engine (comments/s)"),
        ("vader_ratio", "engine against vaderSentiment 3.3.2"),
        ("export_s", "discourse export, 2 workers (s)"),
        ("export_peak", "discourse export: peak memory"),
        ("report_s", "discourse report, 2 workers (s)"),
        ("report_peak", "discourse report: peak memory"),
        ("export_cpu_s", "discourse export: CPU time, all its processes (s)"),
        ("report_cpu_s", "discourse report: CPU time, all its processes (s)"),
        ("report_html_mb", "report index.html (MB)"),
    )

    def markdown(self) -> str:
        """The results as Markdown tables: one column per corpus size, then the comment-length curve."""
        head = ["| comments | " + " | ".join(f"{s.comments:,}" for s in self.sizes) + " |",
                "|---|" + "---:|" * len(self.sizes)]
        rows = [f"| {label} | " + " | ".join(_cell(key, s.figures.get(key)) for s in self.sizes) + " |"
                for key, label in self.ROWS]
        out = head + rows
        if self.lengths:
            out += ["", "| words per comment | sentence + whole-text scoring (comments/s) | words/s | "
                        "engine, whole text (comments/s) | vaderSentiment 3.3.2 (comments/s) | engine against "
                        "vaderSentiment |", "|---:|---:|---:|---:|---:|---:|"]
            for r in self.lengths:
                out.append(f"| {r['length']:,} | {r['texts'] / r['seconds']:,.0f} | {r['words'] / r['seconds']:,.0f} | "
                           f"{r['texts'] / r['whole_seconds']:,.0f} | {r['texts'] / r['reference_seconds']:,.1f} | "
                           f"{r['reference_seconds'] / r['whole_seconds']:,.1f}x |")
        return "\n".join(out)

    def machine_line(self) -> str:
        m = self.machine
        return (f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']:.0f} GB RAM, {m['system']}, Python {m['python']}, "
                f"polars {m['polars']}, C kernels {m['native']}; "
                f"load average {m['load_before']} before, {m['load_after']} after")


def _cell(key: str, value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if key.endswith("_peak"):
        return f"{value / 1e9:.2f} GB" if value >= 1e8 else f"{value / 1e6:.0f} MB"  # type: ignore[operator]
    if key.endswith("ratio"):
        return f"{value:.2f}x"
    if key.endswith("_s") or key.endswith("_mb_s") or key.endswith("_mb"):
        return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"  # type: ignore[operator]
    return f"{value:,.0f}"


def machine() -> dict:
    """What the benchmarks ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            names = [ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError):
        memory = 0.0
    import polars

    from discourse.readers import asbarez
    from discourse.scoring.lexicon import native_scanner_available
    from discourse.sentiment.engine import native_kernel

    # the steps run in child processes with this environment, so they use the kernels this process finds
    kernels = (native_kernel() is not None, native_scanner_available(), asbarez._comment_section_c is not None)
    native = ("on" if all(kernels) else "off (pure Python)" if not any(kernels)
              else "partly on (" + ", ".join(name for name, on in zip(("_vader", "_scan", "_asbarez"), kernels)
                                             if on) + ")")
    return {"cpu": cpu, "native": native, "cores": os.cpu_count(), "memory_gb": memory,
            "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "polars": polars.__version__,
            "load_before": _load(), "load_after": None}


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def parse_size(text: str) -> int:
    """``1k`` -> 1000, ``1M`` -> 1000000, ``250`` -> 250."""
    t = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    try:
        value = float(t[:-1] if scale > 1 else t) * scale
    except ValueError:
        raise ConfigError(f"not a corpus size: {text!r}", hint="write sizes like 200, 1k, 100k or 1M") from None
    if value < 1 or value != int(value):
        raise ConfigError(f"not a corpus size: {text!r}", hint="a whole number of comments, at least 1")
    return int(value)


def run_benchmarks(sizes: Sequence[int], work: str | Path = "bench-out", *, seed: int = 0, sample: int = SAMPLE,
                   lengths: Sequence[int] = LENGTHS, length_texts: int = LENGTH_TEXTS, report: bool = True,
                   ceiling_loops: int = CEILING_LOOPS, parse_runs: int = PARSE_RUNS, end_to_end_only: bool = False,
                   progress: Say | None = None) -> BenchResult:
    """Generate (or reuse) a synthetic corpus of each size in ``work`` and measure every step on it.

    The parse step runs ``parse_runs`` times, each in a fresh process: a neighbour on a shared machine only
    ever slows a run down, so the best run is the code's throughput (as ``timeit`` reports its best), and
    every run is printed beside it so the spread shows. ``end_to_end_only`` measures the machine's
    two-process ceiling, ``discourse export`` and ``discourse report`` alone (the other rows show –)."""
    if not sizes:
        raise ConfigError("no corpus sizes given", hint="e.g. --sizes 1k,100k")
    if parse_runs < 1:
        raise ConfigError(f"parse_runs must be at least 1, got {parse_runs}", hint="e.g. 3")
    work = Path(work).absolute()  # the export and report steps run with the work folder as current folder
    work.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda message: None)
    info = machine()
    results = []
    for n in sizes:
        say(f"{n:,} comments: corpus")
        path, generated = ensure_corpus(work, n, seed, workers=2)
        f: dict[str, object] = {"generate_s": generated}
        if generated is None:
            f["generate_s"] = float((path / ".complete").read_text(encoding="utf-8").split()[0])
        if end_to_end_only:
            f["corpus_mb"] = sum(p.stat().st_size for p in path.iterdir() if p.suffix == ".txt") / 1e6
        speeds, peak = [], 0
        for k in range(0 if end_to_end_only else parse_runs):
            say(f"{n:,} comments: parse ({k + 1} of {parse_runs})")
            run = _step("parse", corpus=str(path))
            p = run.json()
            speeds.append(p["bytes"] / 1e6 / p["seconds"])
            peak = max(peak, run.peak_bytes)
        if speeds:
            words = p["comment_words"] + p["article_words"]
            f.update(articles=p["articles"], corpus_mb=p["bytes"] / 1e6, words=words, parse_mb_s=max(speeds),
                     parse_runs=" / ".join(f"{x:.1f}" for x in speeds), parse_peak=peak)
        say(f"{n:,} comments: what two processes gain on this machine")
        c = _step("ceiling", loops=ceiling_loops).json()
        f["ceiling_ratio"] = c["one"] / c["two"]
        if not end_to_end_only:
            _steps(f, n, path, sample, say)
        say(f"{n:,} comments: discourse export")
        out = work / f"export-{n}"
        shutil.rmtree(out, ignore_errors=True)
        run = _checked(_cli("export", str(path), "--out", str(out), "--workers", "2", "--quiet", cwd=work))
        f.update(export_s=run.seconds, export_peak=run.peak_bytes, export_cpu_s=run.cpu_seconds)
        if report:
            say(f"{n:,} comments: discourse report")
            out = work / f"report-{n}"
            shutil.rmtree(out, ignore_errors=True)
            run = _checked(_cli("report", str(path), "--out", str(out), "--workers", "2", "--quiet", cwd=work))
            f.update(report_s=run.seconds, report_peak=run.peak_bytes, report_cpu_s=run.cpu_seconds)
            html = out / "index.html"
            f["report_html_mb"] = html.stat().st_size / 1e6 if html.is_file() else None
        else:
            f.update(report_s="not available", report_peak=None, report_html_mb=None)
        results.append(SizeResult(n, f))
    curve = []
    for words in () if end_to_end_only else lengths:
        say(f"comments of {words:,} words")
        r = _step("lengths", words=words, texts=length_texts).json()
        curve.append({"length": words, **r})
    info["load_after"] = _load()
    return BenchResult(results, curve, info)


def _steps(f: dict[str, object], n: int, path: Path, sample: int, say: Say) -> None:
    """The throughput rows: scoring with one and two workers, topic matching, the VADER engine."""
    for workers in (1, 2):
        say(f"{n:,} comments: scoring with {workers} worker(s)")
        run = _step("score", corpus=str(path), workers=workers)
        s = run.json()
        f[f"score{workers}_cps"] = n / s["seconds"]
        f[f"score{workers}_wps"] = s["words"] / s["seconds"]
        f[f"score{workers}_peak"] = run.peak_bytes
    f["score_ratio"] = f["score2_cps"] / f["score1_cps"]  # type: ignore[operator]
    say(f"{n:,} comments: topic matching")
    t = _step("topics", corpus=str(path), sample=sample).json()
    f.update(topics_mb_s=t["bytes"] / 1e6 / t["seconds"], topics_tps=t["texts"] / t["seconds"])
    say(f"{n:,} comments: VADER engine against vaderSentiment")
    v = _step("vader", corpus=str(path), sample=sample).json()
    f.update(vader_tps=v["texts"] / v["seconds"], vader_ratio=v["reference_seconds"] / v["seconds"])
    if not v["same"]:
        f["vader_ratio"] = "scores differ!"
