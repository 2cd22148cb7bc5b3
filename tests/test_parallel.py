"""Issue 6: the process pools change nothing but the time. Reading with several
workers and running the rules in forked workers give the very same report as one
process, including what only the workers see (unknown calendar years)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_rules import Bundle

from peixun_audit import load as load_module
from peixun_audit.audit import run
from peixun_audit.load import load_file, load_paths
from peixun_audit.parallel import can_fork
from peixun_audit.report import rows
from peixun_audit.rules import RULES
from peixun_audit.rules.base import PENDING
from peixun_audit.ruleset import load_rulesets

pytestmark = pytest.mark.skipif(not can_fork(), reason="the pools need fork")
AS_OF = dt.date(2026, 1, 1)


def _document(folder, jobs: int) -> dict:
    dataset = load_paths([folder], jobs=jobs)
    result = run(dataset, load_rulesets(), AS_OF, list(RULES), jobs=jobs)
    return rows.document(result, "zh", False)


def test_pools_give_the_same_report_as_one_process(sample_dir, tmp_path):
    # sample_data twice over (as two counties' folders) so each worker gets several files
    for county in ("a", "b"):
        shutil.copytree(sample_dir, tmp_path / county)
    single = _document(tmp_path, jobs=1)
    assert single["findings"] and len(single["inputs"]) >= 18
    assert _document(tmp_path, jobs=2) == single
    assert _document(tmp_path, jobs=3) == single


def test_unknown_calendar_years_travel_back_from_rule_workers(tmp_path):
    b = Bundle()
    b.cls["开班申请日期"] = dt.date(2099, 8, 31)  # a year chinesecalendar cannot know
    b.cls["开班日期"] = dt.date(2099, 9, 7)
    single = _document(b.write(tmp_path), jobs=1)
    assert single["calendar_years_unknown"] == [2099]
    assert _document(tmp_path, jobs=2)["calendar_years_unknown"] == [2099]


def test_rules_that_start_before_attendance_do_not_read_it(sample_dir):
    """Rules without ``uses_attendance`` run in workers forked before attendance is
    computed; each must run on a context whose attendance is not there yet."""
    result = run(load_paths([sample_dir]), load_rulesets(), AS_OF, list(RULES))
    ctx = dataclasses.replace(result.context, attendance=PENDING)
    early = [code for code, rule in RULES.items() if not rule.uses_attendance]
    assert len(early) > 25
    for code in early:
        list(RULES[code]().check(ctx))
    with pytest.raises(RuntimeError, match="uses_attendance"):
        list(RULES["A0401"]().check(ctx))


def test_reading_workers_start_before_pandas_is_imported(sample_dir):
    """The CLI forks the reading pool before it imports the pandas-based layers, so that
    importing them overlaps with reading: neither the CLI module nor reading a workbook
    may import pandas."""
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
    monkeypatch.setattr(load_module, "load_file", _dies_on_crash_files)
    dataset = load_paths([tmp_path / "in"], jobs=2)
    by_name = {Path(f.path).name: f for f in dataset.inputs}
    crashed = by_name.pop("crash.xlsx")
    assert crashed.status == "failed"
    assert [p.code for p in crashed.problems] == ["reader-crashed"]
    alone = {Path(f.path).name: f.status for f in load_paths([sample_dir]).inputs}
    assert {name: f.status for name, f in by_name.items()} == alone


def test_a_rule_worker_that_dies_is_replaced_by_this_process(sample_dir, monkeypatch):
    parent = os.getpid()
    original = RULES["A0101"].check

    def dies_in_workers(self, ctx):
        if os.getpid() != parent:
            os._exit(70)
        return original(self, ctx)

    single = _document(sample_dir, jobs=1)
    monkeypatch.setattr(RULES["A0101"], "check", dies_in_workers)
    assert _document(sample_dir, jobs=2) == single
