"""The parent's serial steps made cheaper keep their exact results: the categorical
sort, the integer row codes of the attendance matching, the collector pause."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peixun_audit.attendance import _row_codes
from peixun_audit.heap import paused
from peixun_audit.load.assemble import _factorize_sorted


@pytest.mark.parametrize(
    "values",
    [
        ["450302199001011234", "110101198001011234", None, "450302199001011234"],
        ["张三", "李四", "张三", float("nan"), "王五", "Zhang", "zhang"],
        ["a\x00", "a", "A", "é", "e", ""],  # NUL-ended, accented, empty text
        [5, 6, 5, None],  # row numbers: pandas' own sort
        [1, "a", 2.5, None],  # mixed: pandas' own sort
        [None, None],
        [],
    ],
)
def test_factorize_sorted_is_pandas_sorted_factorize(values):
    array = np.empty(len(values), dtype=object)
    array[:] = values
    codes, uniques = _factorize_sorted(array)
    want_codes, want_uniques = pd.factorize(array, sort=True)
    assert codes.tolist() == want_codes.tolist()
    assert codes.dtype == want_codes.dtype
    assert list(uniques) == list(want_uniques)


def test_row_codes_match_rows_of_equal_keys_across_frames():
    left = pd.DataFrame(
        {
            "class_id": pd.Series(["C1", "C1", "C2", None], dtype=object),
            "date": pd.to_datetime(["2021-05-06", "2021-05-07", "2021-05-06", "2021-05-06"]),
        }
    )
    right = pd.DataFrame(
        {
            "class_id": pd.Series(["C2", "C1", None, "C3"], dtype=object),
            "date": pd.to_datetime(["2021-05-06", "2021-05-07", "2021-05-06", "2021-05-06"]),
        }
    )
    ours, theirs = _row_codes(left, right, ["class_id", "date"])
    # C2/05-06, C1/05-07 and the blank class on 05-06 are in both; C3 is not
    assert theirs[0] == ours[2]
    assert theirs[1] == ours[1]
    assert theirs[2] == ours[3]
    assert theirs[3] not in set(ours.tolist())
    assert len(set(ours.tolist())) == 4


def test_paused_turns_the_collector_off_and_back_on():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():  # nested: the outer pause ends it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused():
        raise ValueError
    assert gc.isenabled()


def test_a_process_kept_to_the_end_freezes_what_each_paused_step_leaves_alive():
    """The CLI's process (heap.keep_to_the_end): what a paused step keeps is frozen when
    the step ends, so no pass of the collector walks it afterwards; without the call
    (a library caller) nothing is frozen. In a child process: freezing is for good."""
    code = (
        "import gc\n"
        "from peixun_audit import heap\n"
        "with heap.paused():\n"
        "    plain = [[i] for i in range(1000)]\n"
        "assert gc.get_freeze_count() == 0, gc.get_freeze_count()\n"
        "heap.keep_to_the_end()\n"
        "before = gc.get_freeze_count()\n"
        "with heap.paused():\n"
        "    kept = [[i] for i in range(1000)]\n"
        "    with heap.paused():\n"
        "        inner = [[i] for i in range(10)]\n"
        "    assert gc.get_freeze_count() == before  # the outermost pause freezes\n"
        "assert gc.isenabled()\n"
        "assert gc.get_freeze_count() >= before + 1011, (before, gc.get_freeze_count())\n"
        "assert gc.get_count()[0] < 10, gc.get_count()\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "ok", done.stderr


def test_find_inputs_skips_hidden_lock_and_system_files_by_name(tmp_path):
    """Hidden files and folders (a leading dot), Office lock files and folders (``~$``)
    and the system's thumbnails are never inputs, at any depth below the folder given;
    the folder given is searched even inside a hidden one."""
    from peixun_audit.load.workbook import find_inputs

    root = tmp_path / ".backup" / "2025"
    for name in [
        "a.xlsx",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "~$a.xlsx",
        "sub/b.xlsx",
        "sub/.c.xlsx",
        "sub/ehthumbs.db",
        "sub/.git/d.xlsx",
        "sub/~$tmp/e.xlsx",
        "sub/deeper/f.csv",
        "sub/deeper/notes.txt",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    found = [(p.relative_to(root).as_posix(), why) for p, why in find_inputs([root])]
    assert found == [
        ("a.xlsx", None),
        ("sub/b.xlsx", None),
        ("sub/deeper/f.csv", None),
        ("sub/deeper/notes.txt", "other"),
    ]


def test_a_column_equal_to_the_last_shown_takes_its_list_and_no_other_does():
    """report.rows._shown: the eligibility table's columns, equal to the attendance
    table's, are not shown again; a column that differs in one value, or only in a
    missing value's kind, is shown afresh."""
    from peixun_audit.ids import mask_id
    from peixun_audit.report.rows import _Shown, _shown

    cache = _Shown()
    first = pd.Series(["450302199001011234", None, "13912340006"], dtype=object)
    shown = _shown(first, mask_id, False, cache)
    assert shown == ["450302********1234", None, "139****0006"]
    assert _shown(first.copy(), mask_id, False, cache) is shown
    other = pd.Series(["450302199001011234", None, "110101198001015678"], dtype=object)
    assert _shown(other, mask_id, False, cache) == [
        "450302********1234",
        None,
        "110101********5678",
    ]
    nan = pd.Series(["450302199001011234", float("nan"), "110101198001015678"], dtype=object)
    again = _shown(nan, mask_id, False, cache)
    assert again == ["450302********1234", None, "110101********5678"]
    assert _shown(nan, lambda v: v, True, _Shown())[1] is None  # shown as it is: None
