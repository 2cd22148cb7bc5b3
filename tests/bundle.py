"""A compliant class written as a workbook (every rule passes on it), for the tests that
need a real file: hardening, reading, supervision round trips. Rule cases themselves
are in-memory data (``rulecases.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import audit_folder, make_id, write_book

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
        self.signin_title: list[list] = [["班级编号：C1"]]  # the rows above the header
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
        signin = [*self.signin_title, ["姓名", "身份证号", *header]]
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
