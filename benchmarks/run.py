"""Benchmark: a synthetic city-year (and 2×, 4×) against the floor of merely reading it.

    python benchmarks/run.py            # all four parts below, as RESULTS.md has them
    python benchmarks/run.py --only against [--against 6ad0f47] [--repeat 7]
    python benchmarks/run.py --only scales [--scales 1,2,4] [--repeat 3] [--classes 600]
    python benchmarks/run.py --only forms [--variants all] [--big 4,14] [--worst 2]
    python benchmarks/run.py --only baseline [--repeat 3]

Everything takes about an hour on a 2-core machine, most of it generating and auditing
the 14× (province) folders once; the generated folders are cached, so a second run
takes about half that. ``--out`` writes elsewhere than benchmarks/RESULTS.md.

For each scale it generates the workbooks once (cached under $TMPDIR/peixun-bench), then
measures, median of ``--repeat`` runs taken in turns, each in a fresh process:
- floor: python-calamine reading every cell of every sheet, nothing else (one process);
- ``peixun-audit audit DIR --format json`` (the default: as many processes as CPUs);
- the same with ``--jobs 1``, everything in one process;
- ``peixun-audit audit DIR --output report.xlsx``;
with the peak resident memory of the largest process and, on Linux, of all processes
together. It writes a Markdown table with the machine, the date and the commit. Speed is
proved here, never by a timed unit test.

``--variants`` measures each form of the input (benchmarks/generate.py VARIANTS) at 1×
instead, then the ``--worst`` slowest of them (audit ÷ floor, one process) at the
``--big`` scales: the growth curve of the forms that cost most.

``--only against`` audits the 1× city-year with this checkout and with the code at a git
revision (``--against``, by default 6ad0f47, where issue 10 began: its last line holds the
audit to be no slower than there), in turns, by default and with ``--jobs 1``: wall and
CPU seconds, peak memory, and the ratio now ÷ then. Both run with this interpreter and
these packages; only ``src/`` differs.

``--baseline`` measures, at 1×, the floor, the audit (default jobs) and what a user
would otherwise write (pandas_baseline.py: pandas' ``read_excel`` with
``engine="openpyxl"``, its default for .xlsx, and with ``engine="calamine"``), then
checks, untimed, that the pandas script finds the same rates and the same students
below 80% as the audit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
# where issue 10 (typed findings, the engine, spawned workers) started: its last "Done
# when" line holds the city-year audit to be no slower than it was there
ISSUE_10_START = "6ad0f47"
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

FLOOR = """
import io, sys
from pathlib import Path
import python_calamine as pc
cells = 0
for p in sorted(q for q in Path(sys.argv[1]).rglob("*") if q.suffix in (".xlsx", ".xls")):
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(p.read_bytes()))
    for name in book.sheet_names:
        cells += sum(len(r) for r in book.get_sheet_by_name(name).to_python())
print(cells)
"""

# run a command and report its wall time, the peak RSS (KiB) of its largest process, and
# (Linux) the largest sum of the RSS of it and all its descendants, sampled every 20 ms
TIMER = """
import os, resource, subprocess, sys, time
from pathlib import Path

def tree_rss(root):
    kids, rss = {}, {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(d.name))
            rss[int(d.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += kids.get(pid, [])
    return total

start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
together = 0
while proc.poll() is None:
    if sys.platform == "linux":
        together = max(together, tree_rss(proc.pid))
    time.sleep(0.02)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(elapsed, usage.ru_maxrss, proc.returncode, together, cpu)
"""


def measure(
    cmd: list[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float, float, float]:
    """Median seconds, peak MiB of the largest process, peak MiB of all together, and
    median CPU seconds (user + system of every process the command waited for)."""
    times, peaks, together, cpu = [], [], [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", TIMER, *cmd],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.split()
        if int(out[2]) not in (0, 1):
            raise SystemExit(f"{cmd} exited {out[2]}")
        times.append(float(out[0]))
        peaks.append(int(out[1]) / 1024)
        together.append(int(out[3]) / 1024)
        cpu.append(float(out[4]))
    return statistics.median(times), max(peaks), max(together), statistics.median(cpu)


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


def measure_round_robin(
    commands: dict[str, list[str]],
    repeat: int,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, tuple]:
    """Each command ``repeat`` times, taking turns, so that a slow patch of a shared
    machine hits every command alike; per command (median seconds, peak MiB of the
    largest process, of all together, median CPU seconds). ``envs``: a command's own
    environment, by name."""
    runs: dict[str, list[tuple]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            runs[name].append(measure(cmd, 1, (envs or {}).get(name)))
    return {
        k: (
            statistics.median(r[0] for r in got),
            max(r[1] for r in got),
            max(r[2] for r in got),
            statistics.median(r[3] for r in got),
        )
        for k, got in runs.items()
    }


def folder_for(cache: Path, classes: int, variant: str) -> Path:
    """The generated city (cached): the reference form keeps its old folder names."""
    name = f"{classes}" if variant == "reference" else f"{variant}-{classes}"
    folder = cache / name
    if not (folder / "电话回访.xlsx").exists():
        generate(folder, classes, 40, 30, variant=variant)
    return folder


def variants_table(args: argparse.Namespace, cache: Path, variants: str) -> list[str]:
    """Every form at 1×, then the worst ``--worst`` at the ``--big`` scales."""
    from generate import VARIANTS

    chosen = VARIANTS if variants == "all" else variants.split(",")
    audit = [sys.executable, "-m", "peixun_audit", "audit"]
    lines = [
        "| form | scale | floor (s) | audit → json (s) | × floor | peak MiB (all) "
        "| `-j 1` (s) | × floor | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ratios: dict[str, float] = {}

    def row(variant: str, scale: int) -> None:
        folder = folder_for(cache, args.classes * scale, variant)
        common = [*audit, str(folder), "--as-of", "2026-01-01", "--format", "json"]
        got = measure_round_robin(
            {
                "floor": [sys.executable, "-c", FLOOR, str(folder)],
                "json": common,
                "json1": [*common, "--jobs", "1"],
            },
            args.repeat,
        )
        floor = got["floor"][0]
        (as_json, jm, jall), (one, om, _) = got["json"][:3], got["json1"][:3]
        if scale == 1:
            ratios[variant] = one / floor
        lines.append(
            f"| {variant} | {scale}× | {floor:.2f} | {as_json:.2f} | {as_json / floor:.1f} | "
            f"{jm:.0f} ({jall:.0f}) | {one:.2f} | {one / floor:.1f} | {om:.0f} |"
        )
        print(lines[-1], flush=True)

    for variant in chosen:
        row(variant, 1)
    worst = sorted(ratios, key=ratios.get, reverse=True)[: args.worst]
    for scale in [int(s) for s in args.big.split(",") if s]:
        for variant in worst:
            row(variant, scale)
    return lines


def baseline_table(args: argparse.Namespace, cache: Path) -> list[str]:
    """The 1× city-year: the floor, ``peixun-audit audit`` and what a user would
    otherwise write (benchmarks/pandas_baseline.py, pandas' read_excel with each engine),
    in turns; then, untimed, whether the pandas script (each engine) and the audit agree."""
    folder = folder_for(cache, args.classes, "reference")
    script = str(HERE / "pandas_baseline.py")
    audit = [sys.executable, "-m", "peixun_audit", "audit", str(folder), "--as-of", "2026-01-01"]
    runs = {
        "floor: python-calamine reads every cell": [sys.executable, "-c", FLOOR, str(folder)],
        "`peixun-audit audit` → json (default jobs)": [*audit, "--format", "json"],
        'pandas `read_excel(engine="openpyxl")` (the default) + attendance': [
            sys.executable,
            script,
            str(folder),
            "--engine",
            "openpyxl",
        ],
        'pandas `read_excel(engine="calamine")` + attendance': [
            sys.executable,
            script,
            str(folder),
            "--engine",
            "calamine",
        ],
    }
    got = measure_round_robin(runs, args.repeat)
    floor = got[next(iter(runs))][0]
    lines = ["| run | seconds | × floor | peak MiB (all) |", "|---|---|---|---|"]
    for name, (seconds, peak, together, _cpu) in got.items():
        lines.append(
            f"| {name} | {seconds:.2f} | {seconds / floor:.1f} | {peak:.0f} ({together:.0f}) |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        f"Same folder ({folder.name}), untimed, the pandas script against the audit's JSON:",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        with report.open("wb") as out:
            subprocess.run([*audit, "--format", "json"], stdout=out, check=False)
        for engine in ("openpyxl", "calamine"):
            check = subprocess.run(
                [sys.executable, script, str(folder), "--engine", engine, "--check", str(report)],
                capture_output=True,
                text=True,
                check=False,
            )
            said = check.stdout.strip().splitlines() or [check.stderr.strip()[-300:]]
            verdict = "agree" if check.returncode == 0 else "DISAGREE"
            lines += [f"- {engine} ({verdict}): " + "; ".join(f"`{line}`" for line in said)]
            print(lines[-1], flush=True)
    return lines


def export_src(revision: str, into: Path) -> Path:
    """``src/`` as it was at ``revision`` (``git archive``), written under ``into``."""
    tar = subprocess.run(
        ["git", "archive", "--format=tar", revision, "src"],
        capture_output=True,
        cwd=HERE.parent,
        check=False,
    )
    if tar.returncode:
        raise SystemExit(f"git archive {revision}: {tar.stderr.decode(errors='replace')}")
    with tarfile.open(fileobj=BytesIO(tar.stdout)) as archive:
        archive.extractall(into, filter="data")
    return into / "src"


def against_table(args: argparse.Namespace, cache: Path) -> list[str]:
    """The 1× city-year audited by this checkout and by the code at ``--against`` (its
    ``src/`` exported, run with the same interpreter and packages), taking turns, with
    the default jobs and with ``--jobs 1``: wall and CPU seconds (medians), the peak of
    the largest process, and now ÷ then."""
    folder = folder_for(cache, args.classes, "reference")
    audit = [sys.executable, "-m", "peixun_audit", "audit", str(folder), "--as-of", "2026-01-01"]
    lines = [
        f"| mode | then: {args.against} wall (s) | now wall (s) | now ÷ then | "
        "then CPU (s) | now CPU (s) | now ÷ then | then peak MiB | now peak MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        sources = {"then": export_src(args.against, Path(tmp)), "now": HERE.parent / "src"}
        for mode, extra in (("default jobs", []), ("`--jobs 1`", ["--jobs", "1"])):
            commands = {k: [*audit, "--format", "json", *extra] for k in sources}
            envs = {k: {**os.environ, "PYTHONPATH": str(src)} for k, src in sources.items()}
            got = measure_round_robin(commands, args.repeat, envs)
            (t_wall, t_peak, _, t_cpu), (n_wall, n_peak, _, n_cpu) = got["then"], got["now"]
            lines.append(
                f"| {mode} | {t_wall:.2f} | {n_wall:.2f} | {n_wall / t_wall:.2f} | "
                f"{t_cpu:.2f} | {n_cpu:.2f} | {n_cpu / t_cpu:.2f} | {t_peak:.0f} | {n_peak:.0f} |"
            )
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--classes", type=int, default=600)
    parser.add_argument(
        "--jobs", type=int, default=0, help="passed as --jobs; 0: the tool's default (CPU count)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--variants", default="", help="'all' or a comma list of forms (generate.py VARIANTS)"
    )
    parser.add_argument("--big", default="4,14", help="scales for the worst forms")
    parser.add_argument("--worst", type=int, default=2)
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="the floor, the audit and the pandas script (pandas_baseline.py) with each engine",
    )
    parser.add_argument(
        "--against",
        default=ISSUE_10_START,
        help="the git revision the 'against' part compares with (default: issue 10's start)",
    )
    parser.add_argument(
        "--only",
        choices=["scales", "forms", "baseline", "against"],
        help="one part (default: all four, as RESULTS.md has them)",
    )
    args = parser.parse_args()
    cache = Path(tempfile.gettempdir()) / "peixun-bench"
    parts = [args.only] if args.only else ["against", "scales", "forms", "baseline"]
    if args.baseline or args.variants:  # the older spellings of one part
        parts = ["baseline"] if args.baseline else ["forms"]
    if "against" in parts:
        lines = against_table(args, cache)
        command = f"python benchmarks/run.py --only against --against {args.against} "
        command += f"--repeat {args.repeat}"
        record(args.out, command, lines, "<!-- against -->", args.repeat)
    if "scales" in parts:
        scales_table(args, cache)
    if "forms" in parts:
        variants = args.variants or "all"
        lines = variants_table(args, cache, variants)
        command = (
            f"python benchmarks/run.py --variants {variants} --big {args.big} "
            f"--worst {args.worst} --repeat {args.repeat}"
        )
        record(args.out, command, lines, "<!-- forms -->", args.repeat)
    if "baseline" in parts:
        lines = baseline_table(args, cache)
        command = f"python benchmarks/run.py --baseline --repeat {args.repeat}"
        if args.classes != 600:
            command += f" --classes {args.classes}"
        record(args.out, command, lines, "<!-- baseline -->", args.repeat)


def scales_table(args: argparse.Namespace, cache: Path) -> None:
    """The reference form at ``--scales``: floor, JSON, one process, Excel."""
    audit = [sys.executable, "-m", "peixun_audit", "audit"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    rows = []
    for scale in [int(s) for s in args.scales.split(",")]:
        folder = folder_for(cache, args.classes * scale, "reference")
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
        (as_json, jm), (one, _), (as_xlsx, xm) = (got[k][:2] for k in ("json", "json1", "xlsx"))
        lines.append(
            f"| {scale}× | {classes} | {classes * 40} | {floor:.2f} | {as_json:.2f} | "
            f"{as_json / floor:.1f} | {as_json / base:.2f} | {jm:.0f} | {one:.2f} | "
            f"{one / floor:.1f} | {as_xlsx:.2f} | {xm:.0f} |"
        )
    command = f"python benchmarks/run.py --scales {args.scales} --repeat {args.repeat}"
    if args.jobs:
        command += f" --jobs {args.jobs}"
    record(args.out, command, lines, "<!-- measured -->", args.repeat)


def record(out: Path, command: str, lines: list[str], marker: str, repeat: int) -> None:
    """Write the table into RESULTS.md after ``marker``: the newest run first, the
    earlier runs kept below it (one table per run, each with machine, date, commit)."""
    text = "\n".join(
        [
            f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}, commit {commit()}, "
            f"median of {repeat} runs (`{command}`); peak MiB is the largest process's, "
            "in brackets all processes' together where measured.",
            "",
            *lines,
        ]
    )
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    end = marker.replace("<!-- ", "<!-- /")
    previous = out.read_text("utf-8") if out.exists() else "# Benchmark results\n"
    if marker in previous:  # the hand-written analysis stays; the new run goes first
        head, _, tail = previous.partition(marker)
        out.write_text(f"{head}{marker}\n{text}\n\n{tail.lstrip(chr(10))}", "utf-8")
    else:
        out.write_text(f"{previous.rstrip()}\n\n{marker}\n{text}\n\n{end}\n", "utf-8")


if __name__ == "__main__":
    main()
