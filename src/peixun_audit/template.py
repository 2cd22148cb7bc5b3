"""Blank input workbooks, one per table kind, that the loader reads back without a
single problem: canonical headers, an instruction sheet (填表说明), drop-down lists for
closed vocabularies, and ID/phone columns formatted as text so Excel cannot turn an
ID number into a 15-digit float."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .load.schema import KINDS, TableKind
from .messages import ui
from .report.output import KIND_TEMPLATE, PROPERTY, OutputError, atomic_path
from .ruleset import Ruleset

YES_NO = ["是", "否"]
TRAINING_TYPES = [
    "就业技能培训",
    "岗位技能提升培训",
    "创业培训",
    "以工代训",
    "培训券培训",
    "项目制培训",
]
LEVELS = ["初级", "中级", "高级", "技师", "高级技师"]
MARKS = ["√", "迟到", "早退", "请假", "病假", "事假", "缺勤"]
CHOICES = {
    "yesno": YES_NO,
    "training_type": TRAINING_TYPES,
    "level": LEVELS,
    "cert_level": LEVELS,
    "period": ["上午", "下午", "晚上"],
    "mark": MARKS,
    "quality": ["满意", "基本满意", "不满意"],
    "employment_status": ["已就业", "自主创业", "未就业"],
    "method": ["电话", "实地"],
    "level_inspection": ["县区", "市级抽查"],
    "accepted": ["服从", "不服从"],
    "gender": ["男", "女"],
}
TEXT_TYPES = {"id", "phone"}
TEXT_KEYS = {"class_id", "license_no", "cert_no", "business_license"}
DATE_TYPES = {"date"}
INSTRUCTIONS = [
    "每个工作表是一张表，第一行是表头，请勿修改表头文字；可以在表头上方插入标题行。",
    "日期请填 Excel 日期或 2020-09-01 形式；时间填 08:30 形式。",
    "身份证号、电话等列已设为文本格式，请直接输入，勿转为数字（否则身份证号末几位会丢失）。",
    "带下拉列表的列请从列表中选择。",
    "多个教师或督查人员之间用顿号“、”分隔。",
]


def _choices(kind: TableKind, key: str, ftype: str, ruleset: Ruleset) -> list[str] | None:
    if key == "district":
        return list(ruleset.get("region.districts"))
    if kind.key == "inspections" and key == "level":
        return CHOICES["level_inspection"]
    if kind.key == "dispatches" and key == "accepted":
        return CHOICES["accepted"]
    if key in CHOICES:
        return CHOICES[key]
    if ftype == "yesno":
        return YES_NO
    return CHOICES.get(ftype) if ftype in ("period", "mark") else None


class TemplatesExist(OutputError):
    """Template files already in the folder: maybe filled in, so data; not overwritten."""

    def __init__(self, folder: Path, existing: list[Path]):
        super().__init__("templates_exist", folder)
        self.existing = existing

    def message(self, lang: str) -> str:
        names = ("、" if lang == "zh" else ", ").join(str(p) for p in self.existing)
        return ui(self.key, lang, path=str(self.path), files=names)


def write_templates(folder: Path, ruleset: Ruleset, force: bool = False) -> list[Path]:
    """Write one template per table kind into ``folder`` (created if missing), each
    atomically and marked as a template. Existing files of those names are refused
    (:class:`TemplatesExist`) unless ``force``; a folder that cannot be written to is an
    :class:`OutputError`."""
    targets = [(kind, folder / f"{kind.label}.xlsx") for kind in KINDS]
    existing = [path for _, path in targets if path.exists() or path.is_symlink()]
    if existing and not force:
        raise TemplatesExist(folder, existing)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file of that name
        raise OutputError(
            "output_unwritable",
            folder,
            NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)),
        ) from exc
    except OSError as exc:
        raise OutputError("output_unwritable", folder, exc) from exc
    written = []
    for kind, path in targets:
        with atomic_path(path) as temp:
            _write_template(temp, kind, ruleset)
        written.append(path)
    return written


def _write_template(path: Path, kind: TableKind, ruleset: Ruleset) -> None:
    import xlsxwriter  # here, not at the top: only Excel output needs it

    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_numbers": False}
    )
    book.set_custom_property(PROPERTY, KIND_TEMPLATE)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(kind.label)
    for col, f in enumerate(kind.fields):
        sheet.write_string(0, col, f.header, header)
        width = max(10, 2 * len(f.header) + 2)
        if f.type in TEXT_TYPES or f.key in TEXT_KEYS:
            sheet.set_column(col, col, max(width, 20), text)
        elif f.type in DATE_TYPES:
            sheet.set_column(col, col, max(width, 12), date)
        else:
            sheet.set_column(col, col, width)
        values = _choices(kind, f.key, f.type, ruleset)
        if values:
            sheet.data_validation(1, col, 5000, col, {"validate": "list", "source": values})
    sheet.freeze_panes(1, 0)
    # printed like the reports: A4 landscape, one page wide, the header on every page
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f"&C&12{kind.label.replace('&', '&&')}")
    sheet.set_footer("&C" + ui("page_footer", "zh"))
    notes = book.add_worksheet("填表说明")
    notes.set_column(0, 0, 100)
    for row, line in enumerate(INSTRUCTIONS):
        notes.write_string(row, 0, line)
    book.close()
