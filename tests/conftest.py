"""Workbooks built in code for the tests."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import settings

# the CLI's default reads in one process during the tests (a worker pool costs a process
# start per run); the pool itself is tested with explicit --jobs / jobs= (test_parallel)
os.environ.setdefault("PEIXUN_JOBS", "1")

from peixun_audit.audit import run
from peixun_audit.load import load_paths
from peixun_audit.rules import select_codes
from peixun_audit.ruleset import load_rulesets

# property tests check values, never time: Hypothesis' default 200 ms deadline per example
# failed one (the phone column check, whose first example compiles its patterns) on a
# loaded machine, a failure that said nothing about the property
settings.register_profile("values-only", deadline=None)
settings.load_profile("values-only")

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(body17: str) -> str:
    """A valid 18-character ID for the given first 17 digits."""
    return (
        body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True)) % 11]
    )


def write_book(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    """Write sheets of rows (None = empty cell) to an .xlsx."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = (
                            "s"  # text that looks like a formula, as typed with a leading '
                        )

        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def class_row(cid="C1", start=dt.date(2020, 9, 7), end=dt.date(2020, 9, 11), hours=None, **extra):
    return {
        "班级编号": cid,
        "培训机构": "桂林市测试学校",
        "培训类型": "就业技能培训",
        "职业工种": "电工",
        "开班日期": start,
        "结业日期": end,
        "计划课时": hours,
        **extra,
    }


def table(rows: list[dict]) -> list[list[object]]:
    headers = list(rows[0])
    return [headers] + [[r.get(h) for h in headers] for r in rows]


def audit_folder(folder: Path, codes: list[str] | None = None, as_of=dt.date(2026, 1, 1)):
    dataset = load_paths([folder])
    return run(dataset, load_rulesets(), as_of, select_codes(codes, None))


def codes_of(result, code: str | None = None) -> list:
    return [f for f in result.findings if code is None or f.code == code]


@pytest.fixture
def sample_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "sample_data"


def rewrite_zip(src: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of a workbook's zip with some members replaced or added (damaged parts,
    bombs)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(src)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            zout.writestr(item.filename, replace.get(item.filename, zin.read(item.filename)))
        for name in set(replace) - set(zin.namelist()):
            zout.writestr(name, replace[name])
    return out.getvalue()
