"""Write the per-rule evidence schemas into src/peixun_audit/report/schema.json.

Each finding's ``evidence`` must hold exactly the typed fields its rule declares for
its variant; the schema says so for every (code, variant), from the declarations.
Run: python scripts/make_schema.py  (tests/test_docs.py checks it is current)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peixun_audit.evidence import json_schema
from peixun_audit.rules import RULES

SCHEMA = Path(__file__).resolve().parent.parent / "src" / "peixun_audit" / "report" / "schema.json"


def evidence_rules() -> list[dict[str, Any]]:
    """One if/then per (code, variant): the evidence's fields and their types."""
    out = []
    for code, rule in RULES.items():
        for variant, fields in rule.evidence.items():
            out.append(
                {
                    "if": {"properties": {"code": {"const": code}, "variant": {"const": variant}}},
                    "then": {
                        "properties": {
                            "evidence": {
                                "type": "object",
                                "required": sorted(fields),
                                "additionalProperties": False,
                                "properties": {k: json_schema(t) for k, t in fields.items()},
                            }
                        }
                    },
                }
            )
    return out


def render() -> str:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    item = schema["properties"]["findings"]["items"]
    item["allOf"] = evidence_rules()
    variants = sorted({v for rule in RULES.values() for v in rule.evidence})
    item["properties"]["variant"] = {"enum": variants}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA.write_text(render(), "utf-8")
    print(f"written {SCHEMA}")
