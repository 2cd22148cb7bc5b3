"""Benchmark: what a subsidy ledger of five city-years adds to the audit of a city-year.

    python benchmarks/ledger.py [--classes 600] [--rows 120000] [--repeat 3]

The city-year is the one ``run.py`` generates (cached under $TMPDIR/peixun-bench). The
ledger (a fresh SQLite file) holds ``--rows`` payments: five years of a city's trainees,
of whom one in five of this city-year's students (same occupations and levels as their
classes, or a higher level, or three trainings already in the year) — the rest other
people. The dataset is loaded once; then, in turns, the rules run without the ledger and
with it (reading the ledger's rows of the batch's people included), median of
``--repeat``. Prints one Markdown row for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate, make_id  # noqa: E402

from peixun_audit.audit import run  # noqa: E402
from peixun_audit.ledger import open_ledger, payments_table  # noqa: E402
from peixun_audit.load import load_paths  # noqa: E402
from peixun_audit.rules import RULES  # noqa: E402
from peixun_audit.ruleset import load_rulesets  # noqa: E402

OCCUPATIONS = ["电工", "焊工", "育婴员", "中式烹调师", "保育员", "电子商务师"]
LEVELS = ["初级", "中级", "高级"]


def fill_ledger(db: Path, dataset, rows: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    roster = dataset.tables["roster"].drop_duplicates("id_number")
    classes = dataset.tables["classes"].drop_duplicates("class_id").set_index("class_id")
    known = roster.sample(frac=0.2, random_state=seed)
    payments = []
    for cid, idn, name in zip(known["class_id"], known["id_number"], known["name"], strict=True):
        occupation = classes.at[cid, "occupation"] if cid in classes.index else "电工"
        payments.append(
            {
                "id_number": idn,
                "name": name,
                "occupation": occupation,
                "level": rng.choice(LEVELS),
                "end_date": dt.date(2021, rng.randrange(1, 13), 1),
                "paid_on": dt.date(2021, 12, 20),
            }
        )
    while len(payments) < rows:
        year = 2016 + len(payments) % 5
        payments.append(
            {
                "id_number": make_id(rng),
                "name": "某某",
                "occupation": rng.choice(OCCUPATIONS),
                "level": rng.choice(LEVELS),
                "end_date": dt.date(year, rng.randrange(1, 13), 1),
                "paid_on": dt.date(year, 12, 20),
            }
        )
    ledger = open_ledger(db)
    for year in range(5):  # five batches, one a year
        part = payments[year::5]
        ledger.add_batch(
            name=f"{2016 + year}",
            kind="import",
            source_file="bench",
            sha256=f"{year:064d}",
            paid_on=None,
            rows=part,
        )
    ledger.close()
    return len(payments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=600)
    parser.add_argument("--rows", type=int, default=120_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir()) / "peixun-bench" / f"{args.classes}"
    if not (folder / "电话回访.xlsx").exists():
        generate(folder, args.classes, 40, 30)
    dataset = load_paths([folder], jobs=1)
    rulesets = load_rulesets()
    codes = list(RULES)
    as_of = dt.date(2026, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        t = time.perf_counter()
        n = fill_ledger(db, dataset, args.rows)
        filled = time.perf_counter() - t
        without, with_ledger, reading = [], [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            run(dataset, rulesets, as_of, codes)
            without.append(time.perf_counter() - t)
            t = time.perf_counter()
            paid = payments_table(str(db), dataset.tables["roster"]["id_number"])
            read = time.perf_counter() - t
            result = run(dataset, rulesets, as_of, codes, paid, str(db))
            with_ledger.append(time.perf_counter() - t)
            reading.append(read)
        s01 = sum(f.code.startswith("S01") for f in result.findings)
    a, b, r = (statistics.median(x) for x in (without, with_ledger, reading))
    print(
        f"| {args.classes} | {dataset.tables['roster']['id_number'].nunique()} | {n} | "
        f"{len(paid)} | {a:.2f} | {b:.2f} | {b - a:+.2f} | {r:.2f} | {s01} | {filled:.1f} |"
    )


if __name__ == "__main__":
    main()
