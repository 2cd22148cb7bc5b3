"""Issue 4: reproducible callback and spot-check samples, the call sheet round trip,
templates read back without problems, and the review scorecard."""

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest
from conftest import audit_folder, make_id
from typer.testing import CliRunner

from peixun_audit import sampling
from peixun_audit.cli import app
from peixun_audit.load import load_paths

runner = CliRunner()


def roster(n: int, cid: str = "C1") -> pd.DataFrame:
    ids = [make_id(f"45030219900101{i:03d}") for i in range(n)]
    return pd.DataFrame(
        {
            "class_id": cid,
            "name": [f"学员{i}" for i in range(n)],
            "id_number": ids,
            "phone": [f"138{i:08d}" for i in range(n)],
        }
    )


def sample_ids(frame: pd.DataFrame, seed: int, ratio: int) -> list[str]:
    [draw] = sampling.callback_sample(frame, {"C1": ratio}, 10, 1, seed)
    return list(draw.sample["id_number"])


def test_same_seed_same_sample_and_different_seed_different():
    frame = roster(40)
    assert sample_ids(frame, 11, 10) == sample_ids(frame, 11, 10)
    assert sample_ids(frame, 11, 10) != sample_ids(frame, 12, 10)


def test_sample_does_not_depend_on_row_order():
    frame = roster(40)
    shuffled = frame.sample(frac=1, random_state=5)
    assert sample_ids(frame, 11, 10) == sample_ids(shuffled, 11, 10)


def test_higher_ratio_extends_the_sample():
    frame = roster(40)
    small, large = sample_ids(frame, 99, 10), sample_ids(frame, 99, 30)
    assert len(small) == 4 and len(large) == 12
    assert large[: len(small)] == small


@pytest.mark.parametrize(
    "n,at10,at30", [(9, 1, 3), (10, 1, 3), (11, 2, 4), (20, 2, 6), (30, 3, 9), (31, 4, 10)]
)
def test_sizes_are_integer_ceilings(n, at10, at30):
    frame = roster(n)
    assert len(sample_ids(frame, 1, 10)) == at10
    assert len(sample_ids(frame, 1, 30)) == at30
    assert len(set(sample_ids(frame, 1, 30))) == at30  # without replacement


def test_frame_hash_changes_with_a_roster_row():
    frame = roster(20)
    [a] = sampling.callback_sample(frame, {"C1": 10}, 10, 1, 5)
    changed = frame.copy()
    changed.loc[3, "id_number"] = make_id("45030219910101999")
    [b] = sampling.callback_sample(changed, {"C1": 10}, 10, 1, 5)
    assert a.frame_sha256 != b.frame_sha256 and a.frame_size == b.frame_size == 20


def test_cli_sample_records_seed_and_is_reproducible(sample_dir):
    first = json.loads(
        runner.invoke(
            app, ["callbacks", str(sample_dir), "--sample", "--seed", "42", "--format", "json"]
        ).stdout
    )
    again = json.loads(
        runner.invoke(
            app, ["callbacks", str(sample_dir), "--sample", "--seed", "42", "--format", "json"]
        ).stdout
    )
    assert first == again
    assert first["seed"] == 42 and "PCG64" in first["algorithm"]
    draws = {d["stream"]: d for d in first["draws"]}
    assert draws["GL2020-006"]["ratio_percent"] == 30 and draws["GL2020-006"]["sample_size"] == 3
    assert draws["GL2020-004"]["sample_size"] == 4  # ⌈10% × 31⌉
    assert all("****" in r["phone"] for r in first["sample"])  # masked outside the call sheet
    fresh = json.loads(
        runner.invoke(app, ["callbacks", str(sample_dir), "--sample", "--format", "json"]).stdout
    )
    assert isinstance(fresh["seed"], int)


def test_call_sheet_round_trip_clears_A1201(sample_dir, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(sample_dir, data)
    before = audit_folder(data, ["A1201"], as_of=dt.date(2026, 1, 1))
    assert {f.class_id for f in before.findings} == {"GL2020-003", "GL2020-006"}

    calls = data / "回访表.xlsx"
    result = runner.invoke(
        app, ["callbacks", str(data), "--sample", "--seed", "8", "--output", str(calls)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(calls)
    sheet = book["电话回访"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["班级编号", "姓名", "身份证号", "联系电话"]
    assert sheet.data_validations.dataValidation, "closed answers have drop-down lists"
    phones = [r[3].value for r in sheet.iter_rows(min_row=2)]
    assert phones and all("*" not in p for p in phones)  # the call sheet keeps full phones
    assert "抽样记录" in book.sheetnames
    col = {h: i + 1 for i, h in enumerate(headers)}
    for row in range(2, sheet.max_row + 1):  # the callers fill it in
        for header, value in (
            ("回访日期", dt.date(2021, 1, 5)),
            ("是否接通", "是"),
            ("培训意愿", "自愿"),
            ("培训质量", "满意"),
            ("是否参加培训", "是"),
            ("培训后就业情况", "已就业"),
            ("回访人", "小李"),
        ):
            sheet.cell(row, col[header], value)
    book.save(calls)

    after = audit_folder(data, ["A12"], as_of=dt.date(2026, 1, 1))
    assert not [
        f
        for f in after.findings
        if f.code == "A1201" and f.class_id in ("GL2020-003", "GL2020-006")
    ]
    assert not [p for p in after.dataset.problems if p.source.file.endswith("回访表.xlsx")]


def test_spotcheck_only_urban_classes(sample_dir):
    doc = json.loads(
        runner.invoke(app, ["spotcheck", str(sample_dir), "--seed", "3", "--format", "json"]).stdout
    )
    assert (
        doc["draws"][0]["frame_size"] == 5
    )  # 001 象山, 002 七星 (written without 区), 004 秀峰, 005 雁山, 008 秀峰
    assert len(doc["sample"]) == 1 and doc["sample"][0]["district"].rstrip("区") in {
        "象山",
        "七星",
        "秀峰",
        "雁山",
    }


def test_urban_district_matching():
    s = pd.Series(["象山", "象山区", "临桂区", None, "七星区 "])
    assert list(sampling.urban(s, ["象山区", "七星区"])) == [True, True, False, False, True]


def test_template_filled_in_reads_back_without_problems(tmp_path):
    folder = tmp_path / "tpl"
    assert runner.invoke(app, ["template", "--output", str(folder)]).exit_code == 0
    values = {
        "班级编号": "T1",
        "机构名称": "测试学校",
        "培训机构": "测试学校",
        "许可职业工种": "电工",
        "办学许可证号": "1450",
        "许可有效期至": dt.date(2030, 1, 1),
        "培训类型": "就业技能培训",
        "职业工种": "电工",
        "培训等级": "初级",
        "开班地": "象山区",
        "开班日期": dt.date(2021, 3, 1),
        "结业日期": dt.date(2021, 3, 5),
        "计划课时": 20,
        "日期": dt.date(2021, 3, 1),
        "时段": "上午",
        "课时": 4,
        "姓名": "张三",
        "性别": "男",
        "身份证号": make_id("45030219900101001"),
        "联系电话": "13800000000",
        "签到": "√",
        "督查日期": dt.date(2021, 3, 2),
        "督查人员": "甲、乙",
        "组长": "甲",
        "是否接通": "是",
        "教师姓名": "王老师",
        "派遣日期": dt.date(2021, 1, 1),
        "是否服从": "服从",
        "服务日期": dt.date(2021, 4, 1),
    }
    for path in folder.glob("*.xlsx"):
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        headers = [c.value for c in sheet[1]]
        for c, h in enumerate(headers, 1):
            sheet.cell(2, c, values.get(h))
        book.save(path)
    ds = load_paths([folder])
    assert ds.problems == []
    assert all(f.status == "ok" for f in ds.inputs)
    for kind in (
        "institutions",
        "classes",
        "plan",
        "roster",
        "signin",
        "inspections",
        "callbacks",
        "followups",
        "dispatches",
    ):
        assert len(ds.tables[kind]) == 1, kind
    assert ds.tables["roster"].loc[0, "id_number"] == values["身份证号"]


def test_review_grades_every_institution(sample_dir):
    doc = json.loads(
        runner.invoke(
            app, ["review", str(sample_dir), "--format", "json", "--as-of", "2026-01-01"]
        ).stdout
    )
    names = {i["institution"] for i in doc["institutions"]}
    assert names == {
        "桂林市华通职业培训学校",
        "临桂区启航职业技能培训学校",
        "雁山区明德职业培训学校",
        "灵川县兴业职业培训学校",
    }
    for inst in doc["institutions"]:
        assert inst["grade"] in ("优秀", "合格", "不合格")
        assert "优秀线" in inst["explanation_zh"] and inst["explanation_en"]


def test_review_grades_a_clean_institution_excellent(tmp_path):
    from bundle import Bundle

    b = Bundle()
    b.write(tmp_path)
    doc = json.loads(
        runner.invoke(
            app, ["review", str(tmp_path), "--format", "json", "--as-of", "2026-01-01"]
        ).stdout
    )
    [inst] = doc["institutions"]
    assert (inst["grade"], inst["article16"], inst["eligible"], inst["students"]) == (
        "优秀",
        False,
        10,
        10,
    )
