"""The reading pool changes nothing but the time, works with spawned workers (as on
Windows and macOS), and never outlives its run: Ctrl-C exits 130 at once with no
traceback and no process left behind, and workers end when their parent is killed."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from peixun_audit import load as load_module
from peixun_audit.audit import run
from peixun_audit.load import load_file, load_paths
from peixun_audit.parallel import START_METHOD
from peixun_audit.report import rows
from peixun_audit.rules import RULES
from peixun_audit.ruleset import load_rulesets

AS_OF = dt.date(2026, 1, 1)


def _copy_distinct(source: Path, target: Path) -> Path:
    """A copy of a folder of workbooks that differs byte for byte from the original (a
    byte-identical copy is read once): each .xlsx gets a zip comment, each other file a
    tail its reader ignores."""
    shutil.copytree(source, target)
    for path in target.rglob("*.xls*"):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path, "a") as archive:
                archive.comment = str(target).encode()
        else:
            with path.open("ab") as fh:
                fh.write(str(target).encode())
    return target


def _document(folder, jobs: int) -> dict:
    dataset = load_paths([folder], jobs=jobs)
    result = run(dataset, load_rulesets(), AS_OF, list(RULES))
    return rows.document(result, "zh", False)


def test_workers_are_spawned_everywhere():
    assert START_METHOD == "spawn"


def test_pool_gives_the_same_report_as_one_process(sample_dir, tmp_path):
    # sample_data twice over (as two counties' folders) so each worker gets several files
    for county in ("a", "b"):
        _copy_distinct(sample_dir, tmp_path / county)
    single = _document(tmp_path, jobs=1)
    assert single["findings"] and len(single["inputs"]) >= 18
    assert _document(tmp_path, jobs=2) == single
    assert _document(tmp_path, jobs=3) == single


def test_reading_workers_start_before_pandas_is_imported(sample_dir):
    """The CLI starts the reading workers before it imports the pandas-based layers, so
    that importing them overlaps with reading (and a worker starts fast): neither the
    CLI module nor reading a workbook may import pandas."""
    code = (
        "import sys; from pathlib import Path; import peixun_audit.cli; "
        "from peixun_audit.load import load_file; "
        f"load_file(next(Path({str(sample_dir)!r}).glob('*.xlsx')), 'x'); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _dies_on_crash_files(path, display):
    if display.endswith("crash.xlsx"):
        os._exit(70)  # what a segfault in a native reader looks like to the pool
    return load_file(path, display)


def test_a_reader_that_dies_is_reported_and_the_rest_still_read(sample_dir, tmp_path, monkeypatch):
    shutil.copytree(sample_dir, tmp_path / "in")
    good = sorted((tmp_path / "in").glob("*.xlsx"))
    shutil.copy(good[0], tmp_path / "in" / "crash.xlsx")
    with zipfile.ZipFile(tmp_path / "in" / "crash.xlsx", "a") as archive:
        archive.comment = b"not a copy"  # a copy would not be read at all
    monkeypatch.setattr(load_module, "load_file", _dies_on_crash_files)
    dataset = load_paths([tmp_path / "in"], jobs=2)
    by_name = {Path(f.path).name: f for f in dataset.inputs}
    crashed = by_name.pop("crash.xlsx")
    assert crashed.status == "failed"
    assert [p.code for p in crashed.problems] == ["reader-crashed"]
    alone = {Path(f.path).name: f.status for f in load_paths([sample_dir]).inputs}
    assert {name: f.status for name, f in by_name.items()} == alone


# --- stopping: only where processes can be listed by their environment (Linux)
needs_proc = pytest.mark.skipif(
    not Path("/proc/self/environ").exists() or not hasattr(signal, "SIGKILL"),
    reason="lists processes through /proc",
)


def _tagged(tag: str) -> list[int]:
    """Processes whose environment carries ``tag``: the run and all its workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if tag.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _busy_folder(sample_dir: Path, tmp_path: Path, copies: int = 24) -> Path:
    for i in range(copies):
        _copy_distinct(sample_dir, tmp_path / f"county{i:02d}")
    return tmp_path


def _start(folder: Path, tag: str) -> subprocess.Popen:
    env = {**os.environ, "PEIXUN_TEST_TAG": tag}
    return subprocess.Popen(
        [sys.executable, "-m", "peixun_audit", "audit", str(folder), "--jobs", "2", "-f", "json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_workers(tag: str, n: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while len(_tagged(tag)) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_tagged(tag)) >= n, "the workers did not start"


def _gone(tag: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _tagged(tag)


@needs_proc
def test_ctrl_c_exits_130_at_once_and_leaves_no_process(sample_dir, tmp_path):
    tag = uuid.uuid4().hex
    run_ = _start(_busy_folder(sample_dir, tmp_path), tag)
    _wait_for_workers(tag, 3)  # the run and its two readers
    time.sleep(0.3)
    sent = time.monotonic()
    run_.send_signal(signal.SIGINT)
    for pid in _tagged(tag):  # a terminal sends Ctrl-C to the whole foreground group
        if pid != run_.pid:
            os.kill(pid, signal.SIGINT)
    status = run_.wait(timeout=10)
    elapsed = time.monotonic() - sent
    stderr = run_.stderr.read()
    assert status == 130, stderr
    assert elapsed < 1.0, elapsed
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert _gone(tag, 2.0), "workers outlived the interrupted run"


@needs_proc
def test_workers_end_when_the_parent_is_killed(sample_dir, tmp_path):
    tag = uuid.uuid4().hex
    run_ = _start(_busy_folder(sample_dir, tmp_path), tag)
    _wait_for_workers(tag, 3)
    run_.kill()
    run_.wait(timeout=10)
    assert _gone(tag, 3.0), "workers outlived their killed parent"


@needs_proc
def test_a_finished_run_leaves_no_process(sample_dir, tmp_path):
    """The pool is shut down without waiting for its workers to exit (they end while
    the parent audits): they must still be gone once the run is over."""
    tag = uuid.uuid4().hex
    run_ = _start(_busy_folder(sample_dir, tmp_path, copies=4), tag)
    status = run_.wait(timeout=60)
    assert status in (0, 1), run_.stderr.read()
    assert _gone(tag, 2.0), "a worker or helper outlived the finished run"


def test_reading_falls_back_to_this_process_when_no_worker_can_start(sample_dir, monkeypatch):
    """An interpreter that cannot start workers (processes refused, an embedded or
    frozen program) still reads every file, in this process, instead of calling each
    one crashed."""
    from peixun_audit import parallel

    def refused(jobs):
        raise OSError("cannot start a process")

    monkeypatch.setattr(parallel, "worker_pool", refused)
    pooled = load_paths([sample_dir], jobs=2)
    alone = load_paths([sample_dir], jobs=1)
    assert [(f.path, f.status) for f in pooled.inputs] == [(f.path, f.status) for f in alone.inputs]
    assert all(f.status != "failed" for f in pooled.inputs)


@needs_proc
@pytest.mark.parametrize("delay", [0.05, 0.6])
def test_ctrl_c_in_one_process_is_never_taken_for_a_bad_file(sample_dir, tmp_path, delay):
    """With --jobs 1 the reader catches what calamine raises (even its Rust panics): a
    Ctrl-C arriving while a file is read must still end the run, not be reported as a
    corrupt file; and the earlier report stays as it was."""
    folder = _busy_folder(sample_dir, tmp_path / "in", copies=12)
    report = tmp_path / "report.csv"
    report.write_text("earlier report\n", "utf-8")
    for attempt in range(10):
        run_ = subprocess.Popen(
            [sys.executable, "-m", "peixun_audit", "audit", str(folder), "--jobs", "1"]
            + ["-o", str(report)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # a little later on each new attempt: on a loaded machine the interpreter may
        # take longer than ``delay`` to reach our code every time
        time.sleep(delay * (1 + attempt))
        run_.send_signal(signal.SIGINT)
        status = run_.wait(timeout=20)
        stderr = run_.stderr.read()
        # on a busy machine 0.05 s may pass before the interpreter reaches __main__.run,
        # the first code that can take a Ctrl-C (Python's own handler still raises): the
        # case was not tested, so start again
        in_run = re.search(r'__main__\.py", line \d+, in run$', stderr, re.MULTILINE)
        started = in_run is not None or "KeyboardInterrupt" not in stderr
        if started:
            break
    assert started, "the run was interrupted before it started, every time"
    assert status == 130, stderr[-800:]
    assert "Traceback" not in stderr
    assert report.read_text("utf-8") == "earlier report\n"
