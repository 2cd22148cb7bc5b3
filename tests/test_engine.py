"""The findings engine: an explicit registry that refuses inconsistent rules, rules
isolated from each other, typed evidence, and one message catalogue complete in both
languages."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from fractions import Fraction
from typing import ClassVar

import pytest
from rulecases import run_case
from test_sample_data import EXPECTED
from typer.testing import CliRunner

from peixun_audit import messages
from peixun_audit.cli import app
from peixun_audit.evidence import SCALAR_TYPES, VOCABULARIES
from peixun_audit.messages import FINDINGS, TERMS, finding_message
from peixun_audit.model import Source
from peixun_audit.rules import (
    RULE_CLASSES,
    RULES,
    RegistryError,
    Rule,
    build_registry,
    check_rule,
)
from peixun_audit.rules import base as rules_base

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def test_every_rule_class_in_the_modules_is_registered():
    """The registry is an explicit list: a rule class missing from it is caught here."""
    import peixun_audit.rules as package

    defined = {
        cls
        for module in vars(package).values()
        if inspect.ismodule(module) and module.__name__.startswith("peixun_audit.rules.")
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and issubclass(cls, Rule)
        and cls is not Rule
        and cls.__module__ == module.__name__
    }
    assert defined == set(RULE_CLASSES)
    assert list(RULES) == sorted(c.code for c in RULE_CLASSES)


class _Sample(Rule):
    """A rule for the registry tests."""

    code = "A9901"
    name = "sample-rule"
    article = 99
    severity = "warning"
    evidence: ClassVar = {"late": {"days": "count"}}

    def check(self, ctx):
        return []


@pytest.fixture
def sample_message(monkeypatch):
    monkeypatch.setitem(FINDINGS, ("A9901", "late"), ("晚了 {days} 天", "{days} days late"))


def _variant(**changes) -> type[Rule]:
    return type("Variant", (_Sample,), {"__doc__": "A variant.", **changes})


def test_a_consistent_rule_registers(sample_message):
    assert build_registry((_Sample,)) == {"A9901": _Sample}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"code": "A99"}, "bad code"),
        ({"name": "Sample Rule"}, "kebab-case"),
        ({"severity": "fatal"}, "unknown severity"),
        ({"evidence": {}}, "declares no evidence"),
        ({"evidence": {"late": {}}}, "has no field"),
        ({"evidence": {"late": {"days": "weeks"}}}, "unknown evidence types"),
        (
            {"evidence": {"late": {"days": "count"}, "early": {"days": "count"}}},
            "early: no message",
        ),
        ({"evidence": {"late": {"n": "count"}}}, "undeclared"),
        ({"evidence": {"early": {"days": "count"}}}, "no message"),
        ({"__doc__": None}, "no docstring"),
    ],
)
def test_an_inconsistent_rule_is_refused(sample_message, changes, reason):
    with pytest.raises(RegistryError, match=reason):
        check_rule(_variant(**changes))


def test_a_code_registered_twice_is_refused(sample_message):
    with pytest.raises(RegistryError, match="twice"):
        build_registry((_Sample, _variant()))


# --- every message of every variant, in both languages

SAMPLES = {
    "date": dt.date(2020, 9, 7),
    "span": (dt.date(2020, 9, 7), dt.date(2020, 10, 6)),
    "count": 3,
    "percent": Fraction(3, 4),
    "hours": Fraction(9, 2),
    "name": "Zhang San",  # input values: ASCII here, so any CJK comes from a template
    "text": "GL2020-001",
    "class_id": "GL2020-002",
    "id_number": "450302199001010011",
    "phone": "13812345678",
    "place": Source("book.xlsx", "Sheet1", 10, "C10"),
}


def _sample(kind: str):
    many = kind.endswith("[]")
    scalar = kind[:-2] if many else kind
    value = next(iter(TERMS[scalar])) if scalar in VOCABULARIES else SAMPLES[scalar]
    return (value, value) if many else value


def _variants():
    return [(code, v) for code, rule in RULES.items() for v in rule.evidence]


def test_every_evidence_type_has_a_sample():
    assert set(SCALAR_TYPES) <= set(SAMPLES) | set(VOCABULARIES)


@pytest.mark.parametrize(("code", "variant"), _variants())
def test_every_variant_renders_in_both_languages(code, variant):
    types = RULES[code].evidence[variant]
    evidence = {k: _sample(t) for k, t in types.items()}
    zh = finding_message(code, variant, evidence, types, "zh")
    en = finding_message(code, variant, evidence, types, "en")
    assert zh and en and "{" not in zh + en
    assert CJK.search(zh), zh  # the Chinese sentence is Chinese
    assert not CJK.search(en), en  # …and the English one has no Chinese at all
    # masked by type, whatever the key: no sample ID or phone appears in full
    assert "450302199001010011" not in zh + en and "13812345678" not in zh + en


def test_every_vocabulary_word_exists_in_both_languages():
    for vocabulary, words in TERMS.items():
        for value, (zh, en) in words.items():
            assert zh and en, (vocabulary, value)
            assert not CJK.search(en), (vocabulary, value, en)


def test_no_catalogue_entry_for_an_unknown_rule_or_variant():
    assert set(FINDINGS) == set(_variants())


# --- isolation: a rule that raises is reported, the others still run


class _Raises(Rule):
    """Raises, as a buggy rule would."""

    code = "A9902"
    name = "raises"
    article = 99
    severity = "error"
    evidence: ClassVar = {"late": {"days": "count"}}

    def check(self, ctx):
        raise ZeroDivisionError("division by zero")


class _ReadsUndeclared(_Raises):
    """Reads a parameter it does not declare."""

    code = "A9903"

    def check(self, ctx):
        return [ctx.violation("late", "C1", {"days": ctx.param("attendance.min_rate_percent")})]


class _BadEvidence(_Raises):
    """Returns evidence its declaration does not allow."""

    code = "A9904"

    def check(self, ctx):
        return [ctx.violation("late", "C1", {"days": "three"})]


class _WrongKeys(_Raises):
    """Returns a key it does not declare."""

    code = "A9905"

    def check(self, ctx):
        return [ctx.violation("late", "C1", {"days": 3, "extra": 1})]


@pytest.fixture
def broken_rules(monkeypatch):
    for rule in (_Raises, _ReadsUndeclared, _BadEvidence, _WrongKeys):
        monkeypatch.setitem(RULES, rule.code, rule)
        monkeypatch.setitem(FINDINGS, (rule.code, "late"), ("晚了 {days} 天", "{days} days late"))
    return ["A9902", "A9903", "A9904", "A9905"]


def test_a_rule_that_raises_becomes_a_failure_and_the_others_still_run(broken_rules):
    case = {"update": {"classes": {0: {"application_date": "2020-09-03"}}}}
    result = run_case(case, ["A0301", *broken_rules, "A0302"])
    assert [f.code for f in result.failures] == broken_rules
    errors = {f.code: f.error for f in result.failures}
    assert errors["A9902"] == "ZeroDivisionError: division by zero"
    assert "attendance.min_rate_percent" in errors["A9903"]
    assert "not a count" in errors["A9904"]
    assert "evidence keys" in errors["A9905"]
    assert [f.code for f in result.findings] == ["A0301"]  # the good rules' findings stand
    # nobody is eligible on an audit that could not run every rule
    assert not result.eligibility["eligible"].any()
    assert "internal-error:A9902" in result.eligibility["reasons"].iloc[0]


def test_the_cli_reports_a_failed_rule_and_exits_2(broken_rules, sample_dir):
    runner = CliRunner()
    out = runner.invoke(
        app, ["audit", str(sample_dir), "--as-of", "2026-01-01", "-f", "json", "--jobs", "1"]
    )
    assert out.exit_code == 2, out.output[-2000:]
    doc = json.loads(out.stdout)
    assert [e["rule"] for e in doc["internal_errors"]] == broken_rules
    assert len(doc["findings"]) == len(EXPECTED)  # every real rule's findings are still there
    table = runner.invoke(app, ["audit", str(sample_dir), "--as-of", "2026-01-01", "-j", "1"])
    assert table.exit_code == 2
    assert "A9902" in table.output and "ZeroDivisionError" in table.output


def test_the_context_refuses_undeclared_parameters():
    ctx = rules_base.Context.__new__(rules_base.Context)
    ctx.declared = ("attendance.min_rate_percent",)
    with pytest.raises(rules_base.UndeclaredParameter):
        ctx._check_declared("application.min_working_days")
    ctx._check_declared("attendance.min_rate_percent")


def test_messages_module_has_no_rule_prose_left():
    """Rule modules hold no sentences: every user-facing text is in messages.py."""
    import peixun_audit.rules as package

    for module in vars(package).values():
        if inspect.ismodule(module) and module.__name__.startswith("peixun_audit.rules."):
            source = inspect.getsource(module)
            code_only = re.sub(r'"""[\s\S]*?"""', "", source)  # docstrings may be Chinese
            code_only = re.sub(r"#.*", "", code_only)
            strings = re.findall(r'"([^"\n]*)"', code_only)
            prose = [s for s in strings if len(CJK.findall(s)) > 4]
            assert prose == [], (module.__name__, prose)
    assert messages.FINDINGS


# --- the whole English report: no Chinese but what was copied from the input


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    elif isinstance(node, str):
        yield path, node


def _input_values(item: dict) -> list[str]:
    """Strings of a finding that come from the input: names, ids, free text, places."""
    values = [item.get(k) for k in ("student_name", "class_id", "institution")]
    source = item.get("source") or {}
    values += [source.get("file"), source.get("sheet")]
    if "code" in item and "variant" in item:
        types = RULES[item["code"]].evidence[item["variant"]]
        for key, value in item["evidence"].items():
            if types[key].rstrip("[]") in ("name", "text", "class_id", "place"):
                values += [s for _, s in _leaves(value)]
    values += [v.rsplit("/", 1)[-1] for v in values if v and "/" in v]  # a file's name
    return sorted((v for v in values if v), key=len, reverse=True)


def test_english_output_has_no_chinese_but_input_values(sample_dir):
    runner = CliRunner()
    args = ["audit", str(sample_dir), "--as-of", "2026-01-01", "-f", "json", "-j", "1"]
    en = json.loads(runner.invoke(app, [*args, "--lang", "en"]).stdout)
    zh = json.loads(runner.invoke(app, [*args, "--lang", "zh"]).stdout)
    assert en["findings"] and all(f["evidence"] for f in en["findings"])
    zh_leaves = dict(_leaves(zh))
    for path, text in _leaves(en):
        if path[-1] == "message":
            item = en[path[0]] if len(path) == 2 else en[path[0]][path[1]]  # "ledger": one object
            for value in _input_values(item):
                text = text.replace(value, "")
            if path[0] == "inputs":  # a problem: its file and sheet
                problem = en["inputs"][path[1]]["problems"][path[3]]
                text = text.replace(problem.get("sheet") or "", "")
                if problem["code"] in ("unknown-mark", "makeup-mark", "no-session-mark"):
                    text = re.sub(r"'[^']*'", "", text)  # the mark as written in the cell
        elif zh_leaves.get(path) == text:
            continue  # the same in both languages: data copied from the input
        assert not CJK.search(text), (path, text)


PROBLEM_SAMPLES = {
    "detail": "bad zip",
    "rows": 3,
    "header": "Name",  # a header as typed in the sheet
    "used": "C1",
    "kind": "roster",
    "field": "id_number",
    "fields": [["id_number", "name"], ["date"]],
    "value": "??",
    "format": "archive",  # why a file is not read (messages.FILE_FORMATS)
    "original": "a.xlsx",  # the file a duplicate copies
    "label": "GL-2",  # a class id read from a 班级编号 label
    "text": "制表人：张三",  # a footer line as written (shown in Chinese only)
    "header_row": 5,
    "month": "--05",  # a monthly grid's month (without its year here)
    "date": "2021-05-10",
    "period": "上午",
}


@pytest.mark.parametrize("code", sorted(messages.PROBLEMS))
def test_every_input_problem_renders_in_both_languages(code):
    zh = messages.problem_message(code, PROBLEM_SAMPLES, "zh")
    en = messages.problem_message(code, PROBLEM_SAMPLES, "en")
    assert zh and en and "{" not in zh + en
    assert not CJK.search(en.replace("班级编号：", "")), en  # the label users type, quoted
