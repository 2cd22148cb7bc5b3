"""Benchmark: a synthetic city-year (and 2×, 4×) against the floor of merely reading it.

    python benchmarks/run.py [--scales 1,2,4] [--repeat 3] [--classes 600] [--out benchmarks/RESULTS.md]

For each scale it generates the workbooks once (cached under $TMPDIR/peixun-bench), then
measures, median of ``--repeat`` runs taken in turns, each in a fresh process:
- floor: python-calamine reading every cell of every sheet, nothing else (one process);
- ``peixun-audit audit DIR --format json`` (the default: as many processes as CPUs);
- the same with ``--jobs 1``, everything in one process;
- ``peixun-audit audit DIR --output report.xlsx``;
with the peak resident memory of each. It writes a Markdown table with the machine,
the date and the commit. Speed is proved here, never by a timed unit test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

FLOOR = """
import io, sys
from pathlib import Path
import python_calamine as pc
cells = 0
for p in sorted(Path(sys.argv[1]).rglob("*.xlsx")):
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(p.read_bytes()))
    for name in book.sheet_names:
        cells += sum(len(r) for r in book.get_sheet_by_name(name).to_python())
print(cells)
"""

# run a command and report its wall time and peak RSS (KiB) from a fresh parent
TIMER = """
import resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, proc.returncode)
"""


def measure(cmd: list[str], repeat: int) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", TIMER, *cmd], capture_output=True, text=True, check=True
        ).stdout.split()
        if int(out[2]) not in (0, 1):
            raise SystemExit(f"{cmd} exited {out[2]}")
        times.append(float(out[0]))
        peaks.append(int(out[1]) / 1024)
    return statistics.median(times), max(peaks)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / (1 << 20):.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} × {cpu}{mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def measure_round_robin(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple]:
    """Each command ``repeat`` times, taking turns, so that a slow patch of a shared
    machine hits every command alike; (median seconds, peak MiB) per command."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            seconds, peak = measure(cmd, 1)
            times[name].append(seconds)
            peaks[name].append(peak)
    return {k: (statistics.median(times[k]), max(peaks[k])) for k in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--classes", type=int, default=600)
    parser.add_argument(
        "--jobs", type=int, default=0, help="passed as --jobs; 0: the tool's default (CPU count)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    cache = Path(tempfile.gettempdir()) / "peixun-bench"
    audit = [sys.executable, "-m", "peixun_audit", "audit"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    rows = []
    for scale in [int(s) for s in args.scales.split(",")]:
        folder = cache / f"{args.classes * scale}"
        if not (folder / "电话回访.xlsx").exists():
            generate(folder, args.classes * scale, 40, 30)
        report = folder.parent / f"report-{scale}.xlsx"
        common = [*audit, str(folder), "--as-of", "2026-01-01"]
        got = measure_round_robin(
            {
                "floor": [sys.executable, "-c", FLOOR, str(folder)],
                "json": [*common, "--format", "json", *jobs],
                "json1": [*common, "--format", "json", "--jobs", "1"],
                "xlsx": [*common, "--output", str(report), "--format", "csv", *jobs],
            },
            args.repeat,
        )
        rows.append((scale, args.classes * scale, got))
        print(scale, got, flush=True)
    base = rows[0][2]["json"][0]
    lines = [
        "| scale | classes | students | floor (s) | audit → json (s) | × floor | vs 1× | peak MiB "
        "| one process (`-j 1`) (s) | × floor | audit → xlsx (s) | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale, classes, got in rows:
        floor = got["floor"][0]
        (as_json, jm), (one, _), (as_xlsx, xm) = got["json"], got["json1"], got["xlsx"]
        lines.append(
            f"| {scale}× | {classes} | {classes * 40} | {floor:.2f} | {as_json:.2f} | "
            f"{as_json / floor:.1f} | {as_json / base:.2f} | {jm:.0f} | {one:.2f} | "
            f"{one / floor:.1f} | {as_xlsx:.2f} | {xm:.0f} |"
        )
    text = "\n".join(
        [
            f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}, commit {commit()}, "
            f"median of {args.repeat} runs (`python benchmarks/run.py --scales {args.scales} --repeat {args.repeat}"
            f"{' --jobs ' + str(args.jobs) if args.jobs else ''}`); "
            f"peak MiB is the largest process's (with workers, each adds its own).",
            "",
            *lines,
        ]
    )
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    marker = "<!-- measured -->"
    previous = args.out.read_text("utf-8") if args.out.exists() else ""
    if marker in previous:  # keep the hand-written analysis, replace the measured table
        head, _, tail = previous.partition(marker)
        tail = tail.split("<!-- /measured -->", 1)[-1]
        args.out.write_text(f"{head}{marker}\n{text}\n<!-- /measured -->{tail}", "utf-8")
    else:
        args.out.write_text(
            f"# Benchmark results\n\n{marker}\n{text}\n<!-- /measured -->\n", "utf-8"
        )


if __name__ == "__main__":
    main()
