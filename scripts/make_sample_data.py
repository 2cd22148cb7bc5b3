"""Generate sample_data/: a small, realistic set of training workbooks with planted breaches.

Run:  python scripts/make_sample_data.py   (needs the [test] extra for xlwt)

Deterministic: the same code writes the same cells. What is planted where is listed in
sample_data/README.md; tests/test_sample_data.py checks the tool finds exactly that.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import openpyxl
import xlwt
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent / "sample_data"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢唐韦蒙覃莫"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "海燕",
    "志强",
    "玉兰",
    "春梅",
    "德明",
    "丽萍",
]
REGIONS = [
    "450302",
    "450303",
    "450304",
    "450305",
    "450311",
    "450312",
    "450321",
    "450323",
    "450324",
    "450325",
    "450330",
    "450332",
]
EDUCATION = ["初中", "高中", "中专", "大专", "小学"]
ADDRESSES = [
    "桂林市象山区文明路",
    "桂林市七星区漓江路",
    "临桂区人民路",
    "灵川县八里街",
    "阳朔县蟠桃路",
    "全州县全州镇",
]


def id_number(rng: random.Random, male: bool, year: int) -> str:
    birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    seq = rng.randrange(10, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


def people(rng: random.Random, n: int, start_year: int = 1972) -> list[dict]:
    out, names = [], set()
    while len(out) < n:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name in names:
            continue
        names.add(name)
        male = rng.random() < 0.5
        out.append(
            {
                "name": name,
                "gender": "男" if male else "女",
                "id": id_number(rng, male, rng.randrange(start_year, 2002)),
                "education": rng.choice(EDUCATION),
                "address": rng.choice(ADDRESSES) + f"{rng.randrange(1, 200)}号",
                "phone": f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
            }
        )
    return out


def title(ws, text: str, width: int) -> None:
    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")


def text_column(ws, col: int) -> None:
    for row in ws.iter_rows(min_col=col, max_col=col):
        for cell in row:
            cell.number_format = "@"


# ---------------------------------------------------------------- classes and plans
CLASSES = [
    # id, institution, type, occupation, level, district, start, end, hours, application, approval
    (
        "GL2020-001",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "电工",
        "初级",
        "象山区",
        dt.date(2020, 9, 7),
        dt.date(2020, 9, 11),
        40,
        dt.date(2020, 9, 1),
        dt.date(2020, 9, 2),
    ),
    (
        "GL2020-002",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "中式烹调师",
        "初级",
        "七星",
        dt.date(2020, 10, 12),
        dt.date(2020, 10, 14),
        28,
        dt.date(2020, 9, 25),
        dt.date(2020, 9, 28),
    ),
    (
        "GL2020-003",
        "临桂区启航职业技能培训学校",
        "岗位技能提升培训",
        "育婴员",
        "中级",
        "临桂区",
        dt.date(2020, 10, 19),
        dt.date(2020, 10, 21),
        24,
        dt.date(2020, 10, 13),
        dt.date(2020, 10, 14),
    ),
]


def write_central(folder: Path) -> None:
    folder.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "培训机构"
    ws.append(["机构名称", "办学许可证号", "办学许可范围", "许可有效期至"])
    ws.append(["桂林市华通职业培训学校", "145030270000123", "电工、中式烹调师、焊工", "2023-12-31"])
    ws.append(
        ["临桂区启航职业技能培训学校", "145031270000456", "育婴员，保育员", dt.date(2022, 6, 30)]
    )
    wb.save(folder / "培训机构名录.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "开班信息"
    title(ws, "2020年职业技能培训开班信息汇总表", 11)
    ws.append(
        [
            "*班级编号",
            "培训机构",
            "培训类型",
            "职业（工种）",
            "培训等级",
            "开班地",
            "开班日期",
            "结业日期",
            "计划\n课时",
            "开班申请提交日期",
            "批准日期",
        ]
    )
    date_forms = [
        lambda d: d,
        lambda d: f"{d.year}/{d.month}/{d.day}",
        lambda d: f"{d.year}年{d.month}月{d.day}日",
    ]
    for i, c in enumerate(CLASSES):
        form = date_forms[i % len(date_forms)]
        ws.append(
            [
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                c[5],
                form(c[6]),
                form(c[7]),
                c[8],
                f"{c[9]:%Y%m%d}",
                c[10],
            ]
        )
    wb.save(folder / "开班信息汇总.xlsx")


def class1_bundle(folder: Path, rng: random.Random) -> None:
    """GL2020-001: one bundle workbook; two-row merged date header; plan with 9月7日 dates."""
    cid, start = "GL2020-001", dt.date(2020, 9, 7)
    students = people(rng, 10)
    # an ID with a lowercase x check character, as people type it
    for s in students:
        if s["id"].endswith("X"):
            s["id"] = s["id"][:-1] + "x"
            break
    else:
        students[3]["id"] = _with_x_check(rng, students[3]["gender"] == "男")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教学计划"
    title(ws, "桂林市华通职业培训学校2020年第3期电工培训班教学计划", 6)
    ws.append(["班级编号：GL2020-001"])
    ws.append(["日期", "时段", "课时", "课程类型", "授课教师", "教学内容"])
    days = [start + dt.timedelta(days=i) for i in range(5)]
    for d in days:
        ws.append([f"{d.month}月{d.day}日", "上午", 5, "理论", "黄志明", "电工基础"])
        ws.append([f"{d.month}月{d.day}日", "下午", 3, "实操", "莫德华", "电工实训"])

    ws = wb.create_sheet("学员花名册")
    title(ws, "2020年第3期电工培训班学员花名册", 8)
    ws.append(["班级编号：GL2020-001"])
    ws.append(["序号", "姓名", "性别", "身份证号码", "文化程度", "家庭住址", "联系电话", "备注"])
    for i, s in enumerate(students, 1):
        ws.append(
            [i, s["name"], s["gender"], s["id"], s["education"], s["address"], s["phone"], ""]
        )
    text_column(ws, 4)

    # sign-in: two-row header, each date an Excel date cell merged over 上午/下午
    ws = wb.create_sheet("签到表")
    title(ws, "桂林市华通职业培训学校2020年第3期电工培训班签到表", 2 + 2 * len(days) + 2)
    ws.append(["班级编号：GL2020-001"])
    header_row = ws.max_row + 1
    ws.cell(header_row, 1, "序号")
    ws.cell(header_row, 2, "姓名")
    ws.merge_cells(start_row=header_row, start_column=1, end_row=header_row + 1, end_column=1)
    ws.merge_cells(start_row=header_row, start_column=2, end_row=header_row + 1, end_column=2)
    col = 3
    for d in days + [dt.date(2020, 9, 12)]:  # 9月12日 is not in the plan: A0402
        ws.cell(header_row, col, d).number_format = "m月d日"
        ws.merge_cells(
            start_row=header_row, start_column=col, end_row=header_row, end_column=col + 1
        )
        ws.cell(header_row + 1, col, "上午")
        ws.cell(header_row + 1, col + 1, "下午")
        col += 2
    ws.cell(header_row, col, "出勤次数")
    ws.cell(header_row, col + 1, "备注")
    marks = {s["name"]: ["√"] * 12 for s in students}
    s80, slong, sleave, sproxy, sunknown = (students[i]["name"] for i in range(5))
    marks[s80][0] = ""  # misses 9/7 上午 (5h) and 9/8 下午 (3h): 32/40 = exactly 80%, passes
    marks[s80][3] = "缺"
    marks[slong][2] = "旷课"  # misses two 5-hour mornings: 30/40 = 75% though 8/10 sessions
    marks[slong][6] = ""
    marks[sleave][0] = "请假"  # leave is absence: 9/7 上午, 9/9 上午, 9/10 下午 → 27/40
    marks[sleave][4] = "病假"
    marks[sleave][7] = "事假"
    marks[sproxy][5] = students[9]["name"]  # someone else's name: A0403, counted present
    marks[sproxy][1] = sproxy  # own signature: present
    marks[sunknown][8] = "?"  # unknown mark: reported, counted absent (5h): 35/40 passes
    for i, s in enumerate(students, 1):
        row = [i, s["name"]] + marks[s["name"]] + [sum(m != "" for m in marks[s["name"]]), ""]
        ws.append(row)
    ws.append(["", "刘小明"] + ["√"] * 10 + ["", "", 10, "插班"])  # not on the roster: A0405
    ws.append(["制表人：陈老师"])
    wb.save(folder / "GL2020-001_电工培训班.xlsx")


def _with_x_check(rng: random.Random, male: bool) -> str:
    while True:
        candidate = id_number(rng, male, 1985)
        if candidate.endswith("X"):
            return candidate[:-1] + "x"


def class2_folder(folder: Path, rng: random.Random) -> None:
    """GL2020-002: a per-class folder of single-table files; bare Sheet1 names; long sign-in."""
    folder.mkdir(parents=True)
    cid = "GL2020-002"
    students = people(rng, 8, 1980)
    days = [dt.date(2020, 10, 12), dt.date(2020, 10, 13), dt.date(2020, 10, 14)]

    wb = openpyxl.Workbook()
    ws = wb.active  # "Sheet": recognised from its headers
    title(ws, f"班级编号：{cid}", 7)
    ws.append(["学员姓名", "性别", "公民身份号码", "学历", "户籍地址", "手机号码", "证书等级"])
    for s in students:
        ws.append(
            [s["name"], s["gender"], s["id"], s["education"], s["address"], s["phone"], "五级"]
        )
    text_column(ws, 3)
    wb.save(folder / "学员名单.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "课程表"
    ws.append(["班级编号", "上课日期", "开始时间", "结束时间", "学时", "教学形式", "任课教师"])
    for d in days:  # 8 hours a day, 24 in all; the class says 28: A0404
        ws.append(
            [
                cid,
                f"{d.year}.{d.month}.{d.day}",
                dt.time(8, 30),
                dt.time(11, 30),
                4,
                "理论",
                "唐春梅",
            ]
        )
        ws.append([cid, f"{d.year}.{d.month}.{d.day}", "14:30", "17:30", 4, "实操", "唐春梅"])
    wb.save(folder / "教学计划.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["班级编号", "姓名", "身份证号", "上课日期", "时段", "签名"])
    absent_all = students[7]["name"]  # no sign-in row at all: rate 0, A0401
    for d in days:
        for period in ("上午", "下午"):
            for s in students:
                if s["name"] == absent_all:
                    continue
                mark = s["name"]  # signed with their own name
                if s is students[1] and d == days[0]:
                    mark = "未到"  # misses day one (8/24 h): 66.67%, A0401
                ws.append([cid, s["name"], s["id"], d, period, mark])
    text_column(ws, 3)
    wb.save(folder / "签到记录.xlsx")


def class3_xls(path: Path, rng: random.Random) -> None:
    """GL2020-003: a legacy .xls (BIFF8, as written in 2015) with roster and a one-row
    wide sign-in header (10.19上午 …); no teaching plan: rate by session count."""
    students = people(rng, 6, 1976)
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("花名册")
    ws.write_merge(0, 0, 0, 5, "临桂区启航职业技能培训学校育婴员培训班花名册")
    ws.write(1, 0, "班级编号：GL2020-003")
    for c, h in enumerate(["姓名", "性别", "身份证号", "文化程度", "住址", "电话"]):
        ws.write(2, c, h)
    for r, s in enumerate(students, 3):
        values = [s["name"], s["gender"], s["id"], s["education"], s["address"], s["phone"]]
        if r == 4:
            values[2] = (
                float(s["id"][:17] + "0") if s["id"][-1] != "X" else 4.5e17
            )  # stored as a number
        for c, v in enumerate(values):
            ws.write(r, c, v)

    ws = book.add_sheet("考勤表")
    ws.write(0, 0, "班级编号：GL2020-003")
    sessions = ["10.19上午", "10.19下午", "10.20上午", "10.20下午", "10.21上午"]
    for c, h in enumerate(["姓名", *sessions, "备注"]):
        ws.write(1, c, h)
    for r, s in enumerate(students, 2):
        ws.write(r, 0, s["name"])
        for c in range(len(sessions)):
            mark = "√"
            if r == 2 and c in (1, 3):
                mark = "×"  # 3/5 sessions: 60%, A0401 (by session count)
            ws.write(r, c + 1, mark)
    book.save(str(path))


def main() -> None:
    rng = random.Random(20200820)
    for child in ROOT.iterdir() if ROOT.exists() else []:
        if child.name != "README.md":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    ROOT.mkdir(exist_ok=True)
    write_central(ROOT / "市级汇总")
    class1_bundle(ROOT, rng)
    class2_folder(ROOT / "GL2020-002_中式烹调师", rng)
    class3_xls(ROOT / "GL2020-003_育婴员_2015版.xls", rng)


if __name__ == "__main__":
    main()
