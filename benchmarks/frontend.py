"""CPU time of the reader's bounded front-end (load.sniff.check_zip) against the whole
read (read_workbook: front-end + calamine + grids), over a folder of .xlsx files.

    python benchmarks/generate.py /tmp/city --classes 600
    python benchmarks/frontend.py /tmp/city [--repeat 5]

Prints the best of ``--repeat`` runs of each, in CPU seconds (process time: other
work on the machine does not count).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from peixun_audit.load import sniff
from peixun_audit.load.workbook import read_workbook


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = [(p.name, p.read_bytes()) for p in sorted(args.folder.rglob("*.xlsx"))]

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            for name, data in files:
                fn(name, data)
            times.append(time.process_time() - start)
        return min(times)

    front = best(lambda name, data: sniff.check_zip(data))
    whole = best(lambda name, data: read_workbook(data, name))
    print(f"{len(files)} files, {sum(len(d) for _, d in files) >> 20} MB")
    print(f"front-end (check_zip)      {front:6.2f} s CPU")
    print(f"read_workbook (all of it)  {whole:6.2f} s CPU  (front-end {front / whole:.0%})")


if __name__ == "__main__":
    main()
