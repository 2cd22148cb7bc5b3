"""Every user-facing text, in Chinese (default) and English.

Problems and findings are data; their messages are rendered here from a template and
the item's parameters, so one result can be reported in either language.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

PROBLEMS: dict[str, tuple[str, str]] = {
    "file-unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "reader-crashed": (
        "读取该文件的进程异常退出，文件未审核",
        "the process reading this file died; the file was not audited",
    ),
    "empty-file": ("文件为空（0 字节）", "the file is empty (0 bytes)"),
    "encrypted": ("文件已加密（设有密码），无法读取", "the file is encrypted (password-protected)"),
    "not-a-workbook": (
        "不是可读取的 Excel 工作簿，或文件已损坏",
        "not a readable workbook, or the file is corrupt",
    ),
    "sheet-unreadable": (
        "工作表无法读取（内容已损坏）：{detail}",
        "sheet cannot be read (corrupt content): {detail}",
    ),
    "corrupt-zip": (
        "文件已损坏或不完整（压缩包无法解开）",
        "the file is corrupt or truncated (its zip container cannot be opened)",
    ),
    "too-large-unzipped": (
        "文件解压后过大（{detail}），疑似压缩炸弹，未读取；如确需读取，可设置环境变量 PEIXUN_MAX_UNZIPPED_MB",
        "the file expands too much when unzipped ({detail}): a possible zip bomb, not read; set PEIXUN_MAX_UNZIPPED_MB to allow it",
    ),
    "xml-entities": (
        "文件内含 XML 实体声明（{detail}），可能是恶意文件，未读取",
        "the file declares XML entities ({detail}): possibly hostile, not read",
    ),
    "html-as-workbook": (
        "文件实为网页（HTML）表格，已按表格读取",
        "the file is an HTML table with a workbook name; read as a table",
    ),
    "csv-as-workbook": (
        "文件实为文本（CSV）表格，已按表格读取",
        "the file is CSV text with a workbook name; read as a table",
    ),
    "formula-no-value": (
        "公式没有保存计算结果（文件可能由程序生成且未经 Excel 打开保存），按空白处理",
        "a formula without a cached value (the file was never recalculated in Excel): read as blank",
    ),
    "no-usable-table": ("文件中没有可用的表格", "no usable table in the file"),
    "hidden-sheet": ("隐藏工作表，已照常读取", "hidden sheet, read as usual"),
    "empty-sheet": ("空工作表，已跳过", "empty sheet, skipped"),
    "no-header": (
        "未找到可识别的表头，{rows} 行未使用",
        "no recognisable header row; {rows} rows not used",
    ),
    "duplicate-header": (
        "表头“{header}”重复，已使用 {used} 列",
        "duplicate header '{header}'; column {used} used",
    ),
    "merged-data-cells": (
        "合并单元格，已按左上角的值填充每一行",
        "merged cells: the top-left value was applied to every row",
    ),
    "missing-columns": (
        "{kind}缺少必需的列：{columns}，整表未使用",
        "{kind} lacks required columns: {columns}; sheet not used",
    ),
    "row-missing-fields": (
        "{kind}本行缺少{columns}，未使用",
        "{kind} row lacks {columns}; not used",
    ),
    "row-total": ("合计行，未作为数据使用", "a totals row; not used as data"),
    "unreadable-date": (
        "“{header}”的日期无法识别：{value}",
        "cannot read the date in '{header}': {value}",
    ),
    "invalid-date": ("“{header}”不是有效日期：{value}", "'{header}' is not a valid date: {value}"),
    "unreadable-period": (
        "“{header}”的时段无法识别：{value}",
        "cannot read the period in '{header}': {value}",
    ),
    "unreadable-time": (
        "“{header}”的时间无法识别：{value}",
        "cannot read the time in '{header}': {value}",
    ),
    "unreadable-yesno": ("“{header}”应为是/否：{value}", "'{header}' should be yes/no: {value}"),
    "unreadable-number": ("“{header}”不是数字：{value}", "'{header}' is not a number: {value}"),
    "id-stored-as-number": (
        "身份证号以数字格式存储，Excel 只保留 15 位有效数字，末几位已丢失；请将该列设为文本后重新录入",
        "ID number stored as a number: Excel keeps 15 significant digits, so the last digits are lost; re-enter it as text",
    ),
    "no-class-id": (
        "工作表没有班级编号列、标题中没有“班级编号：”标注，工作簿也不只含一个班级，{rows} 行未使用",
        "no class id column, no '班级编号：' label in the title rows and not a single-class workbook; {rows} rows not used",
    ),
    "row-no-class-id": ("本行没有班级编号，未使用", "row has no class id; not used"),
    "date-year-unknown": (
        "“{header}”未写年份，且找不到所属班级的开班日期，无法确定年份",
        "'{header}' has no year and the class start date is unknown",
    ),
    "unknown-mark": (
        "无法识别的签到标记“{value}”，按缺勤计",
        "unknown sign-in mark '{value}', counted as absent",
    ),
}

UI: dict[str, tuple[str, str]] = {
    "class_id": ("班级编号", "Class"),
    "institution": ("培训机构", "Institution"),
    "student_name": ("姓名", "Name"),
    "id_number": ("身份证号", "ID number"),
    "planned_hours": ("计划课时", "Planned h"),
    "attended_hours": ("到课课时", "Attended h"),
    "rate": ("到课率", "Rate"),
    "basis": ("计算依据", "Basis"),
    "basis_hours": ("课时", "hours"),
    "basis_sessions": ("签到次数", "sessions"),
    "code": ("代码", "Code"),
    "name": ("规则", "Rule"),
    "article": ("条款", "Article"),
    "severity": ("级别", "Severity"),
    "message": ("说明", "Message"),
    "source": ("位置", "Location"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
    "attendance_title": ("学员到课率（第四条）", "Attendance (Article 4)"),
    "findings_title": ("问题清单", "Findings"),
    "problems_title": ("输入问题", "Input problems"),
    "summary_title": ("汇总", "Summary"),
    "files": ("输入文件", "Input files"),
    "files_failed": ("无法读取的文件", "Files not read"),
    "classes": ("班级数", "Classes"),
    "students": ("学员数", "Students"),
    "below_threshold": ("到课率不达标", "Below threshold"),
    "findings": ("问题数", "Findings"),
    "problems": ("输入问题数", "Input problems"),
    "loading": ("读取工作簿", "Reading workbooks"),
    "no_input": ("没有找到可读取的工作簿", "no readable workbook found"),
    "written": ("已写入 {path}", "written to {path}"),
    "more_rows": (
        "……另有 {n} 行，完整内容请用 --output 导出",
        "… {n} more rows; use --output for all",
    ),
    "article_n": ("第{n}条", "Art. {n}"),
    "fraud_signal": (
        "（舞弊风险信号，非条款违规）",
        " (fraud signal, not a breach of the regulation)",
    ),
    "calendar_unknown": (
        "法定节假日日历不含 {years} 年，这些年份按周一至周五计算工作日；可在规则集 [calendar] 中列出当年的节假日和调休日",
        "the statutory calendar does not know {years}: working days counted Monday–Friday; list that year's holidays and make-up days in the ruleset's [calendar]",
    ),
    "phone": ("联系电话", "Phone"),
    "district": ("开班地", "District"),
    "occupation": ("职业工种", "Occupation"),
    "start_date": ("开班日期", "Start"),
    "end_date": ("结业日期", "End"),
    "size": ("学员数", "Students"),
    "ratio": ("回访比例%", "Ratio %"),
    "required": ("应回访", "Required"),
    "reached": ("已接通", "Reached"),
    "coverage": ("回访率", "Coverage"),
    "incomplete": ("记录不全", "Incomplete"),
    "contradictions": ("矛盾", "Contradictions"),
    "enough": ("达标", "Enough"),
    "callbacks_title": ("电话回访情况（第十二条）", "Callbacks (Article 12)"),
    "sample_title": ("电话回访抽样名单（第十二条）", "Callback sample (Article 12)"),
    "spotcheck_title": ("市级抽查班级（第十三条）", "City spot-check sample (Article 13)"),
    "review_title": ("培训机构年审评分（第十五条）", "Annual review scorecard (Article 15)"),
    "sample_record": (
        "抽样记录：种子 {seed}；算法 {algorithm}。凭种子和抽样框可重新抽取核验。",
        "sampling record: seed {seed}; algorithm {algorithm}. Anyone with the seed and the frame can redraw it.",
    ),
    "draw_line": (
        "{stream}：比例 {ratio}% ，抽样框 {frame} 人/个，样本 {n}，抽样框 SHA-256 {sha}",
        "{stream}: ratio {ratio}%, frame {frame}, sample {n}, frame SHA-256 {sha}",
    ),
    "classes_n": ("班级数", "Classes"),
    "average_rate": ("平均到课率", "Avg attendance"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "eligible_share": ("可补贴占比", "Eligible share"),
    "grade": ("建议等级", "Proposed grade"),
    "explanation": ("依据", "Why"),
    "article16": ("第十六条", "Article 16"),
    "article16_flag": (
        "建议取消补贴性培训资格，待核实",
        "suggest withdrawing subsidised-training eligibility, to be verified",
    ),
    "templates_written": ("已写入 {n} 个模板到 {path}", "{n} templates written to {path}"),
    "no_sample": ("没有可抽样的对象", "nothing to sample"),
    "eligible": ("可享受补贴", "Eligible"),
    "not_eligible": ("不可享受补贴", "Not eligible"),
    "reasons": ("原因（规则代码）", "Reasons (codes)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),
    "row": ("行", "Row"),
    "cell": ("单元格", "Cell"),
    "evidence": ("依据数据", "Evidence"),
    "status": ("状态", "Status"),
    "kind": ("表格类型", "Table kind"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_used": ("使用行数", "Rows used"),
    "rows_reported": ("报告行数", "Rows reported"),
    "sha256": ("SHA-256", "SHA-256"),
    "ruleset": ("规则集", "Ruleset"),
    "parameter": ("参数", "Parameter"),
    "value": ("值", "Value"),
    "chart_title": ("各条款问题数", "Findings per article"),
    "parameters": ("参数", "Parameters"),
    "rules_title": ("规则", "Rules"),
    "unknown_rule": ("没有规则 {code}", "no rule {code}"),
    "bad_date": ("日期无法识别：{value}", "cannot read the date: {value}"),
    "bad_option": ("选项 {option} 的值无效：{value}", "invalid value for {option}: {value}"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def ui(key: str, lang: str = "zh", **params: Any) -> str:
    return _pick(UI[key], lang).format(**params)


def problem_message(code: str, params: dict[str, Any], lang: str = "zh") -> str:
    template = PROBLEMS.get(code)
    if template is None:
        return code
    try:
        return _pick(template, lang).format(**params)
    except (KeyError, IndexError):
        return _pick(template, lang)
