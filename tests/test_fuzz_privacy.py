"""Issue 5: fuzzing (property tests for the parsers, a bounded mutation fuzz of the
loader and the audit) and privacy (no full ID or phone in any default output)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from peixun_audit.cli import app
from peixun_audit.fuzz import fuzz
from peixun_audit.ids import (
    age_on,
    ages,
    birth_date,
    gender_of,
    id_facts,
    id_problem,
    phone_ok,
    scrub,
)
from peixun_audit.load import load_paths
from peixun_audit.load.schema import normalise_header
from peixun_audit.load.table import _header_score

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-01"]


@given(st.text(max_size=40))
def test_header_normalisation_is_total_and_idempotent(text):
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert not re.search(r"\s", once)
    _header_score([text, once], "roster")


@given(st.text(alphabet="0123456789Xx-+ ()", max_size=25))
def test_id_and_phone_checks_never_raise(text):
    assert id_problem(text) in (None, "length", "legacy-15", "birth-date", "check-character")
    assert phone_ok(text) in (True, False)
    assert not re.search(r"\d{11}", str(scrub(text)).replace("*", ""))


_ID_LIKE = st.one_of(
    # 17 digits with a plausible or broken date part, then any check character
    st.builds(
        lambda region, y, m, d, seq, last: f"{region}{y:04d}{m:02d}{d:02d}{seq}{last}",
        st.sampled_from(["450302", "450321", "110101"]),
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.from_regex(r"\d{3}", fullmatch=True),
        st.sampled_from(list("0123456789Xx")),
    ),
    st.text(alphabet="0123456789Xx ", max_size=20),
    st.none(),
)


@given(st.lists(_ID_LIKE, max_size=30), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_vectorised_id_facts_equal_the_scalar_checks(values, start):
    facts = id_facts(pd.Series(values, dtype=object))
    on = start.year * 10000 + start.month * 100 + start.day
    for value, row in zip(values, facts.itertuples(), strict=True):
        expected = id_problem(value) if isinstance(value, str) else "length"
        assert row.reason == expected
        assert row.valid == (expected is None)
        if expected is None:
            text = value.strip().upper()
            born = birth_date(text)
            assert row.born == born.year * 10000 + born.month * 100 + born.day
            assert row.male == (gender_of(text) == "男")
            assert ages(pd.Series([row.born]), pd.Series([on]))[0] == age_on(born, start)


def test_bounded_mutation_fuzz(sample_dir):
    seeds = sorted(p for p in sample_dir.rglob("*") if p.suffix in (".xlsx", ".xls"))
    report = fuzz(seeds, iterations=150, seed=7)
    assert report.tried == 150
    assert report.crashes == []
    assert report.unaccounted == []


def _personal_data(sample_dir: Path) -> tuple[set[str], set[str]]:
    roster = load_paths([sample_dir]).tables["roster"]
    roster = roster[roster["class_id"] != "GL2020-000"]  # predates the rules: not in the outputs
    ids = {i for i in roster["id_number"].dropna()}
    phones = {p for p in roster["phone"].dropna() if len(p) >= 5}
    return ids, phones


def _leaks(text: str, ids: set[str], phones: set[str]) -> list[str]:
    return [x for x in ids | phones if x in text]


# planted in a copy of the sample data (issue 13): where only free text used to be masked
PLANTED = {
    "file": "450302198707071232",  # in a file name
    "sheet": "450302198808081237",  # in a sheet name
    "class": "450302198606061238",  # as a class id (the plan's 班级编号 label)
    "name": "450302198505051233",  # as a student's name on the roster
    "dashed": "139-1234-0007",  # sign-in marks, typed with separators
    "spaced": "139 1234 0008",
    "spaced_id": "4503 0219 9202 0212 34",
}


def _planted_copy(sample_dir: Path, folder: Path) -> Path:
    shutil.copytree(sample_dir, folder)
    book = folder / "GL2020-001_电工培训班.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["教学计划"]["A2"] = f"班级编号：{PLANTED['class']}"
    roster = wb["学员花名册"]
    roster["B5"] = PLANTED["name"]
    roster.title = f"学员花名册{PLANTED['sheet']}"
    signin = wb["签到表"]
    signin["C5"], signin["D6"], signin["E7"] = (
        PLANTED["dashed"],
        PLANTED["spaced"],
        PLANTED["spaced_id"],
    )
    wb.save(folder / f"GL2020-001_电工培训班_{PLANTED['file']}.xlsx")
    book.unlink()
    return folder


def test_default_outputs_mask_ids_and_phones(sample_dir, tmp_path):
    ids, phones = _personal_data(sample_dir)
    assert len(ids) > 50 and len(phones) > 50
    ids |= set(PLANTED.values())
    sample_dir = _planted_copy(sample_dir, tmp_path / "sample")
    outputs = []
    for command in (
        ["audit"],
        ["attendance"],
        ["callbacks"],
        ["callbacks", "--sample", "--seed", "1"],
        ["review"],
        ["validate"],
    ):
        for fmt in ("table", "json", "csv"):
            result = runner.invoke(
                app,
                [
                    *command,
                    str(sample_dir),
                    "--format",
                    fmt,
                    *(AS_OF if command[0] not in ("validate",) else []),
                ],
                env={"COLUMNS": "250"},
            )
            # a command that crashed prints nothing to leak: it must have run and printed
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                command,
                fmt,
                result.exception,
            )
            assert result.exit_code in (0, 1), (command, fmt, result.output[-500:])
            assert len(result.output) > 200, (command, fmt, result.output)
            outputs.append(result.output)
    for suffix in ("xlsx", "json", "csv"):
        out = tmp_path / f"report.{suffix}"
        result = runner.invoke(app, ["audit", str(sample_dir), "--output", str(out), *AS_OF])
        assert result.exit_code == 1 and out.stat().st_size > 1000, result.output[-500:]
        if suffix == "xlsx":
            book = openpyxl.load_workbook(out)
            outputs += [
                str(c.value)
                for ws in book
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            ]
        else:
            outputs.append(out.read_text("utf-8-sig"))
    text = "\n".join(outputs)
    assert _leaks(text, ids, phones) == []
    # the planted values were read and shown, masked
    for masked in ("450302********1232", "学员花名册450302********1237", "139-****-0007"):
        assert masked in text


def test_show_pii_reveals_them(sample_dir):
    ids, phones = _personal_data(sample_dir)
    doc = runner.invoke(
        app, ["audit", str(sample_dir), "--format", "json", "--show-pii", *AS_OF]
    ).stdout
    assert len(_leaks(doc, ids, set())) == len(ids)
    phone_finding = [f for f in json.loads(doc)["findings"] if f["code"] == "A0504"]
    assert phone_finding and phone_finding[0]["evidence"]["phone"] == "2822222"
    assert "2822222" in phone_finding[0]["message"]


def test_call_sheet_keeps_full_phones(sample_dir, tmp_path):
    ids, phones = _personal_data(sample_dir)
    out = tmp_path / "calls.xlsx"
    runner.invoke(
        app, ["callbacks", str(sample_dir), "--sample", "--seed", "1", "--output", str(out)]
    )
    cells = [
        str(c.value)
        for row in openpyxl.load_workbook(out)["电话回访"].iter_rows(min_row=2)
        for c in row
        if c.value
    ]
    assert any(c in phones for c in cells)
    assert not any(c in ids for c in cells)  # IDs stay masked even here


def test_mobile_prefix_shortcut_agrees_with_phonenumbers():
    import random

    from peixun_audit.ids import _phone_ok_slow

    rng = random.Random(3)
    numbers = [f"1{rng.randrange(10**10):010d}" for _ in range(3000)]
    numbers += [f"1{p}{rng.randrange(10**8):08d}" for p in range(10, 100) for _ in range(3)]
    numbers += ["16100123456", "17405123456", "17406123456", "14512345678", "14612345678"]
    # written with dashes or spaces, as people write them: judged on the digits
    numbers += [f"{n[:3]}-{n[3:7]}-{n[7:]}" for n in numbers[:500]]
    numbers += [f"{n[:3]} {n[3:7]} {n[7:]}" for n in numbers[:500]]
    numbers += ["138-1234-567", "0773-2822222", "138--12345678", "-13812345678"]
    assert [phone_ok(n) for n in numbers] == [_phone_ok_slow(n) for n in numbers]


def test_number_type_shortcut_agrees_with_phonenumbers_on_every_prefix():
    """The mobile check decides per five-digit prefix with the library's metadata; for
    every prefix it must say what ``phonenumbers.number_type`` says."""
    import phonenumbers

    from peixun_audit.ids import _REACHABLE, _reachable_national

    for prefix in range(11000, 20000):
        number = f"{prefix}{prefix % 997:06d}"
        parsed = phonenumbers.PhoneNumber(country_code=86, national_number=int(number))
        assert _reachable_national(number) == (phonenumbers.number_type(parsed) in _REACHABLE), (
            number
        )


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"1[0-9]{10}", fullmatch=True),
            st.text(alphabet="0123456789１３８ -+()\u3000", max_size=14),
            st.sampled_from(["13812345678", " 13812345678", "13812345678 ", "0773-2822222"]),
        ),
        max_size=40,
    )
)
def test_vectorised_phone_check_equals_the_scalar_one(values):
    from peixun_audit.ids import phones_ok

    ok = phones_ok(pd.Series(values, dtype=object))
    assert ok.tolist() == [phone_ok(v) for v in values]
