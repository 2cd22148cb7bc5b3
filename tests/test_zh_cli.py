"""Chinese from end to end in the command line, and the terminal layout (issue 14,
items 5 and 6): rule explanations, help, usage errors, CSV, sampling wording, the
80-column report, and runs on a GBK console."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from peixun_audit import clihelp
from peixun_audit.cli import app
from peixun_audit.explain_zh import EXPLAIN_ZH, rule_name
from peixun_audit.load import sniff
from peixun_audit.report import csv_out, terminal
from peixun_audit.rules import RULES

runner = CliRunner()
AS_OF = ["--as-of", "2021-06-30"]
CJK = re.compile(r"[\u3400-\u9fff]")
COMMANDS = [
    "attendance",
    "audit",
    "validate",
    "callbacks",
    "spotcheck",
    "review",
    "template",
    "rules",
]


# --- rules: names and explanations in Chinese ---------------------------------------


def test_every_rule_has_a_chinese_explanation_and_an_english_docstring():
    assert set(EXPLAIN_ZH) == set(RULES)
    for code, rule in RULES.items():
        text = EXPLAIN_ZH[code]
        for part in ("name", "what", "why", "reading", "anti", "good"):
            assert CJK.search(getattr(text, part)), (code, part)
        doc = rule.doc()
        assert "Anti-pattern:" in doc and "Compliant:" in doc, code
    names = [t.name for t in EXPLAIN_ZH.values()]
    assert len(set(names)) == len(names)  # no two rules share a name
    assert rule_name("A0401") == "到课率低于 80%"
    assert rule_name("A0401", "en") == "attendance-below-threshold"


def test_rules_a0401_explains_in_chinese():
    result = runner.invoke(app, ["rules", "A0401"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("A0401 到课率低于 80%  第4条 · 错误")
    for label in ("检查内容：", "依据：", "判定方法：", "反例：", "正例："):
        assert label in out
    assert "计划 32 课时，实到 24 课时（75%）" in out  # the anti-pattern, in Chinese
    assert "attendance.min_rate_percent = 80" in out
    assert "Anti-pattern" not in out and "Why:" not in out


def test_rules_a0401_in_english_is_the_docstring():
    result = runner.invoke(app, ["rules", "A0401", "--lang", "en"])
    assert result.exit_code == 0
    assert "attendance-below-threshold" in result.output
    assert "Anti-pattern: 24 of 32 planned hours attended (75%)." in result.output
    assert "反例" not in result.output and "到课率低于" not in result.output


def test_rules_listing_names_in_chinese():
    result = runner.invoke(app, ["rules"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "到课率低于 80%" in result.output and "舞弊风险信号" in result.output
    assert "attendance-below-threshold" not in result.output  # no English slug


# --- help ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_chinese_with_an_example_and_exit_status(command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    out = result.output
    assert "用法：" in out and "示例：" in out and "退出状态：" in out
    assert f"  peixun-audit {command}" in out  # an example of this very command
    assert re.search(r"^  0  ", out, re.M) and re.search(r"^  2  ", out, re.M)
    for noise in ("<bool>", "list[Path]", "<int", "x>=1", "Show this message", "Usage:"):
        assert noise not in out, noise
    assert all(line == line.rstrip() for line in out.splitlines())


def test_every_parameter_has_its_help_and_metavar_in_both_languages():
    """A new option needs its ``help_opt_<name>`` (and, taking a value, its
    ``metavar_<name>``) in messages.UI, or its help would not follow --lang."""
    import typer.main

    from peixun_audit.messages import UI

    group = typer.main.get_command(app)
    for command in [group, *group.commands.values()]:
        name = None if command is group else command.name
        for param in command.params:
            keys = [f"help_opt_{name}_{param.name}", f"help_opt_{param.name}"]
            assert any(k in UI for k in keys), (name, param.name)
            if not getattr(param, "is_flag", False):
                keys = [f"metavar_{name}_{param.name}", f"metavar_{param.name}"]
                assert any(k in UI for k in keys), (name, param.name)


def test_help_follows_the_language_option_and_the_environment():
    by_option = runner.invoke(app, ["audit", "--help", "--lang", "en"])
    by_env = runner.invoke(app, ["audit", "--help"], env={"PEIXUN_LANG": "en"})
    for result in (by_option, by_env):
        assert "Examples:" in result.output and "Exit status:" in result.output
        assert not CJK.search(result.output.replace("审核", ""))
    top = runner.invoke(app, ["--lang", "en", "--help"])
    assert "Commands:" in top.output and "audit" in top.output
    assert "命令：" in runner.invoke(app, ["--help"]).output


def test_spotcheck_has_no_sample_option():
    help_text = runner.invoke(app, ["spotcheck", "--help"]).output
    assert "--sample" not in help_text and "--seed" in help_text
    assert "--sample" in runner.invoke(app, ["callbacks", "--help"]).output


# --- usage errors, said again in the report language ---------------------------------


def _error(args, env=None):
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def test_unknown_option():
    out = _error(["audit", "--nope"])
    assert "错误：没有这个选项：--nope" in out and "用法：" in out and "--help" in out
    assert "No such option" not in out
    assert "Error: No such option: --nope" in _error(["audit", "--nope", "--lang", "en"])


def test_bad_value_for_fail_on():
    out = _error(["audit", "--fail-on", "bad"])
    assert "错误：--fail-on 的值“bad”无效，可选：error、warning、never" in out
    assert "Invalid value" not in out


def test_missing_argument_of_an_option():
    out = _error(["audit", "--output"])
    assert "错误：选项 --output 后面缺少值" in out and "requires" not in out


def test_bad_date():
    out = _error(["audit", "--as-of", "2020-13-45", "."])
    assert "--as-of 的日期无法识别：2020-13-45（应为日期，如 2020-09-30）" in out


def test_other_usage_errors():
    assert "--jobs 的值“0”太小，应不小于 1" in _error(["audit", "--jobs", "0"])
    assert "--jobs 的值“x”不是整数" in _error(["audit", "-j", "x"])
    assert "没有这个命令：bogus（可用的命令：" in _error(["bogus"])
    assert "多余的参数：B" in _error(["rules", "A0401", "B"])
    env_lang = _error(["rules"], env={"PEIXUN_LANG": "fr"})
    assert "--lang 的值“fr”无效，可选：zh、en（来自环境变量 PEIXUN_LANG）" in env_lang


def test_pick_lang():
    assert clihelp.pick_lang(["audit", "--lang", "en"], {}) == "en"
    assert clihelp.pick_lang(["audit", "--lang=en"], {"PEIXUN_LANG": "zh"}) == "en"
    assert clihelp.pick_lang(["audit"], {"PEIXUN_LANG": "en"}) == "en"
    assert clihelp.pick_lang(["audit", "--lang", "fr"], {}) == "zh"


# --- CSV ------------------------------------------------------------------------------


def _csv_header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "args",
    [
        ["audit"],
        ["attendance"],
        ["validate"],
        ["callbacks"],
        ["callbacks", "--sample", "--seed", "1"],
        ["spotcheck", "--seed", "1"],
        ["review"],
    ],
)
def test_csv_headers_in_chinese(sample_dir, args):
    result = runner.invoke(app, [*args, str(sample_dir), "-f", "csv"])
    header = _csv_header(result.stdout)
    assert header[-1] == "peixun-audit"  # how the loader knows its own output
    assert all(CJK.search(h) or h == "SHA-256" for h in header[:-1]), header
    # written into a data folder, the loader does not read it back as data: the callback
    # sample's 班级编号,姓名,身份证号,联系电话 would pass for a roster
    assert sniff.is_output_csv(list(csv.reader(io.StringIO(result.stdout))))
    assert not sniff.is_output_csv([header[:-1], ["C1", "张三", "x", "y"]])


def test_csv_values_in_chinese_and_english_keys_with_lang_en():
    rows = [
        {
            "code": "A0401",
            "variant": "hours",
            "name": "attendance-below-threshold",
            "article": 4,
            "severity": "error",
            "class_id": "C1",
            "student_name": "张三",
            "rate": 0.75,
            "passes": False,
            "evidence": {"rate": "3/4"},
            "source": {"file": "a.xlsx", "sheet": "名册", "row": 5, "cell": None},
        }
    ]
    zh = list(csv.DictReader(io.StringIO(csv_out.dumps(rows, "zh"))))[0]
    assert zh == {
        "代码": "A0401",
        "规则": "到课率低于 80%",
        "条款": "第4条",
        "级别": "错误",
        "班级编号": "C1",
        "姓名": "张三",
        "到课率": "75.00%",
        "达标": "否",
        "文件": "a.xlsx",
        "工作表": "名册",
        "行": "5",
        "单元格": "",
        "peixun-audit": "",
    }
    en = _csv_header(csv_out.dumps(rows, "en"))
    assert en[:3] == ["code", "variant", "name"] and "source_file" in en


# --- sampling wording -----------------------------------------------------------------


def test_sampling_record_in_plain_words(sample_dir):
    result = runner.invoke(app, ["spotcheck", str(sample_dir), "--seed", "42"])
    out = result.output
    assert f"随机种子 42，可用同一命令复现：peixun-audit spotcheck {sample_dir} --seed 42" in out
    assert re.search(
        r"市级抽查：抽样框 5 个班，按 20% 抽取 1 个班；抽样框 SHA-256 [0-9a-f]{16}…", out
    )
    assert "PCG64" not in out and "SeedSequence" not in out


# --- the terminal at 80 columns --------------------------------------------------------


@pytest.fixture(scope="module")
def sample_audit():
    """``audit sample_data`` once for the layout tests: at 80 columns, with --verbose,
    and as JSON."""
    data = str(Path(__file__).resolve().parent.parent / "sample_data")
    plain = runner.invoke(app, ["audit", data, *AS_OF], env={"COLUMNS": "80"})
    verbose = runner.invoke(app, ["audit", data, *AS_OF, "-v"], env={"COLUMNS": "120"})
    doc = json.loads(runner.invoke(app, ["audit", data, *AS_OF, "-f", "json"]).stdout)
    return plain, verbose, doc


def test_audit_at_80_columns_is_compact_and_ordered(sample_audit):
    result, _, doc = sample_audit
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # 527 before the layout (53 findings); 140 with the 69 findings of today's sample
    # (the grid, session and ledger classes): about two lines a finding, no more
    assert len(lines) < 145, len(lines)
    # the fraud signals' note said once, above the list, not on every X line
    assert sum("舞弊风险信号" in line for line in lines) == 1
    assert len(lines) < 2 * len(doc["findings"]) + 20, len(lines)
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[0].startswith("汇总  审核日期 2021-06-30")
    assert "输入问题  错误 0，警告 5，提示 8" in lines
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(title))
        for title in ("汇总", "输入问题", "各班级情况", "问题清单")
    ]
    assert order == sorted(order)
    # input problems: the warnings listed, the 8 notes counted (--verbose lists them)
    problems = lines[order[1] + 1 : order[2]]
    marks = [line[2] for line in problems if line.startswith("  ") and line[2] in "✘▲•"]
    assert marks == ["▲"] * 5
    assert any("另有提示 8 条" in line for line in problems)
    # no number, date or word is broken across lines
    text = "\n".join(lines)
    for finding in doc["findings"]:
        for token in re.findall(r"[0-9A-Za-z][0-9A-Za-z.%/:~\-]*", finding["message"]):
            assert token in text, token
    # findings grouped by class, each group once
    heads = [line.split()[0] for line in lines[order[3] + 1 :] if line.startswith("GL20")]
    assert heads == sorted(set(heads))


def test_verbose_shows_locations_and_ids(sample_audit):
    plain, verbose, _ = sample_audit
    assert "签到表 / H8" not in plain.stdout and "签到表 / H8" in verbose.stdout
    assert "450303********504X" in verbose.stdout
    assert "班级材料完整性" in verbose.stdout and "班级材料完整性" not in plain.stdout


def test_wrap_breaks_between_chinese_characters_never_inside_a_token():
    text = "到课率 67.5%（27/40 课时），低于 80%，不得结业，也不得申领培训补贴"
    lines = [line.plain for line in Text(text).divide(terminal.wrap_offsets(text, 24, 4))]
    # the first line 24 cells, the next ones 20 (indented by 4); "时）" and "80%，" stay
    # together, "67.5%" and "27/40" whole
    assert lines == [
        "到课率 67.5%（27/40 课",
        "时），低于 80%，不得",
        "结业，也不得申领培训",
        "补贴",
    ]
    path = "sample_data/README.md 未读取（.md）：不支持的文件格式"
    assert [line.plain for line in Text(path).divide(terminal.wrap_offsets(path, 24, 4))] == [
        "sample_data/README.md 未",
        "读取（.md）：不支持",  # the opening （ goes with the word after it
        "的文件格式",
    ]


def test_marks_fall_back_when_the_console_cannot_show_them():
    gbk = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="gbk"))
    utf8 = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert terminal.marks(utf8) == {
        "error": "✘",
        "warning": "▲",
        "info": "•",
        "yes": "✔",
        "no": "✘",
    }
    assert terminal.marks(gbk, "zh") == {
        "error": "x",
        "warning": "▲",
        "info": "i",
        "yes": "是",
        "no": "否",
    }
    assert terminal.marks(gbk, "en")["yes"] == "yes"


# --- a GBK console: every command runs to its normal end ------------------------------

GBK_RUNS = {
    "attendance": (["attendance", "{data}", *AS_OF], 1),
    "audit": (["audit", "{data}", *AS_OF], 1),
    "validate": (["validate", "{data}"], 0),  # the sample's input problems: warnings, notes
    "callbacks": (["callbacks", "{data}", *AS_OF], 1),
    "callbacks-sample": (["callbacks", "{data}", "--sample", "--seed", "3"], 0),
    "spotcheck": (["spotcheck", "{data}", "--seed", "3"], 0),
    "review": (["review", "{data}", *AS_OF], 0),
    "template": (["template", "-o", "{tmp}/templates"], 0),
    "rules": (["rules"], 0),
    "rule": (["rules", "A0401"], 0),
    "help": (["audit", "--help"], 0),
    "error": (["audit", "--nope"], 2),
}


@pytest.mark.parametrize("name", sorted(GBK_RUNS))
def test_every_command_on_a_gbk_console(name, sample_dir, tmp_path):
    """The stream is strict GBK (a character it lacks raises): the run must end with its
    normal status, its output readable as GBK."""
    args, status = GBK_RUNS[name]
    args = [a.format(data=sample_dir, tmp=tmp_path) for a in args]
    result = CliRunner(charset="gbk").invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == status, (result.exception, result.output[-500:])
    assert not isinstance(result.exception, UnicodeError)
    text = result.stdout_bytes.decode("gbk") + result.stderr_bytes.decode("gbk")
    assert CJK.search(text)
    assert "✘" not in text and "✔" not in text


def test_a_table_too_wide_for_the_console_becomes_records(sample_dir):
    """The review scorecard's sentences would fold into 6-character strips at 80
    columns: each institution is printed as a short record instead."""
    narrow = runner.invoke(app, ["review", str(sample_dir), *AS_OF], env={"COLUMNS": "80"})
    lines = narrow.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert "临桂区启航职业技能培训学校" in lines  # the heading of its record, whole
    assert any(line.startswith("  依据：可享受补贴学员 0/6（0.00%）") for line in lines)
    assert "  第十六条：建议取消补贴性培训资格，待核实" in lines
    wide = runner.invoke(app, ["review", str(sample_dir), *AS_OF], env={"COLUMNS": "300"})
    assert any(line.startswith("培训机构 ") for line in wide.stdout.splitlines())  # a table


def test_lang_before_the_command_applies_to_it():
    result = runner.invoke(app, ["--lang", "en", "rules", "A0401"])
    assert result.exit_code == 0
    assert "Anti-pattern:" in result.output and "反例" not in result.output
