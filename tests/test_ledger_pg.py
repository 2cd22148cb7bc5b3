"""The ledger on a PostgreSQL server: the same code path as SQLite. Runs where a server is
reachable at PEIXUN_TEST_PG (`.ci/postgres.sh` starts one and sets it); skipped otherwise."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading

import pytest
from test_ledger import ID1, ID2, ID3, cli, payments_list, runner

from peixun_audit.cli import app
from peixun_audit.ledger import LedgerError, open_ledger, payments_table, record

URL = os.environ.get("PEIXUN_TEST_PG", "postgresql://peixun:peixun@127.0.0.1:5432/peixun_test")


def _reachable() -> str | None:
    try:
        import psycopg

        psycopg.connect(URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=2).close()
    except Exception as exc:  # no driver, no server, no such role: skip, saying why
        return f"{type(exc).__name__}: {exc}"
    return None


WHY = _reachable()
pytestmark = pytest.mark.skipif(WHY is not None, reason=f"no PostgreSQL server at {URL}: {WHY}")


@pytest.fixture
def pg():
    """A clean ledger on the server: the tool's tables dropped before each test."""

    from peixun_audit.ledger.store import metadata

    ledger = open_ledger(URL)
    with ledger.engine.begin() as conn:
        metadata.drop_all(conn)
    ledger.close()
    return URL


def test_record_audit_undo_verify_on_the_server(pg, tmp_path):
    paid = payments_list(tmp_path / "list.xlsx", [("张三", ID1), ("李四", ID2)])
    assert (
        cli("record", paid, "--paid-on", "2020-10-15", "--batch", "B1", "--ledger", pg).exit_code
        == 0
    )
    again = cli("record", paid, "--paid-on", "2020-10-15", "--ledger", pg)
    assert again.exit_code == 1 and "B1" in again.output
    table = payments_table(pg, [ID1, ID3])
    assert list(table["id_number"]) == [ID1] and list(table["batch"]) == ["B1"]
    assert str(table["paid_on"].iloc[0].date()) == "2020-10-15"
    ok = cli("verify", "--ledger", pg)
    assert ok.exit_code == 0, ok.output
    assert "peixun:***@" in ok.output and ":peixun@" not in ok.output  # never the password
    [row] = json.loads(cli("show", "--id", ID2, "--json", "--ledger", pg).stdout)
    assert row["id_number"] == ID2[:6] + "********" + ID2[-4:]
    assert cli("undo", "B1", "--ledger", pg).exit_code == 0
    ledger = open_ledger(pg)
    assert ledger.batch_rows() == [] and [e["action"] for e in ledger.event_rows()] == [
        "create",
        "record",
        "undo",
    ]
    ledger.close()


def test_the_audit_reads_the_server_ledger(pg, sample_dir, tmp_path):
    from peixun_audit.load import load_paths

    first = load_paths([sample_dir / "GL2020-001_电工培训班.xlsx"]).tables["roster"]
    moping = first[first["name"] == "莫平"]
    paid = payments_list(
        tmp_path / "list.xlsx", list(zip(moping["name"], moping["id_number"], strict=True))
    )
    assert cli("record", paid, "--paid-on", "2020-10-15", "--batch", "第一批", "--ledger", pg)
    args = ["audit", str(sample_dir), "--as-of", "2026-01-01", "-f", "json", "--ledger", pg]
    doc = json.loads(runner.invoke(app, args).stdout)
    s0101 = sorted((f["class_id"], f["variant"]) for f in doc["findings"] if f["code"] == "S0101")
    # already paid in GL2020-001 (the ledger), and GL2020-006 repeats it (ledger and batch)
    assert s0101 == [("GL2020-001", "ledger"), ("GL2020-006", "batch"), ("GL2020-006", "ledger")]
    assert doc["ledger"]["checked"] is True and "***" in doc["ledger"]["source"]


def test_two_recorders_of_the_same_file_at_once_one_lands(pg, tmp_path):
    paid = payments_list(tmp_path / "list.xlsx", [("张三", ID1), ("李四", ID2)])
    outcomes: list[str] = []

    def recorder(batch: str) -> None:
        ledger = open_ledger(pg)
        try:
            record(ledger, paid, dt.date(2020, 10, 15), batch)
            outcomes.append("recorded")
        except LedgerError as exc:
            outcomes.append(exc.key)
        finally:
            ledger.close()

    threads = [threading.Thread(target=recorder, args=(f"B{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes) in (
        ["ledger_conflict", "recorded"],
        ["ledger_same_file", "recorded"],
    )
    ledger = open_ledger(pg)
    assert [b["payments"] for b in ledger.batch_rows()] == [2]
    assert ledger.verify() == []
    ledger.close()


def test_a_recorder_killed_mid_transaction_leaves_the_server_ledger_as_before(pg, tmp_path):
    import signal
    import subprocess
    import sys

    from test_ledger import RECORDER

    from peixun_audit.ledger.sources import read_payment_file

    paid = payments_list(tmp_path / "killed.xlsx", [("张三", ID1), ("李四", ID2)])
    read = read_payment_file(paid, require_paid_on=False, paid_on=dt.date(2020, 10, 15))
    rows = json.dumps([{"id_number": r["id_number"], "name": r["name"]} for r in read.rows])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", RECORDER, pg, read.sha256, rows, "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout.readline().strip() == "mid", proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # the server rolls the dead connection's transaction back (and frees its lock)
    assert cli("record", paid, "--paid-on", "2020-10-15", "--batch", "B1", "--ledger", pg)
    ledger = open_ledger(pg)
    assert [(b["name"], b["payments"]) for b in ledger.batch_rows()] == [("B1", 2)]
    assert ledger.verify() == []
    ledger.close()
