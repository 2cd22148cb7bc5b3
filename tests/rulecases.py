"""Rule cases as data: canonical tables built in memory, no workbook round trip.

A case (``tests/rule_cases/<CODE>.yml``) starts from a compliant base dossier — one
class that breaks no rule (:func:`base_tables`) — and changes it:

``base``     ``plain`` (就业技能培训, default), ``entrepreneurship`` (创业培训),
             ``work_based`` (以工代训), ``project`` (项目制培训) or ``empty``
``students`` roster size of the base (default 10)
``update``   ``{table: {row index: {field: value}}}``: change cells of base rows
``add``      ``{table: [row, …]}``: append rows (missing fields blank)
``drop``     ``{table: [row index, …]}`` or ``{table: all}``: remove rows
``marks``    ``{"student,session": mark}``: a sign-in cell of the base grid
(a row with ``_sheet: NAME`` is put on a second sheet of that name, as a second copy
of a table would be)
``ledger``   payments already in the subsidy ledger: rows of ``ledger.COLUMNS``
             (``id_number``, ``occupation``, ``level``, ``end_date``, ``paid_on``,
             ``batch`` …); without it the audit runs as with no ``--ledger``
``as_of``    the audit date (default 2026-01-01)
``ruleset``  TOML text of an override ruleset, in force from the shipped one's date
``expect``   the findings of the rule, in order: each a mapping with ``variant`` and
             any of ``class_id``, ``student_name``, ``cell``, ``evidence`` (compared
             with the JSON form of the evidence, unmasked); ``[]`` = none

Fields are canonical keys (``application_date``); values are written as a clerk
types them (``是``, ``2020-09-07``, ``黄志明、莫德华``) and parsed by the loader's own
value parsers (a value a parser refuses, such as an ID typed as a number, is reported
as a problem of the input and left blank, as the loader does). In any string, ``{id:N}`` is student N's ID number, ``{name:N}`` the
name, and ``{make_id:17 digits}`` a valid ID with that body.

The tables go through the loader's assembler (the same canonical frames, sources and
cells a workbook gives); the base sheets are named after their kinds and each field
sits in the column of its position in the schema, so ``application_date`` of the
class row is ``J2``.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from peixun_audit.audit import run
from peixun_audit.load import values as V
from peixun_audit.load.assemble import Assembler
from peixun_audit.load.schema import KIND_BY_KEY
from peixun_audit.load.table import PARSERS, SheetTable
from peixun_audit.load.workbook import column_letter
from peixun_audit.model import InputFile, Problem, SheetAccount, Source
from peixun_audit.ruleset import load_rulesets

CASES_DIR = Path(__file__).parent / "rule_cases"
FILE = "case.xlsx"
START = dt.date(2020, 9, 7)  # a Monday
DAYS = [START + dt.timedelta(days=i) for i in range(5)]
AS_OF = dt.date(2026, 1, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(body17: str) -> str:
    """A valid 18-character ID for the given first 17 digits."""
    total = sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True))
    return body17 + "10X98765432"[total % 11]


def student(i: int) -> dict[str, Any]:
    male = i % 2 == 0
    return {
        "class_id": "C1",
        "name": f"学员{chr(0x4E00 + i)}",
        "gender": "男" if male else "女",
        "id_number": make_id(f"45030219900101{i:02d}{1 if male else 2}"),
        "education": "高中",
        "address": "桂林市象山区文明路1号",
        "phone": f"138{i:08d}",
    }


TRAINING_TYPES = {
    "plain": "就业技能培训",
    "entrepreneurship": "创业培训",
    "work_based": "以工代训",
    "project": "项目制培训",
}


def base_tables(kind: str = "plain", n_students: int = 10) -> dict[str, list[dict[str, Any]]]:
    """One compliant class: every rule passes on it (``test_rule_cases`` checks)."""
    if kind == "empty":
        return {}
    students = [student(i) for i in range(n_students)]
    project = kind == "project"
    classes = {
        "class_id": "C1",
        "institution": "桂林市测试学校",
        "training_type": TRAINING_TYPES[kind],
        "occupation": "电工",
        "level": "初级",
        "district": "象山区",
        "start_date": START,
        "end_date": DAYS[-1],
        "planned_hours": 20,
        "application_date": dt.date(2020, 9, 1),
        "approval_date": dt.date(2020, 9, 2),
        "disclosure_date": dt.date(2020, 9, 4),
        "hotline_disclosed": "是",
        "project_based": "是" if project else "否",
        "agreement_date": dt.date(2020, 9, 1) if project else None,
        "acceptance_date": dt.date(2020, 9, 20) if project else None,
        "teachers": "黄志明、莫德华",
    }
    # every student present everywhere, but student 0 misses the last session:
    # 16/20 h = exactly 80%, and the sheet is not uniform (X0501)
    signin = [
        {
            "class_id": "C1",
            "name": s["name"],
            "id_number": s["id_number"],
            "date": d,
            "period": "上午",
            "mark": "缺" if (i, j) == (0, len(DAYS) - 1) else "√",
        }
        for i, s in enumerate(students)
        for j, d in enumerate(DAYS)
    ]
    need = -(-(30 if kind == "work_based" else 10) * n_students // 100)
    return {
        "institutions": [
            {
                "institution": "桂林市测试学校",
                "license_no": "145030270000001",
                "licensed_occupations": "电工、焊工",
                "license_expiry": dt.date(2025, 12, 31),
            }
        ],
        "classes": [classes],
        "plan": [
            {
                "class_id": "C1",
                "date": d,
                "period": "上午",
                "hours": 4,
                "teacher": ("黄志明", "莫德华")[i % 2],
            }
            for i, d in enumerate(DAYS)
        ],
        "roster": students,
        "signin": signin,
        "inspections": [
            {
                "class_id": "C1",
                "date": DAYS[1],
                "time": "09:30",
                "level": "县区",
                "inspectors": "张伟、李娜",
                "leader": "张伟",
                "expected": n_students,
                "observed": n_students,
                "follows_syllabus": "是",
                "on_schedule": "是",
                "teacher_prepared": "是",
                "practical_ok": "是",
                "signed_by_school": "是",
                "signed_by_inspectors": "是",
            }
        ],
        "callbacks": [
            {
                "class_id": "C1",
                "id_number": s["id_number"],
                "name": s["name"],
                "date": dt.date(2020, 9, 20),
                "reached": "是",
                "willingness": "自愿",
                "quality": "满意",
                "attended": "是",
                "employed": "已就业",
            }
            for s in students[1 : 1 + max(need, 1)]
        ],
        # 创业培训: follow-up after the class (Article 7); one call is the dossier's record
        "followups": [
            {
                "class_id": "C1",
                "id_number": students[0]["id_number"],
                "name": students[0]["name"],
                "date": dt.date(2020, 10, 9),
                "method": "电话",
                "content": "了解创业意向",
            }
        ]
        if kind == "entrepreneurship"
        else [],
        "dispatches": [],
    }


_PLACEHOLDER = re.compile(r"\{(id|name|make_id):([0-9]+)\}")


def _expand(value: Any, students: list[dict[str, Any]]) -> Any:
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            what, arg = m[1], m[2]
            if what == "make_id":
                return make_id(arg)
            return students[int(arg)]["id_number" if what == "id" else "name"]

        return _PLACEHOLDER.sub(sub, value)
    if isinstance(value, list):
        return [_expand(v, students) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, students) for k, v in value.items()}
    return value


def expand(case: dict[str, Any]) -> dict[str, Any]:
    """The case with its ``{id:N}``, ``{name:N}`` and ``{make_id:…}`` placeholders filled."""
    students = base_tables(case.get("base", "plain"), case.get("students", 10)).get("roster", [])
    return _expand(case, students)


def apply_case(case: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The base tables of ``case`` with its changes applied."""
    tables = copy.deepcopy(base_tables(case.get("base", "plain"), case.get("students", 10)))
    case = expand(case)
    for (who, session), mark in ((k.split(","), v) for k, v in case.get("marks", {}).items()):
        tables["signin"][int(who) * len(DAYS) + int(session)]["mark"] = mark
    for kind, rows in case.get("update", {}).items():
        for index, fields in rows.items():
            tables[kind][int(index)].update(fields)
    for kind, rows in case.get("add", {}).items():
        tables.setdefault(kind, []).extend(rows)
    for kind, rows in case.get("drop", {}).items():
        if rows == "all":
            tables[kind] = []
        else:
            tables[kind] = [r for i, r in enumerate(tables[kind]) if i not in set(rows)]
    return tables


def sheet_table(kind: str, rows: list[dict[str, Any]], sheet: str | None = None) -> SheetTable:
    """Rows of canonical fields as the loader's parsed sheet (long form for sign-ins),
    on the sheet named after the kind unless ``sheet`` is given."""
    fields = KIND_BY_KEY[kind].fields
    keys = [f.key for f in fields]
    unknown = {k for r in rows for k in r} - set(keys)
    if unknown:
        raise KeyError(f"{kind} has no fields {sorted(unknown)}")
    data: dict[str, list[Any]] = {}
    problems: list[Problem] = []
    sheet = sheet or KIND_BY_KEY[kind].label
    for c, f in enumerate(fields):
        if f.key == "mark":
            continue
        values = []
        for i, r in enumerate(rows):
            try:
                values.append(PARSERS[f.type](r.get(f.key)))
            except ValueError as exc:  # as the loader does: reported, the value not used
                cell = f"{column_letter(c)}{i + 2}"
                problems.append(Problem(str(exc), Source(FILE, sheet, i + 2, cell), {}))
                values.append(None)
        data[f.key] = values
    if kind == "signin":
        marks = [V.classify_mark(r.get("mark")) for r in rows]
        data["status"] = [m[0] for m in marks]
        data["signer"] = [m[1] for m in marks]
    n = len(rows)
    data["src_file"] = [FILE] * n
    data["src_sheet"] = [sheet] * n
    data["src_row"] = list(range(2, n + 2))
    account = SheetAccount(sheet, kind, n, n)
    columns = {key: column_letter(i) for i, key in enumerate(keys)}
    return SheetTable(kind, data, None, account, problems, columns=columns)


def run_case(case: dict[str, Any], codes: list[str]):
    """Audit the case's tables with the rules ``codes``."""
    tables = apply_case(case)
    assembler = Assembler()
    entry = InputFile(FILE, "0" * 64)
    sheets = []
    for kind, rows in tables.items():  # a row's ``_sheet`` puts it on a sheet of that name
        by_sheet: dict[str | None, list[dict[str, Any]]] = {}
        for row in rows:
            row = dict(row)
            by_sheet.setdefault(row.pop("_sheet", None), []).append(row)
        sheets += [sheet_table(kind, part, name) for name, part in by_sheet.items()]
    for t in sheets:
        entry.problems.extend(t.problems)
    assembler.add(entry, sheets)
    dataset = assembler.finish()
    rulesets = load_rulesets()
    if "ruleset" in case:  # an override in force from the shipped ruleset's date
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "override.toml"
            path.write_text(f"effective = {rulesets[0].effective}\n{case['ruleset']}", "utf-8")
            rulesets = load_rulesets(path)
    ledger = None
    if "ledger" in case:
        from peixun_audit.ledger import frame_of

        ledger = frame_of(expand(case)["ledger"])
    return run(dataset, rulesets, case.get("as_of", AS_OF), codes, ledger, "case.db")


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(code, case name, case) of every case file."""
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text("utf-8"))
        for name, case in doc["cases"].items():
            out.append((doc["rule"], name, case))
    return out
