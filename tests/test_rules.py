"""A passing and a failing case for every rule of SPEC §5, named by its code.

``Bundle`` writes one compliant class (it breaks no rule at all); each failing test
changes one thing and expects exactly that rule to fire.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import audit_folder, make_id, write_book

from peixun_audit.rules import RULES
from peixun_audit.rules.base import ceil_percent

D = dt.date
START = D(2020, 9, 7)  # Monday
DAYS = [START + dt.timedelta(days=i) for i in range(5)]
AS_OF = D(2026, 1, 1)


def student(i: int, male: bool = True, year: int = 1990) -> dict:
    body = f"450302{year}0101{i:02d}{1 if male else 2}"
    return {
        "姓名": f"学员{chr(0x4E00 + i)}",
        "性别": "男" if male else "女",
        "身份证号": make_id(body),
        "文化程度": "高中",
        "家庭住址": "桂林市象山区文明路1号",
        "联系电话": f"138{i:08d}",
    }


class Bundle:
    def __init__(self, n_students: int = 10, training_type: str = "就业技能培训"):
        self.cls = {
            "班级编号": "C1",
            "培训机构": "桂林市测试学校",
            "培训类型": training_type,
            "职业工种": "电工",
            "培训等级": "初级",
            "开班地": "象山区",
            "开班日期": START,
            "结业日期": DAYS[-1],
            "计划课时": 20,
            "开班申请日期": D(2020, 9, 1),
            "开班批准日期": D(2020, 9, 2),
            "告知公示日期": D(2020, 9, 4),
            "已公示举报电话": "是",
            "是否项目制": "否",
            "协议签订日期": None,
            "验收日期": None,
            "授课教师": "黄志明、莫德华",
        }
        self.institution = {
            "机构名称": "桂林市测试学校",
            "办学许可证号": "145030270000001",
            "许可职业工种": "电工、焊工",
            "许可有效期至": D(2025, 12, 31),
        }
        self.students = [student(i, male=i % 2 == 0) for i in range(n_students)]
        self.plan = [
            {
                "班级编号": "C1",
                "日期": d,
                "时段": "上午",
                "课时": 4,
                "授课教师": ("黄志明", "莫德华")[i % 2],
            }
            for i, d in enumerate(DAYS)
        ]
        # everyone present, but student 0 misses the last session: 16/20 = 80%, no uniform sheet
        self.marks = {s["姓名"]: ["√"] * len(DAYS) for s in self.students}
        self.marks[self.students[0]["姓名"]][-1] = "缺"
        self.extra_signin: list[list] = []
        self.extra_columns: list[str] = []  # sign-in columns beyond the plan days, all √
        self.inspections = [
            {
                "班级编号": "C1",
                "督查日期": DAYS[1],
                "督查时间": "09:30",
                "督查级别": "县区",
                "督查人员": "张伟、李娜",
                "组长": "张伟",
                "应到人数": n_students,
                "实到人数": n_students,
                "按大纲教学": "是",
                "进度与计划一致": "是",
                "教师备课授课": "是",
                "实操课时达标": "是",
                "机构签字": "是",
                "督查人员签字": "是",
            }
        ]
        need = max(ceil_percent(30 if training_type == "以工代训" else 10, n_students), 1)
        self.callbacks = [
            {
                "班级编号": "C1",
                "身份证号": s["身份证号"],
                "姓名": s["姓名"],
                "回访日期": D(2020, 9, 20),
                "是否接通": "是",
                "培训意愿": "自愿",
                "培训质量": "满意",
                "是否参加培训": "是",
                "培训后就业情况": "已就业",
            }
            for s in self.students[1 : 1 + need]
        ]
        self.followups: list[dict] = []
        self.dispatches: list[dict] = []

    def write(self, folder: Path) -> Path:
        def rows(items: list[dict]) -> list[list]:
            if not items:
                return []
            headers = list(dict.fromkeys(k for item in items for k in item))
            return [headers] + [[item.get(h) for h in headers] for item in items]

        header = [f"{d.month}.{d.day}" for d in DAYS] + self.extra_columns
        signin = [["班级编号：C1"], ["姓名", "身份证号", *header]]
        extra = ["√"] * len(self.extra_columns)
        signin += [
            [s["姓名"], s["身份证号"], *self.marks[s["姓名"]], *extra] for s in self.students
        ]
        signin += self.extra_signin
        roster = [{"班级编号": "C1", **s} for s in self.students]
        sheets = {
            "培训机构": rows([self.institution]),
            "开班信息": rows([self.cls]),
            "教学计划": rows(self.plan),
            "学员名册": rows(roster),
            "签到表": signin,
            "现场督查": rows(self.inspections),
            "电话回访": rows(self.callbacks),
            "创业跟踪": rows(self.followups),
            "教师派遣": rows(self.dispatches),
        }
        folder.mkdir(parents=True, exist_ok=True)
        write_book(folder / "bundle.xlsx", {k: v for k, v in sheets.items() if v})
        return folder

    def audit(self, folder: Path, codes: list[str] | None = None, as_of: dt.date = AS_OF):
        return audit_folder(self.write(folder), codes, as_of)


def entrepreneurship_bundle() -> Bundle:
    b = Bundle(training_type="创业培训")
    return b


def fired(result, code: str) -> list:
    return [f for f in result.findings if f.code == code]


@pytest.mark.parametrize("code", list(RULES))
def test_passes(code, tmp_path):
    """The compliant bundle, as an ordinary and as an entrepreneurship class, breaks no rule."""
    for kind, bundle in (("plain", Bundle()), ("entrepreneurship", entrepreneurship_bundle())):
        result = bundle.audit(tmp_path / kind, [code])
        assert result.findings == [], (kind, result.findings)
        assert not result.dataset.problems


def only(result, code: str) -> list:
    codes = sorted({f.code for f in result.findings})
    assert codes == [code], codes
    return fired(result, code)


def test_A0101_fails(tmp_path):
    b = Bundle()
    b.cls["职业工种"] = "育婴员"
    [f] = only(b.audit(tmp_path), "A0101")
    assert f.evidence["occupation"] == "育婴员"
    assert f.source.cell == "D2"


def test_A0102_fails(tmp_path):
    b = Bundle()
    b.institution["许可有效期至"] = D(2020, 9, 8)
    [f] = only(b.audit(tmp_path), "A0102")
    assert f.evidence["expiry"] == "2020-09-08"


def test_A0103_fails(tmp_path):
    b = Bundle()
    b.institution["机构名称"] = "另一所学校"
    [f] = only(b.audit(tmp_path), "A0103")
    assert f.evidence["institution"] == "桂林市测试学校"


def test_A0201_fails(tmp_path):
    b = Bundle()
    b.cls["告知公示日期"] = D(2020, 9, 8)
    [f] = only(b.audit(tmp_path), "A0201")
    assert "晚于开班日期" in RULES["A0201"].render(f.evidence, "zh")
    b.cls["告知公示日期"] = D(2020, 9, 4)
    b.cls["已公示举报电话"] = None
    [f] = only(b.audit(tmp_path / "2"), "A0201")
    assert "举报电话" in RULES["A0201"].render(f.evidence, "zh")


def test_A0301_fails_across_national_day(tmp_path):
    """SPEC example: applied Wed 2020-09-30, start Mon 2020-10-12 — only 10-09 and the
    make-up Saturday 10-10 are working days strictly between: late."""
    b = Bundle()
    b.cls.update(
        {
            "开班申请日期": D(2020, 9, 30),
            "开班批准日期": D(2020, 10, 9),
            "开班日期": D(2020, 10, 12),
            "告知公示日期": D(2020, 10, 10),
        }
    )
    [f] = fired(b.audit(tmp_path, ["A03"]), "A0301")
    assert f.evidence["working_days"] == 2


def test_A0301_fails_two_days_ahead_and_when_missing(tmp_path):
    b = Bundle()
    b.cls["开班申请日期"] = D(2020, 9, 2)  # Wed: 9-03, 9-04 only
    [f] = only(b.audit(tmp_path), "A0301")
    assert f.evidence["working_days"] == 2
    b.cls["开班申请日期"] = None
    [f] = only(b.audit(tmp_path / "2"), "A0301")
    assert "working_days" not in f.evidence


def test_A0302_fails(tmp_path):
    b = Bundle()
    b.cls["开班批准日期"] = D(2020, 9, 8)
    only(b.audit(tmp_path), "A0302")
    b.cls["开班批准日期"] = None
    only(b.audit(tmp_path / "2"), "A0302")


def test_A0401_fails(tmp_path):
    b = Bundle()
    b.marks[b.students[0]["姓名"]][0] = "请假"  # 12/20 h
    [f] = only(b.audit(tmp_path), "A0401")
    assert f.evidence["rate"] == "60.00%"


def test_A0402_fails(tmp_path):
    b = Bundle()
    b.extra_columns = ["9.12"]  # a Saturday the plan does not have
    [f] = only(b.audit(tmp_path), "A0402")
    assert f.evidence["date"] == "2020-09-12"
    assert f.source.cell == "H3"
    # the extra column adds nothing: student 0 stays at exactly 80%
    row = b.audit(tmp_path / "2", ["A04"]).attendance.iloc[0]
    assert (row["attended_units"], row["planned_units"]) == (16, 20)


def test_A0403_fails(tmp_path):
    b = Bundle()
    b.marks[b.students[1]["姓名"]][0] = "张冒名"
    [f] = only(b.audit(tmp_path), "A0403")
    assert f.student_name == b.students[1]["姓名"]


def test_A0404_fails(tmp_path):
    b = Bundle()
    b.cls["计划课时"] = 24
    only(b.audit(tmp_path), "A0404")


def test_A0405_fails(tmp_path):
    b = Bundle()
    b.extra_signin.append(["陌生人", None, "√", "", "√", "√", "√"])  # absent at the inspection
    [f] = only(b.audit(tmp_path), "A0405")
    assert f.student_name == "陌生人"


def test_A0501_fails(tmp_path):
    b = Bundle()
    b.students[3]["文化程度"] = None
    b.students[3]["联系电话"] = None
    [f] = only(b.audit(tmp_path), "A0501")
    assert f.evidence["fields"] == ["education", "phone"]


def test_A0502_fails(tmp_path):
    b = Bundle()
    good = b.students[3]["身份证号"]
    b.students[3]["身份证号"] = good[:17] + ("0" if good[17] != "0" else "1")
    # the wrong ID also leaves the callback/sign-in matches by name intact
    result = b.audit(tmp_path, ["A05"])
    [f] = fired(result, "A0502")
    assert f.evidence["reason"] == "check-character"
    assert not bool(
        result.eligibility.loc[
            result.eligibility["student_name"] == b.students[3]["姓名"], "eligible"
        ].iloc[0]
    )


def test_A0502_fails_for_impossible_birth_date(tmp_path):
    b = Bundle()
    b.students[3]["身份证号"] = make_id("45030219901301031")
    [f] = fired(b.audit(tmp_path, ["A0502"]), "A0502")
    assert f.evidence["reason"] == "birth-date"


def test_A0503_fails(tmp_path):
    b = Bundle()
    b.students[2]["性别"] = "女"  # student 2 is male by ID
    [f] = only(b.audit(tmp_path), "A0503")
    assert "性别" in RULES["A0503"].render(f.evidence, "zh")


def test_A0504_fails(tmp_path):
    b = Bundle()
    b.students[4]["联系电话"] = "2822222"
    [f] = only(b.audit(tmp_path), "A0504")
    assert f.evidence["phone"] == "2822222"


def test_A0505_fails(tmp_path):
    b = Bundle()
    b.students[4]["证书等级"] = "中级"
    only(b.audit(tmp_path), "A0505")
    b.students[4]["证书等级"] = "特级"
    b.students[4]["证书编号"] = "S123"
    only(b.audit(tmp_path / "2"), "A0505")


def test_A0506_fails(tmp_path):
    b = Bundle()
    b.students[5].update(
        {
            "就业状态": "已就业",
            "就业单位": "某公司",
            "单位地址": "桂林",
            "单位联系电话": "0773-2822222",
        }
    )
    [f] = only(b.audit(tmp_path), "A0506")
    assert "单位联系人" in RULES["A0506"].render(f.evidence, "zh")


def test_A0507_fails(tmp_path):
    b = Bundle()
    b.students[6]["身份证号"] = b.students[7]["身份证号"]
    b.students[6]["性别"] = b.students[7]["性别"]
    result = b.audit(tmp_path, ["A0507"])
    [f] = fired(result, "A0507")
    assert f.student_name == b.students[7]["姓名"]


def test_A0601_fails(tmp_path):
    b = Bundle(training_type="项目制培训")
    b.cls["验收日期"] = D(2020, 9, 20)
    only(b.audit(tmp_path), "A0601")
    b.cls["协议签订日期"] = D(2020, 9, 1)
    assert not b.audit(tmp_path / "2").findings


def test_A0602_fails(tmp_path):
    b = Bundle()
    b.cls.update({"是否项目制": "是", "协议签订日期": D(2020, 9, 1)})
    only(b.audit(tmp_path), "A0602")
    # not yet due while the class runs
    assert not fired(b.audit(tmp_path / "2", ["A0602"], as_of=D(2020, 9, 10)), "A0602")


def test_A0701_fails(tmp_path):
    b = entrepreneurship_bundle()
    b.cls["授课教师"] = "黄志明"
    for p in b.plan:
        p["授课教师"] = "黄志明"
    [f] = only(b.audit(tmp_path), "A0701")
    assert f.evidence["count"] == 1


def test_A0702_fails_at_31_students(tmp_path):
    b = Bundle(n_students=31, training_type="创业培训")
    [f] = only(b.audit(tmp_path), "A0702")
    assert f.evidence["count"] == 31
    assert not fired(
        Bundle(n_students=30, training_type="创业培训").audit(tmp_path / "30", ["A0702"]), "A0702"
    )


def test_A0703_fails(tmp_path):
    b = entrepreneurship_bundle()
    s = b.students[2]
    s.update(
        {
            "就业状态": "自主创业",
            "创业项目": "电器维修",
            "创业地址": "象山区",
            "营业执照": "92450300MA5",
            "创业日期": D(2020, 10, 1),
        }
    )
    months = [
        D(2020, 10, 5),
        D(2020, 11, 5),
        D(2020, 12, 5),
        D(2021, 2, 5),
        D(2021, 3, 5),
    ]  # no January
    b.followups = [
        {
            "班级编号": "C1",
            "身份证号": s["身份证号"],
            "姓名": s["姓名"],
            "服务日期": d,
            "服务方式": "电话",
        }
        for d in months
    ]
    [f] = only(b.audit(tmp_path), "A0703")
    assert f.evidence["gaps"] == "2021-01-01~2021-01-31"
    # with all six months it passes
    b.followups.append(
        {
            "班级编号": "C1",
            "身份证号": s["身份证号"],
            "姓名": s["姓名"],
            "服务日期": D(2021, 1, 9),
            "服务方式": "实地",
        }
    )
    assert not b.audit(tmp_path / "2").findings


def test_A0801_fails(tmp_path):
    b = entrepreneurship_bundle()
    b.dispatches = [
        {"教师姓名": "莫德华", "派遣日期": d, "是否服从": "不服从"}
        for d in (D(2019, 11, 1), D(2020, 3, 1), D(2020, 9, 8))
    ]
    [f] = only(b.audit(tmp_path), "A0801")
    assert f.evidence["since"] == "2020-09-08"
    assert f.evidence["sessions"] == "2020-09-08、2020-09-10"
    # refusals spread over more than 365 days do not disqualify
    b.dispatches[0]["派遣日期"] = D(2019, 9, 1)
    assert not b.audit(tmp_path / "2").findings


def test_A1001_fails(tmp_path):
    b = Bundle()
    b.inspections[0]["督查级别"] = "市级抽查"
    only(b.audit(tmp_path), "A1001")


def test_A1002_fails(tmp_path):
    b = Bundle()
    b.inspections.append({**b.inspections[0], "督查日期": D(2020, 9, 15)})
    [f] = only(b.audit(tmp_path), "A1002")
    assert f.evidence["date"] == "2020-09-15"


def test_A1003_fails(tmp_path):
    b = Bundle()
    b.inspections[0]["机构签字"] = None
    [f] = only(b.audit(tmp_path), "A1003")
    assert f.source.cell == "M2"


def test_A1101_fails(tmp_path):
    b = Bundle()
    b.inspections[0]["进度与计划一致"] = "否"
    only(b.audit(tmp_path), "A1101")


def test_A1102_fails(tmp_path):
    b = Bundle()
    b.inspections[0]["实到人数"] = 8  # ten signed in on 9-08 morning
    [f] = only(b.audit(tmp_path), "A1102")
    assert (f.evidence["signed"], f.evidence["observed"]) == (10, 8)


def test_A1201_fails_and_ceilings_are_integers(tmp_path):
    b = Bundle(n_students=31)
    b.callbacks = b.callbacks[:3]  # 10% of 31 is 3.1: 4 needed
    [f] = only(b.audit(tmp_path), "A1201")
    assert (f.evidence["reached"], f.evidence["required"]) == (3, 4)
    assert [ceil_percent(10, n) for n in (9, 10, 11, 20, 30, 31)] == [1, 1, 2, 2, 3, 4]
    assert [ceil_percent(30, n) for n in (9, 10, 11, 20, 30, 31)] == [3, 3, 4, 6, 9, 10]


def test_A1201_work_based_needs_30_percent(tmp_path):
    b = Bundle(training_type="以工代训")
    b.callbacks = b.callbacks[:2]
    [f] = fired(b.audit(tmp_path, ["A1201"]), "A1201")
    assert (f.evidence["required"], f.evidence["ratio"]) == (3, 30)


def test_A1202_fails(tmp_path):
    b = Bundle()
    b.callbacks[0]["培训质量"] = None
    only(b.audit(tmp_path), "A1202")


def test_A1203_fails(tmp_path):
    b = Bundle()
    b.callbacks[0]["是否参加培训"] = "否"
    [f] = only(b.audit(tmp_path), "A1203")
    assert f.student_name == b.students[1]["姓名"]


def test_A1401_fails(tmp_path):
    b = Bundle()
    b.inspections[0]["督查人员"] = "张伟"
    only(b.audit(tmp_path), "A1401")


def test_A1402_fails(tmp_path):
    b = Bundle()
    b.inspections[0]["组长"] = "王强"
    only(b.audit(tmp_path), "A1402")


def test_A1701_fails_and_no_other_rule_applies(tmp_path):
    b = Bundle()
    b.cls.update({"开班日期": D(2020, 7, 6), "结业日期": D(2020, 7, 10), "开班申请日期": None})
    [f] = only(b.audit(tmp_path), "A1701")
    assert f.evidence["effective"] == "2020-08-20"


def _second_class(
    b: Bundle, start: dt.date, occupation: str = "焊工", level: str = "初级"
) -> list[dict]:
    """A second class C2 whose roster repeats student 3 of C1."""
    return [
        {
            **b.cls,
            "班级编号": "C2",
            "职业工种": occupation,
            "培训等级": level,
            "开班日期": start,
            "结业日期": start + dt.timedelta(days=4),
        }
    ]


def _write_second(
    folder: Path, b: Bundle, start: dt.date, occupation="焊工", level="初级", signin=None
):
    s = b.students[3]
    sheets = {
        "开班信息": [list(b.cls)]
        + [[c[k] for k in b.cls] for c in _second_class(b, start, occupation, level)],
        "学员名册": [
            ["班级编号", "姓名", "身份证号"],
            ["C2", s["姓名"], s["身份证号"]],
            ["C2", "某某", make_id("45030219880808123")],
        ],
    }
    if signin:
        sheets["签到表"] = signin
    folder.mkdir(parents=True, exist_ok=True)
    write_book(folder / "second.xlsx", sheets)


def test_X0101_fails(tmp_path):
    b = Bundle()
    b.write(tmp_path)
    _write_second(tmp_path, b, D(2020, 9, 9))
    [f] = fired(audit_folder(tmp_path, ["X0101"]), "X0101")
    assert (f.class_id, f.evidence["other"]) == ("C2", "C1")


def test_X0102_fails(tmp_path):
    b = Bundle()
    b.write(tmp_path)
    s = b.students[3]
    _write_second(
        tmp_path,
        b,
        D(2020, 9, 9),
        signin=[
            ["班级编号：C2"],
            ["姓名", "身份证号", "9.9"],
            [s["姓名"], s["身份证号"], "√"],
            ["某某", None, "√"],
        ],
    )
    result = audit_folder(tmp_path, ["X0102"])
    [f] = fired(result, "X0102")
    assert f.evidence["date"] == "2020-09-09"
    assert f.id_number == s["身份证号"]


def test_X0201_fails(tmp_path):
    b = Bundle()
    for i in (1, 2, 3):
        b.students[i]["联系电话"] = "13900001111"
    assert len(fired(b.audit(tmp_path, ["X0201"]), "X0201")) == 3
    b.students[3]["联系电话"] = "13900002222"
    assert not fired(b.audit(tmp_path / "2", ["X0201"]), "X0201")


def test_X0301_fails(tmp_path):
    b = Bundle()
    b.write(tmp_path)
    _write_second(tmp_path, b, D(2021, 3, 1), occupation="电工")
    [f] = fired(audit_folder(tmp_path, ["X0301"]), "X0301")
    assert (f.class_id, f.evidence["other"], f.evidence["days"]) == ("C2", "C1", 175)


def test_X0401_fails(tmp_path):
    b = Bundle()
    b.students[5]["身份证号"] = make_id("45030219590101052")  # a woman of 61 at the start
    [f] = only(b.audit(tmp_path), "X0401")
    assert f.evidence["age"] == 61


def test_X0501_fails(tmp_path):
    b = Bundle()
    b.marks[b.students[0]["姓名"]][-1] = "√"
    [f] = only(b.audit(tmp_path), "X0501")
    assert f.evidence == {"students": 10, "sessions": 5}
