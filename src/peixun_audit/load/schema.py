"""The nine input tables of SPEC §3.1: sheet-name keywords, canonical headers and aliases.

Each field has an English key (the column name in the canonical DataFrame and in JSON),
its canonical Chinese header, aliases, and a value type that tells the loader how to
parse the cell (see ``values.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    type: str = "text"  # text|date|time|number|yesno|id|phone|list|mark|period|level


@dataclass(frozen=True)
class TableKind:
    key: str
    label: str  # Chinese name used in messages and templates
    keywords: tuple[str, ...]  # sheet-name keywords
    fields: tuple[Field, ...]
    # groups of keys: each group needs at least one present column
    required: tuple[tuple[str, ...], ...] = field(default=())

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


F = Field
# platform exports (issue 12): 培训班级编号 / 培训班编号, 社会保障号(码) / 身份证件号码
CLASS_ID = F(
    "class_id", "班级编号", ("班级代码", "班级号", "开班编号", "培训班级编号", "培训班编号")
)
ID_NUMBER = F(
    "id_number",
    "身份证号",
    ("身份证号码", "公民身份号码", "证件号码", "身份证件号码", "社会保障号", "社会保障号码"),
    "id",
)
NAME = F("name", "姓名", ("学员姓名",))

KINDS: tuple[TableKind, ...] = (
    TableKind(
        "institutions",
        "培训机构",
        ("机构",),
        (
            F("institution", "机构名称", ("培训机构", "学校名称", "培训机构名称", "培训单位名称")),
            F("license_no", "办学许可证号", ("许可证号",)),
            F("licensed_occupations", "许可职业工种", ("办学许可范围", "许可范围"), "list"),
            F("license_expiry", "许可有效期至", ("有效期至",), "date"),
        ),
        (("institution",),),
    ),
    TableKind(
        "classes",
        "培训班",
        ("开班", "班级信息"),
        (
            CLASS_ID,
            F("institution", "培训机构", ("机构名称", "培训机构名称", "培训单位名称")),
            F("training_type", "培训类型"),
            F("occupation", "职业工种", ("培训工种", "培训职业", "职业(工种)", "培训工种名称")),
            F("level", "培训等级", ("培训等级(描述)",), "level"),
            F("district", "开班地", ("培训地点所在县区", "县(市、区)")),
            F("start_date", "开班日期", ("开始日期", "培训开始日期", "培训开始时间"), "date"),
            F("end_date", "结业日期", ("结束日期", "培训结束日期", "培训结束时间"), "date"),
            F("planned_hours", "计划课时", ("总课时",), "number"),
            F("application_date", "开班申请日期", ("申请提交日期", "开班申请提交日期"), "date"),
            F("approval_date", "开班批准日期", ("批准日期", "审批日期"), "date"),
            F("disclosure_date", "告知公示日期", ("公示日期",), "date"),
            F("hotline_disclosed", "已公示举报电话", (), "yesno"),
            F("project_based", "是否项目制", (), "yesno"),
            F("agreement_date", "协议签订日期", ("培训协议签订日期",), "date"),
            F("acceptance_date", "验收日期", (), "date"),
            F("teachers", "授课教师", ("教师",), "list"),
            # the platform's 培训班级名称 (issue 12): kept, not used by a rule
            F("class_name", "班级名称", ("培训班级名称", "培训班名称")),
        ),
        (("class_id",), ("start_date",)),
    ),
    TableKind(
        "plan",
        "教学计划",
        ("计划", "课程表"),
        (
            CLASS_ID,
            F("date", "日期", ("上课日期", "培训日期"), "date"),
            F("period", "时段", (), "period"),
            F("start_time", "开始时间", (), "time"),
            F("end_time", "结束时间", (), "time"),
            F("hours", "课时", ("学时",), "number"),
            F("kind", "课程类型", ("教学形式",)),
            F("teacher", "授课教师", ("教师", "任课教师")),
            F("content", "教学内容", ("课程内容",)),
        ),
        (("date",), ("hours",)),
    ),
    TableKind(
        "roster",
        "学员名册",
        ("名册", "花名册", "学员信息"),
        (
            CLASS_ID,
            NAME,
            F("gender", "性别"),
            F("age", "年龄", (), "number"),
            ID_NUMBER,
            F("education", "文化程度", ("学历",)),
            F("address", "家庭住址", ("住址", "户籍地址")),
            F("phone", "联系电话", ("手机号", "手机号码", "电话", "联系方式"), "phone"),
            F("cert_level", "证书等级", ("证书种类",)),
            F("cert_no", "证书编号"),
            F("employment_status", "就业状态"),
            F("employer", "就业单位"),
            F("employer_address", "单位地址"),
            F("employer_phone", "单位联系电话", (), "phone"),
            F("employer_contact", "单位联系人"),
            F("business", "创业项目"),
            F("business_address", "创业地址"),
            F("business_license", "营业执照", ("营业执照号",)),
            F("business_start_date", "创业日期", (), "date"),
        ),
        (("name", "id_number"),),
    ),
    TableKind(
        "signin",
        "签到表",
        ("签到", "考勤"),
        (
            CLASS_ID,
            ID_NUMBER,
            NAME,
            F("date", "日期", ("上课日期", "培训日期", "签到日期"), "date"),
            F("period", "时段", (), "period"),
            F("mark", "签到", ("签名", "签到情况", "考勤"), "mark"),
            F("signin_time", "签到时间", (), "time"),
        ),
        (("name", "id_number"), ("date",), ("mark",)),
    ),
    TableKind(
        "inspections",
        "现场督查",
        ("督查", "检查"),
        (
            CLASS_ID,
            F("date", "督查日期", ("检查日期",), "date"),
            F("time", "督查时间", (), "time"),
            F("level", "督查级别"),
            F("inspectors", "督查人员", ("检查人员",), "list"),
            F("leader", "组长"),
            F("expected", "应到人数", (), "number"),
            F("observed", "实到人数", ("实际到课人数",), "number"),
            F("follows_syllabus", "按大纲教学", (), "yesno"),
            F("on_schedule", "进度与计划一致", (), "yesno"),
            F("teacher_prepared", "教师备课授课", (), "yesno"),
            F("practical_ok", "实操课时达标", (), "yesno"),
            F("signed_by_school", "机构签字", (), "yesno"),
            F("signed_by_inspectors", "督查人员签字", (), "yesno"),
        ),
        (("date",),),
    ),
    TableKind(
        "callbacks",
        "电话回访",
        ("回访",),
        (
            CLASS_ID,
            ID_NUMBER,
            NAME,
            F("date", "回访日期", (), "date"),
            F("reached", "是否接通", (), "yesno"),
            F("willingness", "培训意愿"),
            F("quality", "培训质量"),
            F("attended", "是否参加培训", ("是否实际参加培训",), "yesno"),
            F("employed", "培训后就业情况"),
            F("employer", "就业单位"),
            F("industry", "从事行业职业"),
            F("wage", "月工资收入", (), "number"),
            F("caller", "回访人"),
        ),
        (("name", "id_number"),),
    ),
    TableKind(
        "followups",
        "创业跟踪",
        ("跟踪", "后续服务"),
        (
            CLASS_ID,
            ID_NUMBER,
            NAME,
            F("date", "服务日期", (), "date"),
            F("method", "服务方式"),
            F("content", "服务内容"),
            F("recorder", "记录人"),
        ),
        (("name", "id_number"), ("date",)),
    ),
    TableKind(
        "dispatches",
        "教师派遣",
        ("派遣",),
        (
            F("teacher", "教师姓名"),
            F("date", "派遣日期", (), "date"),
            F("accepted", "是否服从", (), "yesno"),
        ),
        (("teacher",), ("date",), ("accepted",)),
    ),
)

KIND_BY_KEY = {k.key: k for k in KINDS}
# Kinds whose rows belong to a class and so need a class id.
CLASS_SCOPED = {"classes", "plan", "roster", "signin", "inspections", "callbacks", "followups"}

_SPACE = re.compile(r"\s+")


@cache
def normalise_header(text: str) -> str:
    """Fold a header cell for matching: NFKC (full- to half-width), no white space or ``*``."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).replace("*", "")
    # once more: removing a space can leave a combining mark that composes (R + ̧ → Ŗ)
    return unicodedata.normalize("NFKC", text)


def _alias_index(kind: TableKind) -> dict[str, str]:
    index: dict[str, str] = {}
    for f in kind.fields:
        for name in (f.header, *f.aliases):
            index.setdefault(normalise_header(name), f.key)
    return index


ALIASES: dict[str, dict[str, str]] = {k.key: _alias_index(k) for k in KINDS}


def kind_from_sheet_name(sheet_name: str) -> str | None:
    """Recognise a table kind from keywords in the sheet name (longest keyword wins)."""
    name = normalise_header(sheet_name)
    best: tuple[int, str] | None = None
    for kind in KINDS:
        for kw in kind.keywords:
            if kw in name and (best is None or len(kw) > best[0]):
                best = (len(kw), kind.key)
    return best[1] if best else None
