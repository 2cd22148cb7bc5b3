"""Write docs/RULES.md from the rules' own docstrings and the shipped ruleset, and
src/peixun_audit/rule_catalog.json, the rules' declarations that ``peixun-audit rules``
prints without importing the rules (docs/startup.md).

Run: python scripts/make_rules_doc.py  (tests/test_docs.py and tests/test_startup.py
check both are current)
"""

from __future__ import annotations

from pathlib import Path

from peixun_audit import rule_catalog
from peixun_audit.explain_zh import EXPLAIN_ZH
from peixun_audit.messages import FINDINGS
from peixun_audit.rules import RULES
from peixun_audit.ruleset import shipped

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "RULES.md"
CATALOG = ROOT / "src" / "peixun_audit" / rule_catalog.FILE


def render() -> str:
    rs = shipped()
    lines = [
        "# Rules",
        "",
        f"Generated from the rule docstrings by `scripts/make_rules_doc.py`; parameters from `{rs.name}` "
        f"(effective {rs.effective}). `peixun-audit rules CODE --lang en` prints the same text.",
        "",
        "Each failure mode of a rule is a *variant* with typed evidence (types in "
        "`src/peixun_audit/evidence.py`); its messages are in `src/peixun_audit/messages.py`.",
        "",
        "The Chinese name and explanation of each rule (`peixun-audit rules CODE`) are in "
        "`src/peixun_audit/explain_zh.py`.",
        "",
        "| code | name | 名称 | article | severity |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [{c}](#{c.lower()}) | {r.name} | {EXPLAIN_ZH[c].name} | {r.article or '—'} "
        f"| {r.severity} |"
        for c, r in RULES.items()
    ]
    for code, rule in RULES.items():
        lines += [
            "",
            f"## {code}",
            "",
            f"**{rule.name}** · {EXPLAIN_ZH[code].name} — article "
            f"{rule.article or '— (fraud signal)'}, {rule.severity}",
            "",
        ]
        lines.append(rule.doc())
        lines += ["", "| variant | evidence | message (zh) | message (en) |", "|---|---|---|---|"]
        for variant, fields in rule.evidence.items():
            typed = ", ".join(f"`{k}`: {t}" for k, t in fields.items())
            zh, en = FINDINGS[(code, variant)]
            lines.append(f"| `{variant}` | {typed} | {zh} | {en} |")
        if rule.params:
            lines += ["", "Parameters: " + ", ".join(f"`{p} = {rs.get(p)!r}`" for p in rule.params)]
    return "\n".join(lines) + "\n"


def render_catalog() -> str:
    return rule_catalog.render(RULES)


if __name__ == "__main__":
    OUT.write_text(render(), "utf-8")
    CATALOG.write_text(render_catalog(), "utf-8")
