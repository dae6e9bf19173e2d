"""Turn paths into a :class:`~discourse.model.Corpus`: find the thread files, pick a reader for each,
apply the folder's manifest, link the reply trees, and collect what went wrong without stopping."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.errors import DiscourseError, InputError
from discourse.model import Corpus
from discourse.parallel import Progress, default_workers, ordered_map
from discourse.readers import manifest as manifest_mod
from discourse.readers.base import Diagnostic, ParsedFile, ReadOptions, ReadReport
from discourse.readers.join import JOINED_FORMATS, join_threads, split_groups
from discourse.readers.tree import link

#: rows held as Python lists before they are moved into a polars frame (bounds memory on big corpora)
CHUNK_ROWS = 100_000


class _Columns:
    """Append rows column by column; flush to polars frames every CHUNK_ROWS rows."""

    def __init__(self, table: schema.Table) -> None:
        self.table = table
        self.frames: list[pl.DataFrame] = []
        self._reset()

    def _reset(self) -> None:
        self.cols: dict[str, list] = {n: [] for n in self.table.names}
        self.n = 0

    def add(self, row: dict) -> None:
        for k, v in row.items():
            self.cols[k].append(v)
        self.n += 1
        if self.n >= CHUNK_ROWS:
            self.flush()

    def extend(self, rows: list[dict]) -> None:
        """Add rows that each have every column (what :func:`~discourse.readers.tree.link` returns)."""
        for name, column in self.cols.items():
            column += map(itemgetter(name), rows)
        self.n += len(rows)
        if self.n >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.n:
            self.frames.append(schema.frame(self.table, self.cols))
            self._reset()

    def frame(self) -> pl.DataFrame:
        self.flush()
        if not self.frames:
            return schema.frame(self.table)
        return pl.concat(self.frames, rechunk=True) if len(self.frames) > 1 else self.frames[0]


def _hidden(p: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(root).parts)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """The thread files (and corpus folders) behind ``paths``, in a stable order."""
    from discourse.readers import readers, thread_extensions

    dir_readers = [r for r in readers().values() if r.directory]
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError("no such file or directory", path=p,
                             hint="check the path; with no paths discourse reads ./threads")
        if p.is_file():
            out.append(p)
            continue
        if any(r.sniff(p, b"") > 0 for r in dir_readers):
            out.append(p)
            continue
        exts = thread_extensions()
        found: list[Path] = []
        corpus_dirs: list[Path] = []
        for f in sorted(p.rglob("*")):
            if _hidden(f, p) or any(f.is_relative_to(d) for d in corpus_dirs):
                continue
            if f.is_dir():
                if any(r.sniff(f, b"") > 0 for r in dir_readers):
                    corpus_dirs.append(f)
                    found.append(f)
                continue
            if f.name == manifest_mod.FILENAME or f.name.lower().startswith("readme"):
                continue
            if f.suffix.lower() in exts or "".join(f.suffixes[-2:]).lower() in exts:
                found.append(f)
        if not found:
            raise InputError("no thread files in this folder", path=p,
                             hint="expected files ending in " + ", ".join(sorted(exts)) + "; or pass files directly")
        out.extend(found)
    return out


def _sha256(path: Path) -> str | None:
    target = path / "utterances.jsonl" if path.is_dir() else path
    if not target.is_file():
        return None
    h = hashlib.sha256()
    with target.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Plan:
    """What reading will read: every file with its manifest entry, in order, the manifests' own diagnostics
    by folder (listed before the folder's first file's), and manifest rows naming files that are not there
    (listed after every file's)."""

    entries: list[tuple[Path, manifest_mod.Entry | None]]
    manifest_diags: dict[Path, list[Diagnostic]]
    missing: list[Diagnostic]


def plan(paths: Sequence[str | Path], opts: ReadOptions) -> Plan:
    """The files behind ``paths`` with their manifests (:class:`Plan`); raises for a path that is not there,
    an unknown format, or (``opts.strict``) a manifest that cannot be read."""
    from discourse.readers import get_reader

    if opts.format:
        get_reader(opts.format)  # an unknown format fails before any file is read
    files = expand(paths)
    manifests: dict[Path, dict[str, manifest_mod.Entry] | None] = {}
    manifest_diags: dict[Path, list[Diagnostic]] = {}
    for directory in dict.fromkeys(path.parent for path in files):
        mpath = directory / manifest_mod.FILENAME
        entries = None
        found: list[Diagnostic] = []
        if mpath.is_file():
            try:
                entries = manifest_mod.load(mpath)
            except DiscourseError as err:
                if opts.strict:
                    raise
                found.append(Diagnostic("error", "bad-manifest", err.path, err.line,
                                        err.message + "; metadata ignored", err.hint))
        manifests[directory] = entries
        manifest_diags[directory] = found
    listed = [(path, (manifests[path.parent] or {}).get(path.name)) for path in files]
    used = {(path.parent, path.name) for path, entry in listed if entry is not None}
    missing = []
    for directory, entries in manifests.items():
        for name, e in (entries or {}).items():
            if (directory, name) not in used and not (directory / name).exists():
                missing.append(Diagnostic("warning", "manifest-missing-file", str(directory / manifest_mod.FILENAME),
                                          e.line, f"lists {name!r}, which is not in the folder",
                                          "remove the row or restore the file"))
    return Plan(listed, manifest_diags, missing)


def read(paths: str | Path | Sequence[str | Path] = "threads", *, format: str | None = None,
         strict: bool = False, roles: bool = False, options: ReadOptions | None = None,
         progress: Progress | None = None, workers: int | None = 1) -> Corpus:
    """Read thread files into a :class:`Corpus`.

    A file that cannot be read is reported in ``corpus.diagnostics`` and skipped, unless ``strict``,
    which raises its :class:`~discourse.errors.DiscourseError` instead. ``workers > 1`` parses files in
    that many processes, ``None`` in one per core (:func:`discourse.parallel.default_workers`); files that
    fit in one run (one folder, at most :data:`CHUNK_FILES` files and about :data:`CHUNK_BYTES`) are read in
    this process whatever ``workers`` says. The corpus is the same either way.

    >>> corpus = read("threads")            # doctest: +SKIP
    >>> corpus.comments.height              # doctest: +SKIP
    14
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    opts = options or ReadOptions()
    opts = replace(opts, format=format or opts.format, strict=strict or opts.strict, roles=roles or opts.roles)
    found = plan(paths, opts)
    if workers is None:
        workers = default_workers()
    jobs = _jobs(found.entries, workers, opts)
    diags: list[Diagnostic] = []
    parts: list[_Part] = []
    for part in _parts(jobs, workers, opts, found.manifest_diags, progress, len(found.entries)):
        diags.extend(part.diagnostics)
        parts.append(part)
    if progress:
        progress(len(found.entries), len(found.entries), "")
    diags += found.missing

    def table(name: str, empty: schema.Table) -> pl.DataFrame:
        frames = [getattr(part, name) for part in parts]
        return pl.concat(frames, rechunk=True) if len(frames) > 1 else frames[0] if frames else schema.frame(empty)

    articles, paragraphs, comments = (table("articles", schema.ARTICLES), table("paragraphs", schema.PARAGRAPHS),
                                      table("comments", schema.COMMENTS))
    groups = split_groups(pl.concat([part.keys for part in parts]) if parts else KEYS.frame())
    if groups:  # a thread in several files (a Reddit submission's comments in several monthly dumps)
        joined = join_threads(articles, paragraphs, comments, groups, pl.concat([part.orphans for part in parts]))
        articles, paragraphs, comments = joined.articles, joined.paragraphs, joined.comments
        diags = joined.diagnostics(diags)
    return Corpus(articles=articles, paragraphs=paragraphs, comments=comments, diagnostics=diagnostics_frame(diags),
                  files=table("files", schema.FILES),
                  line_roles=table("line_roles", schema.LINE_ROLES) if opts.roles else None)


def diagnostics_frame(diags: list[Diagnostic]) -> pl.DataFrame:
    """The ``diagnostics`` table of a list of diagnostics."""
    columns: dict[str, list] = {
        "level": [d.level for d in diags], "code": [d.code for d in diags], "path": [d.path for d in diags],
        "line": [d.line for d in diags], "message": [d.message for d in diags], "hint": [d.hint for d in diags]}
    return schema.frame(schema.DIAGNOSTICS, columns)


class KEYS:
    """The side tables a part carries for joining threads across files (:mod:`discourse.readers.join`)."""

    keys = {"article_id": pl.String, "key": pl.String}
    orphans = {"comment_id": pl.String, "parent": pl.String}

    @staticmethod
    def frame(rows: list | None = None) -> pl.DataFrame:
        return pl.DataFrame(rows or [], schema=KEYS.keys, orient="row")

    @staticmethod
    def orphan_frame(rows: list | None = None) -> pl.DataFrame:
        return pl.DataFrame(rows or [], schema=KEYS.orphans, orient="row")


#: files and bytes of input parsed by one worker task
CHUNK_FILES = 256
CHUNK_BYTES = 8 * 1024**2

_Job = list[tuple[Path, "manifest_mod.Entry | None"]]


@dataclass
class _Part:
    """What reading a run of files gives: their rows and diagnostics, in file order."""

    articles: pl.DataFrame
    paragraphs: pl.DataFrame
    comments: pl.DataFrame
    files: pl.DataFrame
    line_roles: pl.DataFrame | None
    diagnostics: list[Diagnostic]
    keys: pl.DataFrame  # article_id, key: the articles of JOINED_FORMATS, which may continue in other files
    orphans: pl.DataFrame  # comment_id, parent: their orphans' parents as the source names them


def _jobs(entries: _Job, workers: int, opts: ReadOptions) -> list[_Job]:
    """The files with their manifest entries, in runs read one after another (one run read in this process)
    or by worker processes: runs never span two folders and hold about CHUNK_BYTES."""
    if workers <= 1 or opts.strict or len(entries) < 2 or not _ids_are_independent(entries):
        return [entries] if entries else []
    jobs: list[_Job] = []
    size = 0
    for path, entry in entries:
        if not jobs or len(jobs[-1]) >= CHUNK_FILES or size >= CHUNK_BYTES or jobs[-1][0][0].parent != path.parent:
            jobs.append([])
            size = 0
        jobs[-1].append((path, entry))
        size += path.stat().st_size if path.is_file() else CHUNK_BYTES
    return jobs


def _ids_are_independent(entries: _Job) -> bool:
    """Whether no article id can depend on another file's: every file's id base is distinct, and none
    holds the ':' of multi-article ids or the '~' of renamed duplicates."""
    bases = [(entry.id if entry and entry.id else None) or path.stem for path, entry in entries]
    return len(set(bases)) == len(bases) and not any(":" in b or "~" in b for b in bases)


def _parts(jobs: list[_Job], workers: int, opts: ReadOptions, manifest_diags: dict[Path, list[Diagnostic]],
           progress: Progress | None, total: int):
    """The part of each job, in order, read here or in worker processes."""
    firsts = first_diagnostics(jobs, manifest_diags)
    if len(jobs) <= 1:
        for job, first in zip(jobs, firsts):
            yield _read_job(job, opts, first, progress, total)
        return
    done = [0, *accumulate(len(job) for job in jobs)]  # files read before each job

    def waiting(k: int) -> None:
        if progress:
            progress(done[k], total, str(jobs[k][0][0]))

    yield from ordered_map(_read_job, ((job, opts, first) for job, first in zip(jobs, firsts)), workers,
                           waiting=waiting)


def first_diagnostics(jobs: list[_Job], manifest_diags: dict[Path, list[Diagnostic]]
                      ) -> list[dict[Path, list[Diagnostic]]]:
    """For each job, the manifest diagnostics it lists: a folder's go with the job reading its first file,
    before that file's own."""
    firsts: list[dict[Path, list[Diagnostic]]] = []
    seen: set[Path] = set()
    for job in jobs:
        first: dict[Path, list[Diagnostic]] = {}
        for path, _ in job:
            if path.parent not in seen:
                seen.add(path.parent)
                first[path.parent] = manifest_diags.get(path.parent, [])
        firsts.append(first)
    return firsts


def _read_job(job: _Job, opts: ReadOptions, first: dict[Path, list[Diagnostic]],
              progress: Progress | None = None, total: int = 0) -> _Part:
    """Read a run of files, in order (the whole corpus when reading in one process). ``first`` holds the
    manifest diagnostics of the folders whose first file is in the run."""
    from discourse.readers import detect, get_reader

    forced = get_reader(opts.format) if opts.format else None
    diags: list[Diagnostic] = []
    article_ids: set[str] = set()
    articles = _Columns(schema.ARTICLES)
    paragraphs = _Columns(schema.PARAGRAPHS)
    comments = _Columns(schema.COMMENTS)
    files_t = _Columns(schema.FILES)
    line_roles = _Columns(schema.LINE_ROLES) if opts.roles else None
    keys: list[tuple[str, str]] = []
    orphans: list[tuple[str, str]] = []
    for k, (path, entry) in enumerate(job):
        if progress:
            progress(k, total, str(path))
        diags.extend(first.pop(path.parent, ()))
        file_opts = replace(opts, title=entry.title if entry else None)
        reader = forced
        try:
            reader = reader or detect(path, file_opts)
            parsed = reader.read(path, file_opts)
            staged = _stage(parsed, path, entry, article_ids, line_roles is not None)
        except DiscourseError as err:
            if opts.strict:
                raise
            diags.append(Diagnostic("error", type(err).__name__.removesuffix("Error").lower() + "-error",
                                    err.path or str(path), err.line, err.message + "; file skipped", err.hint))
            files_t.add(_skipped(path))
            continue
        except Exception as err:
            if opts.strict:
                raise
            diags.append(_crash(err, path, reader))
            files_t.add(_skipped(path))
            continue
        n_comments = staged.commit(article_ids, articles, paragraphs, comments, line_roles, keys, orphans)
        diags.extend(parsed.diagnostics)
        files_t.add({"source_path": str(path), "format": parsed.format, "status": "read", "sha256": _sha256(path),
                     "n_articles": len(parsed.articles), "n_comments": n_comments,
                     "report": json.dumps(parsed.report.as_dict(), sort_keys=True)})
    return _Part(articles.frame(), paragraphs.frame(), comments.frame(), files_t.frame(),
                 line_roles.frame() if line_roles is not None else None, diags, KEYS.frame(keys),
                 KEYS.orphan_frame(orphans))


def _skipped(path: Path) -> dict:
    return {"source_path": str(path), "format": None, "status": "skipped", "sha256": None,
            "n_articles": 0, "n_comments": 0, "report": "{}"}


def _crash(err: Exception, path: Path, reader: object) -> Diagnostic:
    """The error diagnostic for an exception no reader should raise: the file, what failed, what to do."""
    name = getattr(reader, "name", None)
    what = f"the {name} reader" if name else "detecting the format"
    detail = str(err) if len(str(err)) <= 200 else str(err)[:197] + "..."
    return Diagnostic("error", "reader-fault", str(path), None,
                      f"{what} failed with {type(err).__name__}{': ' + detail if detail else ''}; file skipped",
                      "this is a fault in discourse, not in your data alone: please report it with the file; "
                      "run with --strict to see the traceback, or remove the file to read the others")


@dataclass
class _Staged:
    """One file's rows, built in full before any is added to the corpus (so a fault leaves no half file)."""

    ids: list[str]
    articles: list[dict]
    paragraphs: list[dict]
    comments: list[list[dict]]
    line_roles: list[dict]
    #: the articles of JOINED_FORMATS (which may continue in other files) and their orphans' parents
    keys: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[tuple[str, str]] = field(default_factory=list)

    def commit(self, article_ids: set[str], articles: _Columns, paragraphs: _Columns, comments: _Columns,
               line_roles: _Columns | None, keys: list[tuple[str, str]], orphans: list[tuple[str, str]]) -> int:
        article_ids.update(self.ids)
        keys += self.keys
        orphans += self.orphans
        for row in self.articles:
            articles.add(row)
        for row in self.paragraphs:
            paragraphs.add(row)
        for rows in self.comments:
            comments.extend(rows)
        if line_roles is not None:
            for row in self.line_roles:
                line_roles.add(row)
        return sum(map(len, self.comments))


def _stage(parsed: ParsedFile, path: Path, entry: manifest_mod.Entry | None, used_ids: set[str],
           roles: bool) -> _Staged:
    base = (entry.id if entry and entry.id else None) or path.stem
    multi = len(parsed.articles) > 1 or any(a.key is not None for a in parsed.articles)
    source = str(path)
    staged = _Staged([], [], [], [], [])
    mine: set[str] = set()

    def used(aid: str) -> bool:
        return aid in used_ids or aid in mine
    undated: list[str] = []
    for art in parsed.articles:
        aid = f"{base}:{art.key}" if multi and art.key is not None else base
        if used(aid):
            n = 2
            while used(f"{aid}~{n}"):
                n += 1
            parsed.diagnostics.append(Diagnostic(
                "warning", "duplicate-article-id", source, None,
                f"article id {aid!r} is already used by another file; this one is {aid}~{n}",
                "give the file its own `id` in manifest.csv"))
            aid = f"{aid}~{n}"
        mine.add(aid)
        staged.ids.append(aid)
        report = ReadReport()
        rows, idmap = link(aid, art.comments, source, report, parsed.diagnostics)
        parsed.report.merge(report)
        staged.comments.append(rows)
        if parsed.format in JOINED_FORMATS and art.key is not None:
            staged.keys.append((aid, art.key))
            if report.repaired["orphan"] or report.repaired["cycle"]:
                parent_of = {r.source_id: r.parent for r in art.comments if r.parent is not None}
                flagged = {r["comment_id"] for r in rows if r["orphan"]}
                staged.orphans += [(cid, parent_of[sid]) for sid, cid in idmap.items()
                                   if cid in flagged and sid in parent_of]
        counters = {"body": 0, "caption": 0}
        keymap: dict[str, str] = {}
        for p in art.paragraphs:
            counters[p.role] += 1
            local = ("p" if p.role == "body" else "c") + str(counters[p.role])
            keymap[local] = f"{aid}/{local}"
            staged.paragraphs.append({"article_id": aid, "paragraph_id": keymap[local], "role": p.role,
                                      "position": counters[p.role], "text": p.text, "source_path": source,
                                      "line_start": p.line_start, "line_end": p.line_end})
        title = (entry.title if entry and entry.title else None) or art.title or path.stem
        published = (entry.published if entry else None) or art.published
        if published is None and entry is None:
            undated.append(aid)
        staged.articles.append({
            "article_id": aid, "title": title, "outlet": entry.outlet if entry else None,
            "url": (entry.url if entry and entry.url else None) or art.url, "published": published,
            "date_estimated": bool(entry.date_estimated) if entry else False,
            "date_basis": entry.date_basis if entry else None, "format": parsed.format, "source_path": source,
            "body": "\n\n".join(p.text for p in art.paragraphs if p.role == "body"),
            "n_paragraphs": counters["body"], "n_captions": counters["caption"], "n_comments": len(rows),
            "truncated": art.truncated or any(r["truncated"] for r in rows),
        })
        if roles and parsed.roles is not None:
            for line, role, ref, text in parsed.roles:
                full = keymap.get(ref) or idmap.get(ref) if ref is not None else None
                staged.line_roles.append({"source_path": source, "line": line, "role": role, "ref": full,
                                          "text": text})
    if undated:
        what = f"article {undated[0]!r}" if len(undated) == 1 else f"{len(undated)} articles (first {undated[0]!r})"
        hint = (f"add a row for {path.name!r} to {path.parent / 'manifest.csv'} "
                "(columns: file,id,title,outlet,url,published,date_estimated,date_basis)"
                if len(parsed.articles) == 1 else "the source gives no dates for them; they are left off dated axes")
        parsed.diagnostics.append(Diagnostic("warning", "no-metadata", source, None,
                                             f"no date or outlet for {what}: left off dated axes", hint))
    return staged
