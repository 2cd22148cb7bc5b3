"""Every form of the benchmark's generator (benchmarks/generate.py: date cells, text
dates, year-less dates, one-row date+period headers, signatures, messy IDs and phones,
a folder per class, legacy .xls, central long-form tables) is read to the same
attendance and the same findings of the rules these forms touch (Articles 4 and 5:
sign-ins, IDs, phones) as the reference form, with no input problem."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import audit_folder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import VARIANTS, generate  # noqa: E402


def _audit(folder: Path):
    # the rules over sign-ins and student records: every rule would triple the time
    result = audit_folder(folder, ["A04", "A05"], dt.date(2026, 1, 1))
    attendance = sorted(
        zip(
            result.attendance["class_id"],
            result.attendance["student_name"],
            result.attendance["attended_units"] * 1.0 / result.attendance["planned_units"],
            strict=True,
        )
    )
    findings = Counter((f.code, f.class_id, f.student_name) for f in result.findings)
    problems = [(p.code, p.source) for f in result.dataset.inputs for p in f.problems]
    return attendance, findings, problems


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return _audit(generate(tmp_path_factory.mktemp("reference"), 2, 6, 10, seed=1))


def test_the_reference_has_absences_and_findings(reference):
    """What the forms are compared on: rates below 1 and findings of Articles 4 and 5
    (seed 1: one student at 70%, an invalid phone)."""
    attendance, findings, problems = reference
    assert {rate for _, _, rate in attendance} == {0.7, 0.8, 0.9, 1.0}
    assert {code for code, _, _ in findings} == {"A0401", "A0504"}
    assert problems == []


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "reference"])
def test_every_form_reads_like_the_reference(variant, reference, tmp_path):
    attendance, findings, problems = _audit(generate(tmp_path, 2, 6, 10, seed=1, variant=variant))
    assert problems == []
    assert len(attendance) == 12
    assert attendance == reference[0]
    assert findings == reference[1]
