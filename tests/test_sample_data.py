"""Golden test: auditing sample_data finds exactly what sample_data/README.md documents,
no more, no fewer."""

import datetime as dt
from collections import Counter
from fractions import Fraction

from conftest import audit_folder

from peixun_audit.audit import run
from peixun_audit.load import load_paths
from peixun_audit.rules import RULES
from peixun_audit.ruleset import load_rulesets

AS_OF = dt.date(2026, 1, 1)

# (code, class, student) — kept in step with sample_data/README.md
EXPECTED = [
    ("A1701", "GL2020-000", None),
    ("A0401", "GL2020-001", "陈超"),
    ("A0401", "GL2020-001", "宋平"),
    ("A0402", "GL2020-001", None),
    ("A0402", "GL2020-001", None),
    ("A0403", "GL2020-001", "周海燕"),
    ("A0405", "GL2020-001", "刘小明"),
    ("A0301", "GL2020-002", None),
    ("A0408", "GL2020-002", "梁刚"),
    ("A0401", "GL2020-002", "吴秀兰"),
    ("A0401", "GL2020-002", "吴刚"),
    ("A0404", "GL2020-002", None),
    ("A1102", "GL2020-002", None),
    ("A1202", "GL2020-002", "刘秀兰"),
    ("A1401", "GL2020-002", None),
    ("A0401", "GL2020-003", "黄敏"),
    ("A0406", "GL2020-003", None),
    ("A0502", "GL2020-003", "王丽萍"),
    ("A1001", "GL2020-003", None),
    ("A1201", "GL2020-003", None),
    ("A0701", "GL2020-004", None),
    ("A0702", "GL2020-004", None),
    ("A0703", "GL2020-004", "宋霞"),
    ("A0801", "GL2020-004", None),
    ("A1003", "GL2020-004", None),
    ("A1402", "GL2020-004", None),
    ("A0101", "GL2020-005", None),
    ("A0102", "GL2020-005", None),
    ("A0201", "GL2020-005", None),
    ("A0401", "GL2020-005", "何敏"),
    ("A0601", "GL2020-005", None),
    ("A0602", "GL2020-005", None),
    ("A1001", "GL2020-005", None),
    ("A1002", "GL2020-005", None),
    ("A1101", "GL2020-005", None),
    ("A1203", "GL2020-005", "何娜"),
    ("X0102", "GL2020-005", "高德明"),
    ("A0103", "GL2020-006", None),
    ("A0302", "GL2020-006", None),
    ("A0502", "GL2020-006", "王敏"),
    ("A0503", "GL2020-006", "吴玉兰"),
    ("A0504", "GL2020-006", "罗建华"),
    ("A0505", "GL2020-006", "李志强"),
    ("A0506", "GL2020-006", "韦超"),
    ("A0507", "GL2020-006", "王洋"),
    ("A1101", "GL2020-006", None),  # the printed form GL2020-006_现场督查情况表.xlsx
    ("A1201", "GL2020-006", None),
    ("X0101", "GL2020-006", "高德明"),
    ("X0102", "GL2020-006", "高德明"),
    ("X0201", "GL2020-006", "韦超"),
    ("X0201", "GL2020-006", "李志强"),
    ("X0201", "GL2020-006", "王洋"),
    ("X0201", "GL2020-006", "王洋"),
    ("X0301", "GL2020-006", "莫平"),
    ("X0401", "GL2020-006", "郑强"),
    ("X0501", "GL2020-006", None),
    # 莫平 of GL2020-001 again in 电工 初级 (X0301 above): within the batch the later class
    # is blocked, even without a ledger
    ("S0101", "GL2020-006", "莫平"),
    ("A0303", "GL2020-007", None),
    ("A0501", "GL2020-007", "韦明"),
    ("A0406", "GL2020-008", None),
    ("A0407", "GL2020-008", None),
    ("A0508", "GL2020-008", None),
    ("A0704", "GL2020-008", None),
    ("A1001", "GL2020-008", None),
    ("A1204", "GL2020-008", None),
    # kept as a monthly attendance grid
    ("A0401", "GL2020-009", "刘刚"),
    ("A0403", "GL2020-009", "陈勇"),
    # kept as one sign-in sheet per session
    ("A0401", "GL2020-010", "莫静"),
    ("A0403", "GL2020-010", "王春梅"),
]


# with the ledger made from sample_data/补贴台账导出_2019-2020.xlsx (`ledger import`): the
# students already paid, in the classes of this batch (sample_data/README.md)
WITH_LEDGER = [
    ("S0101", "GL2020-001", "吴艳"),  # 电工 五级 (= 初级) paid 2020-07-10
    ("S0103", "GL2020-004", "周海燕"),  # three trainings paid in 2020; GL2020-004 the fourth
    ("S0102", "GL2020-005", "何敏"),  # 焊工 中级 paid 2019-12-20; now 焊工 初级
]
HISTORY = "补贴台账导出_2019-2020.xlsx"


def audit_with_ledger(sample_dir, tmp_path):
    from peixun_audit.ledger import import_history, open_ledger, payments_table

    target = str(tmp_path / "ledger.db")
    ledger = open_ledger(target)
    read, _, count = import_history(ledger, sample_dir / HISTORY, "2019-2020 历史")
    ledger.close()
    assert (read.problems, count) == ([], 5)
    dataset = load_paths([sample_dir])
    paid = payments_table(target, dataset.tables["roster"]["id_number"])
    return run(dataset, load_rulesets(), AS_OF, list(RULES), paid, target)


def test_audit_with_the_ledger_blocks_the_students_already_paid(sample_dir, tmp_path):
    result = audit_with_ledger(sample_dir, tmp_path)
    found = Counter((f.code, f.class_id, f.student_name) for f in result.findings)
    assert found == Counter(EXPECTED + WITH_LEDGER)
    eligibility = result.eligibility.set_index("student_name")
    assert eligibility.loc["吴艳", "status"] == "blocked"
    assert eligibility.loc["吴艳", "reasons"] == ["S0101"]
    assert int(result.eligibility["eligible"].sum()) == 19  # 20 without the ledger
    [s0101] = [f for f in result.findings if f.code == "S0101" and f.class_id == "GL2020-001"]
    assert s0101.evidence["batch"] == "2019-2020 历史"
    assert result.ledger == {
        "checked": True,
        "source": str(tmp_path / "ledger.db"),
        "payments": 5,
        "rules": ["S0101", "S0102", "S0103"],
    }


def test_audit_finds_exactly_the_planted_breaches(sample_dir):
    result = audit_folder(sample_dir, as_of=AS_OF)
    found = Counter((f.code, f.class_id, f.student_name) for f in result.findings)
    assert found == Counter(EXPECTED)


def test_every_rule_is_planted_at_least_once():
    # S0102 and S0103 need the payments of earlier batches: planted in the ledger run
    assert {code for code, _, _ in EXPECTED + WITH_LEDGER} == set(RULES)


def test_every_finding_names_its_place(sample_dir):
    result = audit_folder(sample_dir, as_of=AS_OF)
    assert all(
        f.source and f.source.file and f.source.sheet and f.source.row for f in result.findings
    )


def test_attendance_findings_alone(sample_dir):
    result = audit_folder(sample_dir, ["A04"], as_of=AS_OF)
    found = Counter((f.code, f.class_id, f.student_name) for f in result.findings)
    assert found == Counter(e for e in EXPECTED if e[0].startswith("A04"))


def test_exactly_80_percent_student_passes(sample_dir):
    result = audit_folder(sample_dir, ["A04"], as_of=AS_OF)
    row = result.attendance[result.attendance["student_name"] == "高春梅"].iloc[0]
    assert (row["attended_units"], row["planned_units"]) == (32, 40)
    assert bool(row["passes"]) is True


def test_eligibility(sample_dir):
    result = audit_folder(sample_dir, as_of=AS_OF)
    eligible = result.eligibility[result.eligibility["eligible"]]
    # only GL2020-001, -009 and -010 have no class-level error; their eligible students
    # are those without errors (8 + 7 + 5)
    assert set(eligible["class_id"]) == {"GL2020-001", "GL2020-009", "GL2020-010"}
    assert len(eligible) == 20
    blocked = result.eligibility.set_index("student_name").loc["陈超", "reasons"]
    assert blocked == ["A0401"]


def test_grid_and_session_sheets_are_read_exactly(sample_dir):
    """GL2020-009 (a monthly grid) and GL2020-010 (a sheet per session): every student's
    hours, and no sheet of theirs taken for a roster."""
    result = audit_folder(sample_dir, ["A04"], as_of=AS_OF)
    t = result.attendance[result.attendance["class_id"].isin(["GL2020-009", "GL2020-010"])]
    hours = {
        n: Fraction(int(a), int(p))
        for n, a, p in zip(t["student_name"], t["attended_units"], t["planned_units"], strict=True)
    }
    assert hours == {
        **dict.fromkeys(["宋洋", "陈勇", "梁敏", "宋杰", "谢秀英"], Fraction(1)),
        "刘刚": Fraction(3, 5),
        "韦秀兰": Fraction(4, 5),
        "徐明": Fraction(4, 5),
        **dict.fromkeys(["王春梅", "谢勇", "马军", "宋丽萍", "朱德明"], Fraction(1)),
        "莫静": Fraction(3, 4),
    }
    roster = result.dataset.tables["roster"]
    sheets = set(roster.loc[roster["class_id"].isin(["GL2020-009", "GL2020-010"]), "src_sheet"])
    assert sheets == {"学员花名册"}


def test_sample_input_problems(sample_dir):
    result = audit_folder(sample_dir, as_of=AS_OF)
    problems = sorted((p.code, p.source.cell or p.source.row) for p in result.dataset.problems)
    assert problems == [
        ("grid-layout", None),  # GL2020-009: how the monthly grid was read
        ("id-stored-as-number", "C5"),
        ("makeup-mark", "O8"),  # GL2020-009: 补签
        ("own-report", None),  # the ledger export 补贴台账导出_2019-2020.xlsx: not evidence
        ("row-footer", 16),  # the 制表人 footer: skipped with a note (info)
        *[("session-sheet-layout", None)] * 4,  # GL2020-010: how each sheet was read
        ("unknown-mark", "F3"),  # GL2020-010: 公出
        ("unknown-mark", "K9"),
        ("unknown-mark", "P7"),  # GL2020-009: 调休
        ("unsupported-format", None),  # sample_data/README.md: listed, not read
    ]
    for f in result.dataset.inputs:
        for s in f.sheets:
            assert s.rows_read == s.rows_used + s.rows_reported
