"""Imported files are read in a child process with limits, so that no file can take the server down.

A sheet whose grid asks for 500 GB, a zip bomb, a file that takes minutes: the child reading it
runs out of its address space (RLIMIT_AS), its CPU time (RLIMIT_CPU) or the parent's patience
(REACH_IMPORT_SECONDS of wall time), and the file is refused with a problem naming the limit.
Whatever the child does, the server's memory, threads and database connection are not touched.

Children are forked by multiprocessing's fork server: a process started once, from a fresh
interpreter, that imports the readers and holds nothing else (none of the server's threads, no
DuckDB connection), so a child starts in milliseconds. The file goes to the child as a file in
a private temporary folder (removed afterwards, with whatever the child left there); the result
comes back pickled (between our own processes), its records as one Arrow table, bounded by
REACH_IMPORT_MAX_RECORDS.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import pickle
import resource
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import ForkServerProcess, set_spawning_popen
from pathlib import Path

import duckdb
import pyarrow as pa

from dashboard import settings
from dashboard.imports import analysis
from dashboard.imports.parsing import Parsed
from dashboard.imports.problems import FileRejected, Problem, grouped

LOG = logging.getLogger("reach.imports")
MB = 2**20
# Files read at once, each child up to REACH_IMPORT_MEMORY_MB: one per core; more wait their turn.
_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
_INPUT, _OUTPUT = "input", "output"  # the file, and what the child printed (a Rust abort says why)


@dataclass(frozen=True)
class Limits:
    """What reading one file may take (settings.py, docs/settings.md)."""

    memory_mb: int  # address space of the child
    seconds: int  # wall time, from the child's start to its answer
    file_mb: int  # the file itself
    max_cells: int  # cells one sheet may span
    max_records: int  # records the answer may hold

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            memory_mb=settings.import_memory_mb(),
            seconds=settings.import_seconds(),
            file_mb=settings.max_upload_mb(),
            max_cells=settings.import_max_cells(),
            max_records=settings.import_max_records(),
        )


@dataclass
class ChildRun:
    """What reading one file in a child gave, and what it cost."""

    parsed: Parsed | None
    problems: list[Problem] = field(default_factory=list)  # why the file was refused
    seconds: float = 0.0  # wall time, start of the child to its answer
    peak_rss_mb: float | None = None  # the child's peak resident memory, as it reported it
    peak_vm_mb: float | None = None  # its peak address space (what RLIMIT_AS bounds)
    ending: str = "answered"  # or how the child ended without an answer: "timeout", "SIGABRT", "exit 1"


def analyse(
    data: bytes, zone: str, mapping: dict | None = None, limits: Limits | None = None, *, file_name: str | None = None
) -> Parsed:
    """The file's records, read in a child process with limits; FileRejected says why not.
    `file_name`: the name the file came with (parsing.parse)."""
    run = run_in_child(data, zone, mapping, limits or Limits.from_settings(), file_name=file_name)
    if run.parsed is None:
        raise FileRejected(run.problems)
    return run.parsed


def run_in_child(
    data: bytes, zone: str, mapping: dict | None, limits: Limits, *, file_name: str | None = None
) -> ChildRun:
    """Read and parse `data` in a child process bounded by `limits`; never raises for what is in the file."""
    if len(data) > limits.file_mb * MB:
        values = {"size_mb": grouped(-(-len(data) // MB)), "limit_mb": grouped(limits.file_mb)}
        return ChildRun(None, [Problem("too_large_file", values=values)], ending="not started")
    with _SLOTS:
        try:
            return _run(data, zone, mapping, limits, file_name)
        except OSError as exc:  # no process or temporary folder to be had: the server is short of something
            return ChildRun(
                None, [Problem("reader_crashed", values={"detail": type(exc).__name__})], ending="not started"
            )


def start_server() -> None:
    """Start the fork server now, if it is not running: it imports the readers (half a second)
    while this process does something else (writes the file for the child, hashes it)."""
    _context()
    forkserver.ensure_running()


def _context():
    # Not fork: the server has threads and an open DuckDB connection. The fork server imports
    # this module once, then forks clean children; pandas too, which pyarrow imports the first
    # time it converts datetimes (0.3 s a child). Not the main module (see _Launch).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "pandas"])
    return context


class _Launch(popen_forkserver.Popen):
    """multiprocessing's fork-server launch, less the parent's main module. A child that reads a
    file needs none of it, and in the server __main__ is Streamlit's page script: multiprocessing
    would run server.py again in every child (opening the database). The body is Python's own
    (3.11-3.13), but for the two keys taken out."""

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)  # the child's sentinel of its parent
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Reader(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Launch(process_obj)


def _run(data: bytes, zone: str, mapping: dict | None, limits: Limits, file_name: str | None = None) -> ChildRun:
    context = _context()
    folder = tempfile.mkdtemp(prefix="reach-import-")
    ours, theirs = context.Pipe(duplex=False)
    child = _Reader(target=_child, args=(theirs, folder, zone, mapping, limits, file_name), name="reach-import",
                    daemon=True)  # fmt: skip
    payload, ending = None, "answered"
    started = time.perf_counter()
    try:
        forkserver.ensure_running()  # its imports (start_server), while the file is written
        Path(folder, _INPUT).write_bytes(data)
        child.start()
        theirs.close()
        if ours.poll(limits.seconds):  # an answer, or the end of the pipe: the child died
            try:
                payload = ours.recv_bytes(limits.memory_mb * MB)
            except (EOFError, OSError):
                pass
        else:
            ending = "timeout"
    finally:
        if child.pid is not None:  # started
            if payload is None and child.is_alive():
                child.kill()
            child.join(10)
            if child.is_alive():
                child.kill()
                child.join()
        ours.close()
        theirs.close()
        said = _said(Path(folder, _OUTPUT))
        shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - started
    if payload is not None:
        return _answer(payload, seconds, limits)
    if ending != "timeout":
        ending = _ending(child.exitcode)
    LOG.warning("reading an imported file stopped after %.1f s (%s): %s", seconds, ending, said or "no output")
    return ChildRun(None, [_stopped(ending, limits)], seconds=seconds, ending=ending)


def _said(path: Path) -> str:
    """The first line the child printed, for the server's log."""
    try:
        with path.open("rb") as f:
            return f.read(1000).decode("utf-8", "replace").strip().split("\n")[0]
    except OSError:
        return ""


def _ending(code: int | None) -> str:
    """A child's exit code in words: 'SIGABRT', 'exit 1'."""
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit {code}"


def _stopped(ending: str, limits: Limits) -> Problem:
    """Why a child that gave no answer ended, for the user."""
    if ending in ("timeout", "SIGXCPU"):
        return Problem("too_slow", values={"seconds": grouped(limits.seconds)})
    # An allocation refused by RLIMIT_AS aborts Rust (calamine) code; a file past RLIMIT_FSIZE
    # stops with SIGXFSZ; an answer larger than the child may hold is cut off (killed).
    if ending in ("SIGABRT", "SIGKILL", "SIGXFSZ"):
        return Problem("too_much_memory", values={"limit_mb": grouped(limits.memory_mb)})
    return Problem("reader_crashed", values={"detail": ending})


def _answer(payload: bytes, seconds: float, limits: Limits) -> ChildRun:
    kind, value, rss_mb, vm_mb = pickle.loads(payload)  # noqa: S301 - our own child's answer
    run = ChildRun(None, seconds=seconds, peak_rss_mb=rss_mb, peak_vm_mb=vm_mb)
    if kind == "parsed":
        run.parsed = value
    elif kind == "rejected":
        run.problems = value
    elif kind == "memory":
        run.problems = [Problem("too_much_memory", values={"limit_mb": grouped(limits.memory_mb)})]
    else:  # an exception nobody expected: a bug, never a traceback for the user
        run.problems = [Problem("internal", values={"detail": value})]
    return run


# ---------------------------------------------------------------- in the child


def _child(answer, folder: str, zone: str, mapping: dict | None, limits: Limits, file_name: str | None = None) -> None:
    """Read the file under the limits and send one answer: (kind, value, peak RSS MB, peak VM MB)."""
    _limit(limits)
    os.chdir(folder)  # DuckDB's and our temporary files land in the folder the parent removes
    tempfile.tempdir = folder
    output = os.open(_OUTPUT, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(output, 1)
    os.dup2(output, 2)
    gc.disable()  # a short-lived process: the collector would only rescan millions of new rows
    # Arrow's own allocator reserves 1 GB of address space at its first allocation, which
    # RLIMIT_AS counts as used; the system's allocator takes what it uses (time: the same).
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        kind, value = "parsed", _parse(Path(folder, _INPUT), zone, mapping, limits, file_name)
    except FileRejected as rejected:
        kind, value = "rejected", rejected.problems
    except MemoryError:
        kind, value = "memory", None
    except BaseException as exc:  # noqa: BLE001 - one answer whatever happens; DuckDB's and Arrow's own out-of-memory errors too
        kind, value = ("memory", None) if _out_of_memory(exc) else ("internal", type(exc).__name__)
    try:
        payload = pickle.dumps((kind, value, *_peaks()), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:  # the answer itself does not fit
        payload = pickle.dumps(("memory", None, *_peaks()))
    answer.send_bytes(payload)


def _parse(path: Path, zone: str, mapping: dict | None, limits: Limits, file_name: str | None = None) -> Parsed:
    data = path.read_bytes()
    path.unlink()  # the disk back at once; and nothing left behind should the parent be killed
    parsed = analysis.parse_file(data, zone, mapping, limits.max_cells, file_name=file_name)
    del data
    if len(parsed) > limits.max_records:
        values = {"records": grouped(len(parsed)), "limit": grouped(limits.max_records)}
        raise FileRejected([Problem("too_many_records", values=values)])
    if parsed.rows:  # one Arrow table pickles in a fraction of the time a million tuples take
        parsed.table, parsed.rows = parsed.arrow(), []
    return parsed


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.OutOfMemoryException | pa.ArrowMemoryError)


def _limit(limits: Limits) -> None:
    """This process's limits: address space, CPU time (a backstop for the parent's wall-time
    limit, should the parent be gone; DuckDB may keep every core busy), files, no core dumps."""
    memory = limits.memory_mb * MB
    cpu = limits.seconds * max(1, os.cpu_count() or 1) + 5
    _lower(resource.RLIMIT_AS, memory, memory)
    _lower(resource.RLIMIT_FSIZE, memory, memory)
    _lower(resource.RLIMIT_CPU, cpu, cpu + 5)  # SIGXCPU, then SIGKILL
    _lower(resource.RLIMIT_CORE, 0, 0)


def _lower(kind: int, soft: int, hard: int) -> None:
    """Set a limit, never above the one this process was given."""
    _, given = resource.getrlimit(kind)
    if given != resource.RLIM_INFINITY:
        soft, hard = min(soft, given), min(hard, given)
    resource.setrlimit(kind, (soft, hard))


def _peaks() -> tuple[float, float | None]:
    """(peak resident memory, peak address space) of this process, in MB."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    try:
        status = Path("/proc/self/status").read_text()
        vm = next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError):
        vm = None
    return rss, vm
