"""A synthetic city-year of training workbooks, written with xlsxwriter the way Excel
and WPS write them (shared strings, a merged title row, two-row sign-in headers with a
date merged over 上午/下午).

    python benchmarks/generate.py OUT_DIR [--classes 600] [--students 40] [--sessions 30] [--seed 1]

One workbook per class (开班信息, 学员名册, 教学计划, 签到表), plus city-level 培训机构,
现场督查 and 电话回访 tables. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import xlsxwriter

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢唐韦蒙覃莫"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"
DISTRICTS = [
    "象山区",
    "秀峰区",
    "叠彩区",
    "七星区",
    "雁山区",
    "临桂区",
    "阳朔县",
    "灵川县",
    "全州县",
    "兴安县",
]
OCCUPATIONS = ["电工", "焊工", "中式烹调师", "育婴员", "保育员", "美发师", "电子商务师"]
TYPES = ["就业技能培训"] * 6 + ["岗位技能提升培训", "以工代训", "创业培训"]


def make_id(rng: random.Random) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))
    body = f"4503{rng.randrange(2, 33):02d}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def workdays(start: dt.date, n: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def write_class(
    path: Path,
    cid: str,
    institution: str,
    students: list[tuple[str, str, str]],
    days: list[dt.date],
    rng: random.Random,
    ctype: str,
    occupation: str,
    district: str,
) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "align": "center"})
    date_fmt = book.add_format({"num_format": "m月d日", "align": "center"})
    text = book.add_format({"num_format": "@"})
    hours = 4

    ws = book.add_worksheet("开班信息")
    headers = [
        "班级编号",
        "培训机构",
        "培训类型",
        "职业工种",
        "培训等级",
        "开班地",
        "开班日期",
        "结业日期",
        "计划课时",
        "开班申请日期",
        "开班批准日期",
        "告知公示日期",
        "已公示举报电话",
        "授课教师",
    ]
    ws.write_row(0, 0, headers)
    start, end = days[0], days[-1]
    ws.write_row(
        1,
        0,
        [
            cid,
            institution,
            ctype,
            occupation,
            "初级",
            district,
            start.isoformat(),
            end.isoformat(),
            hours * 2 * len(days),
            (start - dt.timedelta(days=10)).isoformat(),
            (start - dt.timedelta(days=7)).isoformat(),
            (start - dt.timedelta(days=3)).isoformat(),
            "是",
            "王老师、李老师",
        ],
    )

    ws = book.add_worksheet("学员名册")
    ws.merge_range(0, 0, 0, 6, f"{institution}{cid}学员花名册", bold)
    ws.write(1, 0, f"班级编号：{cid}")
    ws.write_row(2, 0, ["序号", "姓名", "性别", "身份证号", "文化程度", "家庭住址", "联系电话"])
    ws.set_column(3, 3, 20, text)
    for i, (name, idn, phone) in enumerate(students):
        gender = "男" if int(idn[16]) % 2 else "女"
        ws.write_row(3 + i, 0, [i + 1, name, gender])
        ws.write_string(3 + i, 3, idn)
        ws.write_row(3 + i, 4, ["高中", f"{district}某路{i + 1}号"])
        ws.write_string(3 + i, 6, phone)

    ws = book.add_worksheet("教学计划")
    ws.write(0, 0, f"班级编号：{cid}")
    ws.write_row(1, 0, ["日期", "时段", "课时", "授课教师", "教学内容"])
    r = 2
    for d in days:
        for period, teacher in (("上午", "王老师"), ("下午", "李老师")):
            ws.write_row(r, 0, [d.isoformat(), period, hours, teacher, f"{occupation}课程"])
            r += 1

    ws = book.add_worksheet("签到表")
    ws.merge_range(0, 0, 0, 1 + 2 * len(days), f"{institution}{cid}签到表", bold)
    ws.write(1, 0, f"班级编号：{cid}")
    ws.merge_range(2, 0, 3, 0, "序号", bold)
    ws.merge_range(2, 1, 3, 1, "姓名", bold)
    for j, d in enumerate(days):
        ws.merge_range(2, 2 + 2 * j, 2, 3 + 2 * j, dt.datetime.combine(d, dt.time()), date_fmt)
        ws.write(3, 2 + 2 * j, "上午", bold)
        ws.write(3, 3 + 2 * j, "下午", bold)
    for i, (name, _, _) in enumerate(students):
        marks = []
        for _ in range(2 * len(days)):
            x = rng.random()
            marks.append("√" if x < 0.93 else "请假" if x < 0.96 else "" if x < 0.99 else name)
        ws.write_row(4 + i, 0, [i + 1, name, *marks])
    book.close()


def generate(out: Path, classes: int, students: int, sessions: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    institutions = [f"桂林市第{i + 1}职业培训学校" for i in range(max(classes // 20, 1))]
    days_per_class = max(sessions // 2, 1)
    inspections, callbacks = [], []
    for c in range(classes):
        cid = f"GL{2021}-{c + 1:04d}"
        start = workdays(dt.date(2021, 1, 4) + dt.timedelta(days=(c * 7) % 330), 1)[0]
        days = workdays(start, days_per_class)
        people = [
            (
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                make_id(rng),
                f"1{rng.choice('358')}{rng.randrange(10**9):09d}",
            )
            for _ in range(students)
        ]
        write_class(
            out / f"{cid}.xlsx",
            cid,
            rng.choice(institutions),
            people,
            days,
            rng,
            rng.choice(TYPES),
            rng.choice(OCCUPATIONS),
            rng.choice(DISTRICTS),
        )
        inspections.append(
            [
                cid,
                days[len(days) // 2].isoformat(),
                "09:30",
                "县区",
                "张伟、李娜",
                "张伟",
                students,
                students,
                "是",
                "是",
                "是",
                "是",
                "是",
                "是",
            ]
        )
        for name, idn, _ in people[: max(students // 10, 1)]:
            callbacks.append(
                [
                    cid,
                    name,
                    idn,
                    (days[-1] + dt.timedelta(days=20)).isoformat(),
                    "是",
                    "自愿",
                    "满意",
                    "是",
                    "已就业",
                ]
            )

    def table(path: Path, sheet: str, headers: list[str], rows: list[list]) -> None:
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, headers)
        for i, row in enumerate(rows, 1):
            ws.write_row(i, 0, row)
        book.close()

    table(
        out / "培训机构.xlsx",
        "培训机构",
        ["机构名称", "办学许可证号", "许可职业工种", "许可有效期至"],
        [
            [name, f"1450{i:08d}", "、".join(OCCUPATIONS), "2030-12-31"]
            for i, name in enumerate(institutions)
        ],
    )
    table(
        out / "现场督查.xlsx",
        "现场督查",
        [
            "班级编号",
            "督查日期",
            "督查时间",
            "督查级别",
            "督查人员",
            "组长",
            "应到人数",
            "实到人数",
            "按大纲教学",
            "进度与计划一致",
            "教师备课授课",
            "实操课时达标",
            "机构签字",
            "督查人员签字",
        ],
        inspections,
    )
    table(
        out / "电话回访.xlsx",
        "电话回访",
        [
            "班级编号",
            "姓名",
            "身份证号",
            "回访日期",
            "是否接通",
            "培训意愿",
            "培训质量",
            "是否参加培训",
            "培训后就业情况",
        ],
        callbacks,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--classes", type=int, default=600)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.classes, args.students, args.sessions, args.seed)


if __name__ == "__main__":
    main()
