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
MOBILE_PREFIXES = [
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
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
                "phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7, 10**8)}",
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


def _with_x_check(rng: random.Random, male: bool) -> str:
    while True:
        candidate = id_number(rng, male, 1985)
        if candidate.endswith("X"):
            return candidate[:-1] + "x"


def make_id(body17: str) -> str:
    return (
        body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, _WEIGHTS, strict=True)) % 11]
    )


def save_table(
    path: Path,
    sheet: str,
    headers: list[str],
    rows: list[list],
    title_text: str | None = None,
    text_cols: tuple[int, ...] = (),
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title_text:
        title(ws, title_text, len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for col in text_cols:
        text_column(ws, col)
    wb.save(path)


# ---------------------------------------------------------------- the classes
D = dt.date
INSTITUTIONS = [
    [
        "桂林市华通职业培训学校",
        "145030270000123",
        "电工、中式烹调师、焊工、创业培训(SYB)",
        "2023-12-31",
    ],
    ["临桂区启航职业技能培训学校", "145031270000456", "育婴员，保育员", D(2022, 6, 30)],
    [
        "雁山区明德职业培训学校",
        "145031170000789",
        "电工",
        "2020年10月31日",
    ],  # expires mid-class: A0102
]
CLASS_HEADERS = [
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
    "告知公示日期",
    "已公示举报电话",
    "是否项目制",
    "协议签订日期",
    "验收日期",
    "授课教师",
]
CLASSES = [
    # GL2020-001: compliant paperwork; attendance breaches in its sign-in sheet
    [
        "GL2020-001",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "电工",
        "初级",
        "象山区",
        D(2020, 9, 7),
        D(2020, 9, 11),
        40,
        D(2020, 9, 1),
        D(2020, 9, 2),
        D(2020, 9, 3),
        "是",
        "否",
        None,
        None,
        "黄志明、莫德华",
    ],
    # GL2020-002: applied Wed 9-30 for Mon 10-12 — only 10-09 and the make-up Saturday 10-10 between: A0301
    [
        "GL2020-002",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "中式烹调师",
        "初级",
        "七星",
        "2020/10/12",
        "2020/10/14",
        28,
        "20200930",
        "2020/10/9",
        "2020/10/10",
        "√",
        "否",
        None,
        None,
        "唐春梅",
    ],
    [
        "GL2020-003",
        "临桂区启航职业技能培训学校",
        "岗位技能提升培训",
        "育婴员",
        "中级",
        "临桂区",
        "2020年10月19日",
        "2020年10月21日",
        24,
        "20201013",
        "2020年10月14日",
        "2020年10月16日",
        "有",
        "否",
        None,
        None,
        "覃玉兰",
    ],
    # GL2020-004: entrepreneurship (SYB), one teacher, 31 students, follow-up gaps, a disqualified teacher
    [
        "GL2020-004",
        "桂林市华通职业培训学校",
        "创业培训",
        "创业培训(SYB)",
        None,
        "秀峰区",
        D(2020, 11, 2),
        D(2020, 11, 6),
        20,
        D(2020, 10, 26),
        D(2020, 10, 27),
        D(2020, 10, 28),
        "是",
        "否",
        None,
        None,
        "罗建华",
    ],
    # GL2020-005: project-based, no agreement, no acceptance, out of scope, licence expires mid-class, no disclosure
    [
        "GL2020-005",
        "雁山区明德职业培训学校",
        "项目制培训",
        "焊工",
        "初级",
        "雁山区",
        D(2020, 10, 26),
        D(2020, 11, 6),
        16,
        D(2020, 10, 19),
        D(2020, 10, 20),
        None,
        None,
        "是",
        None,
        None,
        "周德明、韦丽",
    ],
    # GL2020-006: 以工代训 by an institution missing from the register, approved after the start
    [
        "GL2020-006",
        "灵川县兴业职业培训学校",
        "以工代训",
        "电工",
        "初级",
        "灵川",
        D(2020, 11, 2),
        D(2020, 11, 4),
        12,
        D(2020, 10, 26),
        D(2020, 11, 3),
        D(2020, 10, 30),
        "是",
        "否",
        None,
        None,
        "梁志强",
    ],
    # GL2020-000: started before the rules came into force: A1701 and nothing else
    [
        "GL2020-000",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "电工",
        "初级",
        "象山区",
        D(2020, 7, 6),
        D(2020, 7, 10),
        40,
        None,
        None,
        None,
        None,
        "否",
        None,
        None,
        "黄志明",
    ],
    # GL2020-009: kept as a monthly attendance grid (考勤时间 2021年5月, day columns 1…31)
    [
        "GL2020-009",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "电工",
        "初级",
        "临桂区",
        D(2021, 5, 10),
        D(2021, 5, 14),
        20,
        D(2021, 4, 28),
        D(2021, 4, 30),
        D(2021, 5, 6),
        "是",
        "否",
        None,
        None,
        "黄志明、莫德华",
    ],
    # GL2020-010: kept as one sign-in sheet per session (6.7上午 …)
    [
        "GL2020-010",
        "桂林市华通职业培训学校",
        "就业技能培训",
        "中式烹调师",
        "初级",
        "阳朔县",
        D(2021, 6, 7),
        D(2021, 6, 8),
        16,
        D(2021, 5, 31),
        D(2021, 6, 2),
        D(2021, 6, 3),
        "是",
        "否",
        None,
        None,
        "唐春梅",
    ],
    # GL2020-008: a registered, ended 创业培训 class whose dossier holds nothing but this
    # record: no plan (A0406), sign-ins (A0407), roster (A0508), inspection (A1001),
    # callbacks (A1204) or follow-ups (A0704)
    [
        "GL2020-008",
        "桂林市华通职业培训学校",
        "创业培训",
        "创业培训(SYB)",
        None,
        "秀峰区",
        D(2020, 12, 7),
        D(2020, 12, 11),
        20,
        D(2020, 11, 30),
        D(2020, 12, 1),
        D(2020, 12, 2),
        "是",
        "否",
        None,
        None,
        "罗建华、黄志明",
    ],
]


def weekday_sessions(start: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(days)]


def write_class1(root: Path, students: list[dict]) -> None:
    """GL2020-001: one bundle workbook; two-row merged date header; plan with 9月7日 dates."""
    start = D(2020, 9, 7)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教学计划"
    title(ws, "桂林市华通职业培训学校2020年第3期电工培训班教学计划", 6)
    ws.append(["班级编号：GL2020-001"])
    ws.append(["日期", "时段", "课时", "课程类型", "授课教师", "教学内容"])
    days = weekday_sessions(start, 5)
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

    ws = wb.create_sheet("签到表")
    title(ws, "桂林市华通职业培训学校2020年第3期电工培训班签到表", 2 + 2 * len(days) + 2)
    ws.append(["班级编号：GL2020-001"])
    header_row = ws.max_row + 1
    ws.cell(header_row, 1, "序号")
    ws.cell(header_row, 2, "姓名")
    ws.merge_cells(start_row=header_row, start_column=1, end_row=header_row + 1, end_column=1)
    ws.merge_cells(start_row=header_row, start_column=2, end_row=header_row + 1, end_column=2)
    col = 3
    for d in days + [D(2020, 9, 12)]:  # 9月12日 is not in the plan: A0402
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
        ws.append([i, s["name"]] + marks[s["name"]] + [sum(m != "" for m in marks[s["name"]]), ""])
    ws.append(["", "刘小明"] + ["√"] * 10 + ["", "", 10, "插班"])  # not on the roster: A0405
    ws.append(["制表人：陈老师"])
    wb.save(root / "GL2020-001_电工培训班.xlsx")


def write_class2(folder: Path, students: list[dict]) -> None:
    """GL2020-002: a per-class folder of single-table files; bare Sheet names; long sign-in."""
    cid = "GL2020-002"
    days = [D(2020, 10, 12), D(2020, 10, 13), D(2020, 10, 14)]
    save_table(
        folder / "学员名单.xlsx",
        "Sheet",
        [
            "学员姓名",
            "性别",
            "公民身份号码",
            "学历",
            "户籍地址",
            "手机号码",
            "证书等级",
            "证书编号",
        ],
        [
            [
                s["name"],
                s["gender"],
                s["id"],
                s["education"],
                s["address"],
                s["phone"],
                "五级",
                f"S20204503{i:04d}",
            ]
            for i, s in enumerate(students)
        ],
        f"班级编号：{cid}",
        (3,),
    )
    plan = []
    for d in days:  # 8 hours a day, 24 in all; the class says 28: A0404
        plan.append(
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
        plan.append([cid, f"{d.year}.{d.month}.{d.day}", "14:30", "17:30", 4, "实操", "唐春梅"])
    save_table(
        folder / "教学计划.xlsx",
        "课程表",
        ["班级编号", "上课日期", "开始时间", "结束时间", "学时", "教学形式", "任课教师"],
        plan,
    )
    rows = []
    absent_all = students[7]["name"]  # no sign-in row at all: rate 0, A0401
    for d in days:
        for period in ("上午", "下午"):
            for s in students:
                if s["name"] == absent_all:
                    continue
                mark = s["name"]  # signed with their own name
                if s is students[1] and d == days[0]:
                    mark = "未到"  # misses day one (8/24 h): 66.67%, A0401
                rows.append([cid, s["name"], s["id"], d, period, mark])
    save_table(
        folder / "签到记录.xlsx",
        "Sheet1",
        ["班级编号", "姓名", "身份证号", "上课日期", "时段", "签名"],
        rows,
        text_cols=(3,),
    )


def write_class3(path: Path, students: list[dict]) -> None:
    """GL2020-003: a legacy .xls (BIFF8, as written in 2015) with roster and a one-row
    wide sign-in header (10.19上午 …); no teaching plan: rate by session count."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("花名册")
    ws.write_merge(0, 0, 0, 5, "临桂区启航职业技能培训学校育婴员培训班花名册")
    ws.write(1, 0, "班级编号：GL2020-003")
    for c, h in enumerate(["姓名", "性别", "身份证号", "文化程度", "住址", "电话"]):
        ws.write(2, c, h)
    for r, s in enumerate(students, 3):
        values = [s["name"], s["gender"], s["id"], s["education"], s["address"], s["phone"]]
        if r == 4:
            values[2] = float(s["id"][:17] + "0")  # typed as a number: Excel kept 15 digits
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
            ws.write(r, c + 1, "×" if r == 2 and c in (1, 3) else "√")  # 3/5 sessions: A0401
    book.save(str(path))


def write_bundle(
    path: Path,
    cid: str,
    students: list[dict],
    days: list[dt.date],
    hours: int,
    teachers: list[str],
    marks: dict[str, list[str]] | None = None,
    roster_extra: dict[str, dict] | None = None,
    followups: list[list] | None = None,
) -> None:
    """A plain bundle: 名册, 教学计划 (one morning session a day), 签到 (one column per day)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学员名册"
    headers = [
        "班级编号",
        "姓名",
        "性别",
        "身份证号",
        "文化程度",
        "家庭住址",
        "联系电话",
        "就业状态",
        "就业单位",
        "单位地址",
        "单位联系电话",
        "单位联系人",
        "创业项目",
        "创业地址",
        "营业执照",
        "创业日期",
        "证书等级",
        "证书编号",
    ]
    ws.append(headers)
    for s in students:
        extra = (roster_extra or {}).get(s["name"], {})
        base = {
            "班级编号": cid,
            "姓名": s["name"],
            "性别": s["gender"],
            "身份证号": s["id"],
            "文化程度": s["education"],
            "家庭住址": s["address"],
            "联系电话": s["phone"],
            **extra,
        }
        ws.append([base.get(h) for h in headers])
    text_column(ws, 4)
    ws = wb.create_sheet("教学计划")
    ws.append(["班级编号", "日期", "时段", "课时", "授课教师"])
    for i, d in enumerate(days):
        ws.append([cid, d, "上午", hours, teachers[i % len(teachers)]])
    ws = wb.create_sheet("签到表")
    title(ws, f"{cid} 签到表", len(days) + 2)
    ws.append([f"班级编号：{cid}"])
    ws.append(["姓名", "身份证号", *[f"{d.month}月{d.day}日" for d in days], "备注"])
    for s in students:
        row = (marks or {}).get(s["name"], ["√"] * len(days))
        ws.append([s["name"], s["id"], *row])
    text_column(ws, 2)
    if followups:
        ws = wb.create_sheet("创业跟踪服务记录")
        ws.append(["班级编号", "姓名", "身份证号", "服务日期", "服务方式", "服务内容", "记录人"])
        for f in followups:
            ws.append(f)
    wb.save(path)


ROSTER_HEADERS = ["序号", "姓名", "性别", "身份证号码", "文化程度", "家庭住址", "联系电话"]


def _roster_sheet(ws, cid: str, students: list[dict], title_text: str) -> None:
    title(ws, title_text, len(ROSTER_HEADERS))
    ws.append([f"班级编号：{cid}"])
    ws.append(ROSTER_HEADERS)
    for i, s in enumerate(students, 1):
        ws.append([i, s["name"], s["gender"], s["id"], s["education"], s["address"], s["phone"]])
    text_column(ws, 4)


def _plan_sheet(ws, cid: str, sessions: list[tuple[dt.date, str]], teacher: str) -> None:
    ws.append([f"班级编号：{cid}"])
    ws.append(["日期", "时段", "课时", "授课教师", "教学内容"])
    for d, period in sessions:
        ws.append([d, period, 4, teacher, "理论与实操"])


def write_class9(path: Path, students: list[dict]) -> None:
    """GL2020-009: a monthly attendance grid (学员考勤表, 考勤时间 2021年5月): one row per
    student, day columns 1…31, / on the days without class, totals and a signature
    column that are not sessions; the marks offices write (迟 早 ¢ △ 病 事, a name)."""
    cid = "GL2020-009"
    days = weekday_sessions(D(2021, 5, 10), 5)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学员花名册"
    _roster_sheet(ws, cid, students, "2021年第2期电工培训班学员花名册")
    _plan_sheet(wb.create_sheet("教学计划"), cid, [(d, "上午") for d in days], "黄志明")

    ws = wb.create_sheet("5月考勤")
    title(ws, "桂林市华通职业培训学校电工培训班学员考勤表", 36)
    ws.append(["考勤时间 2021年5月", None, None, None, None, None, f"班级编号：{cid}"])
    ws.append(["序号", "姓名", *range(1, 32), "出勤天数", "缺勤", "学员签名"])
    class_days = {d.day for d in days}
    marks = {s["name"]: dict.fromkeys(class_days, "√") for s in students}
    s_late, s_sick, s_proxy, s_word, s_makeup, s_own = (s["name"] for s in students[:6])
    marks[s_late].update({10: "迟", 11: "早退", 12: "¢", 13: "△"})  # all present: 20/20
    marks[s_sick].update({12: "病", 13: "事"})  # sick and personal leave: 12/20 = 60%, A0401
    marks[s_proxy][11] = students[7]["name"]  # another student's name: A0403 (present)
    marks[s_word][14] = "调休"  # an unknown word: reported, absent: 16/20 = 80% passes
    marks[s_makeup][13] = "补签"  # 补签: reported, absent by default: 16/20 = 80% passes
    marks[s_own] = dict.fromkeys(class_days, s_own)  # signs each day with own name
    for i, s in enumerate(students, 1):
        row = [marks[s["name"]].get(day, "/" if day <= 20 else None) for day in range(1, 32)]
        present = sum(v not in ("/", None, "病", "事", "调休", "补签") for v in row)
        ws.append([i, s["name"], *row, present, 5 - present, s["name"]])
    wb.save(path)


def write_class10(path: Path, students: list[dict]) -> None:
    """GL2020-010: one sign-in sheet per session, named 6.7上午 … or titled
    2021年6月8日下午签到表, with a roster's columns and a 学员签名 column."""
    cid = "GL2020-010"
    sessions = [(D(2021, 6, 7), "上午"), (D(2021, 6, 7), "下午")]
    sessions += [(D(2021, 6, 8), "上午"), (D(2021, 6, 8), "下午")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学员花名册"
    _roster_sheet(ws, cid, students, "2021年第1期中式烹调师培训班学员花名册")
    _plan_sheet(wb.create_sheet("教学计划"), cid, sessions, "唐春梅")
    names = [s["name"] for s in students]
    marks = [dict(zip(names, names, strict=True)) for _ in sessions]
    marks[1][names[0]] = "公出"  # not a name: an unknown mark, absent: 12/16 = 75%, A0401
    marks[2][names[1]] = names[2]  # signed by a classmate: A0403 (present)
    marks[3][names[2]] = "迟到"
    marks[0][names[3]] = "△"
    sheet_names = ["6.7上午", "6.7下午", "6月8日上午", "Sheet5"]
    for (d, period), name, by_name in zip(sessions, sheet_names, marks, strict=True):
        ws = wb.create_sheet(name)
        if name == "Sheet5":  # the date only in the title
            title(ws, f"{d.year}年{d.month}月{d.day}日{period}签到表", 6)
        ws.append([f"班级编号：{cid}"])
        ws.append(["序号", "姓名", "性别", "身份证号", "联系电话", "学员签名"])
        for i, s in enumerate(students, 1):
            ws.append([i, s["name"], s["gender"], s["id"], s["phone"], by_name[s["name"]]])
        text_column(ws, 4)
    wb.save(path)


def main() -> None:
    rng = random.Random(20200820)
    for child in ROOT.iterdir() if ROOT.exists() else []:
        if child.name != "README.md":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    ROOT.mkdir(exist_ok=True)

    # the people, drawn in a fixed order
    c1 = people(rng, 10)
    for s in c1:  # an ID with a lowercase x check character, as people type it
        if s["id"].endswith("X"):
            s["id"] = s["id"][:-1] + "x"
            break
    else:
        c1[3]["id"] = _with_x_check(rng, c1[3]["gender"] == "男")
    c2 = people(rng, 8, 1980)
    c3 = people(rng, 6, 1976)
    c4 = people(rng, 31, 1975)
    c5 = people(rng, 6, 1978)
    c6 = people(rng, 10, 1978)
    c0 = people(rng, 3, 1980)

    # GL2020-009 and GL2020-010 draw from their own generator: the others stay as they were
    rng_2021 = random.Random(20210510)
    c9 = people(rng_2021, 8, 1980)
    c10 = people(rng_2021, 6, 1982)
    write_class9(ROOT / "GL2020-009_电工_月度考勤表.xlsx", c9)
    write_class10(ROOT / "GL2020-010_中式烹调师_分场签到.xlsx", c10)

    write_class1(ROOT, c1)
    write_class2(ROOT / "GL2020-002_中式烹调师", c2)
    write_class3(ROOT / "GL2020-003_育婴员_2015版.xls", c3)

    # GL2020-004 (创业培训): 31 students (A0702), one teacher (A0701), who had refused dispatch
    # three times by 2020-11-03 (A0801); c4[0] started a business on 2020-11-20 and was
    # followed up in five of the six months (A0703: no record in the third month).
    days4 = weekday_sessions(D(2020, 11, 2), 5)
    marks4 = {s["name"]: ["√"] * 5 for s in c4}
    marks4[c4[5]["name"]][2] = "请假"  # 16/20 = 80%: passes
    business = {
        "就业状态": "自主创业",
        "创业项目": "米粉店",
        "创业地址": "秀峰区中山中路8号",
        "营业执照": "92450302MA5L8K2X1N",
        "创业日期": D(2020, 11, 20),
    }
    follow_dates = [
        D(2020, 11, 25),
        D(2020, 12, 21),
        D(2021, 2, 22),
        D(2021, 3, 24),
        D(2021, 4, 26),
    ]
    followups = [
        ["GL2020-004", c4[0]["name"], c4[0]["id"], d, "电话", "经营情况回访", "罗建华"]
        for d in follow_dates
    ]
    write_bundle(
        ROOT / "GL2020-004_SYB创业培训.xlsx",
        "GL2020-004",
        c4,
        days4,
        4,
        ["罗建华"],
        marks4,
        {c4[0]["name"]: business},
        followups,
    )

    # GL2020-005 (项目制, 焊工): roster troubles; c5[0] is also enrolled in GL2020-006 (X0101)
    # and signs in to both on 2020-11-02 (X0102)
    days5 = [D(2020, 10, 26), D(2020, 10, 28), D(2020, 10, 30), D(2020, 11, 2)]
    write_bundle(
        ROOT / "GL2020-005_焊工项目制.xlsx",
        "GL2020-005",
        c5,
        days5,
        4,
        ["周德明", "韦丽"],
        {s["name"]: ["√", "√", "√", "√" if i != 3 else "缺"] for i, s in enumerate(c5)},
    )

    # GL2020-006 (以工代训, 电工 初级): c1[6] retrains in 电工 初级 two months later (X0301);
    # every student signs every session (X0501); Article 5 record problems on its roster
    c6[0] = dict(c5[0])
    c6[1] = dict(c1[6])
    c6[2]["id"] = c6[2]["id"][:17] + (
        "0" if c6[2]["id"][17] != "0" else "1"
    )  # wrong check character: A0502
    c6[3]["gender"] = "女" if c6[3]["gender"] == "男" else "男"  # disagrees with the ID: A0503
    c6[4]["phone"] = "2822222"  # landline without area code: A0504
    c6[5]["id"] = make_id(
        f"450323{1958}0312{'08'}{'2' if c6[5]['gender'] == '女' else '1'}"
    )  # aged 62: X0401
    c6[6]["phone"] = c6[7]["phone"] = c6[8]["phone"] = (
        "13977310000"  # one phone, three people: X0201
    )
    c6[9] = dict(c6[8])  # the same person entered twice: A0507
    extra6 = {
        c6[7]["name"]: {"证书等级": "中级"},  # a level without a number: A0505
        c6[6]["name"]: {
            "就业状态": "已就业",
            "就业单位": "灵川县某电器厂",
            "单位地址": "灵川县八里街",
        },  # A0506
    }
    days6 = weekday_sessions(D(2020, 11, 2), 3)
    write_bundle(
        ROOT / "GL2020-006_以工代训.xlsx", "GL2020-006", c6, days6, 4, ["梁志强"], None, extra6
    )

    # GL2020-000: before 2020-08-20
    write_bundle(
        ROOT / "GL2020-000_电工_旧规.xlsx",
        "GL2020-000",
        c0,
        weekday_sessions(D(2020, 7, 6), 5),
        8,
        ["黄志明"],
        {c0[0]["name"]: ["√", "", "", "", ""]},
    )

    # ---- city-level tables
    central = ROOT / "市级汇总"
    save_table(
        central / "培训机构名录.xlsx",
        "培训机构",
        ["机构名称", "办学许可证号", "办学许可范围", "许可有效期至"],
        INSTITUTIONS,
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "开班信息"
    title(ws, "2020年职业技能培训开班信息汇总表", len(CLASS_HEADERS))
    ws.append(CLASS_HEADERS)
    for c in CLASSES:
        ws.append(c)
    wb.save(central / "开班信息汇总.xlsx")

    ok = ["是"] * 6
    inspections = [
        ["GL2020-001", D(2020, 9, 9), "09:40", "象山区", "张伟、李娜", "张伟", 10, 10, *ok],
        # 10-13 morning: 7 signed, the inspectors counted 6 (A1102); a team of three (A1401)
        ["GL2020-002", D(2020, 10, 13), "10:00", "七星区", "陈刚、黄敏、刘洋", "陈刚", 8, 6, *ok],
        # GL2020-003 has no inspection at all: A1001
        # GL2020-004: unsigned by the school (A1003); no leader named (A1402)
        [
            "GL2020-004",
            D(2020, 11, 4),
            "09:00",
            "秀峰区",
            "苏静、蒋磊",
            None,
            31,
            31,
            "是",
            "是",
            "是",
            "是",
            None,
            "是",
        ],
        # GL2020-005: the district came after the end (A1002, and so A1001); progress behind plan (A1101)
        [
            "GL2020-005",
            D(2020, 11, 10),
            "15:00",
            "雁山区",
            "韦强、覃芳",
            "韦强",
            6,
            6,
            "是",
            "否",
            "是",
            "是",
            "是",
            "是",
        ],
        ["GL2020-006", D(2020, 11, 3), "08:50", "灵川县", "秦勇、莫娟", "秦勇", 10, 10, *ok],
        # 5-12 morning: one student on sick leave, 7 signed, 7 counted
        ["GL2020-009", D(2021, 5, 12), "09:30", "临桂区", "张伟、李娜", "张伟", 8, 7, *ok],
        ["GL2020-010", D(2021, 6, 7), "10:00", "阳朔县", "陈刚、刘洋", "陈刚", 6, 6, *ok],
    ]
    save_table(
        central / "现场督查情况汇总.xlsx",
        "现场督查情况表",
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
        "2020年职业培训现场督查情况汇总",
    )

    def call(cid, s, reached="是", quality="满意", attended="是"):
        return [
            cid,
            s["name"],
            s["id"],
            D(2020, 12, 1),
            reached,
            "自愿参加",
            quality,
            attended,
            "已就业",
            "桂林某公司",
            "制造业",
            3000,
            "市就业中心",
        ]

    callbacks = [
        call("GL2020-001", c1[5]),
        call("GL2020-002", c2[0], quality=None),  # reached, quality not recorded: A1202
        call("GL2020-003", c3[1], reached="否", quality=None, attended=None),  # not reached: A1201
        *[call("GL2020-004", s) for s in c4[1:5]],  # 4 of 31 (⌈3.1⌉ = 4)
        call("GL2020-005", c5[1], attended="否"),  # denies attending; signed 4/4: A1203
        *[
            call("GL2020-006", s) for s in c6[1:3]
        ],  # 以工代训 needs ⌈30% × 10⌉ = 3, reached 2: A1201
        call("GL2020-009", c9[0]),
        call("GL2020-010", c10[5]),
    ]
    save_table(
        central / "电话回访记录.xlsx",
        "电话回访",
        [
            "班级编号",
            "姓名",
            "身份证号",
            "回访日期",
            "是否接通",
            "培训意愿",
            "培训质量",
            "是否实际参加培训",
            "培训后就业情况",
            "就业单位",
            "从事行业职业",
            "月工资收入",
            "回访人",
        ],
        callbacks,
        text_cols=(3,),
    )
    dispatches = [
        ["罗建华", D(2019, 12, 10), "不服从"],
        ["罗建华", D(2020, 4, 8), "否"],
        ["罗建华", D(2020, 11, 3), "不服从"],
        ["黄志明", D(2020, 3, 2), "服从"],
        ["莫德华", D(2020, 5, 6), "不服从"],
    ]
    save_table(
        central / "创业培训教师派遣记录.xlsx",
        "教师派遣",
        ["教师姓名", "派遣日期", "是否服从"],
        dispatches,
    )

    # GL2020-007: a roster sent in for a class the city never registered (no 开班信息 row,
    # no plan, no sign-ins, no inspection): A0303 blocks its three students; one lacks
    # 文化程度 (A0501). Drawn last,
    # so the people of the other classes stay as they were.
    c7 = people(rng, 3, 1985)
    save_table(
        ROOT / "GL2020-007_补报学员名单.xlsx",
        "学员花名册",
        ["班级编号", "姓名", "性别", "身份证号", "文化程度", "家庭住址", "联系电话"],
        [  # the last student's 文化程度 left blank: A0501
            ["GL2020-007", s["name"], s["gender"], s["id"], edu, s["address"], s["phone"]]
            for s, edu in zip(c7, ["高中", "初中", None], strict=True)
        ],
        "桂林市XX职业培训学校 2020年第7期 补报学员名单",
        text_cols=(4,),
    )

    # GL2020-002: a second, "supplementary" sign-in record marks 梁刚 absent for a
    # session the class's own sheet shows him signing: A0408 (the sheets disagree)
    save_table(
        ROOT / "GL2020-002_中式烹调师" / "签到记录_补录.xlsx",
        "Sheet1",
        ["班级编号", "姓名", "身份证号", "上课日期", "时段", "签名"],
        [["GL2020-002", c2[2]["name"], c2[2]["id"], D(2020, 10, 13), "上午", "缺"]],
        text_cols=(3,),
    )

    write_inspection_form(ROOT / "GL2020-006_现场督查情况表.xlsx")
    write_history(ROOT / "补贴台账导出_2019-2020.xlsx", c1, c4, c5)


def write_inspection_form(path: Path) -> None:
    """GL2020-006's second inspection as the printed 现场督查情况表 (a label/value form,
    docs/layouts_forms.md): labels merged over two columns, the class id in the title
    label, the date and period in 督查时间, the Article 11 items ticked under 是 | 否,
    signatures as names. 实训实操课时 is ticked 否: A1101 at its tick (F12)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "现场督查情况表"
    rows = [
        ["桂林市职业技能培训现场督查情况表"],
        ["班级编号：GL2020-006    培训工种：电工（初级）"],
        [
            "培训机构",
            None,
            "灵川县兴业职业培训学校",
            None,
            "督查时间",
            "2020年11月4日（星期三）上午",
        ],
        ["督查人员", None, "秦勇、莫娟", None, "组长", "秦勇"],
        ["应到人数", None, "10人", None, "实到人数", "10人"],
        ["学员到课情况", None, "应到10人，实到10人"],
        ["督查内容", None, None, None, "是", "否"],
        ["是否按教学大纲实施教学", None, None, None, "√", None],
        ["教学进度与教学计划是否一致", None, None, None, "√", None],
        ["教师备课授课情况", None, None, None, "√", None],
        ["学员到课情况是否与签到一致", None, None, None, "√", None],
        ["实训实操课时是否符合规定要求", None, None, None, None, "√"],
        ["督查意见", None, "实操课时不足，限期整改"],
        ["培训机构负责人签字", None, "梁志强", None, "督查人员签字", "秦勇 莫娟"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:F1")
    ws.merge_cells("A2:F2")
    for r in range(3, 15):
        ws.merge_cells(f"A{r}:B{r}")
    for r in (6, 13):
        ws.merge_cells(f"C{r}:F{r}")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    wb.save(path)


def write_history(path: Path, c1: list[dict], c4: list[dict], c5: list[dict]) -> None:
    """Subsidies paid before this batch, as another ledger exports them (``ledger export
    --show-pii``; the custom property ``peixun-audit`` = ``ledger`` keeps the audit from
    reading it as class evidence). Audited with ``--ledger`` after ``ledger import``:
    c1[4] of GL2020-001 was paid 电工 五级 (= 初级) in June (S0101); c5[3] of GL2020-005
    was paid 焊工 中级 in 2019 and now trains 焊工 初级 (S0102); c4[6] of GL2020-004 was
    paid three trainings in 2020 before GL2020-004 ends on 2020-11-06 (S0103)."""
    import xlsxwriter

    headers = ["批次", "拨付日期", "班级编号", "培训机构", "培训工种", "等级", "培训类型"]
    headers += ["结业日期", "姓名", "身份证号", "补贴金额"]
    school = "桂林市XX职业培训学校"
    rows = [
        [
            "2020-07 市本级",
            "2020-07-10",
            "GL2020-0612",
            school,
            "电工",
            "五级",
            "就业技能培训",
            "2020-06-19",
            c1[4]["name"],
            c1[4]["id"],
            1200,
        ],
        [
            "2019-12 市本级",
            "2019-12-20",
            "GL2019-0855",
            school,
            "焊工",
            "中级",
            "就业技能培训",
            "2019-12-06",
            c5[3]["name"],
            c5[3]["id"],
            1500,
        ],
        [
            "2020-04 市本级",
            "2020-04-10",
            "GL2020-0201",
            school,
            "中式烹调师",
            "初级",
            "就业技能培训",
            "2020-03-20",
            c4[6]["name"],
            c4[6]["id"],
            1000,
        ],
        [
            "2020-07 市本级",
            "2020-07-10",
            "GL2020-0530",
            school,
            "育婴员",
            "初级",
            "就业技能培训",
            "2020-06-12",
            c4[6]["name"],
            c4[6]["id"],
            1000,
        ],
        [
            "2020-09 市本级",
            "2020-09-15",
            "GL2020-0760",
            school,
            "电子商务师",
            "初级",
            "岗位技能提升培训",
            "2020-08-28",
            c4[6]["name"],
            c4[6]["id"],
            800,
        ],
    ]
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(2020, 12, 31, 12, 0, 0)})  # same bytes each run
    book.set_custom_property("peixun-audit", "ledger")
    sheet = book.add_worksheet("拨付记录")
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, 1):
        sheet.write_row(r, 0, row)
    book.close()


if __name__ == "__main__":
    main()
