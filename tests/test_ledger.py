"""The subsidy ledger: recording, importing, undoing, verifying, exporting, the audit
against it, and its data safety (two recorders at once, a recorder killed mid-way)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest
from conftest import make_id
from openpyxl.packaging.custom import StringProperty
from typer.testing import CliRunner

from peixun_audit.cli import app
from peixun_audit.ledger import import_history, open_ledger, record
from peixun_audit.ledger.sources import NOT_PAYABLE_SHEET, PAYABLE_SHEET, read_payment_file
from peixun_audit.load import load_paths

HEADERS = ["班级编号", "培训机构", "培训工种", "等级", "培训类型", "结业日期", "姓名", "身份证号"]
HEADERS += ["出勤学时", "出勤率"]
ID1 = make_id("45030219900101123")
ID2 = make_id("45030219910202234")
ID3 = make_id("45030219920303345")
runner = CliRunner()


def payments_list(
    path: Path, people: list[tuple[str, str]], cid="GL2020-001", marked=True, extra=()
) -> Path:
    """A disbursement list as ``audit --payments`` writes it: sheet 1 可拨付名单 (full IDs
    as text), sheet 2 不可拨付及待核实 (never recorded), the custom property."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PAYABLE_SHEET
    ws.append(HEADERS)
    for name, idn in people:
        ws.append(
            [cid, "桂林市测试学校", "电工", "初级", "就业技能培训", dt.date(2020, 9, 11), name, idn]
            + [40, 1]
        )
    for row in extra:
        ws.append(row)
    blocked = wb.create_sheet(NOT_PAYABLE_SHEET)
    blocked.append([*HEADERS, "原因"])
    blocked.append([cid, "桂林市测试学校", "电工", "初级", "", "", "王五", ID3, 10, 0.25, "A0401"])
    if marked:
        wb.custom_doc_props.append(StringProperty(name="peixun-audit", value="payments"))
    wb.save(path)
    return path


def cli(*args: str):
    return runner.invoke(app, ["ledger", *map(str, args)])


def test_record_refuses_the_same_file_twice_and_undo_removes_a_batch(tmp_path):
    db = tmp_path / "ledger.db"
    paid = payments_list(tmp_path / "拨付名单.xlsx", [("张三", ID1), ("李四", ID2)])
    out = cli(
        "record", paid, "--paid-on", "2020-10-15", "--batch", "2020-10 第一批", "--ledger", db
    )
    assert out.exit_code == 0, out.output
    assert "已记录 2 人" in out.output
    # the file is owner-only from its creation
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    again = cli("record", paid, "--paid-on", "2020-10-16", "--ledger", db)
    assert again.exit_code == 1
    assert "2020-10 第一批" in again.output and "SHA-256" in again.output
    ledger = open_ledger(db)
    assert [(b["name"], b["payments"], b["paid_on"]) for b in ledger.batch_rows()] == [
        ("2020-10 第一批", 2, dt.date(2020, 10, 15))
    ]
    # what finance paid, not the 不可拨付 sheet: 王五 is not in the ledger
    assert {p["id_number"] for p in ledger.payments_of()} == {ID1, ID2}
    ledger.close()
    undo = cli("undo", "2020-10 第一批", "--ledger", db)
    assert undo.exit_code == 0 and "删除 2 条" in undo.output
    assert cli("undo", "2020-10 第一批", "--ledger", db).exit_code == 1  # no such batch now
    ledger = open_ledger(db)
    assert ledger.batch_rows() == [] and ledger.payments_of() == []
    assert [(e["action"], e["batch_name"], e["payments"]) for e in ledger.event_rows()] == [
        ("create", None, None),
        ("record", "2020-10 第一批", 2),
        ("undo", "2020-10 第一批", 2),
    ]
    ledger.close()
    # once undone, the same file may be recorded again (a corrected date)
    assert cli("record", paid, "--paid-on", "2020-10-16", "--ledger", db).exit_code == 0


def test_a_plain_list_with_the_headers_is_accepted_and_finance_deletions_respected(tmp_path):
    db = tmp_path / "ledger.db"
    paid = payments_list(tmp_path / "list.xlsx", [("李四", ID2)], marked=False)
    ledger = open_ledger(db)
    read, name, count = record(ledger, paid, dt.date(2020, 10, 15), None)
    assert (read.problems, count, read.sheet) == ([], 1, PAYABLE_SHEET)
    [payment] = ledger.payments_of(ID2)
    assert (payment["occupation"], payment["level"], payment["end_date"], payment["batch"]) == (
        "电工",
        "初级",
        dt.date(2020, 9, 11),
        name,
    )
    ledger.close()


def test_a_file_with_an_unreadable_row_is_refused_whole(tmp_path):
    db = tmp_path / "ledger.db"
    bad_id = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
    paid = payments_list(
        tmp_path / "list.xlsx",
        [("张三", ID1)],
        extra=[["GL2020-001", "学校", "电工", "初级", "", "2020-09-11", "李四", bad_id]],
    )
    out = cli("record", paid, "--paid-on", "2020-10-15", "--ledger", db)
    assert out.exit_code == 1
    assert f"list.xlsx / {PAYABLE_SHEET} / H3" in out.output and "校验位" in out.output
    assert "未记录任何人员" in out.output
    ledger = open_ledger(db)
    assert ledger.batch_rows() == [] and ledger.payments_of() == []
    ledger.close()


def test_show_masks_ids_unless_asked_and_export_round_trips(tmp_path):
    db = tmp_path / "ledger.db"
    paid = payments_list(tmp_path / "list.xlsx", [("张三", ID1)])
    assert cli("record", paid, "--paid-on", "2020-10-15", "--ledger", db).exit_code == 0
    masked = cli("show", "--id", ID1, "--json", "--ledger", db)
    assert masked.exit_code == 0
    [row] = json.loads(masked.stdout)
    assert row["id_number"] == ID1[:6] + "********" + ID1[-4:]
    assert ID1 not in masked.output
    [full] = json.loads(cli("show", "--id", ID1, "--json", "--show-pii", "--ledger", db).stdout)
    assert full["id_number"] == ID1 and full["paid_on"] == "2020-10-15"
    # a masked export names no one: importing it is refused; a --show-pii export reads back
    assert cli("export", tmp_path / "masked.xlsx", "--ledger", db).exit_code == 0
    other = tmp_path / "other.db"
    refused = cli("import", tmp_path / "masked.xlsx", "--ledger", other)
    assert refused.exit_code == 1 and "脱敏" in refused.output
    assert cli("export", tmp_path / "full.xlsx", "--show-pii", "--ledger", db).exit_code == 0
    assert cli("import", tmp_path / "full.xlsx", "--ledger", other).exit_code == 0
    ledger = open_ledger(other)
    [copy] = ledger.payments_of()
    ledger.close()
    assert (copy["id_number"], copy["paid_on"], copy["occupation"], copy["level"]) == (
        ID1,
        dt.date(2020, 10, 15),
        "电工",
        "初级",
    )
    # the export is the tool's own file: an audit of a folder holding it does not read it
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(tmp_path / "full.xlsx", folder)
    [entry] = load_paths([folder]).inputs
    assert (entry.status, entry.problems[0].code) == ("skipped", "own-report")


def test_import_reads_a_platform_csv_with_aliases(tmp_path):
    history = tmp_path / "平台导出.csv"
    history.write_text(
        "学员姓名,公民身份号码,职业（工种）,等级,补贴类型,拨付日期\n"
        f"张三,{ID1},焊工,四级,就业技能培训,2019/12/20\n",
        "utf-8",
    )
    ledger = open_ledger(tmp_path / "ledger.db")
    read, _, count = import_history(ledger, history, "平台 2019")
    assert (read.problems, count) == ([], 1)
    [p] = ledger.payments_of(ID1)
    assert (p["occupation"], p["level"], p["paid_on"], p["batch"]) == (
        "焊工",
        "中级",
        dt.date(2019, 12, 20),
        "平台 2019",
    )
    ledger.close()
    # a history without payment dates cannot be placed in a year: refused
    history.write_text(f"姓名,身份证号,工种\n张三,{ID2},焊工\n", "utf-8")
    out = cli("import", history, "--ledger", tmp_path / "ledger.db")
    assert out.exit_code == 1 and "拨付日期" in out.output


def _next_batch(sample_dir: Path, tmp_path: Path) -> Path:
    """sample_data without GL2020-001: the batch after the one that paid its students."""
    folder = tmp_path / "next"
    shutil.copytree(sample_dir, folder)
    (folder / "GL2020-001_电工培训班.xlsx").unlink()
    return folder


def test_record_then_audit_the_next_batch_blocks_the_repeat_naming_the_batch(sample_dir, tmp_path):
    first = load_paths([sample_dir / "GL2020-001_电工培训班.xlsx"]).tables["roster"]
    people = list(zip(first["name"], first["id_number"], strict=True))
    db = tmp_path / "ledger.db"
    paid = payments_list(tmp_path / "拨付名单.xlsx", people)
    assert cli(
        "record", paid, "--paid-on", "2020-10-15", "--batch", "2020-10 第一批", "--ledger", db
    )
    args = ["audit", str(_next_batch(sample_dir, tmp_path)), "--as-of", "2026-01-01", "-f", "json"]
    doc = json.loads(runner.invoke(app, [*args, "--ledger", str(db)]).stdout)
    repeats = [f for f in doc["findings"] if f["code"] == "S0101"]
    assert [(f["class_id"], f["student_name"], f["variant"]) for f in repeats] == [
        ("GL2020-006", "莫平", "ledger")
    ]
    assert repeats[0]["evidence"]["batch"] == "2020-10 第一批"
    assert repeats[0]["evidence"]["paid_on"] == "2020-10-15"
    assert "2020-10 第一批" in repeats[0]["message"]
    assert doc["ledger"]["checked"] is True and doc["ledger"]["payments"] == 1
    assert doc["summary"]["by_article"]["S"] == 1  # counted as S, not as an X signal
    [moping] = [
        e
        for e in doc["eligibility"]
        if (e["class_id"], e["student_name"]) == ("GL2020-006", "莫平")
    ]
    assert "S0101" in moping["reasons"]
    # without the ledger the same batch cannot see it, and the report says so plainly
    plain = json.loads(runner.invoke(app, args).stdout)
    assert not [f for f in plain["findings"] if f["code"] == "S0101"]
    assert plain["ledger"]["checked"] is False
    assert "本批次以外已拨付的补贴" in plain["ledger"]["message"]
    assert plain["incomplete"] == [] and plain["summary"]["audit_complete"] is True


def test_audit_refuses_a_ledger_that_does_not_exist(sample_dir, tmp_path):
    missing = tmp_path / "no-such.db"
    out = runner.invoke(app, ["audit", str(sample_dir), "--ledger", str(missing)])
    assert out.exit_code == 2 and "补贴台账不存在" in out.output
    assert not missing.exists()  # a typo never creates an empty ledger
    (tmp_path / "empty.db").touch()  # a file that is no ledger: refused, not "no payments"
    out = runner.invoke(app, ["audit", str(sample_dir), "--ledger", str(tmp_path / "empty.db")])
    assert out.exit_code == 2 and "补贴台账不存在" in out.output


def test_the_ledger_comes_from_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("PEIXUN_LEDGER", str(db))
    paid = payments_list(tmp_path / "list.xlsx", [("张三", ID1)])
    assert cli("record", paid, "--paid-on", "2020-10-15").exit_code == 0
    assert "env.db" in cli("verify").output


def test_verify_finds_a_tampered_ledger(tmp_path):
    db = tmp_path / "ledger.db"
    paid = payments_list(tmp_path / "list.xlsx", [("张三", ID1), ("李四", ID2)])
    assert cli("record", paid, "--paid-on", "2020-10-15", "--batch", "B1", "--ledger", db)
    ok = cli("verify", "--ledger", db)
    assert ok.exit_code == 0 and "完整（1 个批次）" in ok.output
    with sqlite3.connect(db) as conn:  # a payment deleted behind the tool's back
        conn.execute("DELETE FROM payments WHERE id = (SELECT MIN(id) FROM payments)")
    bad = cli("verify", "--ledger", db)
    assert bad.exit_code == 1 and "批次“B1”登记 2 条，实有 1 条" in bad.output
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert cli("verify", "--ledger", tmp_path / "junk.db").exit_code == 2


# --- data safety --------------------------------------------------------------------

# a recorder in another process: the payments of a file, written in one transaction that
# pauses after its first row (only the store is imported: the process starts fast)
RECORDER = """
import datetime as dt, json, sys, time
from peixun_audit.ledger.store import open_ledger

db, sha, rows, pause = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4])

def payments():
    for i, row in enumerate(rows):
        if i == 1:  # in the middle of the transaction: one row written, the batch open
            print("mid", flush=True)
            time.sleep(pause)
        yield {**row, "paid_on": dt.date(2020, 10, 15)}

ledger = open_ledger(db)
print(ledger.add_batch(name="killed", kind="record", source_file="killed.xlsx",
                       sha256=sha, paid_on=None, rows=payments()), flush=True)
"""


def test_a_recorder_killed_mid_transaction_leaves_the_ledger_as_before(tmp_path):
    db = tmp_path / "ledger.db"
    before = payments_list(tmp_path / "before.xlsx", [("王五", ID3)])
    ledger = open_ledger(db)
    record(ledger, before, dt.date(2020, 9, 30), "before")
    ledger.close()
    paid = payments_list(tmp_path / "killed.xlsx", [("张三", ID1), ("李四", ID2)])
    read = read_payment_file(paid, require_paid_on=False, paid_on=dt.date(2020, 10, 15))
    rows = json.dumps([{"id_number": r["id_number"], "name": r["name"]} for r in read.rows])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(db), read.sha256, rows, "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout.readline().strip() == "mid", proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    ledger = open_ledger(db)
    assert [b["name"] for b in ledger.batch_rows()] == ["before"]
    assert [p["id_number"] for p in ledger.payments_of()] == [ID3]
    assert ledger.verify() == []
    ledger.close()
    # nothing of the killed run is left: the same file records normally afterwards
    assert cli("record", paid, "--paid-on", "2020-10-15", "--ledger", db).exit_code == 0


def test_two_recorders_at_once_both_land_the_second_waiting(tmp_path):
    """Two recorders on two connections (as from two terminals): the second waits for
    the first's commit (busy timeout) instead of failing, and both batches land."""
    db = tmp_path / "ledger.db"
    open_ledger(db).close()
    first = payments_list(tmp_path / "first.xlsx", [("张三", ID1), ("李四", ID2)])
    second = payments_list(tmp_path / "second.xlsx", [("王五", ID3), ("李四", ID2)], cid="C9")
    read = read_payment_file(first, require_paid_on=False, paid_on=dt.date(2020, 10, 15))
    inside, release = threading.Event(), threading.Event()
    events: list[str] = []

    def slow_rows():
        for i, row in enumerate(read.rows):
            if i == 1:  # the first recorder holds its write transaction open here
                inside.set()
                release.wait(10)
                events.append("first commits")
            yield row

    def first_recorder() -> None:
        ledger = open_ledger(db)
        ledger.add_batch(
            name="first",
            kind="record",
            source_file=first.name,
            sha256=read.sha256,
            paid_on=None,
            rows=slow_rows(),
        )
        ledger.close()

    def second_recorder() -> None:
        ledger = open_ledger(db)
        record(ledger, second, dt.date(2020, 10, 16), "second")
        events.append("second recorded")
        ledger.close()

    one = threading.Thread(target=first_recorder)
    one.start()
    assert inside.wait(10)
    two = threading.Thread(target=second_recorder)
    two.start()
    two.join(timeout=0.3)
    assert two.is_alive() and events == []  # waiting for the lock, not failed
    release.set()
    one.join(timeout=10)
    two.join(timeout=10)
    assert events == ["first commits", "second recorded"]
    ledger = open_ledger(db)
    assert sorted((b["name"], b["payments"]) for b in ledger.batch_rows()) == [
        ("first", 2),
        ("second", 2),
    ]
    assert ledger.verify() == []
    ledger.close()


def test_a_newer_ledger_is_refused(tmp_path):
    db = tmp_path / "ledger.db"
    open_ledger(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE ledger_meta SET value = '99' WHERE key = 'schema_version'")
    out = cli("batches", "--ledger", db)
    assert out.exit_code == 2 and "更新版本" in out.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batches_lists_in_both_languages(tmp_path, lang):
    db = tmp_path / "ledger.db"
    paid = payments_list(tmp_path / "list.xlsx", [("张三", ID1)])
    assert cli("record", paid, "--paid-on", "2020-10-15", "--batch", "B1", "--ledger", db)
    out = cli("batches", "--ledger", db, "--lang", lang)
    assert out.exit_code == 0 and "B1" in out.output
    assert ("Ledger batches" in out.output) == (lang == "en")
