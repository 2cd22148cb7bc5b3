"""Long mutation-fuzz run over sample_data. Usage: python scripts/fuzz.py [iterations] [seed]"""

import sys
import time
from pathlib import Path

from peixun_audit.fuzz import fuzz

root = Path(__file__).resolve().parent.parent / "sample_data"
seeds = sorted(p for p in root.rglob("*") if p.suffix in (".xlsx", ".xls"))
iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
start = time.perf_counter()
report = fuzz(seeds, iterations, seed)
print(
    f"tried {report.tried} mutated files {report.by_mutation} in {time.perf_counter() - start:.0f} s"
)
print(f"crashes: {len(report.crashes)}; unaccounted: {len(report.unaccounted)}")
for line in report.crashes[:20] + report.unaccounted[:20]:
    print(" ", line)
sys.exit(1 if report.crashes or report.unaccounted else 0)
