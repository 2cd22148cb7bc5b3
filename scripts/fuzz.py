"""Long mutation-fuzz runs over sample_data, each chunk of cases in a child process
under a memory cap and a time limit (docs/hardening.md).

    python scripts/fuzz.py [iterations] [seed]            # issue 5's mutators
    python scripts/fuzz.py 10000 1 --xml                  # issue 13's: sheet XML, counts, numbers
        [--memory-mb 2048] [--timeout 30] [--chunk 500]

Each child runs ``--chunk`` cases in batches of 10 files (load + audit + row accounts)
with its address space capped at ``--memory-mb`` (Linux, macOS); a batch that runs
longer than ``--timeout`` seconds is a hang, a child that dies (out of memory, a native
abort) is a crash of its current batch. Prints the figures; exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "sample_data"
BATCH = 10


def child(iterations: int, seed: int, xml: bool) -> None:
    """Run the cases here; one JSON line per batch, then the report."""
    import resource

    from peixun_audit.fuzz import MUTATIONS, XML_MUTATIONS, fuzz, shared_string_copies

    def progress(done: int, secs: float) -> None:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps({"done": done, "secs": round(secs, 3), "rss_mb": rss}), flush=True)

    suffixes = (".xlsx",) if xml else (".xlsx", ".xls")
    seeds = sorted(p for p in ROOT.rglob("*") if p.suffix in suffixes)
    with tempfile.TemporaryDirectory() as tmp:
        if xml:  # and the same workbooks with their text in sharedStrings.xml
            seeds += shared_string_copies(seeds, Path(tmp))
        mutations = XML_MUTATIONS if xml else MUTATIONS
        report = fuzz(seeds, iterations, seed, BATCH, mutations, progress)
    print(json.dumps({"report": report.__dict__}), flush=True)


def _cap(memory_mb: int):
    def limit() -> None:
        try:
            import resource
        except ImportError:  # Windows: no cap, the figures still come
            return
        cap = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return limit


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("iterations", type=int, nargs="?", default=2000)
    parser.add_argument("seed", type=int, nargs="?", default=1)
    parser.add_argument("--xml", action="store_true", help="issue 13's mutators")
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.iterations, args.seed, args.xml)
        return 0
    start = time.perf_counter()
    totals = {"tried": 0, "by_mutation": {}, "problems": {}}
    crashes: list[str] = []
    hangs: list[str] = []
    unaccounted: list[str] = []
    slowest = peak = 0.0
    for index, first in enumerate(range(0, args.iterations, args.chunk)):
        count = min(args.chunk, args.iterations - first)
        seed = args.seed * 100_000 + index
        command = [sys.executable, __file__, str(count), str(seed), "--child"]
        command += ["--xml"] if args.xml else []
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, preexec_fn=_cap(args.memory_mb)
        )
        done, last = 0, time.monotonic()
        report = None
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout=1):
                if time.monotonic() - last > args.timeout:
                    proc.kill()
                    hangs.append(f"seed {seed}: batch after case {done} ran over {args.timeout} s")
                    break
                continue
            line = proc.stdout.readline()
            if not line:
                break
            last = time.monotonic()
            item = json.loads(line)
            if "report" in item:
                report = item["report"]
                continue
            done = item["done"]
            slowest = max(slowest, item["secs"])
            peak = max(peak, item["rss_mb"])
        code = proc.wait()
        if report is None:
            if not hangs or not hangs[-1].startswith(f"seed {seed}:"):
                crashes.append(f"seed {seed}: child died (exit {code}) after case {done}")
            continue
        totals["tried"] += report["tried"]
        for key in ("by_mutation", "problems"):
            for k, v in report[key].items():
                totals[key][k] = totals[key].get(k, 0) + v
        crashes += report["crashes"]
        unaccounted += report["unaccounted"]
        print(f"  {first + count} cases, {time.perf_counter() - start:.0f} s", flush=True)
    print(f"tried {totals['tried']} mutated files in {time.perf_counter() - start:.0f} s")
    print(f"by mutation: {dict(sorted(totals['by_mutation'].items()))}")
    print(f"problems reported (files): {dict(sorted(totals['problems'].items()))}")
    print(f"slowest batch of {BATCH}: {slowest:.2f} s; peak memory of a child: {peak:.0f} MB")
    print(f"crashes: {len(crashes)}; hangs: {len(hangs)}; unaccounted: {len(unaccounted)}")
    for line in (crashes + hangs + unaccounted)[:20]:
        print(" ", line)
    return 1 if crashes or hangs or unaccounted else 0


if __name__ == "__main__":
    sys.exit(main())
