"""Thin Typer commands: parse options, call load → audit → report, set the exit status.

Exit status (like ruff): 0 nothing at or above ``--fail-on``; 1 such findings exist;
2 usage error, or no input could be read at all.
"""

# No ``from __future__ import annotations`` here: Typer reads every command's
# signature when the app starts, and string annotations would be compiled and
# evaluated one by one (a tenth of ``--help``'s time); the helpers' annotations that
# name lazily imported types are quoted instead (docs/startup.md).

import datetime as dt
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from . import __version__
from .clihelp import ENV_LANG, LocalizedCommand, LocalizedGroup, pick_lang
from .heap import keep_to_the_end, paused
from .messages import FINDINGS, ui

# The pandas-based layers (rules, audit, report, supervision) are imported inside the
# commands, once the reading workers have started: importing pandas then overlaps with
# the workers' reading instead of delaying it (benchmarks/RESULTS.md). The loader, the
# pool and the rulesets are imported by the commands that use them too: ``--help`` and
# ``rules`` import none of them (docs/startup.md; tests/test_startup.py holds this).
if TYPE_CHECKING:
    from .audit import AuditResult
    from .load import Dataset

app = typer.Typer(
    name="peixun-audit",
    help=ui("help_app"),
    # help and usage errors in the report language (clihelp.py)
    cls=LocalizedGroup,
    no_args_is_help=True,
    # an unexpected error is one line and exit 2 (main); its traceback only with --debug,
    # never with local variables (they would print trainees' data)
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


# The shared options, defined once (like sqlite-utils' output_options). Their help is
# written from messages.UI in the run's language by clihelp.py (``help_opt_<name>``,
# ``metavar_<name>``); the texts here are the Chinese defaults.
Paths = Annotated[list[Path] | None, typer.Argument(help=ui("help_opt_paths"))]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help=ui("help_opt_format"))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=ui("help_opt_output"))]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help=ui("help_opt_as_of"))]
RulesetOpt = Annotated[Path | None, typer.Option("--ruleset", help=ui("help_opt_ruleset"))]
SelectOpt = Annotated[str | None, typer.Option("--select", help=ui("help_opt_select"))]
IgnoreOpt = Annotated[str | None, typer.Option("--ignore", help=ui("help_opt_ignore"))]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help=ui("help_opt_fail_on"))]
ShowPiiOpt = Annotated[bool, typer.Option("--show-pii", help=ui("help_opt_show_pii"))]
JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=ui("help_opt_jobs"))]
LangOpt = Annotated[Lang, typer.Option("--lang", envvar=ENV_LANG, help=ui("help_opt_lang"))]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help=ui("help_opt_verbose"))]


@dataclass
class Options:
    paths: list[Path]
    format: Format
    output: Path | None
    as_of: dt.date
    ruleset: Path | None
    select: list[str] | None
    ignore: list[str] | None
    fail_on: FailOn
    show_pii: bool
    jobs: int
    lang: str
    verbose: bool = False


def _err(console: Console, message: str) -> None:
    from .report.terminal import safe  # a message may quote a path or a cell

    console.print(safe(message), style="red", highlight=False, markup=False, soft_wrap=True)


def _codes(text: str | None) -> list[str] | None:
    return [c.strip().upper() for c in text.split(",") if c.strip()] if text else None


def _writing(lang: str, write) -> None:
    """Run one output step (report/output.py); an output that cannot be written is one
    line naming it and why, exit 2, no traceback."""
    from .report.output import OutputError

    try:
        write()
    except OutputError as exc:
        _err(Console(stderr=True), exc.message(lang))
        raise typer.Exit(2) from None


def load_paths(*args, **kwargs) -> "Dataset":
    """:func:`load.load_paths`, imported when a command reads its inputs."""
    from .load import load_paths as load

    return load(*args, **kwargs)


def _default_jobs() -> int:
    from .parallel import default_jobs

    return default_jobs()


def _check_output(output: Path, paths: list[Path], lang: str) -> None:
    """Pre-flight check of --output, before any audit work: not one of the inputs, its
    folder created and writable."""
    from .load.workbook import find_workbooks
    from .report.output import prepare_output

    try:
        inputs = [find_workbooks(paths), paths]
    except OSError:
        inputs = [paths]
    _writing(lang, lambda: prepare_output(output, inputs))


def _options(
    paths, format, output, as_of, ruleset, select, ignore, fail_on, show_pii, jobs, lang
) -> Options:
    stderr = Console(stderr=True)
    day = dt.date.today()
    if as_of:
        from .load.values import parse_date

        try:
            parsed = parse_date(as_of)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dt.date):
            _err(stderr, ui("err_bad_date", lang.value, value=as_of))
            raise typer.Exit(2)
        day = parsed
    if output is not None and output.suffix.lower() not in (".xlsx", ".json", ".csv"):
        _err(stderr, ui("bad_option", lang.value, option="--output", value=str(output)))
        raise typer.Exit(2)
    if output is not None:
        _check_output(output, paths or [Path(".")], lang.value)
    return Options(
        paths or [Path(".")],
        format,
        output,
        day,
        ruleset,
        _codes(select),
        _codes(ignore),
        fail_on,
        show_pii,
        jobs or _default_jobs(),
        lang.value,
    )


def _load(opts: Options, scope: list[str] | None = None) -> "Dataset":
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    stderr = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        # redrawn from the progress callback (at most every 0.1 s), not by a thread
        auto_refresh=False,
    ) as progress:
        task = progress.add_task(ui("loading", opts.lang), total=None)
        drawn = [0.0]

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)
            now = time.monotonic()
            if now - drawn[0] >= 0.1 or done == total:
                drawn[0] = now
                progress.refresh()

        return load_paths(
            opts.paths,
            jobs=opts.jobs,
            progress=advance,
            while_reading=lambda: _import_layers_and_check(opts, scope),
        )


def _import_layers_and_check(opts: Options, scope: list[str] | None) -> None:
    """Import the pandas-based layers while the reading workers start and read, then
    check the rule codes the user typed (the registry needs those imports): an
    unknown code or prefix stops the run (exit 2) instead of silently selecting
    nothing."""
    # modules, classes and functions: no pass of the collector meanwhile frees any
    with paused():
        from . import audit  # noqa: F401
        from .report import json_out, rows  # noqa: F401
        from .rules import RULES

    typed = [*(opts.select or []), *(opts.ignore or [])]
    unknown = [p for p in typed if not any(code.startswith(p) for code in RULES)]
    if unknown:
        prefixes = sorted({c[:3] for c in RULES})
        _err(
            Console(stderr=True),
            ui("unknown_codes", opts.lang, codes=", ".join(unknown), valid=", ".join(prefixes)),
        )
        raise typer.Exit(2)
    from .rules import select_codes

    chosen = select_codes(opts.select, opts.ignore)
    if scope is not None:
        chosen = [c for c in chosen if any(c.startswith(p) for p in scope)]
    empty_option = [o for o, v in (("--select", opts.select), ("--ignore", opts.ignore)) if v == []]
    if empty_option or (scope != [] and not chosen):
        _err(Console(stderr=True), ui("no_rule_selected", opts.lang))
        raise typer.Exit(2)


def _audit(
    opts: Options, scope: list[str] | None = None, ledger: str | None = None
) -> "AuditResult":
    stderr = Console(stderr=True)
    missing = [p for p in opts.paths if not p.exists()]
    if missing:
        _err(stderr, f"{ui('no_input', opts.lang)}: {', '.join(map(str, missing))}")
        raise typer.Exit(2)
    from .ruleset import RulesetError, load_rulesets

    try:
        rulesets = load_rulesets(opts.ruleset)
    except RulesetError as exc:
        _err(stderr, exc.message(opts.lang))
        raise typer.Exit(2) from exc
    dataset = _load(opts, scope)
    from .audit import run
    from .rules import select_codes

    codes = select_codes(opts.select, opts.ignore)
    if scope is not None:
        codes = [c for c in codes if any(c.startswith(p) for p in scope)]
    if ledger:  # the subsidy ledger's payments of the batch's people, read once (S01 rules)
        from .ledger import LedgerError, describe, payments_table

        try:
            paid = payments_table(ledger, dataset.tables["roster"]["id_number"])
        except LedgerError as exc:
            _err(stderr, ui(exc.key, opts.lang, **exc.params))
            raise typer.Exit(2) from None
        return run(dataset, rulesets, opts.as_of, codes, paid, describe(ledger))
    return run(dataset, rulesets, opts.as_of, codes)


def _params(result: "AuditResult") -> list[tuple[str, str, object]]:
    out = []
    for rs in result.rulesets:
        out.append((rs.name, "effective", rs.effective.isoformat()))
        for section, values in rs.params.items():
            if isinstance(values, dict):
                out.extend((rs.name, f"{section}.{k}", v) for k, v in values.items())
    return out


# the last report's audit result and document (see _finish)
_kept_until_exit: list[object] = []


def _finish(
    result: "AuditResult", opts: Options, primary: str, extra: "AuditOutputs | None" = None
) -> None:
    """Render in the chosen format, write --output (and the audit command's notices
    and disbursement list), and exit with the §2 status."""
    # each writer is imported when its format is asked for: JSON on stdout needs neither
    # the terminal's tables nor the workbook writer (about 0.02 s after the audit)
    from .report import rows

    stderr = Console(stderr=True, highlight=False)
    doc = rows.document(result, opts.lang, opts.show_pii)
    # held until the process ends (main's os._exit): freed one by one as this command
    # returned, a city-year's result and document cost 0.02 s after the report was out
    _kept_until_exit[:] = [result, doc]
    table_rows = doc[primary]
    if opts.format is Format.json:
        from .report import json_out

        json_out.write(doc, sys.stdout, ascii_only=not _utf8(sys.stdout))
    elif opts.format is Format.csv:
        from .report import csv_out

        sys.stdout.write(csv_out.dumps(table_rows, opts.lang))
    else:
        from .report import terminal

        stdout = Console(highlight=False, soft_wrap=False)
        terminal.print_report(stdout, doc, opts.lang, primary, opts.verbose)
    if opts.output is not None:
        from .report import csv_out, json_out
        from .report.output import write_text

        suffix = opts.output.suffix.lower()
        if suffix == ".xlsx":
            from .report import excel

            issuer = extra.issuer if extra is not None else None
            _writing(
                opts.lang,
                lambda: excel.write(
                    opts.output, doc, opts.lang, _params(result), result, issuer, opts.show_pii
                ),
            )
        elif suffix == ".json":
            _writing(opts.lang, lambda: write_text(opts.output, json_out.dumps(doc)))
        else:
            _writing(opts.lang, lambda: csv_out.write(table_rows, opts.output, opts.lang))
        stderr.print(ui("written", opts.lang, path=str(opts.output)), markup=False)
    if extra is not None:
        extra.write(result, doc, opts, stderr)
    for ruleset in doc["ruleset"]:
        if opts.ruleset is not None and ruleset["classes"] == 0 and doc["summary"]["classes"]:
            stderr.print(
                ui(
                    "ruleset_unused",
                    opts.lang,
                    name=ruleset["name"],
                    effective=ruleset["effective"],
                ),
                style="yellow",
                markup=False,
            )
    if result.calendar_years_unknown:
        years = "、".join(map(str, result.calendar_years_unknown))
        stderr.print(ui("calendar_unknown", opts.lang, years=years), style="yellow", markup=False)
    if result.calendar_regional_unconfirmed:
        years = "、".join(map(str, result.calendar_regional_unconfirmed))
        message = ui("calendar_regional_unconfirmed", opts.lang, years=years)
        stderr.print(message, style="yellow", markup=False)
    for failure in doc.get("internal_errors", []):
        detail = f"（{failure['error']}）" if opts.lang == "zh" else f" ({failure['error']})"
        _err(stderr, failure["message"] + detail)
    inputs = result.dataset.inputs
    if not inputs or all(f.status in ("failed", "skipped") for f in inputs):
        _err(stderr, ui("no_input", opts.lang))
        raise typer.Exit(2)
    if result.failures:  # an internal error: the audit is incomplete
        raise typer.Exit(2)
    if opts.fail_on is not FailOn.never and result.count_at_or_above(opts.fail_on.value):
        raise typer.Exit(1)


@app.command(cls=LocalizedCommand)
def attendance(
    paths: Paths = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    ruleset: RulesetOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    show_pii: ShowPiiOpt = False,
    jobs: JobsOpt = None,
    lang: LangOpt = Lang.zh,
    verbose: VerboseOpt = False,
) -> None:
    """学员到课率（第四条）及 A04xx 问题 · Attendance of every student (Article 4)."""
    opts = _options(
        paths, format, output, as_of, ruleset, select, ignore, fail_on, show_pii, jobs, lang
    )
    opts.verbose = verbose
    _finish(_audit(opts, scope=["A04"]), opts, "attendance")


def _same_path(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


@dataclass
class AuditOutputs:
    """The audit command's forwarded outputs besides --output (report/notices.py,
    report/payments.py)."""

    issuer: str | None = None
    notices: Path | None = None
    payments: Path | None = None

    def check(self, opts: Options) -> None:
        """Pre-flight, before any audit work, like --output."""
        if self.payments is not None:
            if self.payments.suffix.lower() != ".xlsx":
                _err(
                    Console(stderr=True), ui("payments_suffix", opts.lang, path=str(self.payments))
                )
                raise typer.Exit(2)
            if opts.output is not None and _same_path(self.payments, opts.output):
                _err(
                    Console(stderr=True),
                    ui("payments_is_output", opts.lang, path=str(self.payments)),
                )
                raise typer.Exit(2)
            _check_output(self.payments, opts.paths, opts.lang)
        if self.notices is not None:
            _check_output(self.notices / "整改通知.xlsx", opts.paths, opts.lang)

    def write(self, result: "AuditResult", doc: dict, opts: Options, stderr: Console) -> None:
        if self.notices is None and self.payments is None:
            return  # nothing asked for: the workbook writers are not even imported
        from .report import notices, payments
        from .report.classes import class_rows
        from .report.excel import report_title

        issuer = self.issuer or ui("default_issuer", opts.lang)
        if self.notices is not None:
            titles = "、".join(rs.title or rs.name for rs in result.rulesets)
            written: list[Path] = []
            _writing(
                opts.lang,
                lambda: written.extend(
                    notices.write_all(
                        self.notices,
                        doc,
                        class_rows(result, opts.show_pii),
                        opts.lang,
                        issuer,
                        titles,
                    )
                ),
            )
            stderr.print(
                ui("notices_written", opts.lang, n=len(written), path=str(self.notices)),
                markup=False,
            )
        if self.payments is not None:
            title = report_title(self.issuer, "zh")
            _writing(opts.lang, lambda: payments.write(self.payments, result, opts.show_pii, title))
            stderr.print(ui("payments_written", opts.lang, path=str(self.payments)), markup=False)


@app.command(cls=LocalizedCommand)
def audit(
    paths: Paths = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    ruleset: RulesetOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    show_pii: ShowPiiOpt = False,
    jobs: JobsOpt = None,
    lang: LangOpt = Lang.zh,
    issuer: Annotated[str | None, typer.Option("--issuer", help=ui("issuer_help"))] = None,
    notices: Annotated[
        Path | None, typer.Option("--notices", metavar="DIR", help=ui("notices_help"))
    ] = None,
    payments: Annotated[
        Path | None, typer.Option("--payments", metavar="FILE.xlsx", help=ui("payments_help"))
    ] = None,
    ledger: Annotated[
        str | None,
        typer.Option(
            "--ledger",
            envvar="PEIXUN_LEDGER",
            help=ui("help_opt_ledger"),
        ),
    ] = None,
    verbose: VerboseOpt = False,
) -> None:
    """全部规则、补贴资格与汇总 · Every rule, subsidy eligibility and a summary (the main job)."""
    opts = _options(
        paths, format, output, as_of, ruleset, select, ignore, fail_on, show_pii, jobs, lang
    )
    opts.verbose = verbose
    extra = AuditOutputs(issuer, notices, payments)
    extra.check(opts)
    _finish(_audit(opts, ledger=ledger), opts, "findings", extra)


@app.command(cls=LocalizedCommand)
def validate(
    paths: Paths = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    jobs: JobsOpt = None,
    lang: LangOpt = Lang.zh,
    verbose: VerboseOpt = False,
) -> None:
    """只读取，报告每个无法读取的单元格 · Load only; report every cell that could not be read."""
    opts = _options(paths, format, output, None, None, None, None, FailOn.never, False, jobs, lang)
    opts.verbose = verbose
    result = _audit(opts, scope=[])
    _finish(result, opts, "inputs")
    has_problems = any(p.severity == "error" for f in result.dataset.inputs for p in f.problems)
    raise typer.Exit(1 if has_problems else 0)


SeedOpt = Annotated[int | None, typer.Option("--seed", help=ui("help_opt_seed"))]
SampleOpt = Annotated[bool, typer.Option("--sample", help=ui("help_opt_sample"))]


def _write_simple(opts: Options, name: str, rows_: list[dict], doc: dict) -> None:
    """--output for the supervision commands: .xlsx one sheet, .json the document, .csv the rows."""
    from .report import csv_out, excel, json_out

    if opts.output is None:
        return
    from .report.output import write_text

    suffix = opts.output.suffix.lower()
    if suffix == ".xlsx":
        _writing(opts.lang, lambda: excel.write_command(opts.output, name, rows_, doc, opts.lang))
    elif suffix == ".json":
        _writing(opts.lang, lambda: write_text(opts.output, json_out.dumps(doc)))
    else:
        _writing(opts.lang, lambda: csv_out.write(rows_, opts.output, opts.lang))
    Console(stderr=True).print(
        ui("written", opts.lang, path=str(opts.output)), markup=False, highlight=False
    )


def _emit(
    opts: Options,
    title: str,
    rows_: list[dict],
    columns: list[str],
    doc: dict,
    red: set[int] | None = None,
    footer: list[str] | None = None,
) -> None:
    from .report import csv_out, json_out, terminal

    if opts.format is Format.json:
        json_out.write(doc, sys.stdout, ascii_only=not _utf8(sys.stdout))
    elif opts.format is Format.csv:
        sys.stdout.write(csv_out.dumps(rows_, opts.lang))
    else:
        stdout = Console(highlight=False)
        terminal.print_rows(
            stdout, title, rows_, [(c, ui(c, opts.lang)) for c in columns], red, opts.lang
        )
        for line in footer or []:
            stdout.print(terminal.safe(line), markup=False, soft_wrap=True)  # one line


def _record_lines(record: dict, opts: Options, command: str, flags: str = "") -> list[str]:
    """The sampling record in plain words: the seed and the command that redraws the
    sample, then each frame (its size, the ratio, the sample size, the start of its
    SHA-256; the whole hash and the algorithm are in the JSON and workbook outputs)."""
    lang = opts.lang
    paths = " ".join(str(p) for p in opts.paths)
    redraw = f"peixun-audit {command} {paths}{flags} --seed {record['seed']}"
    lines = [ui("sample_seed_line", lang, seed=record["seed"], command=redraw)]
    for d in record["draws"]:
        spot = d["stream"] == "spotcheck"
        lines.append(
            ui(
                "sample_draw_line",
                lang,
                stream=ui("sample_stream_spotcheck", lang) if spot else d["stream"],
                frame=d["frame_size"],
                unit=ui("sample_unit_classes" if spot else "sample_unit_people", lang),
                ratio=d["ratio_percent"],
                n=d["sample_size"],
                sha=d["frame_sha256"][:16] + "…",
            )
        )
    lines.append(ui("sample_method", lang))
    return lines


@app.command(cls=LocalizedCommand)
def callbacks(
    paths: Paths = None,
    sample: SampleOpt = False,
    seed: SeedOpt = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    ruleset: RulesetOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    show_pii: ShowPiiOpt = False,
    jobs: JobsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """电话回访（第十二条）：--sample 抽取回访名单并写出回访表；否则审核已有回访记录 · Phone callbacks (Article 12)."""
    from . import sampling, supervision
    from .report import excel, rows, terminal
    from .report import supervision as sup_rows

    opts = _options(
        paths, format, output, as_of, ruleset, None, None, fail_on, show_pii, jobs, lang
    )
    result = _audit(opts, scope=["A12"])
    if sample:
        run = supervision.callback_sample(
            result, seed if seed is not None else sampling.fresh_seed()
        )
        record = sup_rows.sample_record(run, opts.show_pii)
        rows_ = sup_rows.callback_rows(run, opts.show_pii)
        _emit(
            opts,
            ui("sample_title", opts.lang),
            rows_,
            ["class_id", "student_name", "id_number", "phone"],
            {"sample": rows_, **record},
            footer=_record_lines(record, opts, "callbacks", " --sample"),
        )
        if opts.output is not None and opts.output.suffix.lower() == ".xlsx":
            sheet_rows, rec = sup_rows.call_sheet(run)
            _writing(
                opts.lang,
                lambda: excel.write_call_sheet(
                    opts.output,
                    sup_rows.CALL_HEADERS,
                    sheet_rows,
                    sup_rows.CALL_CHOICES,
                    {2, 3},
                    rec,
                ),
            )
            Console(stderr=True).print(
                ui("written", opts.lang, path=str(opts.output)), markup=False, highlight=False
            )
        else:
            _write_simple(opts, "回访名单", rows_, {"sample": rows_, **record})
        return
    coverage = sup_rows.records_to_rows(supervision.callback_coverage(result), opts.show_pii)
    doc = rows.document(result, opts.lang, opts.show_pii)
    doc["callbacks"] = coverage
    red = {i for i, c in enumerate(coverage) if not c["enough"] or c["contradictions"]}
    _emit(opts, ui("callbacks_title", opts.lang), coverage, sup_rows.CALLBACK_COLUMNS, doc, red)
    if opts.format is Format.table:
        terminal.print_findings(Console(highlight=False), doc["findings"], opts.lang)
    _write_simple(opts, "电话回访情况", coverage, doc)
    if opts.fail_on is not FailOn.never and result.count_at_or_above(opts.fail_on.value):
        raise typer.Exit(1)


@app.command(cls=LocalizedCommand)
def spotcheck(
    paths: Paths = None,
    seed: SeedOpt = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    ruleset: RulesetOpt = None,
    jobs: JobsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """市级抽查（第十三条）：从五城区开班的班级中抽取 · City spot-check sample of urban classes (Article 13)."""
    from . import sampling, supervision
    from .report import supervision as sup_rows

    opts = _options(
        paths, format, output, None, ruleset, None, None, FailOn.never, False, jobs, lang
    )
    result = _audit(opts, scope=[])
    run = supervision.spotcheck_sample(result, seed if seed is not None else sampling.fresh_seed())
    record = sup_rows.sample_record(run)
    rows_ = sup_rows.spotcheck_rows(run)
    doc = {"sample": rows_, **record}
    _emit(
        opts,
        ui("spotcheck_title", opts.lang),
        rows_,
        ["class_id", "institution", "district", "occupation", "start_date", "end_date"],
        doc,
        footer=_record_lines(record, opts, "spotcheck"),
    )
    _write_simple(opts, "市级抽查", rows_, doc)


@app.command(cls=LocalizedCommand)
def review(
    paths: Paths = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    ruleset: RulesetOpt = None,
    jobs: JobsOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """培训机构年审评分（第十五、十六条）· Per-institution annual-review scorecard (Articles 15, 16)."""
    from . import supervision
    from .report import supervision as sup_rows

    opts = _options(
        paths, format, output, as_of, ruleset, None, None, FailOn.never, False, jobs, lang
    )
    result = _audit(opts)
    card = sup_rows.records_to_rows(supervision.scorecard(result))
    shown = sup_rows.review_rows(card, opts.lang)
    _emit(
        opts,
        ui("review_title", opts.lang),
        shown,
        sup_rows.REVIEW_COLUMNS,
        {"as_of": opts.as_of.isoformat(), "institutions": card},
        {i for i, c in enumerate(card) if c["grade"] == "不合格"},
    )
    _write_simple(opts, "年审评分", shown, {"institutions": card})


@app.command(cls=LocalizedCommand)
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="写入模板的文件夹")] = Path(
        "templates"
    ),
    ruleset: RulesetOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖文件夹中已有的同名模板（可能已填写数据）")
    ] = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """生成空白输入模板（表头、下拉列表、文本格式）· Write blank input workbooks."""
    from .ruleset import load_rulesets
    from .template import write_templates

    current = load_rulesets(ruleset)[-1]
    written: list[Path] = []
    _writing(lang.value, lambda: written.extend(write_templates(output, current, force=force)))
    Console(stderr=True).print(
        ui("templates_written", lang.value, n=len(written), path=str(output)),
        markup=False,
        highlight=False,
    )


@app.command("rules", cls=LocalizedCommand)
def rules_cmd(
    code: Annotated[str | None, typer.Argument(help=ui("help_opt_code"))] = None,
    ruleset: RulesetOpt = None,
    format: FormatOpt = Format.table,
    lang: LangOpt = Lang.zh,
) -> None:
    """列出规则；或解释一条规则（条款、检查内容、参数）· List the rules, or explain one."""
    from .explain_zh import EXPLAIN_ZH, rule_name
    from .report import terminal
    from .rule_catalog import catalog

    RULES = catalog()  # the rules' declarations, without importing the rules (pandas)
    stdout = Console(highlight=False)
    # the list shows no parameter: the shipped ruleset is not parsed (nor its reader
    # imported) for it; a given --ruleset still is, and refused as before when unreadable
    current = None
    if code is not None or ruleset is not None:
        from .ruleset import load_rulesets

        current = load_rulesets(ruleset)[-1]
    lang_ = lang.value
    if code is None:
        listing = [
            {
                "code": c,
                "name": r.name,
                "title": rule_name(c, lang_),
                "article": r.article,
                "severity": r.severity,
            }
            for c, r in RULES.items()
        ]
        if format is Format.json:
            from .report import json_out

            json_out.write(listing, sys.stdout, ascii_only=not _utf8(sys.stdout))
            return
        terminal.print_rule_list(stdout, listing, lang_)
        return
    rule = RULES.get(code.upper())
    if rule is None:
        _err(Console(stderr=True), ui("unknown_rule", lang_, code=code))
        raise typer.Exit(2)
    article = (
        ui("rule_fraud", lang_) if rule.article is None else ui("article_n", lang_, n=rule.article)
    )
    if lang is Lang.en:
        explanation = [(None, rule.doc())]
    else:
        text = EXPLAIN_ZH[rule.code]
        explanation = [
            ("rule_what", text.what),
            ("rule_why", text.why),
            ("rule_reading", text.reading),
            ("rule_anti", text.anti),
            ("rule_good", text.good),
        ]
    variants = []
    for variant, fields in rule.evidence.items():
        template = FINDINGS[(rule.code, variant)][1 if lang is Lang.en else 0]
        typed = ", ".join(f"{k}: {t}" for k, t in fields.items())
        variants.append((variant, typed, template))
    terminal.print_rule(
        stdout,
        {
            "code": rule.code,
            "title": rule_name(rule.code, lang_),
            "name": rule.name,
            "article": article,
            "severity": rule.severity,
            "explanation": [(ui(k, lang_) if k else None, t) for k, t in explanation],
            "variants": variants,
            "ruleset": current.name,
            "params": [(key, repr(current.get(key))) for key in rule.params],
        },
        lang_,
    )


def _ledger_app() -> typer.Typer:
    from .ledger.commands import app as ledger_app

    return ledger_app


app.add_typer(_ledger_app(), name="ledger")


def version_callback(value: bool) -> None:
    if value:
        print(f"peixun-audit {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help=ui("help_opt_version")
        ),
    ] = False,
    lang: Annotated[
        Lang | None, typer.Option("--lang", envvar=ENV_LANG, help=ui("help_opt_lang"))
    ] = None,
) -> None:
    """职业培训补贴审核 · peixun-audit."""
    if lang is not None:  # `peixun-audit --lang en audit …`: the command's default too
        commands = ctx.command.commands if hasattr(ctx.command, "commands") else {}
        ctx.default_map = {name: {"lang": lang.value} for name in commands}


class Interrupted(BaseException):
    """Ctrl-C. Not a ``KeyboardInterrupt``: click would turn that into "Aborted!" and
    exit 1; this passes through click and Typer to :func:`main`, unwinding (and so
    stopping the reading pool's workers) on its way."""


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    """Console entry point. Ctrl-C exits 130 at once, without a traceback, the
    workers stopped. Once the report is written and the streams flushed, the
    process ends without tearing the interpreter down: freeing a city-year's millions
    of cell objects one by one took a quarter of a second after the work was done."""
    signal.signal(signal.SIGINT, _interrupt)
    keep_to_the_end()  # the process ends by os._exit below
    _robust_streams()
    # passed on to multiprocessing's resource tracker (it starts with this process's -W
    # options): after a Ctrl-C it removes the stopped pool's semaphores itself, and its
    # warning about them is noise to a user
    sys.warnoptions.append("ignore:resource_tracker:UserWarning")
    debug = "--debug" in sys.argv[1:]
    if debug:
        sys.argv = [a for a in sys.argv if a != "--debug"]
    try:
        app()
    except Interrupted:
        # the resource tracker is left to end by itself once this process is gone:
        # stopping it here raced the pool's own clean-up of its semaphores
        sys.stdout.flush()
        sys.stderr.write("\n已中断 · interrupted\n")
        sys.stderr.flush()
        os._exit(130)
    except SystemExit as exc:
        code = exc.code
        if isinstance(code, str):
            sys.stderr.write(code + "\n")
            code = 1
        if code in (0, 1, None) and "peixun_audit.parallel" in sys.modules:
            from .parallel import stop_helpers  # a finished run: its pool was shut down

            stop_helpers()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)
    except Exception as exc:  # a bug: one line in the report language, exit 2
        from .ids import scrub  # not at the top: starting the CLI must not import pandas

        if debug:
            traceback.print_exc()
        lang = pick_lang(sys.argv[1:])
        from .report.terminal import safe

        detail = safe(scrub(f"{type(exc).__name__}: {exc}"))
        sys.stderr.write(ui("internal_error", lang, detail=detail) + "\n")
        sys.stderr.flush()
        os._exit(2)


def _robust_streams() -> None:
    """Output never fails on an encoding or a closed stream: a character the console's
    code page lacks (GBK on Chinese Windows) is replaced, not an error after the whole
    audit; a closed stdout or stderr (``>&-``) becomes a sink, so ``-o`` still works."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or getattr(stream, "closed", False):
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream that cannot change: left as it is
                pass


def _utf8(stream: object) -> bool:
    """Whether a text stream can hold every character (its encoding is a UTF)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    return encoding.startswith("utf")
