"""Interactive speed holds by what is *not* imported (docs/startup.md): ``--help`` and
``rules`` never load pandas, NumPy, the workbook reader, pydantic or the rules; the rule
catalogue they print from equals the registry; the quick conversion of command-line
values gives Typer's own result for every value, and Typer's refusal for a bad one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer._coercion import build_runtime_param

from peixun_audit import cli, cliparams
from peixun_audit.rule_catalog import catalog
from peixun_audit.rules import RULES

ROOT = Path(__file__).resolve().parent.parent

# what a command imported, written to stderr as it exits (main() ends by os._exit)
PROBE = """
import json, os, sys
sys.argv = ["peixun-audit", *json.loads(sys.argv[1])]
real_exit = os._exit
def report(code):
    sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = report
from peixun_audit.__main__ import run
run()
"""

HEAVY = {
    "pandas",
    "numpy",
    "python_calamine",
    "pydantic",
    "openpyxl",
    "xlsxwriter",
    "multiprocessing",
    "peixun_audit.rules",
    "peixun_audit.audit",
    "peixun_audit.load.workbook",
}


def _modules_after(args: list[str]) -> tuple[int, set[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100"}
    env.pop("PEIXUN_LANG", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("MODULES ")]
    assert line, done.stderr
    return done.returncode, set(json.loads(line[-1].removeprefix("MODULES ")))


@pytest.mark.parametrize(
    "args",
    [["--help"], ["rules"], ["--lang", "en", "rules", "X0101"], ["rules", "A0401"]],
)
def test_help_and_rules_import_nothing_heavy(args):
    code, modules = _modules_after(args)
    assert code == 0
    assert "typer" in modules  # the probe saw the run
    assert not HEAVY & modules, sorted(HEAVY & modules)


def test_the_loader_package_and_messages_import_no_reader():
    code = (
        "import sys, peixun_audit.messages, peixun_audit.load; "
        "print(sorted(m for m in ('python_calamine', 'multiprocessing', 'pandas', "
        "'concurrent.futures.process', 'peixun_audit.load.table') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "[]", done.stderr


def test_rule_catalog_is_current():
    spec = __import__("importlib.util").util.spec_from_file_location(
        "make_rules_doc", ROOT / "scripts" / "make_rules_doc.py"
    )
    module = __import__("importlib.util").util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.CATALOG.read_text("utf-8") == module.render_catalog(), (
        "run python scripts/make_rules_doc.py"
    )


def test_rule_catalog_equals_the_registry():
    shown = catalog()
    assert list(shown) == list(RULES)
    for code, rule in RULES.items():
        info = shown[code]
        assert (info.code, info.name, info.article, info.severity) == (
            rule.code,
            rule.name,
            rule.article,
            rule.severity,
        )
        assert info.params == tuple(rule.params)
        assert info.evidence == rule.evidence
        assert info.doc() == rule.doc()


def _params():
    group = typer.main.get_command(cli.app)
    seen = {}
    for command in [group, *group.commands.values()]:
        for param in command.params:
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is not None:
                seen.setdefault(repr(descriptor.annotation) + repr(param.opts), (command, param))
    return list(seen.values())


VALUES = [
    None,
    "",
    "json",
    "JSON",
    "table",
    "zh",
    "en",
    "fr",
    "error",
    "a.xlsx",
    ".",
    "/nonexistent/x",
    "4",
    "1",
    "0",
    "02",
    " 3",
    "-2",
    "1_000",
    "abc",
    ("a.xlsx", "b"),
    (),
    True,
    False,
    cli.Format.json,
    cli.Lang.en,
    cli.FailOn.never,
    Path("x.json"),
]


def _outcome(runtime, value, param, ctx):
    try:
        return ("ok", repr(runtime.coerce(value, param=param, ctx=ctx)))
    except Exception as exc:  # Typer's refusal: its type and its message
        return ("error", type(exc).__name__, str(exc))


def test_quick_conversion_gives_typers_result_for_every_value():
    checked = 0
    for command, param in _params():
        ctx = command.context_class(command, info_name=command.name)
        quick = cliparams.QuickCoercion(param.type_descriptor)
        full = build_runtime_param(param.type_descriptor)
        for value in VALUES:
            assert _outcome(quick, value, param, ctx) == _outcome(full, value, param, ctx), (
                command.name,
                param.name,
                value,
            )
            checked += 1
    assert checked > 10 * len(VALUES)


def test_quick_conversion_is_installed_on_the_commands():
    group = typer.main.get_command(cli.app)
    rules = group.commands["rules"]
    assert all(isinstance(p._runtime_param, cliparams.QuickCoercion) for p in rules.params)
