"""Mutation fuzzing of the loader and the audit (issue 5): byte flips, truncations and
corrupted XML inside otherwise valid workbooks; issue 13 adds mutations inside the
sheet XML (cell references, row numbers, ``t=`` types, shared-string indexes, unclosed
tags, huge dimensions), the shared strings' counts, and the numbers (XML_MUTATIONS). Used by the test suite (bounded) and by
``scripts/fuzz.py`` (long runs). Not part of the product's commands."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
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


# issue 13: mutations inside the sheet XML and of the numbers, each aimed at a way a
# reader can be made to allocate, hang or misread — the bounded front-end
# (load.sniff.check_zip) must turn every one into a reported problem or a clean read
HUGE_REFS = [
    b"XFD1048576",
    b"ZZZZZ1",
    b"A99999999",
    b"B4294967297",
    b"xfd1048576",
    b"A0",
    b"1A",
    b"",
    b"AAAA1",
    b"XFD1",
    b"A1048576",
    b"ZZ99999",
]
HUGE_ROWS = [b"0", b"1048576", b"1048577", b"4294967296", b"99999999999", b"-1", b""]
T_TYPES = [b"s", b"str", b"inlineStr", b"b", b"e", b"n", b"d", b"x", b""]
SST_INDEXES = [b"999999", b"4294967295", b"4294967296", b"-1", b"1e3", b" "]
COUNTS = [b"4294967295", b"2000000000", b"99999999999999999999", b"-1", b"0", b"x"]
NUMBERS = [
    b"1e400",
    b"-1e400",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b"1e-400",
    b"4.9e-324",
    b"1.7976931348623157e308",
    b"99999999999999999999999",
    b"4.000000000000001",
    b"0.30000000000000004",
    b"-0",
    b"1E+30",
    b"0x10",
]
_REF_ATTR = re.compile(rb'(<c\b[^<>]{0,200}?\br=")([^"]*)(")')
_ROW_ATTR = re.compile(rb'(<row\b[^<>]{0,200}?\br=")([^"]*)(")')
_T_ATTR = re.compile(rb'(<c\b[^<>]{0,200}?\bt=")([^"]*)(")')
_CELL_OPEN = re.compile(rb"<c\b[^<>]{0,200}?>")
_NUMBER_VALUE = re.compile(rb"(<v>)(-?[0-9.Ee+-]+)(</v>)")
_COUNT_ATTR = re.compile(rb'((?:uniqueCount|count)=")([^"]*)(")')


def _replace_some(
    pattern: re.Pattern, xml: bytes, rng: random.Random, values: list[bytes]
) -> bytes:
    """Replace the middle group of 1–3 random matches with values from ``values``."""
    found = list(pattern.finditer(xml))
    if not found:
        return xml
    for m in sorted(
        rng.sample(found, min(len(found), rng.randint(1, 3))), key=lambda m: -m.start()
    ):
        xml = xml[: m.start(2)] + rng.choice(values) + xml[m.end(2) :]
    return xml


def _sst_index(xml: bytes, rng: random.Random) -> bytes:
    xml = _T_ATTR.sub(lambda m: m.group(1) + b"s" + m.group(3), xml, count=rng.randint(1, 5))
    return _replace_some(_NUMBER_VALUE, xml, rng, SST_INDEXES)


def _unclosed(xml: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return xml.replace(b"</c>", b"", rng.randint(1, 50))
    cut = xml.find(b"</sheetData>")
    if cut < 0:
        return xml
    tag = rng.choice([b'<c r="A1">', b"<c>", b'<c r="A1"><f>1+1</f>', b"<row>", b'<c t="s">'])
    return xml[:cut] + tag * rng.choice([10, 1000, 20000]) + xml[cut:]


SHEET_MUTATIONS = {
    "cell-ref": lambda x, r: _replace_some(_REF_ATTR, x, r, HUGE_REFS),
    "row-number": lambda x, r: _replace_some(_ROW_ATTR, x, r, HUGE_ROWS),
    "t-type": lambda x, r: (
        _replace_some(_T_ATTR, x, r, T_TYPES)
        if _T_ATTR.search(x)
        else _CELL_OPEN.sub(
            lambda m: m.group(0)[:2] + b' t="' + r.choice(T_TYPES) + b'"' + m.group(0)[2:],
            x,
            count=r.randint(1, 9),
        )
    ),
    "sst-index": _sst_index,
    "unclosed": _unclosed,
    "number": lambda x, r: _replace_some(_NUMBER_VALUE, x, r, NUMBERS),
    "dimension": lambda x, r: re.sub(
        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x
    ),
}


def _mutate_members(data: bytes, rng: random.Random, pick, mutate) -> bytes:
    """``mutate`` applied to one member chosen by ``pick``; flipped bytes when the
    file is no zip or has no such member."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        names = zin.namelist()
    except zipfile.BadZipFile:
        return flip_bytes(data, rng)
    targets = [n for n in names if pick(n)]
    if not targets:
        return flip_bytes(data, rng)
    target = rng.choice(targets)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            body = zin.read(name)
            if name == target:
                body = mutate(body, rng)
            zout.writestr(name, body)
    return out.getvalue()


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def counts(data: bytes, rng: random.Random) -> bytes:
    """Huge or broken ``count``/``uniqueCount`` in the shared strings."""
    return _mutate_members(
        data,
        rng,
        lambda n: n.endswith("sharedStrings.xml"),
        lambda x, r: _replace_some(_COUNT_ATTR, x, r, COUNTS),
    )


MUTATIONS = {"flip": flip_bytes, "truncate": truncate, "xml": damage_xml}
# the round-two mutators (scripts/fuzz.py --xml), xml-damage kept for variety
XML_MUTATIONS = {
    **{
        f"sheet-{kind}": partial(_mutate_members, pick=_is_sheet, mutate=mutate)
        for kind, mutate in SHEET_MUTATIONS.items()
    },
    "counts": counts,
    "xml": damage_xml,
}


def shared_string_copies(seeds: list[Path], folder: Path) -> list[Path]:
    """Each .xlsx seed rewritten by xlsxwriter, which keeps text in sharedStrings.xml
    as Excel and WPS do (the sample data's writer inlines it): seeds for ``counts``
    and ``sheet-sst-index``."""
    import xlsxwriter

    from .load.workbook import read_workbook

    out = []
    for seed in seeds:
        if seed.suffix != ".xlsx":
            continue
        path = folder / f"sst_{len(out)}.xlsx"
        book = xlsxwriter.Workbook(path, {"default_date_format": "yyyy-mm-dd"})
        for sheet in read_workbook(seed.read_bytes(), seed.name).sheets:
            target = book.add_worksheet(sheet.name)
            for r, row in enumerate(sheet.grid):
                for c, value in enumerate(row):
                    if value not in ("", None):
                        target.write(sheet.row0 + r, sheet.col0 + c, value)
        book.close()
        out.append(path)
    return out


@dataclass
class FuzzReport:
    tried: int = 0
    by_mutation: dict[str, int] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    unaccounted: list[str] = field(default_factory=list)
    problems: dict[str, int] = field(default_factory=dict)  # problem code → files with it


def fuzz(
    seeds: list[Path],
    iterations: int,
    seed: int = 0,
    batch: int = 10,
    mutations: dict | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> FuzzReport:
    """Mutate the seed files ``iterations`` times (in batches of ``batch`` files per
    folder), then load and audit each batch. Every exception is a crash; every file
    must appear in the inputs with its rows accounted for."""
    rng = random.Random(seed)
    mutations = mutations or MUTATIONS
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
                kind = rng.choice(list(mutations))
                report.by_mutation[kind] = report.by_mutation.get(kind, 0) + 1
                name = f"m{done + i}_{kind}{suffix}"
                (folder / name).write_bytes(mutations[kind](data, rng))
                names.append(name)
            done += len(names)
            report.tried += len(names)
            started = time.perf_counter()
            try:
                dataset = load_paths([folder])
                run(dataset, rulesets, dt.date(2026, 1, 1), list(RULES))
            except BaseException as exc:  # noqa: BLE001 — the point of fuzzing: record, keep going
                if isinstance(exc, KeyboardInterrupt):
                    raise
                report.crashes.append(f"{names}: {type(exc).__name__}: {exc}"[:500])
                continue
            finally:
                if progress is not None:
                    progress(done, time.perf_counter() - started)
            for f in dataset.inputs:
                for code in {p.code for p in f.problems}:
                    report.problems[code] = report.problems.get(code, 0) + 1
            seen = {Path(f.path).name for f in dataset.inputs}
            report.unaccounted += [n for n in names if n not in seen]
            for f in dataset.inputs:
                for s in f.sheets:
                    if s.rows_read != s.rows_used + s.rows_reported:
                        report.unaccounted.append(f"{f.path}/{s.name}: {s}")
    return report
