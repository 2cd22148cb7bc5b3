"""Mutation fuzzing of the loader and the audit (issue 5): byte flips, truncations and
corrupted XML inside otherwise valid workbooks. Used by the test suite (bounded) and by
``scripts/fuzz.py`` (long runs). Not part of the product's commands."""

from __future__ import annotations

import datetime as dt
import io
import random
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .audit import run
from .load import load_paths
from .rules import RULES
from .ruleset import load_rulesets


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(out))
        out[i] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


XML_DAMAGE = [
    lambda x, r: x[: r.randrange(len(x))],  # cut mid-element
    lambda x, r: x.replace(b"</row>", b"", r.randint(1, 5)),  # unbalanced rows
    lambda x, r: x.replace(b'r="', b'r="Z', 1),  # nonsense cell reference
    lambda x, r: x.replace(b"<v>", b"<v>\xff\xfe", r.randint(1, 3)),  # invalid UTF-8
    lambda x, r: x.replace(
        b"<c ", b'<c t="s" ', r.randint(1, 9)
    ),  # shared-string index out of range
    lambda x, r: x + b"<extra>",  # trailing junk
]


def damage_xml(data: bytes, rng: random.Random) -> bytes:
    """Corrupt one XML member of a valid .xlsx, keeping the zip container valid."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return flip_bytes(data, rng)
    members = [n for n in zin.namelist() if n.endswith(".xml")]
    target = rng.choice(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            body = zin.read(name)
            if name == target and body:
                body = rng.choice(XML_DAMAGE)(body, rng)
            zout.writestr(name, body)
    return out.getvalue()


MUTATIONS = {"flip": flip_bytes, "truncate": truncate, "xml": damage_xml}


@dataclass
class FuzzReport:
    tried: int = 0
    by_mutation: dict[str, int] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    unaccounted: list[str] = field(default_factory=list)


def fuzz(seeds: list[Path], iterations: int, seed: int = 0, batch: int = 10) -> FuzzReport:
    """Mutate the seed files ``iterations`` times (in batches of ``batch`` files per
    folder), then load and audit each batch. Every exception is a crash; every file
    must appear in the inputs with its rows accounted for."""
    rng = random.Random(seed)
    report = FuzzReport()
    originals = [(p.suffix, p.read_bytes()) for p in seeds]
    rulesets = load_rulesets()
    done = 0
    while done < iterations:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            names = []
            for i in range(min(batch, iterations - done)):
                suffix, data = rng.choice(originals)
                kind = rng.choice(list(MUTATIONS))
                report.by_mutation[kind] = report.by_mutation.get(kind, 0) + 1
                name = f"m{done + i}_{kind}{suffix}"
                (folder / name).write_bytes(MUTATIONS[kind](data, rng))
                names.append(name)
            done += len(names)
            report.tried += len(names)
            try:
                dataset = load_paths([folder])
                run(dataset, rulesets, dt.date(2026, 1, 1), list(RULES))
            except BaseException as exc:  # noqa: BLE001 — the point of fuzzing: record, keep going
                if isinstance(exc, KeyboardInterrupt):
                    raise
                report.crashes.append(f"{names}: {type(exc).__name__}: {exc}"[:500])
                continue
            seen = {Path(f.path).name for f in dataset.inputs}
            report.unaccounted += [n for n in names if n not in seen]
            for f in dataset.inputs:
                for s in f.sheets:
                    if s.rows_read != s.rows_used + s.rows_reported:
                        report.unaccounted.append(f"{f.path}/{s.name}: {s}")
    return report
