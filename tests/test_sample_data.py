"""Golden test: auditing sample_data finds exactly what sample_data/README.md documents."""

from conftest import audit_folder

# (code, class, student) — kept in step with sample_data/README.md
EXPECTED_A04 = [
    ("A0401", "GL2020-001", "朱超"),
    ("A0401", "GL2020-001", "王丽萍"),
    ("A0402", "GL2020-001", None),
    ("A0402", "GL2020-001", None),
    ("A0403", "GL2020-001", "蒙涛"),
    ("A0405", "GL2020-001", "刘小明"),
    ("A0401", "GL2020-002", "郑杰"),
    ("A0401", "GL2020-002", "徐涛"),
    ("A0404", "GL2020-002", None),
    ("A0401", "GL2020-003", "韦伟"),
    ("A0404", "GL2020-003", None),
]


def test_attendance_findings_are_exactly_the_planted_ones(sample_dir):
    result = audit_folder(sample_dir, ["A04"])
    found = sorted(((f.code, f.class_id, f.student_name) for f in result.findings), key=str)
    assert found == sorted(EXPECTED_A04, key=str)


def test_exactly_80_percent_student_passes(sample_dir):
    result = audit_folder(sample_dir, ["A04"])
    row = result.attendance[result.attendance["student_name"] == "高春梅"].iloc[0]
    assert (row["attended_units"], row["planned_units"]) == (32, 40)
    assert bool(row["passes"]) is True


def test_sample_input_problems(sample_dir):
    result = audit_folder(sample_dir, ["A04"])
    problems = sorted((p.code, p.source.cell or p.source.row) for p in result.dataset.problems)
    assert problems == [
        ("id-stored-as-number", "C5"),
        ("row-missing-fields", 16),
        ("unknown-mark", "K9"),
    ]
    for f in result.dataset.inputs:
        for s in f.sheets:
            assert s.rows_read == s.rows_used + s.rows_reported
