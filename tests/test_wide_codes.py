"""Rules that compute on category codes hold at any number of categories.

pandas keeps a categorical's codes as narrow as its categories allow (int8 below 127,
int16 below 32,767). A1102 offset the names' int16 codes by the number of IDs and raised
an OverflowError at a 2x city-year (47,815 IDs, fewer distinct names): the rule failed
and the audit was incomplete. Found by benchmarks/run.py at 2x."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from peixun_audit.rules.a11_inspection_content import signed_in_counts

MANY = 40_000  # ID categories: past int16's range


def _category(values: list[str | None], extra: int, prefix: str) -> pd.Categorical:
    present = [v for v in dict.fromkeys(values) if v is not None]
    others = [f"{prefix}{i:06d}" for i in range(extra)]
    return pd.Categorical(values, categories=present + others)


def test_headcount_with_more_ids_than_int16_holds():
    day = np.datetime64("2025-03-03", "ns")
    signin = pd.DataFrame(
        {
            "attending": [True, True, True, True],
            "scol": np.array([0, 0, 0, 1], dtype=np.int32),
            # two students by ID, one by name only, one absent from the count (other day)
            "student_id": _category(["id-a", "id-b", None, "id-a"], MANY, "id-x"),
            "student_name": _category(["甲", "乙", "丙", "甲"], 0, "名"),
            "class_id": pd.Categorical(["C1", "C1", "C1", "C1"]),
            "period": pd.Categorical(["上午", "上午", "上午", "下午"]),
            "date": np.array([day, day, day, day]),
        }
    )
    # the IDs' codes are int32, the names' int8: an offset by len(IDs) must be widened
    assert signin["student_id"].array.codes.dtype == np.int32
    assert signin["student_name"].array.codes.dtype == np.int8
    ctx = SimpleNamespace(attendance=SimpleNamespace(signin=signin))
    counts = signed_in_counts(ctx)
    assert counts[["class_id", "slot", "signed"]].to_dict("records") == [
        {"class_id": "C1", "slot": "上午", "signed": 3},
        {"class_id": "C1", "slot": "下午", "signed": 1},
    ]
