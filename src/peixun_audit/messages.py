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
        "读取该文件的进程异常退出（读取器崩溃，或超出每个文件的时间、内存上限），文件未审核",
        "the process reading this file died (the reader crashed, or the file overran the time or memory cap per file); the file was not audited",
    ),
    "broken-link": (
        "链接指向的文件不存在（{detail}），未读取",
        "a link to a file that does not exist ({detail}); not read",
    ),
    "not-a-file": (
        "不是普通文件（{detail}，如设备或管道），未读取",
        "not a regular file ({detail}: a device or a pipe); not read",
    ),
    "folder-unreadable": (
        "无法读取该文件夹（{detail}），其中的文件未审核",
        "cannot list this folder ({detail}); the files in it were not audited",
    ),
    "file-too-large": (
        "文件过大（{detail}），未读取；如确需读取，可设置环境变量 PEIXUN_MAX_UNZIPPED_MB",
        "the file is too large ({detail}); not read; set PEIXUN_MAX_UNZIPPED_MB to allow it",
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
    "sheet-too-large": (
        "工作表的单元格范围过大（{detail} 个单元格），读取会耗尽内存，未读取；如确需读取，可设置环境变量 PEIXUN_MAX_CELLS",
        "the sheet's cells span too large a range ({detail} cells): reading it would exhaust memory, not read; set PEIXUN_MAX_CELLS to allow it",
    ),
    "sheet-too-much-text": (
        "工作表各单元格引用的共享文本过多（{detail}），读取会耗尽内存，未读取；如确需读取，可设置环境变量 PEIXUN_MAX_UNZIPPED_MB",
        "the sheet's cells copy too much shared text ({detail}): reading it would exhaust memory, not read; set PEIXUN_MAX_UNZIPPED_MB to allow it",
    ),
    "cell-out-of-range": (
        "工作表含超出 Excel 范围（XFD1048576）的单元格引用 {detail}，文件已损坏或被篡改，未读取",
        "the sheet has a cell reference beyond Excel's grid (XFD1048576), {detail}: the file is corrupt or tampered with; sheet not read",
    ),
    "shared-strings-count": (
        "共享字符串表声明含 {detail} 个字符串，超出其内容所能容纳的数量（文件可能被篡改），已忽略该声明，照常读取",
        "the shared-strings part declares {detail} strings, more than it can hold (possibly tampered with): the declaration was ignored and the file read as usual",
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
        "{kind}缺少必需的列：{fields}，整表未使用",
        "the {kind} lacks required columns: {fields}; sheet not used",
    ),
    "row-missing-fields": (
        "{kind}本行缺少{fields}，未使用",
        "{kind} row lacks {fields}; not used",
    ),
    "row-total": (
        "合计或人数统计行，已跳过，未作为数据使用",
        "a totals or head-count row, skipped: not used as data",
    ),
    "row-footer": (
        "表尾签名、盖章或说明行（{text}），已跳过，不是学员",
        "a footer, signature or note line, skipped: not a student",
    ),
    "row-repeated-header": (
        "重复的表头或标题行（打印分页时重复），已跳过",
        "a repeated header or title row (printed on every page), skipped",
    ),
    "row-class-label": (
        "表格中间的标题行（班级编号：{label}），已跳过",
        "a title row inside the table (班级编号：{label}), skipped",
    ),
    "row-under-other-label": (
        "本行位于另一个班级的标注“班级编号：{label}”之下，但没有自己的表头，无法确定所属班级，未使用",
        "this row is below a label for another class (班级编号：{label}) that has no header of its own: its class is uncertain; not used",
    ),
    "row-above-header": (
        "表头（第 {header_row} 行）上方的这一行像是学员数据（姓名、身份证号），未使用；请移到表头下方",
        "this row above the header (row {header_row}) looks like a student's data (a name, an ID number); not used: move it below the header",
    ),
    "class-label-unreadable": (
        "标题中的班级编号无法识别：“{value}”，未使用",
        "cannot read the class id in the title: '{value}'; not used",
    ),
    "unreadable-date": (
        "“{field}”的日期无法识别：{value}",
        "cannot read the date in '{field}': {value}",
    ),
    "invalid-date": ("“{field}”不是有效日期：{value}", "'{field}' is not a valid date: {value}"),
    "unreadable-period": (
        "“{field}”的时段无法识别：{value}",
        "cannot read the period in '{field}': {value}",
    ),
    "unreadable-time": (
        "“{field}”的时间无法识别：{value}",
        "cannot read the time in '{field}': {value}",
    ),
    "unreadable-yesno": (
        "“{field}”应为是/否：{value}",
        "'{field}' should be yes/no: {value}",
    ),
    "unreadable-number": ("“{field}”不是数字：{value}", "'{field}' is not a number: {value}"),
    "id-stored-as-number": (
        "身份证号以数字格式存储，Excel 只保留 15 位有效数字，末几位已丢失；请将该列设为文本后重新录入",
        "ID number stored as a number: Excel keeps 15 significant digits, so the last digits are lost; re-enter it as text",
    ),
    "no-class-id": (
        "工作表没有班级编号列、标题中没有“班级编号：”标注，工作簿也不只含一个班级，{rows} 行未使用",
        "no class id column, no '班级编号：' label in the title rows and not a single-class workbook; {rows} rows not used",
    ),
    "row-no-class-id": ("本行没有班级编号，未使用", "row has no class id; not used"),
    "no-class-id-stacked": (
        "同一工作表上叠放了多个表格，本表既没有班级编号列，也没有自己的“班级编号：”标注，{rows} 行未使用",
        "several tables are stacked on this sheet and this one has neither a class id column nor its own '班级编号：' label; {rows} rows not used",
    ),
    "date-year-unknown": (
        "“{field}”未写年份，且找不到所属班级的开班日期，无法确定年份",
        "'{field}' has no year and the class start date is unknown",
    ),
    # the printed 现场督查情况表 (load/forms.py)
    "form-date-unreadable": (
        "现场督查情况表的“{header}”不是可识别的日期：{value}；本表未使用",
        "inspection form: '{header}' is not a date: {value}; the form was not used",
    ),
    "form-no-date": (
        "现场督查情况表没有填写督查日期，本表未使用",
        "inspection form without an inspection date; the form was not used",
    ),
    "form-label-repeated": (
        "现场督查情况表中“{header}”与前面的项目重复，未读取（以前面的为准）",
        "inspection form: '{header}' repeats an item read above; not read (the first stands)",
    ),
    "form-both-ticked": (
        "现场督查情况表的“{header}”在 {value} 同时打勾，按未作答处理",
        "inspection form: '{header}' is ticked both yes and no ({value}); taken as unanswered",
    ),
    "unknown-mark": (
        "无法识别的签到标记“{value}”，按缺勤计",
        "unknown sign-in mark '{value}', counted as absent",
    ),
    "makeup-mark": (
        "签到标记“{value}”为补签：按缺勤计（规则集 attendance.makeup_signature_present = true 时计为出勤）",
        "mark '{value}' is a make-up signature: counted as absent (as present when the ruleset sets attendance.makeup_signature_present = true)",
    ),
    "no-session-mark": (
        "“{value}”表示当天无课，但同一场次其他学员有签到：按缺勤计，请核实",
        "'{value}' means no class that day, but others signed this session: counted as absent; please check",
    ),
    # monthly attendance grids and one-session sheets (load/grid.py, load/sessions.py)
    "grid-layout": (
        "按月度考勤表读取：{month}，日期列 {value}，有签到的场次 {rows} 个（空白或“/”的日期视为当天无课）",
        "read as a monthly attendance grid: {month}, day columns {value}, {rows} sessions with marks (a day left blank or '/' is a day without class)",
    ),
    "grid-month-unknown": (
        "月度考勤表（日期列为 1、2、3……）：标题、标注和工作表名中都没有年月（如“2021年5月”“考勤月份：2021-05”），无法确定日期，{rows} 行未使用",
        "monthly attendance grid (day columns 1, 2, 3 …): no month in the title, a label or the sheet name (e.g. '2021-05' or the year and month in words), so its dates are unknown; {rows} rows not used",
    ),
    "grid-month-ambiguous": (
        "月度考勤表：标题中有多个月份（{detail}），无法确定日期列属于哪个月，{rows} 行未使用",
        "monthly attendance grid: the title names several months ({detail}), so the month of its day columns is unknown; {rows} rows not used",
    ),
    "grid-no-marks": (
        "月度考勤表（{month}）中没有任何签到标记（全部空白或“/”），{rows} 行未使用",
        "monthly attendance grid ({month}) holds no mark at all (every day blank or '/'); {rows} rows not used",
    ),
    "grid-day-invalid": (
        "月度考勤表的日期列“{value}”不在 {month} 中，该列 {rows} 个标记未使用",
        "day column '{value}' of the monthly grid is not a day of {month}; its {rows} marks not used",
    ),
    "session-sheet-layout": (
        "按单场签到表读取：{date}{period}，签到列 {value}",
        "read as one session's sign-in sheet: {date} {period}, mark column {value}",
    ),
    "session-day-number": (
        "单场签到表只写了“{value}”，没有日期：无法与教学计划对应，请写明日期（如“11.16上午”），{rows} 行未使用",
        "one session's sign-in sheet named '{value}' (a day number) without a date: it cannot be matched to the plan; write the date (e.g. '11.16' and the period); {rows} rows not used",
    ),
    # files listed but not read (status "skipped"), and the text formats read
    "unsupported-format": ("未读取（{detail}）：{format}", "not read ({detail}): {format}"),
    "duplicate-file": (
        "与 {original} 内容完全相同（副本），只读取一次，本文件未读取",
        "byte-identical to {original} (a copy): read once, this file not read",
    ),
    "own-report": (
        "本工具生成的文件（审核报告，或补贴台账导出：用 ledger import 读取），不作为数据读取",
        "a file written by this tool (a report, or a ledger export: ledger import reads it): not read as data",
    ),
    "csv-unreadable": (
        "无法按 CSV 表格读取：{detail}",
        "cannot read the file as a CSV table: {detail}",
    ),
    "et-unreadable": (
        "WPS 表格文件（.et）无法读取：{detail}；请在 WPS 中另存为 .xlsx 后再审核",
        "cannot read the WPS Spreadsheets file (.et): {detail}; save it as .xlsx in WPS and audit it again",
    ),
}

# Why a file is not read (the ``format`` of an unsupported-format problem;
# load.workbook.UNSUPPORTED)
FILE_FORMATS: dict[str, tuple[str, str]] = {
    "archive": (
        "压缩包，请先解压，再审核解压出的工作簿",
        "an archive: unpack it and audit the workbooks inside",
    ),
    "xlsb": (
        "Excel 二进制工作簿（.xlsb）无法读取，请在 Excel 中另存为 .xlsx",
        "an Excel binary workbook (.xlsb) cannot be read: save it as .xlsx in Excel",
    ),
    "scan": (
        "扫描件、照片或打印文档（PDF、图片）无法审核，请提供原始 Excel 表格",
        "scanned or printed documents (PDF, images) cannot be audited: provide the original workbooks",
    ),
    "word": (
        "Word/WPS 文字文档无法审核，请把其中的表格复制到 Excel 工作簿",
        "a Word or WPS Writer document cannot be audited: copy its tables into a workbook",
    ),
    "numbers": (
        "Numbers 表格无法读取，请在 Numbers 中导出为 .xlsx",
        "a Numbers spreadsheet cannot be read: export it as .xlsx from Numbers",
    ),
    "other": (
        "不支持的文件格式（可读取 .xlsx .xlsm .xls .et .ods .csv）",
        "not a supported format (the tool reads .xlsx .xlsm .xls .et .ods .csv)",
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
    "variant": ("情形", "Variant"),
    "variants": ("情形与依据数据", "Variants and their evidence"),
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
    "fraud_legend": (
        "X 开头的问题是舞弊风险信号，不是条款违规，供核查参考",
        "Codes starting with X are fraud signals, not breaches of the regulation",
    ),
    "calendar_unknown": (
        "法定节假日日历不含 {years} 年，这些年份按周一至周五计算工作日；可在规则集 [calendar] 中列出当年的节假日和调休日",
        "the statutory calendar does not know {years}: working days counted Monday–Friday; list that year's holidays and make-up days in the ruleset's [calendar]",
    ),
    "calendar_regional_unconfirmed": (
        "{years} 年的“壮族三月三”假期按农历三月初三、初四推算，当年的调休安排未经确认；请在规则集 [calendar] 的 regional_holidays / regional_workdays 中列出自治区当年通知的放假和调休日",
        "Guangxi's Zhuang 'Sanyuesan' holiday in {years} was computed from the lunar calendar (3rd month, days 3 and 4): that year's make-up days are unconfirmed; list the days of the region's notice in the ruleset's [calendar] regional_holidays / regional_workdays",
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
    "eligible": ("可拨付", "Eligible"),
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
    "rule_failed": (
        "规则 {code} 运行出错（程序内部错误），本次审核不完整；在修复前所有学员均不可拨付",
        "rule {code} failed (an internal error): the audit is incomplete, and nobody is eligible until it is fixed",
    ),
    "failures_title": ("内部错误", "Internal errors"),
    "rules_failed": ("运行出错的规则", "Rules failed"),
    "ruleset_syntax": (
        "规则集 {file} 不是有效的 TOML：{detail}",
        "ruleset {file} is not valid TOML: {detail}",
    ),
    "ruleset_effective": (
        "规则集 {file} 缺少生效日期 effective（TOML 日期，如 2020-08-20）",
        "ruleset {file}: 'effective' must be a TOML date, e.g. 2020-08-20",
    ),
    "ruleset_unreadable": (
        "无法读取规则集 {file}：{detail}",
        "cannot read the ruleset {file}: {detail}",
    ),
    "ruleset_unknown_key": (
        "规则集 {file} 中的 {param} 不是已知的节或参数（拼写错误？），规则集未使用",
        "ruleset {file}: {param} is not a known section or parameter (a typo?); the ruleset was not used",
    ),
    "ruleset_wrong_type": (
        "规则集 {file} 中的 {param} 类型错误，应为 {expected}",
        "ruleset {file}: {param} has the wrong type; expected {expected}",
    ),
    "ruleset_bad_value": (
        "规则集 {file} 中的 {param} = {value} 不是可能的值（不能为负数，百分比不能超过 100）",
        "ruleset {file}: {param} = {value} is impossible (no negative numbers, no percentage over 100)",
    ),
    "ruleset_missing_key": (
        "规则集 {file} 缺少规则 {code} 所需的参数 {param}",
        "ruleset {file} lacks the parameter {param} that rule {code} needs",
    ),
    "type_integer": ("整数", "an integer"),
    "type_number": ("数字", "a number"),
    "type_text": ("文本", "text"),
    "type_boolean": ("true 或 false", "true or false"),
    "type_table": ("一个节（[节名]）", "a section ([name])"),
    "type_date": ("日期", "a date"),
    "type_list": ("列表", "a list"),
    "type_list_of_text": ("文本列表", "a list of text"),
    "type_list_of_dates": ('日期列表（如 "2027-01-01"）', 'a list of dates (e.g. "2027-01-01")'),
    "incomplete_rules_not_run": (
        "只运行了部分规则，{n} 条规则未运行（{items}）；没有学员可判定为可拨付（待核实）",
        "only part of the rulebook ran: {n} rules not run ({items}); nobody can be found eligible (undetermined)",
    ),
    "incomplete_rules_failed": (
        "规则运行出错：{items}；所有学员均不可拨付",
        "rules failed: {items}; nobody is eligible",
    ),
    "incomplete_files_not_read": (
        "文件未能读取，其中可能有某些班级的材料：{items}；未被阻止的学员为待核实",
        "files not read, which may hold some class's evidence: {items}; students not blocked are undetermined",
    ),
    "incomplete_sheets_not_read": (
        "工作表或行未能读取，其中可能有某些班级的材料：{items}；未被阻止的学员为待核实",
        "sheets or rows not read, which may hold some class's evidence: {items}; students not blocked are undetermined",
    ),
    "incomplete_register_missing": (
        "没有培训机构名录，无法核实办学许可范围和有效期（第一条）；未被阻止的学员为待核实",
        "no institutions register: licence scope and validity (Article 1) cannot be checked; students not blocked are undetermined",
    ),
    "incomplete_classes_not_ended": (
        "审核日期时尚未结业的班级：{items}；其学员为待核实（结业并完成回访后再审核）",
        "classes not ended by the audit date: {items}; their students are undetermined (audit them once ended and called back)",
    ),
    "ledger_not_checked": (
        "未提供补贴台账（--ledger）：S01 规则只在本批次内核对，本批次以外已拨付的补贴（同职业同等级、先高后低、每年次数）未核对",
        "no subsidy ledger given (--ledger): the S01 rules compared this batch's classes only; subsidies paid outside the batch (same occupation and level, lower after higher, trainings a year) were not checked",
    ),
    "ledger_checked": (
        "已对照补贴台账 {source} 核对（本批次学员的已拨付记录 {n} 条）",
        "checked against the subsidy ledger {source} ({n} earlier payments of this batch's students)",
    ),
    "ledger_title": ("补贴台账", "Subsidy ledger"),
    "ledger_rules_not_run": (
        "S01 规则（补贴次数与等级）未运行",
        "the S01 rules (subsidy limits) were not run",
    ),
    # the subsidy ledger (ledger/)
    "ledger_too_new": (
        "台账由更新版本的本工具创建（结构版本 {version}，本版本支持到 {supported}），请升级 peixun-audit",
        "the ledger was written by a newer version of the tool (schema {version}; this one knows up to {supported}): upgrade peixun-audit",
    ),
    "ledger_same_file": (
        "该文件已于 {at}（UTC）记录为批次“{batch}”（SHA-256 相同），拒绝重复记录；如确属误记，先 ledger undo 该批次",
        "this file was already recorded as batch '{batch}' at {at} UTC (same SHA-256): refused; if that was a mistake, ledger undo the batch first",
    ),
    "ledger_batch_exists": (
        "批次名称“{batch}”已存在，请换一个名称",
        "a batch named '{batch}' already exists: choose another name",
    ),
    "ledger_conflict": (
        "同一文件或同名批次刚刚由另一次记录写入台账，本次未记录（台账未改动）：{detail}",
        "the same file or batch name was just recorded by another run: nothing recorded (the ledger is unchanged): {detail}",
    ),
    "ledger_no_rows": ("{file} 中没有可记录的人员", "{file} holds nobody to record"),
    "ledger_no_batch": (
        "台账中没有批次“{batch}”（ledger batches 列出全部批次）",
        "no batch '{batch}' in the ledger (ledger batches lists them)",
    ),
    "ledger_no_folder": (
        "台账所在文件夹不存在：{path}",
        "the ledger's folder does not exist: {path}",
    ),
    "ledger_missing": (
        "补贴台账不存在：{where}（请检查路径；新台账由 ledger record 或 ledger import 创建）",
        "no subsidy ledger at {where} (check the path; ledger record or ledger import creates one)",
    ),
    "ledger_driver_missing": (
        "缺少数据库驱动 {driver}：请安装 peixun-audit[postgres]",
        "the database driver for {driver} is missing: install peixun-audit[postgres]",
    ),
    "ledger_unreachable": (
        "无法打开补贴台账 {where}：{detail}",
        "cannot open the subsidy ledger {where}: {detail}",
    ),
    "ledger_src_unreadable": ("无法读取该文件（{detail}）", "cannot read the file ({detail})"),
    "ledger_src_no_header": (
        "找不到含“姓名”和“身份证号”的表头",
        "no header row naming 姓名 (name) and 身份证号 (ID number)",
    ),
    "ledger_src_no_paid_on": (
        "缺少“拨付日期”列：历史记录的每一行都需要拨付日期",
        "no 拨付日期 (paid-on date) column: every row of a history needs its payment date",
    ),
    "ledger_src_id_number": (
        "身份证号被存成了数字，末几位已丢失；请改为文本后重新导出",
        "the ID number was stored as a number and lost its last digits; store it as text and export again",
    ),
    "ledger_src_no_id": (
        "本行没有身份证号（或身份证号已脱敏）",
        "this row has no ID number (or a masked one)",
    ),
    "ledger_src_bad_id": (
        "身份证号无效（长度、出生日期或校验位错误）",
        "invalid ID number (length, birth date or check character)",
    ),
    "ledger_src_bad_date": ("日期无法识别", "cannot read the date"),
    "ledger_src_bad_amount": (
        "金额无法识别（应为元，最多两位小数）",
        "cannot read the amount (yuan, at most two decimals)",
    ),
    "ledger_src_no_paid_date": ("本行没有拨付日期", "this row has no payment date"),
    "ledger_src_no_occupation": ("本行没有培训工种", "this row has no occupation"),
    "ledger_src_no_rows": ("表中没有人员", "the table lists nobody"),
    "ledger_refused": (
        "{file} 有 {n} 处无法读取，未记录任何人员（台账未改动）；请修正后重新记录",
        "{file}: {n} places could not be read; nobody was recorded (the ledger is unchanged); fix them and record again",
    ),
    "ledger_no_file": ("文件不存在：{file}", "no such file: {file}"),
    "ledger_record_done": (
        "已记录 {n} 人，批次“{batch}”（台账 {where}）",
        "recorded {n} people as batch '{batch}' (ledger {where})",
    ),
    "ledger_import_done": (
        "已导入 {n} 条拨付记录，批次“{batch}”（台账 {where}）",
        "imported {n} payments as batch '{batch}' (ledger {where})",
    ),
    "ledger_undo_done": (
        "已撤销批次“{batch}”，删除 {n} 条拨付记录（已记入台账日志）",
        "batch '{batch}' removed with its {n} payments (logged in the ledger)",
    ),
    "ledger_verify_integrity": (
        "数据库完整性检查失败：{detail}",
        "database integrity check failed: {detail}",
    ),
    "ledger_verify_foreign_key": (
        "拨付记录指向不存在的批次：{detail}",
        "a payment points to a batch that does not exist: {detail}",
    ),
    "ledger_verify_version": (
        "台账结构版本为 {version}，应为 {expected}",
        "the ledger's schema version is {version}, expected {expected}",
    ),
    "ledger_verify_count": (
        "批次“{batch}”登记 {declared} 条，实有 {actual} 条",
        "batch '{batch}' declares {declared} payments but holds {actual}",
    ),
    "ledger_verify_orphans": ("{n} 条拨付记录没有所属批次", "{n} payments belong to no batch"),
    "ledger_verify_ok": (
        "台账 {where} 完整（{batches} 个批次）",
        "the ledger {where} is sound ({batches} batches)",
    ),
    "ledger_export_done": ("已导出 {n} 条拨付记录到 {path}", "exported {n} payments to {path}"),
    "ledger_no_payments": ("台账中没有此人的拨付记录", "no payment of this person in the ledger"),
    "ledger_batches_title": ("补贴台账批次", "Ledger batches"),
    "ledger_show_title": ("拨付记录", "Payments"),
    "ledger_col_name": ("批次", "Batch"),
    "ledger_col_student": ("姓名", "Name"),
    "ledger_col_kind": ("类型", "Kind"),
    "ledger_col_payments": ("人数", "Payments"),
    "ledger_col_paid_on": ("拨付日期", "Paid on"),
    "ledger_col_recorded_at": ("记录时间(UTC)", "Recorded (UTC)"),
    "ledger_col_recorded_by": ("记录人", "By"),
    "ledger_col_source_file": ("来源文件", "Source file"),
    "ledger_col_id_number": ("身份证号", "ID number"),
    "ledger_col_class_id": ("班级编号", "Class"),
    "ledger_col_occupation": ("培训工种", "Occupation"),
    "ledger_col_level": ("等级", "Level"),
    "ledger_col_training_type": ("培训类型", "Training type"),
    "ledger_col_end_date": ("结业日期", "Class end"),
    "ledger_col_amount": ("补贴金额", "Amount"),
    "ledger_col_batch": ("批次", "Batch"),
    "status_eligible": ("可拨付", "eligible"),
    "status_blocked": ("不可拨付", "blocked"),
    "status_undetermined": ("待核实", "undetermined"),
    "blocked": ("不可拨付", "Blocked"),
    "undetermined": ("待核实", "Undetermined"),
    "audit_incomplete": ("审核不完整", "Audit incomplete"),
    "dossier_title": ("班级材料完整性", "Class dossiers"),
    "complete": ("完整", "Complete"),
    "dossier_complete": ("完整", "Done"),
    "doc_found": ("有", "yes"),
    "doc_missing": ("缺", "MISS"),
    "doc_not_required": ("—", "—"),
    "doc_classes": ("开班", "Rec."),
    "doc_plan": ("计划", "Plan"),
    "doc_roster": ("名册", "Roll"),
    "doc_signin": ("签到", "Sign"),
    "doc_inspections": ("督查", "Insp"),
    "doc_callbacks": ("回访", "Call"),
    "doc_followups": ("跟踪", "Foll"),
    "doc_agreement": ("协议", "Agmt"),
    "unknown_codes": (
        "没有这样的规则代码或前缀：{codes}。可用的前缀：{valid}（或完整代码，如 A0401；peixun-audit rules 列出全部）",
        "no rule code or prefix {codes}. Valid prefixes: {valid} (or a full code such as A0401; peixun-audit rules lists them all)",
    ),
    "ruleset_unused": (
        "注意：规则集 {name}（{effective} 起施行）没有适用于任何班级（所有班级都在此日期之前开班），请检查生效日期",
        "note: the ruleset {name} (in force from {effective}) applies to no class (every class started before that date); check its effective date",
    ),
    "no_rule_selected": (
        "所选规则为空（--select/--ignore 互相抵消或为空），没有可运行的规则；请检查代码",
        "no rule selected (--select and --ignore cancel out, or one is empty); check the codes",
    ),
    "internal_error": (
        "内部错误，审核未完成：{detail}。请加 --debug 重新运行并把输出报告给维护者",
        "internal error, the audit did not finish: {detail}. Run again with --debug and report the output to the maintainers",
    ),
    "unknown_rule": ("没有规则 {code}", "no rule {code}"),
    "bad_date": ("日期无法识别：{value}", "cannot read the date: {value}"),
    "bad_option": ("选项 {option} 的值无效：{value}", "invalid value for {option}: {value}"),
    # outputs (report/output.py)
    "output_is_input": (
        "输出文件 {path} 是输入文件之一，拒绝覆盖（未作任何改动）；请换一个输出文件名",
        "the output {path} is one of the input files: refusing to overwrite it (nothing was changed); choose another output name",
    ),
    "output_unwritable": (
        "无法写入输出文件 {path}：{reason}；原有文件未改动",
        "cannot write the output {path}: {reason}; any existing file was left unchanged",
    ),
    "templates_exist": (
        "文件夹中已有同名文件，可能是已填写数据的模板，未覆盖：{files}；确需覆盖请加 --force",
        "these files already exist and may be filled-in templates (data), so nothing was overwritten: {files}; use --force to overwrite them",
    ),
    "out_reason_not_a_folder": ("{name} 不是文件夹", "{name} is not a folder"),
    "out_reason_is_a_folder": ("{name} 是文件夹", "{name} is a folder"),
    "out_reason_permission": (
        "没有写入权限，或文件正被其他程序（如 Excel）打开",
        "permission denied, or the file is open in another program (such as Excel)",
    ),
    "out_reason_read_only": ("只读文件系统", "read-only file system"),
    "out_reason_disk_full": ("磁盘空间不足", "no space left on the disk"),
    "out_reason_name_too_long": ("文件名过长", "file name too long"),
    "out_reason_not_found": ("文件夹不存在", "folder not found"),
    # inputs listed but not read on purpose (load.plan_inputs)
    "files_skipped": (
        "未读取的文件（副本、本工具报告、其他格式）",
        "Files skipped (copies, own reports, other formats)",
    ),
}


# The command line (cli.py, clihelp.py): help texts with an example each and the exit
# status, usage errors in place of click's English, the sampling record in plain words.
UI.update(
    {
        "usage": ("用法：", "Usage: "),
        "usage_options": ("[选项]", "[OPTIONS]"),
        "usage_command": ("命令 [参数]...", "COMMAND [ARGS]..."),
        "help_arguments": ("参数", "Arguments"),
        "help_options": ("选项", "Options"),
        "help_commands": ("命令", "Commands"),
        "help_examples": ("示例", "Examples"),
        "help_exit": ("退出状态", "Exit status"),
        "help_default": ("默认：{value}", "default: {value}"),
        "help_envvar": ("环境变量 {name}", "env var {name}"),
        "help_more": (
            "每个命令的说明：peixun-audit 命令 --help；语言：--lang en 或环境变量 PEIXUN_LANG=en",
            "Each command's help: peixun-audit COMMAND --help; language: --lang zh or the environment variable PEIXUN_LANG=zh",
        ),
        "help_try": ("查看帮助：{command} --help", "Try '{command} --help' for help."),
        "error_prefix": ("错误：", "Error: "),
        "aborted": ("已中止", "Aborted!"),
        # usage errors (clihelp.usage_error)
        "err_no_such_option": ("没有这个选项：{option}", "No such option: {option}"),
        "err_did_you_mean": ("（是不是要用 {options}？）", " (Did you mean {options}?)"),
        "err_no_such_command": (
            "没有这个命令：{name}（可用的命令：{commands}）",
            "No such command: {name} (commands: {commands})",
        ),
        "err_extra_args": ("多余的参数：{args}", "Unexpected extra arguments: {args}"),
        "err_missing_argument": ("缺少参数 {param}", "Missing argument {param}"),
        "err_missing_option": ("缺少选项 {param}", "Missing option {param}"),
        "err_needs_value": (
            "选项 {option} 后面缺少值",
            "Option {option} requires a value",
        ),
        "err_bad_choice": (
            "{option} 的值“{value}”无效，可选：{choices}",
            "Invalid value '{value}' for {option}; choose one of: {choices}",
        ),
        "err_bad_int": (
            "{option} 的值“{value}”不是整数",
            "Invalid value '{value}' for {option}: not a whole number",
        ),
        "err_bad_min": (
            "{option} 的值“{value}”太小，应不小于 {min}",
            "Invalid value '{value}' for {option}: must be at least {min}",
        ),
        "err_bad_value": ("{option} 的值无效：{detail}", "Invalid value for {option}: {detail}"),
        "err_bad_date": (
            "--as-of 的日期无法识别：{value}（应为日期，如 2020-09-30）",
            "--as-of: cannot read the date {value} (give a date such as 2020-09-30)",
        ),
        "err_from_envvar": ("（来自环境变量 {name}）", " (from the environment variable {name})"),
        # metavars shown in the help (no <bool>, <list[Path]>, <int range>)
        "metavar_value": ("值", "VALUE"),
        "metavar_paths": ("路径...", "PATH..."),
        "metavar_code": ("代码", "CODE"),
        "metavar_format": ("table|json|csv", "table|json|csv"),
        "metavar_output": ("文件", "FILE"),
        "metavar_template_output": ("文件夹", "FOLDER"),
        "metavar_as_of": ("日期", "DATE"),
        "metavar_ruleset": ("文件", "FILE"),
        "metavar_select": ("代码", "CODES"),
        "metavar_ignore": ("代码", "CODES"),
        "metavar_fail_on": ("error|warning|never", "error|warning|never"),
        "metavar_jobs": ("N", "N"),
        "metavar_seed": ("N", "N"),
        "metavar_lang": ("zh|en", "zh|en"),
        "metavar_issuer": ("单位", "BODY"),
        "metavar_notices": ("文件夹", "FOLDER"),
        "metavar_payments": ("文件.xlsx", "FILE.xlsx"),
        "metavar_ledger": ("台账", "LEDGER"),
        "help_opt_issuer": (
            "报告的出具单位（封面标题），默认“人力资源和社会保障局”",
            "the issuing body named in the report's title",
        ),
        "help_opt_notices": (
            "每个培训机构写一份整改通知书（.xlsx）到此文件夹",
            "write one rectification notice (.xlsx) per institution into this folder",
        ),
        "help_opt_payments": (
            "写出可拨付名单（.xlsx，含完整身份证号）",
            "write the disbursement list (.xlsx, with full ID numbers)",
        ),
        "help_opt_ledger": (
            "补贴台账（SQLite 文件或 postgresql:// URL，也可用环境变量 PEIXUN_LEDGER）："
            "S01 规则对照已拨付记录核对",
            "the subsidy ledger (a SQLite file or a postgresql:// URL, or PEIXUN_LEDGER): "
            "the S01 rules check it for earlier payments",
        ),
        # option and argument help
        "help_opt_paths": (
            "工作簿或文件夹（递归查找 .xlsx .xlsm .xls .et .ods .csv）；缺省为当前文件夹",
            "workbooks or folders (searched recursively for .xlsx .xlsm .xls .et .ods .csv); the current folder by default",
        ),
        "help_opt_format": (
            "屏幕输出格式：table 表格、json、csv",
            "what to print: table, json or csv",
        ),
        "help_opt_output": (
            "同时写入文件，按扩展名：.xlsx 报告、.json、.csv",
            "also write a file, by its extension: .xlsx report, .json, .csv",
        ),
        "help_opt_template_output": ("写入模板的文件夹", "folder to write the templates to"),
        "help_opt_as_of": (
            "审核日期（判断班级是否已结业、回访是否到期），如 2021-01-31；默认今天",
            "audit date (has a class ended, is a callback due), e.g. 2021-01-31; today by default",
        ),
        "help_opt_ruleset": (
            "规则集 TOML 文件，覆盖内置的 guilin-2020",
            "ruleset TOML file overriding the shipped guilin-2020",
        ),
        "help_opt_select": (
            "只用这些规则：代码或前缀，逗号分隔，如 A04,X",
            "only these rules: codes or prefixes, comma-separated, e.g. A04,X",
        ),
        "help_opt_ignore": (
            "不用这些规则：代码或前缀，如 A0403",
            "leave out these rules: codes or prefixes, e.g. A0403",
        ),
        "help_opt_fail_on": (
            "有这一级别或更严重的问题时退出状态为 1：error 错误、warning 警告、never 从不",
            "exit with status 1 when there are findings at or above: error, warning, never",
        ),
        "help_opt_show_pii": (
            "显示完整身份证号和电话（默认隐去中间位）",
            "show full ID and phone numbers (masked by default)",
        ),
        "help_opt_jobs": (
            "读取工作簿的并行进程数，默认为 CPU 核数",
            "processes reading workbooks in parallel; the number of CPUs by default",
        ),
        "help_opt_lang": (
            "输出语言：zh 中文、en 英文（也可用环境变量 PEIXUN_LANG）",
            "output language: zh Chinese, en English (or the environment variable PEIXUN_LANG)",
        ),
        "help_opt_verbose": (
            "屏幕上显示全部内容：每条问题的位置和身份证号、每个输入问题、材料明细",
            "print everything: each finding's location and ID number, every input problem, the dossier table",
        ),
        "help_opt_sample": (
            "抽取回访名单（写出回访表），而不是审核已有的回访记录",
            "draw the callback sample (and write the call sheet) instead of auditing the callback records",
        ),
        "help_opt_seed": (
            "随机种子；同一种子、同一材料抽出同一名单。缺省时随机生成并记录在输出中",
            "random seed: the same seed and inputs give the same sample; drawn at random and recorded when not given",
        ),
        "help_opt_force": (
            "覆盖文件夹中已有的同名模板（可能已填写数据）",
            "overwrite templates already in the folder (they may hold data)",
        ),
        "help_opt_code": (
            "规则代码，如 A0401；缺省时列出全部规则",
            "a rule code such as A0401; all rules are listed without one",
        ),
        "help_opt_version": ("显示版本并退出", "show the version and exit"),
        "help_opt_help": ("显示本帮助并退出", "show this help and exit"),
        # commands: a description, examples (one per line), the exit status
        "help_app": (
            "职业培训补贴审核工具：按桂林市《市人社政规〔2020〕2号》审核培训班的材料，给出每名学员能否拨付补贴。",
            "Vocational-training subsidy audit: checks training classes' workbooks against the Guilin subsidy rules of 2020 and says which students may be paid.",
        ),
        "help_examples_app": (
            "peixun-audit audit 2020年材料 -o 审核报告.xlsx\npeixun-audit rules A0401",
            "peixun-audit audit materials-2020 -o report.xlsx\npeixun-audit rules A0401 --lang en",
        ),
        "help_short_audit": (
            "全部规则、补贴资格与汇总（主要用法）",
            "every rule, subsidy eligibility and a summary (the main job)",
        ),
        "help_cmd_audit": (
            "读取文件夹中的工作簿，运行全部规则，列出问题，给出每名学员可拨付、不可拨付或待核实。",
            "Reads the workbooks, runs every rule, lists the findings and says for each student: eligible, blocked or undetermined.",
        ),
        "help_examples_audit": (
            "peixun-audit audit 2020年材料 -o 审核报告.xlsx\npeixun-audit audit 2020年材料 --select A04,A05 --fail-on warning",
            "peixun-audit audit materials-2020 -o report.xlsx\npeixun-audit audit materials-2020 --select A04,A05 --fail-on warning",
        ),
        "help_short_attendance": (
            "学员到课率（第四条）及到课问题 A04",
            "attendance of every student (Article 4) and the A04 findings",
        ),
        "help_cmd_attendance": (
            "按教学计划精确计算每名学员的到课率（第四条），并运行 A04 规则。",
            "Computes each student's attendance rate exactly against the teaching plan (Article 4) and runs the A04 rules.",
        ),
        "help_examples_attendance": (
            "peixun-audit attendance GL2020-001_电工培训班.xlsx\npeixun-audit attendance 2020年材料 -f csv -o 到课率.csv",
            "peixun-audit attendance GL2020-001.xlsx\npeixun-audit attendance materials-2020 -f csv -o attendance.csv",
        ),
        "help_short_validate": (
            "只读取，报告每个无法读取的单元格",
            "load only; report every cell that could not be read",
        ),
        "help_cmd_validate": (
            "只读取工作簿，不运行规则：列出每个无法读取的文件、工作表、行和单元格及原因。",
            "Reads the workbooks without running any rule: lists every file, sheet, row and cell that could not be read, and why.",
        ),
        "help_examples_validate": (
            "peixun-audit validate 2020年材料",
            "peixun-audit validate materials-2020",
        ),
        "help_short_callbacks": (
            "电话回访（第十二条）：审核回访记录，或抽取回访名单",
            "phone callbacks (Article 12): audit the records, or draw the sample",
        ),
        "help_cmd_callbacks": (
            "不加 --sample：审核已有的电话回访记录（回访比例、记录完整、与签到矛盾）。加 --sample：按比例抽取回访名单，用 -o 回访表.xlsx 写出可填写的回访表。",
            "Without --sample: audits the callback records (ratio reached, complete answers, contradictions with the sign-in sheets). With --sample: draws the callback sample; -o calls.xlsx writes a call sheet to fill in.",
        ),
        "help_examples_callbacks": (
            "peixun-audit callbacks 2020年材料\npeixun-audit callbacks 2020年材料 --sample --seed 42 -o 回访表.xlsx",
            "peixun-audit callbacks materials-2020\npeixun-audit callbacks materials-2020 --sample --seed 42 -o calls.xlsx",
        ),
        "help_short_spotcheck": (
            "市级抽查（第十三条）：抽取五城区的班级",
            "city spot check (Article 13): draw classes of the urban districts",
        ),
        "help_cmd_spotcheck": (
            "从五城区开班的班级中按比例随机抽取市级抽查的班级；记录随机种子和抽样框，可用同一命令复现。",
            "Draws the classes of the five urban districts for the city's spot check; the seed and the frame are recorded, so the same command redraws the same sample.",
        ),
        "help_examples_spotcheck": (
            "peixun-audit spotcheck 2020年材料 --seed 42 -o 抽查名单.xlsx",
            "peixun-audit spotcheck materials-2020 --seed 42 -o spotcheck.xlsx",
        ),
        "help_short_review": (
            "培训机构年审评分（第十五、十六条）",
            "per-institution annual-review scorecard (Articles 15, 16)",
        ),
        "help_cmd_review": (
            "按培训机构汇总到课率、问题数和可补贴占比，给出建议等级和第十六条提示。",
            "Sums up each institution's attendance, findings and eligible share, with a proposed grade and the Article 16 flag.",
        ),
        "help_examples_review": (
            "peixun-audit review 2020年材料 --as-of 2021-01-31 -o 年审评分.xlsx",
            "peixun-audit review materials-2020 --as-of 2021-01-31 -o review.xlsx",
        ),
        "help_short_template": (
            "生成空白输入模板（表头、下拉列表、文本格式）",
            "write blank input workbooks (headers, drop-downs, text formats)",
        ),
        "help_cmd_template": (
            "写出各类输入表格的空白模板：表头、下拉列表，身份证号和电话为文本格式。",
            "Writes blank templates of every input table: headers, drop-down lists, ID and phone columns formatted as text.",
        ),
        "help_examples_template": (
            "peixun-audit template -o 模板",
            "peixun-audit template -o templates",
        ),
        "help_short_rules": ("列出规则，或解释一条规则", "list the rules, or explain one"),
        "help_cmd_rules": (
            "不加代码：列出全部规则（代码、名称、条款、级别）。加代码：解释这条规则——检查什么、依据、判定方法、反例和正例、参数。",
            "Without a code: lists every rule (code, name, article, severity). With a code: explains the rule — what it checks, why, how it reads the data, an anti-pattern and a compliant example, its parameters.",
        ),
        "help_examples_rules": (
            "peixun-audit rules\npeixun-audit rules A0401\npeixun-audit rules A0401 --lang en",
            "peixun-audit rules\npeixun-audit rules A0401 --lang en",
        ),
        "help_exit_findings": (
            "0  没有达到 --fail-on 级别（默认为错误）的问题\n1  有达到 --fail-on 级别的问题\n2  用法错误、没有可读取的工作簿，或程序内部错误（审核不完整）",
            "0  no finding at or above --fail-on (error by default)\n1  findings at or above --fail-on\n2  usage error, no readable workbook, or an internal error (audit incomplete)",
        ),
        "help_exit_validate": (
            "0  全部读取，没有输入错误\n1  有输入错误（无法读取的文件、工作表、行或单元格）\n2  用法错误，或没有可读取的工作簿",
            "0  everything read, no input error\n1  input errors (files, sheets, rows or cells not read)\n2  usage error, or no readable workbook",
        ),
        "help_exit_done": (
            "0  完成\n2  用法错误、没有可读取的工作簿，或无法写入输出文件",
            "0  done\n2  usage error, no readable workbook, or the output cannot be written",
        ),
        "help_exit_template": (
            "0  模板已写入\n2  用法错误，或无法写入（已有同名模板时需加 --force）",
            "0  templates written\n2  usage error, or nothing written (existing templates need --force)",
        ),
        "help_exit_rules": (
            "0  完成\n2  用法错误，或没有这条规则",
            "0  done\n2  usage error, or no such rule",
        ),
        # the terminal layout (report/terminal.py)
        "sum_scope": (
            "审核日期 {as_of} · 规则集 {rulesets}",
            "audit date {as_of} · ruleset {rulesets}",
        ),
        "sum_files": (
            "输入文件 {files} 个：无法读取 {failed}，部分未读取 {partial}，跳过 {skipped}；输入问题 {problems} 条",
            "Input files {files}: {failed} not read, {partial} partly read, {skipped} skipped; {problems} input problems",
        ),
        "sum_students": (
            "班级 {classes} 个，学员 {students} 名：可拨付 {eligible}，不可拨付 {blocked}，待核实 {undetermined}",
            "Classes {classes}, students {students}: eligible {eligible}, blocked {blocked}, undetermined {undetermined}",
        ),
        "sum_read": (
            "读取到班级 {classes} 个，学员 {students} 名（未运行规则）",
            "{classes} classes and {students} students read (no rule run)",
        ),
        "sum_findings": ("问题 {n} 条：{by}", "Findings {n}: {by}"),
        "sum_articles": ("按条款：{by}", "By article: {by}"),
        "sum_fraud": ("舞弊风险信号", "fraud signals"),
        "sum_subsidy_limits": ("补贴限额", "subsidy limits"),
        "notes_hidden": (
            "  另有提示 {n} 条（如何读取各表、跳过的表尾等），加 --verbose 显示",
            "  {n} more notes (how sheets were read, footers skipped …): --verbose lists them",
        ),
        "classes_title": ("各班级情况", "Classes"),
        # CSV headers and values in Chinese (report/csv_out.py)
        "passes": ("达标", "Passes"),
        "class_errors": ("班级层面错误", "Class-level errors"),
        "by_article": ("按条款", "By article"),
        "problems_list": ("输入问题", "Input problems"),
        "file_status_ok": ("已读取", "read"),
        "file_status_partial": ("部分未读取", "partly read"),
        "file_status_failed": ("无法读取", "not read"),
        "file_status_skipped": ("未读取（跳过）", "skipped"),
        "infos": ("提示", "Info"),
        "students_short": ("学员", "Stud."),
        "documents_short": ("材料", "Documents"),
        "doc_lacking": ("缺{docs}", "lacks {docs}"),
        "no_class": ("（不属于某个班级）", "(no class)"),
        "more_rows_verbose": (
            "……另有 {n} 条未显示：加 --verbose 全部显示，或用 --output 导出",
            "… {n} more not shown: add --verbose to show them all, or use --output",
        ),
        # peixun-audit rules CODE
        "rule_fraud": ("舞弊风险信号", "fraud signal"),
        "rule_what": ("检查内容", "What it checks"),
        "rule_why": ("依据", "Why"),
        "rule_reading": ("判定方法", "Reading"),
        "rule_anti": ("反例", "Anti-pattern"),
        "rule_good": ("正例", "Compliant"),
        "rule_messages": (
            "问题说明（花括号内为每条问题的实际数据）",
            "Variants and their evidence",
        ),
        # the sampling record, in plain words (callbacks --sample, spotcheck)
        "sample_seed_line": (
            "随机种子 {seed}，可用同一命令复现：{command}",
            "random seed {seed}; the same command redraws the same sample: {command}",
        ),
        "sample_draw_line": (
            "{stream}：抽样框 {frame} {unit}，按 {ratio}% 抽取 {n} {unit}；抽样框 SHA-256 {sha}",
            "{stream}: frame of {frame}, {ratio}% drawn: {n}; frame SHA-256 {sha}",
        ),
        "sample_unit_people": ("人", "people"),
        "sample_unit_classes": ("个班", "classes"),
        "sample_stream_spotcheck": ("市级抽查", "spot check"),
        "sample_method": (
            "抽样方法：抽样框按身份证号（班级按编号）排序，用随机种子打乱顺序后取前若干个；算法记录在 JSON 输出中",
            "method: the frame is sorted (students by ID number, classes by id), shuffled with the seed, and the first n taken; the algorithm is recorded in the JSON output",
        ),
    }
)


# Finding messages, keyed by (rule code, variant): every sentence a finding can say.
# A placeholder names a field of the variant's declared evidence (``Rule.evidence``);
# the value is rendered by its type in the report language (``evidence.to_text``),
# masked unless --show-pii. ``rules.build_registry`` refuses a variant without both
# messages or a message naming an undeclared field; tests render every variant in
# both languages and refuse Chinese text in an English message.
FINDINGS: dict[tuple[str, str], tuple[str, str]] = {
    # --- Article 1 (a01_scope) ---
    ("A0101", "outside_scope"): (
        "培训工种“{occupation}”不在机构办学许可范围（{scope}）内",
        "occupation '{occupation}' is outside the institution's licensed scope ({scope})",
    ),
    ("A0101", "no_scope"): (
        "培训工种“{occupation}”不在机构办学许可范围内（培训机构名录未列许可职业工种）",
        "occupation '{occupation}' is outside the institution's licensed scope: the institutions table lists no licensed occupation",
    ),
    ("A0102", "expired"): (
        "办学许可有效期至 {expiry}，早于结业日期 {end}",
        "the school licence expires on {expiry}, before the class ends on {end}",
    ),
    ("A0103", "unlisted"): (
        "培训机构“{institution}”不在培训机构名录中，无法核实办学许可范围",
        "institution '{institution}' is not in the institutions table: its licence scope cannot be verified",
    ),
    ("A0103", "no_institution"): (
        "班级 {class_id} 没有填写培训机构，无法核实办学许可范围",
        "class {class_id} names no institution: its licence scope cannot be verified",
    ),
    # --- Article 2 (a02_disclosure) ---
    ("A0201", "missing"): (
        "开班告知公示不合规：没有告知公示日期（开班 {start}）",
        "disclosure incomplete: no disclosure date (start {start})",
    ),
    ("A0201", "late"): (
        "开班告知公示不合规：公示日期 {disclosed} 晚于开班日期 {start}",
        "disclosure incomplete: disclosed {disclosed}, after the start {start}",
    ),
    ("A0201", "no_hotlines"): (
        "开班告知公示不合规：未公示举报电话（公示日期 {disclosed}）",
        "disclosure incomplete: the disclosure of {disclosed} does not give the complaint hotlines",
    ),
    ("A0201", "missing_no_hotlines"): (
        "开班告知公示不合规：没有告知公示日期（开班 {start}）；未公示举报电话",
        "disclosure incomplete: no disclosure date (start {start}), and the complaint hotlines were not disclosed",
    ),
    ("A0201", "late_no_hotlines"): (
        "开班告知公示不合规：公示日期 {disclosed} 晚于开班日期 {start}；未公示举报电话",
        "disclosure incomplete: disclosed {disclosed}, after the start {start}, and without the complaint hotlines",
    ),
    # --- Article 3 (a03_application) ---
    ("A0301", "late"): (
        "开班申请 {applied} 与开班 {start} 之间只有 {working_days} 个工作日，应提前 {required} 个工作日",
        "only {working_days} working days between the application ({applied}) and the start ({start}); {required} required",
    ),
    ("A0301", "missing"): (
        "没有开班申请日期（开班 {start}，应提前 {required} 个工作日申请）",
        "no class application date (start {start}; {required} working days ahead required)",
    ),
    ("A0302", "missing"): (
        "没有开班批准日期（开班 {start}）",
        "no approval date (start {start})",
    ),
    ("A0302", "late"): (
        "批准日期 {approved} 晚于开班日期 {start}",
        "approved {approved}, after the start {start}",
    ),
    ("A0303", "missing"): (
        "培训班表中没有该班级的开班信息（{tables}中使用了该班级编号）",
        "no class record in the classes table for this class id, which these tables use: {tables}",
    ),
    # --- Article 4 (a04_attendance) ---
    ("A0401", "hours"): (
        "到课率 {rate}（{attended}/{planned} 课时），低于 {threshold}，不得结业，不得申领补贴",
        "attendance {rate} ({attended}/{planned} hours) is below {threshold}: may not graduate nor be subsidised",
    ),
    ("A0401", "sessions"): (
        "到课率 {rate}（{attended}/{planned} 次，无教学计划，按签到次数计），低于 {threshold}，不得结业，不得申领补贴",
        "attendance {rate} ({attended}/{planned} sessions: no teaching plan, counted by session) is below {threshold}: may not graduate nor be subsidised",
    ),
    ("A0402", "day"): (
        "签到列 {date} 不在教学计划内，未计入到课率",
        "sign-in column {date} matches no plan session; not counted",
    ),
    ("A0402", "session"): (
        "签到列 {date}{period} 不在教学计划内，未计入到课率",
        "sign-in column {date} ({period}) matches no plan session; not counted",
    ),
    ("A0403", "proxy"): (
        "签到处写的是“{signer}”，不是学员本人姓名，疑似代签（{date}）",
        "the cell is signed '{signer}', not the student's own name: proxy signing? ({date})",
    ),
    ("A0404", "mismatch"): (
        "教学计划合计 {plan_hours} 课时，与计划课时 {planned_hours} 不符",
        "plan sessions total {plan_hours} h, the class's planned hours are {planned_hours}",
    ),
    ("A0405", "by_name"): (
        "签到表中的“{name}”不在本班学员名册中",
        "'{name}' signs in but is not on the class roster",
    ),
    ("A0405", "by_id"): (
        "签到表中身份证号为 {id_number} 的人不在本班学员名册中",
        "the person with ID number {id_number} signs in but is not on the class roster",
    ),
    ("A0406", "no_plan"): (
        "缺少教学计划：到课率仅按签到次数（{sessions} 次）计算，供参考",
        "no teaching plan: attendance is counted by sign-in session ({sessions} sessions), for information only",
    ),
    ("A0407", "missing"): (
        "已于 {start} 开班，缺少签到表",
        "no sign-in sheet, though the class started on {start}",
    ),
    ("A0408", "conflict"): (
        "两份签到表对同一次课记录不一致：此处为缺勤，{other} 为到课（{dates}）；无法判定，须核实后再拨付",
        "two sign-in sheets disagree about the same session: absent here, present at {other} ({dates}); cannot tell which is true, reconcile before payment",
    ),
    # --- Article 5 (a05_records) ---
    ("A0501", "missing"): (
        "学员档案缺少：{fields}",
        "student record lacks: {fields}",
    ),
    ("A0502", "invalid"): (
        "身份证号无效：{reason}",
        "invalid ID number: {reason}",
    ),
    ("A0502", "lost_digits"): (
        "身份证号以数字格式存储，末几位已丢失（{cell}），应改为文本格式重新填写",
        "the ID number was stored as a number and Excel has lost its last digits ({cell}); re-enter it as text",
    ),
    ("A0503", "gender"): (
        "性别填写为{gender}，身份证号显示为{id_gender}",
        "gender given as {gender}, but the ID number says {id_gender}",
    ),
    ("A0503", "age"): (
        "年龄填写为{age}，按身份证号开班时为{id_age}（允许相差 {tolerance} 岁）",
        "age given as {age}, but by the ID number the student was {id_age} at the class start (tolerance ±{tolerance})",
    ),
    ("A0503", "gender_and_age"): (
        "性别填写为{gender}，身份证号显示为{id_gender}；年龄填写为{age}，按身份证号开班时为{id_age}（允许相差 {tolerance} 岁）",
        "gender given as {gender}, but the ID number says {id_gender}; age given as {age}, but by the ID number the student was {id_age} at the class start (tolerance ±{tolerance})",
    ),
    ("A0504", "invalid"): (
        "联系电话无效：{phone}",
        "invalid phone number: {phone}",
    ),
    ("A0505", "unknown_level"): (
        "证书等级“{level}”无法识别",
        "unknown certificate level '{level}'",
    ),
    ("A0505", "no_number"): (
        "有证书等级（{level}）但没有证书编号",
        "certificate level '{level}' but no certificate number",
    ),
    ("A0506", "missing"): (
        "{status}但缺少：{missing}",
        "{status} but the record lacks: {missing}",
    ),
    ("A0507", "duplicate"): (
        "身份证号在本班名册中重复（首次出现：{first}）",
        "ID number repeated in the class roster (first at {first})",
    ),
    ("A0508", "missing"): (
        "缺少学员花名册（签到表上有 {signed_in} 人）",
        "no roster ({signed_in} people on the sign-in sheet)",
    ),
    # --- Article 6 (a06_project) ---
    ("A0601", "missing"): (
        "项目制培训没有培训协议签订日期（开班 {start}）",
        "project-based class without a signed training agreement (start {start})",
    ),
    ("A0601", "late"): (
        "培训协议 {signed} 签订，晚于开班日期 {start}",
        "training agreement signed {signed}, after the start {start}",
    ),
    ("A0602", "missing"): (
        "项目制培训已结业（{end}），没有验收日期",
        "project-based class ended {end} without acceptance",
    ),
    ("A0602", "early"): (
        "验收日期 {accepted} 早于结业日期 {end}",
        "accepted {accepted}, before the end {end}",
    ),
    # --- Article 7 (a07_entrepreneurship) ---
    ("A0701", "too_few"): (
        "创业培训只有 {count} 名授课教师（{teachers}），应不少于 {minimum} 名",
        "entrepreneurship class with too few teachers: {count} ({teachers}), at least {minimum} required",
    ),
    ("A0701", "none"): (
        "创业培训没有授课教师记录，应不少于 {minimum} 名",
        "entrepreneurship class with no teacher recorded; at least {minimum} required",
    ),
    ("A0702", "too_large"): (
        "创业培训班有 {count} 名学员，超过 {maximum} 人",
        "entrepreneurship class of {count} students; at most {maximum} allowed",
    ),
    ("A0703", "gaps"): (
        "创业（{business_start}）后跟踪服务缺少以下月份的记录：{windows}",
        "no follow-up recorded in these months after the business started on {business_start}: {windows}",
    ),
    ("A0704", "missing"): (
        "创业培训已于 {end} 结业，第一个月的跟踪服务期已于 {due} 届满，缺少创业跟踪服务记录",
        "no follow-up record, though the entrepreneurship class ended on {end} and its first month of follow-up was over on {due}",
    ),
    # --- Article 8 (a08_dispatch) ---
    ("A0801", "disqualified"): (
        "教师{teacher}已于 {since} 在 {window_days} 天内第{refusals}次不服从派遣，之后仍承担创业培训课程（{sessions}）",
        "teacher {teacher} has been disqualified since {since}, having refused dispatch {refusals} times within {window_days} days, yet taught entrepreneurship sessions on {sessions}",
    ),
    # --- Article 10 (a10_inspection) ---
    ("A1001", "missing"): (
        "班级期间（{start}~{end}）没有足够的县区现场督查记录（{found} 次，应不少于 {required} 次）",
        "too few district on-site inspections during the class ({start} to {end}): {found}, at least {required} required",
    ),
    ("A1001", "start_unknown"): (
        "开班日期无法确定，无法确认班级期间（至 {end}）有县区现场督查记录（应不少于 {required} 次）",
        "the class start date is unknown, so no district on-site inspection can be placed within the class period (ending {end}); at least {required} required",
    ),
    ("A1002", "before_start"): (
        "督查日期 {date} 不在培训期间（{start}~{end}），早于开班",
        "inspection dated {date}, before the class period ({start} to {end})",
    ),
    ("A1002", "after_end"): (
        "督查日期 {date} 不在培训期间（{start}~{end}），晚于结业",
        "inspection dated {date}, after the class period ({start} to {end})",
    ),
    ("A1003", "dated"): (
        "现场督查情况表缺少{unsigned}（{date}）",
        "the inspection form of {date} is missing: {unsigned}",
    ),
    ("A1003", "undated"): (
        "现场督查情况表缺少{unsigned}（督查日期无法确定）",
        "an inspection form (its date unknown) is missing: {unsigned}",
    ),
    # --- Article 11 (a11_inspection_content) ---
    ("A1101", "dated"): (
        "现场督查发现不符合：{failed}（{date}）",
        "the inspection of {date} answered no to: {failed}",
    ),
    ("A1101", "undated"): (
        "现场督查发现不符合：{failed}（督查日期无法确定）",
        "an inspection (its date unknown) answered no to: {failed}",
    ),
    ("A1102", "session"): (
        "督查时实到 {observed} 人，签到表该场次却有 {signed} 人签到（{date}{period}）",
        "inspectors counted {observed} present, but the sign-in sheet shows {signed} for that session ({date}, {period})",
    ),
    ("A1102", "day"): (
        "督查时实到 {observed} 人，签到表当天（{date}）签到人数最少的场次也有 {signed} 人签到",
        "inspectors counted {observed} present on {date}, but the sign-in sheet shows at least {signed} students signed in for each session that day",
    ),
    # --- Article 12 (a12_callbacks) ---
    ("A1201", "too_few"): (
        "电话回访接通 {reached} 人，少于要求的 {required} 人（{size} 人的 {ratio}，向上取整）",
        "trainees reached by phone: {reached}, fewer than the {required} required ({ratio} of {size} trainees, rounded up)",
    ),
    ("A1202", "missing"): (
        "电话回访记录缺少：{missing}",
        "the callback record lacks: {missing}",
    ),
    ("A1203", "denied"): (
        "回访时本人称未参加培训，但签到表显示到课率 {rate}",
        "the callee says they did not attend, but the sign-in sheet shows {rate} attendance",
    ),
    ("A1204", "missing"): (
        "已于 {end} 结业，缺少电话回访记录",
        "no callback record, though the class ended on {end}",
    ),
    # --- Article 14 (a14_inspectors) ---
    ("A1401", "wrong_size"): (
        "现场督查（{date}）督查人员 {count} 人（{names}），应为 {size} 人",
        "inspectors named for the inspection on {date}: {count} ({names}); a team of {size} is required",
    ),
    ("A1401", "none_named"): (
        "现场督查（{date}）未填写督查人员，应为 {size} 人",
        "no inspectors named for the inspection on {date}; a team of {size} is required",
    ),
    ("A1402", "no_leader"): (
        "现场督查（{date}）未指定组长",
        "no team leader named for the inspection on {date}",
    ),
    ("A1402", "not_an_inspector"): (
        "现场督查（{date}）组长{leader}不在督查人员（{inspectors}）中",
        "team leader {leader} is not one of the inspectors ({inspectors}) of the inspection on {date}",
    ),
    ("A1402", "no_inspectors"): (
        "现场督查（{date}）组长为{leader}，但未填写督查人员",
        "team leader {leader} is named, but no inspectors are listed for the inspection on {date}",
    ),
    # --- Article 17 (a17_rulesets) ---
    ("A1701", "predates"): (
        "开班日期 {start} 早于规则施行日期 {effective}，不适用本细则，未做其他检查",
        "the class started {start}, before the rules came into force on {effective}; no other rule applied",
    ),
    # --- X fraud signals (fraud) ---
    ("X0101", "overlap"): (
        "同一身份证号在 {count} 个培训期间相互重叠的班参训：{classes}（依次为 {periods}）",
        "the same ID number is enrolled in {count} classes whose periods overlap: {classes} ({periods})",
    ),
    ("X0102", "day"): (
        "同一身份证号 {date} 同时在另外 {count} 个班签到：{others}",
        "the same ID number also signed in to {count} other classes on {date}: {others}",
    ),
    ("X0102", "session"): (
        "同一身份证号 {date}{period} 同时在另外 {count} 个班签到：{others}",
        "the same ID number also signed in to {count} other classes on the {period} of {date}: {others}",
    ),
    ("X0201", "shared"): (
        "联系电话 {phone} 被 {count} 个不同身份证号共用",
        "phone {phone} is given by {count} different ID numbers",
    ),
    ("X0301", "same_level"): (
        "同一身份证号此前已在 {count} 个班参加同职业同等级培训（{occupation} {level}）：{others}，最近一次开班在 {days} 天前",
        "the same ID number already trained in {count} earlier classes of the same occupation and level ({occupation} {level}): {others}, the latest starting {days} days earlier",
    ),
    ("X0301", "no_level"): (
        "同一身份证号此前已在 {count} 个班参加同职业培训（{occupation}，均未填写等级）：{others}，最近一次开班在 {days} 天前",
        "the same ID number already trained in {count} earlier classes of the same occupation ({occupation}; none gives a level): {others}, the latest starting {days} days earlier",
    ),
    # --- S01 national subsidy limits (s01_subsidy) ---
    ("S0101", "ledger"): (
        "已于 {paid_on} 获得同职业同等级培训补贴（{occupation} {level}，台账批次“{batch}”）；同一职业同一等级只补贴一次（{policy}）",
        "already subsidised on {paid_on} for the same occupation and level ({occupation} {level}, ledger batch '{batch}'); one occupation at one level is subsidised once ({policy})",
    ),
    ("S0101", "ledger_level_unknown"): (
        "已于 {paid_on} 获得同职业培训补贴（{occupation}，台账批次“{batch}”），等级未填写，无法排除同一等级重复补贴（{policy}）",
        "already subsidised on {paid_on} for the same occupation ({occupation}, ledger batch '{batch}'); a level is not given, so a repeat at the same level cannot be ruled out ({policy})",
    ),
    ("S0101", "batch"): (
        "本批次 {other} 已参加同职业同等级培训（{occupation} {level}），本班为重复申领；同一职业同一等级只补贴一次（{policy}）",
        "also in {other} of this batch, in the same occupation and level ({occupation} {level}): this later class repeats it; one occupation at one level is subsidised once ({policy})",
    ),
    ("S0101", "batch_level_unknown"): (
        "本批次 {other} 已参加同职业培训（{occupation}），等级未填写，无法排除同一等级重复补贴（{policy}）",
        "also in {other} of this batch, in the same occupation ({occupation}); a level is not given, so a repeat at the same level cannot be ruled out ({policy})",
    ),
    ("S0102", "ledger"): (
        "已于 {paid_on} 获得{occupation}{higher}培训补贴（台账批次“{batch}”），不再补贴较低的{level}（{policy}）",
        "already subsidised on {paid_on} for {occupation} at the higher level {higher} (ledger batch '{batch}'): the lower level {level} is not subsidised ({policy})",
    ),
    ("S0102", "batch"): (
        "本批次 {other} 已参加{occupation}{higher}培训，不再补贴较低的{level}（{policy}）",
        "already trained for {occupation} at the higher level {higher} in {other} of this batch: the lower level {level} is not subsidised ({policy})",
    ),
    ("S0103", "over"): (
        "{year} 年第 {nth} 次补贴性培训，超过每人每年 {limit} 次（此前：{earlier}）（{policy}）",
        "subsidised training number {nth} in {year}, over the limit of {limit} a person a year (before it: {earlier}) ({policy})",
    ),
    ("X0401", "too_young"): (
        "开班时年龄 {age} 岁，低于 {min_age} 岁",
        "aged {age} at the class start, under {min_age}",
    ),
    ("X0401", "too_old"): (
        "开班时年龄 {age} 岁，超过 {max_age} 岁",
        "aged {age} at the class start, over {max_age}",
    ),
    ("X0501", "uniform"): (
        "全班 {students} 名学员 {sessions} 次课全部签到",
        "all {students} students signed all {sessions} sessions",
    ),
}

# Plain English names of canonical fields, where the key does not read as one.
_FIELD_EN = {
    "id_number": "ID number",
    "cert_level": "certificate level",
    "cert_no": "certificate number",
    "employment_status": "employment status",
    "employer_address": "employer's address",
    "employer_phone": "employer's phone",
    "employer_contact": "employer's contact person",
    "business_address": "business address",
    "business_license": "business licence",
    "business_start_date": "business start date",
    "signed_by_school": "signature of the school",
    "signed_by_inspectors": "signatures of the inspectors",
    "follows_syllabus": "teaching follows the syllabus",
    "on_schedule": "progress matches the plan",
    "teacher_prepared": "teacher prepared and taught",
    "practical_ok": "practical hours met",
    "willingness": "willingness to train",
    "quality": "training quality",
    "attended": "attended the training",
    "employed": "employment after training",
}


def _field_terms() -> dict[str, tuple[str, str]]:
    """Every canonical field: its Chinese header, and an English name."""
    from .load.schema import KINDS

    terms: dict[str, tuple[str, str]] = {}
    for kind in KINDS:
        for f in kind.fields:
            terms.setdefault(f.key, (f.header, _FIELD_EN.get(f.key, f.key.replace("_", " "))))
    return terms


# The words of the closed vocabularies an evidence value may take (evidence.VOCABULARIES).
def _build_terms() -> dict[str, dict[str, tuple[str, str]]]:
    return {
        "period": {
            "morning": ("上午", "morning"),
            "afternoon": ("下午", "afternoon"),
            "evening": ("晚上", "evening"),
        },
        "field": _field_terms(),
        "id_problem": {
            "length": (
                "不是 18 位（17 位数字加校验位）",
                "not 18 characters (17 digits and a check character)",
            ),
            "legacy-15": (
                "是 15 位旧号码，应换为 18 位",
                "a legacy 15-digit number; the 18-character number is required",
            ),
            "birth-date": ("出生日期无效", "the birth date is not a real date"),
            "check-character": ("校验位错误", "wrong check character"),
            "born-after-start": ("出生日期晚于开班日期", "born after the class started"),
        },
        "employment": {
            "employed": ("已就业", "employed"),
            "self-employed": ("自主创业", "self-employed"),
        },
        "gender": {"male": ("男", "male"), "female": ("女", "female")},
        # the nine input tables (load.schema.KINDS), in the loader's problems
        "table": {
            "institutions": ("培训机构表", "institutions table"),
            "classes": ("培训班表", "classes table"),
            "plan": ("教学计划", "teaching plan"),
            "roster": ("学员名册", "roster"),
            "signin": ("签到表", "sign-in sheet"),
            "inspections": ("现场督查表", "inspection form"),
            "callbacks": ("电话回访表", "callback log"),
            "followups": ("创业跟踪表", "follow-up log"),
            "dispatches": ("教师派遣表", "dispatch record"),
        },
    }


def terms() -> dict[str, dict[str, tuple[str, str]]]:
    """``TERMS``, built on first use: its field names come from ``load.schema``, and
    the CLI's start (``--help``, ``rules``) does not import the loader (docs/startup.md)."""
    built = globals().get("TERMS")
    if built is None:
        built = globals()["TERMS"] = _build_terms()
    return built


def __getattr__(name: str) -> Any:
    """``messages.TERMS`` (and ``from .messages import TERMS``) builds it."""
    if name == "TERMS":
        return terms()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def ui(key: str, lang: str = "zh", **params: Any) -> str:
    return _pick(UI[key], lang).format(**params)


PERIOD_WORDS = {
    "上午": ("上午", "morning"),
    "下午": ("下午", "afternoon"),
    "晚上": ("晚上", "evening"),
}


def _problem_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Keys the loader reports (a table kind, field keys, a file format) as words of
    ``lang``."""
    shown = dict(params)
    vocabularies = terms()
    fields = vocabularies["field"]
    if "kind" in params:
        shown["kind"] = _pick(vocabularies["table"][params["kind"]], lang)
    if "format" in params:
        shown["format"] = _pick(FILE_FORMATS[params["format"]], lang)
    if "field" in params:
        shown["field"] = _pick(fields[params["field"]], lang)
    if "period" in params:  # 上午/下午/晚上 as read, or none
        shown["period"] = _pick(PERIOD_WORDS.get(params["period"], ("", "")), lang)
    for key in ("date", "month"):  # a date or month without its year: --MM-DD, --MM
        value = params.get(key)
        if isinstance(value, str) and value.startswith("--"):
            parts = [int(x) for x in value[2:].split("-")]
            zh = f"{parts[0]}月" + (f"{parts[1]}日" if len(parts) > 1 else "")
            shown[key] = _pick(
                (zh + "（年份取自开班日期）", value + " (year of the class start)"), lang
            )
    if "fields" in params:  # groups of alternatives: 身份证号/姓名、日期
        joiner = "、" if lang == "zh" else ", "
        shown["fields"] = joiner.join(
            "/".join(_pick(fields[k], lang) for k in group) for group in params["fields"]
        )
    return shown


def problem_message(code: str, params: dict[str, Any], lang: str = "zh") -> str:
    """The message of an input problem in ``lang``; every problem code has one (a test
    renders them all)."""
    return _pick(PROBLEMS[code], lang).format(**_problem_params(params, lang))


def finding_message(
    code: str,
    variant: str,
    evidence: dict[str, Any],
    types: dict[str, str],
    lang: str = "zh",
    show_pii: bool = False,
) -> str:
    """The catalogue sentence of (code, variant) in ``lang``, each evidence value
    rendered by its declared type (masked unless ``show_pii``). A missing message or
    value raises: the registry and the tests make sure neither can happen."""
    from .evidence import to_text  # not at the top: the CLI's start must not import pandas

    template = _pick(FINDINGS[(code, variant)], lang)
    shown = {k: to_text(types[k], v, lang, show_pii, terms()) for k, v in evidence.items()}
    return template.format_map(shown)


# --- The forwarded outputs (issue 14 items 1–4): the audit workbook's cover and
# per-class summary, rectification notices, the disbursement list, the supervision
# commands' workbooks. Kept apart from UI and merged into it, so these keys read as
# one block.
REPORT_UI: dict[str, tuple[str, str]] = {
    "default_issuer": ("人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    "report_title": ("{issuer}职业培训补贴审核报告", "{issuer}: vocational-training subsidy audit"),
    "report_subtitle": (
        "依据《{ruleset}》",
        "under {ruleset}",
    ),
    "cover_sheet": ("审核报告", "Report"),
    "classes_sheet": ("班级汇总", "Classes"),
    "findings_sheet": ("问题清单", "Findings"),
    "attendance_sheet": ("到课率", "Attendance"),
    "eligibility_sheet": ("补贴资格", "Eligibility"),
    "inputs_sheet": ("输入文件", "Input files"),
    "ruleset_sheet": ("规则参数", "Ruleset"),
    "dossier_sheet": ("班级材料", "Dossiers"),
    "audit_date": ("审核日期", "Audit date"),
    "generated_on": ("生成时间", "Generated"),
    "scope_title": ("审核范围", "Scope"),
    "conclusion_title": ("审核结论", "Conclusions"),
    "findings_by_severity": ("问题数（按级别）", "Findings by severity"),
    "tool_version": ("审核工具版本", "Tool version"),
    "input_fingerprint": ("输入文件指纹（SHA-256）", "Input fingerprint (SHA-256)"),
    "ruleset_in_force": ("{name}，{effective} 起施行", "{name}, in force from {effective}"),
    "students_col": ("学员（人）", "Students"),
    "classes_col": ("涉及班级（个）", "Classes concerned"),
    "amount_col": ("补贴金额（元）", "Amount (yuan)"),
    "total": ("合计", "Total"),
    "classes_note": (
        "“涉及班级”为含该类学员的班级数；同一班级可同时有可拨付和不可拨付的学员。",
        "'Classes concerned' counts the classes with at least one such student; one class may have both eligible and blocked students.",
    ),
    "amount_note": (
        "补贴金额按规则集 [subsidy.standards] 中各等级标准计算；{n} 名可拨付学员的等级没有标准，未计入金额。",
        "Amounts follow the ruleset's [subsidy.standards] per level; {n} eligible students have a level without a standard and are not counted.",
    ),
    "no_amounts": (
        "规则集未设定补贴标准，本报告不计算金额。",
        "The ruleset sets no subsidy standards; no amounts are computed.",
    ),
    "signature_auditor": ("审核人：", "Audited by:"),
    "signature_reviewer": ("复核人：", "Reviewed by:"),
    "signature_head": ("负责人：", "Approved by:"),
    "signature_date": ("日期：", "Date:"),
    "page_footer": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "occupation_col": ("培训工种", "Occupation"),
    "level_col": ("等级", "Level"),
    "training_type_col": ("培训类型", "Training type"),
    "documents_complete": ("材料齐全", "Documents complete"),
    "infos": ("提示", "Info"),
    "rule_title_col": ("规则名称", "Rule"),
    "key_value": ("数据{n}", "Value {n}"),
    "passes_col": ("达标", "Passes"),
    "reasons_text": ("原因", "Reasons"),
    "status_ok": ("已读取", "read"),
    "status_partial": ("部分读取", "partly read"),
    "status_failed": ("无法读取", "not read"),
    "status_skipped": (
        "未读取（副本、本工具报告或其他格式）",
        "skipped (copy, own report or other format)",
    ),
    "kind_unknown": ("未识别", "not recognised"),
    "internal_error_reason": ("规则 {code} 运行出错", "rule {code} failed"),
    "reason_rules_not_run": ("部分规则未运行", "some rules were not run"),
    "reason_files_not_read": ("有文件未能读取", "some files were not read"),
    "reason_sheets_not_read": ("有工作表或行未能读取", "some sheets or rows were not read"),
    "reason_register_missing": ("没有培训机构名录", "no institutions register"),
    "reason_class_not_ended": (
        "班级在审核日期时尚未结业",
        "the class had not ended by the audit date",
    ),
    "reason_rules_failed": ("规则运行出错", "a rule failed"),
    "reason_id_number_missing": (
        "名册没有身份证号，无法拨付（补填身份证号后重新审核）",
        "no ID number on the roster: cannot be paid (fill it in and audit again)",
    ),
    "param_effective": ("施行日期", "in force from"),
    # rectification notices (--notices)
    "notice_title": ("职业培训整改通知书", "Rectification notice"),
    "notice_to": ("致：{institution}", "To: {institution}"),
    "notice_intro": (
        "经审核（审核日期 {as_of}），贵单位以下 {classes} 个班级存在 {n} 项问题，请对照所引条款逐项整改，在“整改情况”栏填写整改措施和完成日期，于收到本通知后按要求报送。",
        "The audit of {as_of} found {n} issues in {classes} of your classes. Please correct each under the article cited, describe the correction and its date in the Rectification column, and return this notice.",
    ),
    "notice_clean": (
        "经审核（审核日期 {as_of}），贵单位的 {classes} 个班级未发现需整改的问题。",
        "The audit of {as_of} found no issue to correct in your {classes} classes.",
    ),
    "notice_articles": ("所引条款", "Articles cited"),
    "notice_classes": ("贵单位的班级：{ids}", "Your classes: {ids}"),
    "notice_regulation": ("依据《{ruleset}》", "Under {ruleset}"),
    "rectification": ("整改情况", "Rectification"),
    "rectified_on": ("完成日期", "Done on"),
    "notice_sign": ("培训机构（盖章）：", "Institution (seal):"),
    "notice_issuer_sign": ("{issuer}（盖章）：", "{issuer} (seal):"),
    "no_institution": ("（未填写培训机构）", "(no institution given)"),
    "notices_written": (
        "已写入 {n} 份整改通知书到 {path}",
        "{n} rectification notices written to {path}",
    ),
    "notice_sheet": ("整改通知", "Notice"),
    # the disbursement list (--payments); its sheet names and headers are fixed in
    # Chinese: the ledger command reads them back
    "payments_written": ("已写入拨付名单 {path}", "disbursement list written to {path}"),
    # supervision commands' workbooks
    "sampling_record_sheet": ("抽样记录", "Sampling record"),
    "seed": ("随机种子", "Seed"),
    "algorithm": ("抽样方法", "Method"),
    "stream": ("抽样对象", "Population"),
    "ratio_percent": ("比例%", "Ratio %"),
    "frame_size": ("抽样框数量", "Frame size"),
    "sample_size": ("样本数", "Sample size"),
    "frame_sha256": ("抽样框 SHA-256", "Frame SHA-256"),
    "redraw_command": ("复现命令", "Command that redraws it"),
    "institutions_n": ("培训机构", "Institution"),
    "fraud_col": ("舞弊风险信号", "fraud signal"),
    "stream_spotcheck": (
        "市级抽查（全部符合条件的班级）",
        "city spot-check (every eligible class)",
    ),
    "algorithm_text": (
        "按随机种子打乱抽样框后取前若干个（numpy PCG64），同一种子和抽样框必得同一结果",
        "the frame shuffled by the seed and the first ones taken (numpy PCG64): the same seed and frame give the same sample",
    ),
    "files_line": (
        "{n} 个（无法读取 {failed}，部分读取 {partial}，未读取 {skipped}；输入问题 {problems} 项）",
        "{n} ({failed} not read, {partial} partly read, {skipped} skipped; {problems} input problems)",
    ),
    "classes_without_record": (
        "{n}（另有 {m} 个班级编号只见于名册等表格，没有开班信息）",
        "{n} (and {m} class ids seen only in other tables, without a class record)",
    ),
    "issuer_help": (
        "报告的出具单位（封面标题），默认“人力资源和社会保障局”",
        "the issuing body named in the report's title",
    ),
    "notices_help": (
        "每个培训机构写一份整改通知书（.xlsx）到此文件夹",
        "write one rectification notice (.xlsx) per institution into this folder",
    ),
    "payments_help": (
        "写出可拨付名单（.xlsx，含完整身份证号）",
        "write the disbursement list (.xlsx, with full ID numbers)",
    ),
    "payments_is_output": (
        "拨付名单 {path} 与 --output 是同一个文件，请分别指定",
        "the disbursement list {path} is the --output file too; give each its own file",
    ),
    "payments_suffix": (
        "拨付名单必须是 .xlsx 文件：{path}",
        "the disbursement list must be an .xlsx file: {path}",
    ),
}

# Rule names as the forwarded reports show them (the slug ``Rule.name`` stays the
# stable key in JSON).
RULE_TITLES: dict[str, tuple[str, str]] = {
    "A0101": ("超出办学许可范围", "Outside the licensed scope"),
    "A0102": ("办学许可已过期", "Licence expired"),
    "A0103": ("培训机构不在名录", "Institution not registered"),
    "A0201": ("未按规定告知公示", "Disclosure missing or late"),
    "A0302": ("开班前未获批准", "Not approved before the start"),
    "A0301": ("开班申请不及时", "Application late"),
    "A0303": ("缺少开班信息", "Class record missing"),
    "A0401": ("到课率低于标准", "Attendance below the threshold"),
    "A0402": ("签到不在教学计划内", "Sign-in outside the plan"),
    "A0403": ("疑似代签", "Signature not the student's"),
    "A0404": ("计划课时不一致", "Plan hours do not add up"),
    "A0405": ("签到人不在名册", "Sign-in not on the roster"),
    "A0406": ("缺少教学计划", "Teaching plan missing"),
    "A0407": ("缺少签到表", "Sign-in sheet missing"),
    "A0408": ("签到表相互矛盾", "Sign-in sheets disagree"),
    "A0501": ("学员信息不全", "Roster record incomplete"),
    "A0502": ("身份证号无效", "Invalid ID number"),
    "A0503": ("性别年龄与身份证号不符", "Gender or age disagrees with the ID"),
    "A0504": ("联系电话无效", "Invalid phone"),
    "A0505": ("证书信息不全", "Certificate incomplete"),
    "A0506": ("就业信息不全", "Employment record incomplete"),
    "A0507": ("学员重复登记", "Student listed twice"),
    "A0508": ("缺少学员名册", "Roster missing"),
    "A0601": ("缺少培训协议", "Training agreement missing"),
    "A0602": ("缺少验收记录", "Acceptance missing"),
    "A0701": ("授课教师不足", "Too few teachers"),
    "A0702": ("班级人数超标", "Class too large"),
    "A0703": ("创业跟踪不全", "Follow-up gaps"),
    "A0704": ("缺少创业跟踪记录", "Follow-ups missing"),
    "A0801": ("教师已取消授课资格", "Teacher disqualified"),
    "A1001": ("缺少现场督查", "Inspection missing"),
    "A1002": ("督查日期不在培训期内", "Inspection outside the class period"),
    "A1003": ("督查表未签字", "Inspection form unsigned"),
    "A1101": ("督查发现不合规", "Inspection found non-compliance"),
    "A1102": ("签到人数多于督查实到人数", "More signed in than inspectors counted"),
    "A1201": ("回访比例不足", "Too few callbacks"),
    "A1202": ("回访记录不全", "Callback record incomplete"),
    "A1203": ("回访与签到矛盾", "Callback contradicts the sign-in"),
    "A1204": ("缺少电话回访", "Callbacks missing"),
    "A1401": ("督查人数不符", "Inspection team size"),
    "A1402": ("督查未明确组长", "No inspection team leader"),
    "A1701": ("开班早于规则施行日期", "Before the ruleset's effective date"),
    "X0101": ("同一人参加时间重叠的班级", "Overlapping enrolments"),
    "X0102": ("同一人同时在两个班签到", "Simultaneous sign-ins"),
    "X0201": ("多人使用同一电话", "Shared phone"),
    "X0301": ("同一人重复参加同等级培训", "Repeat training"),
    "X0401": ("年龄超出范围", "Age out of range"),
    "X0501": ("全班全勤", "Uniform sign-in"),
    "S0101": ("同一工种同一等级重复补贴", "Same occupation and level subsidised again"),
    "S0102": ("已补贴高等级后再补低等级", "Lower level after a higher one"),
    "S0103": ("年度补贴次数超限", "Too many subsidised trainings in a year"),
}

# Ruleset parameters as the 规则参数 sheet names them (dotted key → words).
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "region.districts": ("本市县区", "districts of the city"),
    "attendance.min_rate_percent": ("到课率下限（%）", "minimum attendance rate (%)"),
    "application.min_working_days": (
        "开班申请提前工作日数",
        "working days before the start for the application",
    ),
    "entrepreneurship.min_teachers": (
        "创业培训最少授课教师数",
        "entrepreneurship: minimum teachers",
    ),
    "entrepreneurship.max_students": ("创业培训班最多人数", "entrepreneurship: maximum students"),
    "entrepreneurship.followup_months": ("创业跟踪月数", "entrepreneurship: follow-up months"),
    "entrepreneurship.max_refusals": ("教师拒绝派遣次数上限", "teacher: maximum refusals"),
    "entrepreneurship.refusal_window_days": (
        "拒绝派遣统计期（天）",
        "teacher: refusal window (days)",
    ),
    "inspection.min_per_class": ("每班最少督查次数", "inspections per class, minimum"),
    "inspection.max_per_class": ("每班最多督查次数", "inspections per class, maximum"),
    "inspection.team_size": ("督查组人数", "inspection team size"),
    "callbacks.ratio_percent": ("电话回访比例（%）", "callback ratio (%)"),
    "callbacks.work_based_ratio_percent": (
        "以工代训回访比例（%）",
        "work-based training callback ratio (%)",
    ),
    "callbacks.min_per_class": ("每班最少回访人数", "callbacks per class, minimum"),
    "spotcheck.share_percent": ("市级抽查比例（%）", "city spot-check share (%)"),
    "spotcheck.min_classes": ("市级抽查最少班级数", "city spot-check, minimum classes"),
    "spotcheck.districts": ("市级抽查城区", "spot-check districts"),
    "fraud.min_age": ("年龄下限", "minimum age"),
    "fraud.max_age": ("年龄上限", "maximum age"),
    "fraud.shared_phone_min_ids": ("同一电话提示人数", "people sharing a phone, signal from"),
    "fraud.repeat_window_days": ("重复培训统计期（天）", "repeat-training window (days)"),
    "fraud.age_tolerance_years": ("年龄容差（年）", "age tolerance (years)"),
    "fraud.simultaneous_same_period": (
        "同时签到只比较同一时段",
        "simultaneous sign-ins: same period only",
    ),
    "review.excellent_min_eligible_percent": (
        "年审优秀：可补贴占比下限（%）",
        "review excellent: eligible share (%)",
    ),
    "review.excellent_max_errors_per_class": (
        "年审优秀：每班错误上限",
        "review excellent: errors per class",
    ),
    "review.pass_min_eligible_percent": (
        "年审合格：可补贴占比下限（%）",
        "review pass: eligible share (%)",
    ),
    "calendar.holidays": ("补充法定节假日", "extra public holidays"),
    "calendar.workdays": ("补充调休工作日", "extra make-up working days"),
}

UI.update(REPORT_UI)


def rule_title(code: str, lang: str = "zh") -> str:
    """A rule's name in words of ``lang`` (its slug where no title is known)."""
    pair = RULE_TITLES.get(code)
    if pair is None:
        from .rules import RULES

        return RULES[code].name
    return _pick(pair, lang)


def param_label(dotted: str, lang: str = "zh") -> str:
    """A ruleset parameter in words; a subsidy standard reads 补贴标准·初级."""
    if dotted.startswith("subsidy."):
        return ("补贴标准（元/人）·" if lang == "zh" else "subsidy (yuan per student) · ") + dotted[
            8:
        ]
    pair = PARAM_LABELS.get(dotted)
    return _pick(pair, lang) if pair else dotted


def article_label(article: object, lang: str = "zh", plural: bool = True) -> str:
    """How the summaries name a group of findings: 第N条 for an article, the fraud
    signals (X rules) and the subsidy limits (S rules) by what they are."""
    if article is None or article == "X":
        return ui("sum_fraud" if plural else "fraud_col", lang)
    if article == "S":
        return ui("sum_subsidy_limits", lang)
    return ui("article_n", lang, n=article)
