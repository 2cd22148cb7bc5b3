"""When each phase of one real command happens, in seconds since the process started.

    python benchmarks/timeline.py audit DIR --format json > /dev/null

Runs the CLI as ``peixun-audit`` would (the same reading pool, the same imports while
the workers read) and prints, on stderr, the moment each phase began or ended: the
pandas layers imported while the workers read, the first and last file back from the
workers, the tables assembled, attendance, the rules (the rest of ``audit.run``), the
report rows, the JSON. Everything after "last file back" runs in this process alone:
it is what the default run's wall time is most sensitive to. benchmarks/stages.py
times the same stages in one process, without the pool.
"""

from __future__ import annotations

import os
import sys
import time

START = time.perf_counter()
marks: list[tuple[str, float]] = []


def mark(name: str) -> None:
    marks.append((name, time.perf_counter() - START))


def wrap(owner: object, name: str, before: str, after: str | None = None) -> None:
    """Mark when ``owner.name`` is called and, with ``after``, when it returns."""
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        mark(before)
        try:
            return original(*args, **kwargs)
        finally:
            if after:
                mark(after)

    setattr(owner, name, timed)


def watch_layers() -> None:
    """Once the CLI has imported the pandas layers: the engine, attendance, report."""
    from peixun_audit import audit
    from peixun_audit.load import assemble
    from peixun_audit.report import json_out, rows

    wrap(audit, "run", "rules etc.: audit.run starts", "audit.run ends")
    wrap(audit.att, "compute", "attendance starts", "attendance ends")
    wrap(rows, "document", "report rows start", "report rows end")
    wrap(json_out, "write", "JSON starts", "JSON ends")
    add = assemble.Assembler.add

    def timed_add(self, *args):
        if not any(n == "first file back" for n, _ in marks):
            mark("first file back")
        return add(self, *args)

    assemble.Assembler.add = timed_add
    wrap(assemble.Assembler, "finish", "last file back; assembling", "tables assembled")


def main() -> None:
    from peixun_audit import cli

    mark("CLI imported")
    layers = cli._import_layers_and_check

    def timed_layers(*args, **kwargs):
        mark("workers started; importing the pandas layers")
        result = layers(*args, **kwargs)
        mark("pandas layers imported")
        watch_layers()
        return result

    cli._import_layers_and_check = timed_layers
    exit_now = os._exit

    def report_and_exit(code: int) -> None:
        mark("exit")
        sys.stderr.write("".join(f"{t:6.2f}  {n}\n" for n, t in marks))
        sys.stderr.flush()
        exit_now(code)

    os._exit = report_and_exit  # the CLI ends by os._exit once its output is written
    sys.argv = ["peixun-audit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":  # the spawned workers import this module too
    main()
