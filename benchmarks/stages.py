"""Time each stage of one audit in one process, without a profiler's overhead.

    python benchmarks/stages.py DIR [--jobs N]

With ``--jobs 2`` the load line is split: when the workers' first and last files came
back, and how long assembling the tables took after them.

Prints seconds for: imports, load (read + parse + assemble), attendance and rule
context, each rule (the slowest listed), report building and JSON. The numbers in the
"where the time goes" table of RESULTS.md come from here.
"""

from __future__ import annotations

import argparse
import time

start = time.perf_counter()
import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

from peixun_audit import audit as audit_mod  # noqa: E402
from peixun_audit.load import load_paths  # noqa: E402
from peixun_audit.report import json_out, rows  # noqa: E402
from peixun_audit.rules import RULES  # noqa: E402
from peixun_audit.ruleset import load_rulesets  # noqa: E402

imported = time.perf_counter()


def _watch_arrivals(t0: float) -> dict[str, float]:
    """When the first and the last parsed file reached the assembler (with workers:
    when they came back from the pool) and how long assembling the tables took."""
    from peixun_audit.load import assemble

    got: dict[str, float] = {}
    add, finish = assemble.Assembler.add, assemble.Assembler.finish

    def timed_add(self, *args):
        got.setdefault("first file parsed (since load began)", time.perf_counter() - t0)
        add(self, *args)
        got["last file parsed"] = time.perf_counter() - t0

    def timed_finish(self):
        t = time.perf_counter()
        try:
            return finish(self)
        finally:
            got["assembling the tables"] = time.perf_counter() - t

    assemble.Assembler.add, assemble.Assembler.finish = timed_add, timed_finish
    return got


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--top", type=int, default=8, help="how many rules to list")
    args = parser.parse_args()
    times: dict[str, float] = {"imports": imported - start}

    t = time.perf_counter()
    arrivals = _watch_arrivals(t)
    dataset = load_paths([args.folder], jobs=args.jobs)
    times["load"] = time.perf_counter() - t
    times.update((f"  {k}", v) for k, v in arrivals.items())

    rulesets = load_rulesets(None)
    as_of = dt.date(2026, 1, 1)
    t = time.perf_counter()
    base = audit_mod.run(dataset, rulesets, as_of, [])
    times["attendance + context + eligibility"] = time.perf_counter() - t

    ctx = base.context
    per_rule = {}
    for code, rule in RULES.items():
        t = time.perf_counter()
        list(rule().check(ctx))
        per_rule[code] = time.perf_counter() - t
    times["rules (all)"] = sum(per_rule.values())

    result = audit_mod.run(dataset, rulesets, as_of, list(RULES))
    t = time.perf_counter()
    json_out.dumps(rows.document(result, "zh", False))
    times["report + JSON"] = time.perf_counter() - t

    for name, secs in times.items():
        print(f"{name:40s} {secs:6.2f}")
    print("slowest rules:")
    for code, secs in sorted(per_rule.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {code:38s} {secs:6.2f}")


if __name__ == "__main__":
    main()
