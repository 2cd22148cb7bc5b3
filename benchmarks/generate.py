"""A synthetic city-year of training workbooks, written with xlsxwriter the way Excel
and WPS write them (shared strings, a merged title row, two-row sign-in headers with a
date merged over 上午/下午).

    python benchmarks/generate.py OUT_DIR [--variant reference] [--classes 600] [--students 40]
                                          [--sessions 30] [--seed 1]

One workbook per class (开班信息, 学员名册, 教学计划, 签到表), plus city-level 培训机构,
现场督查 and 电话回访 tables. Deterministic for a given seed. ``--variant`` picks the form
the offices' files take (issue 15: the cost of every form SPEC §3 names, not one):

- ``reference``: Excel date cells merged over a two-row 上午/下午 header (the default);
- ``text-dates``: the same header with dates typed as text (``2021-01-04``);
- ``md-dates``: year-less dates typed as text (``1月4日``), the year from the class start;
- ``dot-period``: a one-row header of year-less date and period (``1.4上午``);
- ``signatures``: students write their names instead of ticks;
- ``messy-ids``: lower-case ``x`` check characters and dashed phones (``138-1234-5678``);
- ``folders``: one folder per class holding three files (class and roster, plan, sign-in);
- ``xls``: every workbook as a legacy .xls (BIFF8, written with xlwt);
- ``central-long``: per-class workbooks without sign-in sheets, and one central long-form
  sign-in workbook (one row per student and session) for the whole city;
- ``central-tables``: the whole year as four central tables (classes, rosters, plans,
  long-form sign-ins), no per-class files.
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
VARIANTS = (
    "reference",
    "text-dates",
    "md-dates",
    "dot-period",
    "signatures",
    "messy-ids",
    "folders",
    "xls",
    "central-long",
    "central-tables",
)
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


class Sheet:
    """One sheet as data: rows of values (str, int, date or datetime; None is empty),
    merged ranges ``(r0, c0, r1, c1)`` whose value is the top-left cell's, the rows
    whose cells are headers (bold), and the columns kept as text (ID numbers)."""

    def __init__(self, name: str):
        self.name = name
        self.rows: list[list] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.bold_rows: set[int] = set()
        self.text_columns: set[int] = set()


def class_sheets(
    cid: str,
    institution: str,
    students: list[tuple[str, str, str]],
    days: list[dt.date],
    rng: random.Random,
    ctype: str,
    occupation: str,
    district: str,
    variant: str,
) -> dict[str, Sheet]:
    """The class's sheets in the given form; the sign-in sheet's marks draw on ``rng``
    in the same order for every variant."""
    hours = 4
    info = Sheet("开班信息")
    start, end = days[0], days[-1]
    info.rows = [
        [
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
        ],
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
    ]

    roster = Sheet("学员名册")
    roster.rows = [
        [f"{institution}{cid}学员花名册"],
        [f"班级编号：{cid}"],
        ["序号", "姓名", "性别", "身份证号", "文化程度", "家庭住址", "联系电话"],
    ]
    roster.merges.append((0, 0, 0, 6))
    roster.bold_rows.add(0)
    roster.text_columns = {3, 6}
    for i, (name, idn, phone) in enumerate(students):
        gender = "男" if int(idn[16]) % 2 else "女"
        if variant == "messy-ids":
            idn, phone = idn.lower(), f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
        roster.rows.append([i + 1, name, gender, idn, "高中", f"{district}某路{i + 1}号", phone])

    plan = Sheet("教学计划")
    plan.rows = [[f"班级编号：{cid}"], ["日期", "时段", "课时", "授课教师", "教学内容"]]
    for d in days:
        for period, teacher in (("上午", "王老师"), ("下午", "李老师")):
            plan.rows.append([d.isoformat(), period, hours, teacher, f"{occupation}课程"])

    signin = Sheet("签到表")
    width = 2 + 2 * len(days)
    signin.rows = [[f"{institution}{cid}签到表"], [f"班级编号：{cid}"]]
    signin.merges.append((0, 0, 0, width - 1))
    signin.bold_rows.add(0)
    if variant == "dot-period":  # one header row: 1.4上午, 1.4下午, …
        signin.rows.append(
            ["序号", "姓名"] + [f"{d.month}.{d.day}{p}" for d in days for p in ("上午", "下午")]
        )
        signin.bold_rows.add(2)
    else:  # the date merged over its 上午 and 下午 columns
        top: list = ["序号", "姓名"]
        for d in days:
            if variant == "text-dates":
                top += [d.isoformat(), None]
            elif variant == "md-dates":
                top += [f"{d.month}月{d.day}日", None]
            else:
                top += [dt.datetime.combine(d, dt.time()), None]
        signin.rows.append(top)
        signin.rows.append([None, None] + ["上午", "下午"] * len(days))
        signin.merges += [(2, 0, 3, 0), (2, 1, 3, 1)]
        signin.merges += [(2, 2 + 2 * j, 2, 3 + 2 * j) for j in range(len(days))]
        signin.bold_rows |= {2, 3}
    for i, (name, _, _) in enumerate(students):
        marks = []
        for _ in range(2 * len(days)):
            x = rng.random()
            tick = name if variant == "signatures" else "√"
            marks.append(tick if x < 0.93 else "请假" if x < 0.96 else "" if x < 0.99 else name)
        signin.rows.append([i + 1, name, *marks])
    return {s.name: s for s in (info, roster, plan, signin)}


def long_signin(cid: str, sheet: Sheet, days: list[dt.date]) -> list[list]:
    """A wide sign-in sheet's marks as long rows: 班级编号, 姓名, 日期, 时段, 签到."""
    body = sheet.rows[4:] if sheet.rows[3][:2] == [None, None] else sheet.rows[3:]
    sessions = [(d, p) for d in days for p in ("上午", "下午")]
    return [
        [cid, row[1], d.isoformat(), p, mark]
        for row in body
        for (d, p), mark in zip(sessions, row[2:], strict=True)
    ]


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "align": "center"})
    date_fmt = book.add_format({"num_format": "m月d日", "align": "center", "bold": True})
    text = book.add_format({"num_format": "@"})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        for c in sheet.text_columns:
            ws.set_column(c, c, 20, text)
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in sheet.merges}
        for r, row in enumerate(sheet.rows):
            style = bold if r in sheet.bold_rows else None
            for c, value in enumerate(row):
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    fmt = date_fmt if isinstance(value, dt.datetime) else style
                    ws.merge_range(r, c, r1, c1, value, fmt)
                elif value is None:
                    continue
                elif c in sheet.text_columns and isinstance(value, str):
                    ws.write_string(r, c, value)
                elif style is not None:
                    ws.write(r, c, value, style)
                else:
                    ws.write(r, c, value)
    book.close()


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    import xlwt  # the test extra: legacy .xls is written only for this variant

    book = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on; align: horiz center")
    date_fmt = xlwt.easyxf("font: bold on; align: horiz center", num_format_str="m月d日")
    for sheet in sheets:
        ws = book.add_sheet(sheet.name)
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in sheet.merges}
        for r, row in enumerate(sheet.rows):
            style = bold if r in sheet.bold_rows else xlwt.Style.default_style
            for c, value in enumerate(row):
                fmt = date_fmt if isinstance(value, dt.datetime) else style
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    ws.write_merge(r, r1, c, c1, value, fmt)
                elif value is not None:
                    ws.write(r, c, value, fmt)
    book.save(str(path))


def write_table(path: Path, name: str, headers: list[str], rows: list[list]) -> None:
    """A plain table; past Excel's row limit it continues on sheets ``name2``, ``name3``…"""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    per_sheet = 1_000_000
    for k in range(max(1, -(-len(rows) // per_sheet))):
        ws = book.add_worksheet(name if k == 0 else f"{name}{k + 1}")
        ws.write_row(0, 0, headers)
        for i, row in enumerate(rows[k * per_sheet : (k + 1) * per_sheet], 1):
            ws.write_row(i, 0, row)
    book.close()


def generate(
    out: Path,
    classes: int,
    students: int,
    sessions: int,
    seed: int = 1,
    variant: str = "reference",
) -> Path:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    institutions = [f"桂林市第{i + 1}职业培训学校" for i in range(max(classes // 20, 1))]
    days_per_class = max(sessions // 2, 1)
    inspections, callbacks = [], []
    central: dict[str, list[list]] = {"开班信息": [], "学员名册": [], "教学计划": [], "签到": []}
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
        sheets = class_sheets(
            cid,
            rng.choice(institutions),
            people,
            days,
            rng,
            rng.choice(TYPES),
            rng.choice(OCCUPATIONS),
            rng.choice(DISTRICTS),
            variant,
        )
        _write_class(out, cid, sheets, days, variant, central)
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
    long_headers = ["班级编号", "姓名", "日期", "时段", "签到"]
    if variant == "central-long":
        write_table(out / "签到汇总.xlsx", "签到汇总", long_headers, central["签到"])
    if variant == "central-tables":
        for name, headers in (
            ("开班信息", central["开班信息"][0]),
            ("学员名册", ["班级编号", *central["学员名册"][0]]),
            ("教学计划", ["班级编号", *central["教学计划"][0]]),
        ):
            write_table(out / f"{name}.xlsx", name, headers, central[name][1:])
        write_table(out / "签到汇总.xlsx", "签到汇总", long_headers, central["签到"])

    write_table(
        out / "培训机构.xlsx",
        "培训机构",
        ["机构名称", "办学许可证号", "许可职业工种", "许可有效期至"],
        [
            [name, f"1450{i:08d}", "、".join(OCCUPATIONS), "2030-12-31"]
            for i, name in enumerate(institutions)
        ],
    )
    write_table(
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
    write_table(
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


def _write_class(
    out: Path,
    cid: str,
    sheets: dict[str, Sheet],
    days: list[dt.date],
    variant: str,
    central: dict[str, list[list]],
) -> None:
    ordered = [sheets[n] for n in ("开班信息", "学员名册", "教学计划", "签到表")]
    if variant == "xls":
        write_xls(out / f"{cid}.xls", ordered)
    elif variant == "folders":
        folder = out / cid
        folder.mkdir(exist_ok=True)
        write_xlsx(folder / "开班信息及名册.xlsx", ordered[:2])
        write_xlsx(folder / "教学计划.xlsx", ordered[2:3])
        write_xlsx(folder / "签到表.xlsx", ordered[3:])
    elif variant == "central-long":
        write_xlsx(out / f"{cid}.xlsx", ordered[:3])
        central["签到"] += long_signin(cid, sheets["签到表"], days)
    elif variant == "central-tables":
        info, roster, plan = ordered[:3]
        if not central["开班信息"]:
            central["开班信息"].append(info.rows[0])
            central["学员名册"].append(roster.rows[2])
            central["教学计划"].append(plan.rows[1])
        central["开班信息"].append(info.rows[1])
        central["学员名册"] += [[cid, *row] for row in roster.rows[3:]]
        central["教学计划"] += [[cid, *row] for row in plan.rows[2:]]
        central["签到"] += long_signin(cid, sheets["签到表"], days)
    else:
        write_xlsx(out / f"{cid}.xlsx", ordered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--variant", choices=VARIANTS, default="reference")
    parser.add_argument("--classes", type=int, default=600)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.classes, args.students, args.sessions, args.seed, args.variant)


if __name__ == "__main__":
    main()
