"""The command line in the report language: help texts and usage errors.

Typer renders help and usage errors with click's English ("No such option",
"Invalid value for '--fail-on'", ``<bool>``, ``<list[Path]>``). Here the app's
group and commands are click classes of our own: the language is picked once from
the command line (``--lang en`` anywhere) or the environment (``PEIXUN_LANG``),
help is written from ``messages.UI`` (a description, examples, the options with
plain metavars and defaults, the exit status), and every click usage error is
caught in :meth:`LocalizedGroup.main` and said again in that language, from the
exception's own data (the option, the parameter, its choices), never by
translating click's sentence.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer import core as typer_core
from typer import exceptions as typer_exc
from typer._click import exceptions as click_exc

from .cliparams import install
from .messages import UI, ui

LANGS = ("zh", "en")
ENV_LANG = "PEIXUN_LANG"

# which exit-status text a command's help shows
EXIT_KIND = {
    "audit": "findings",
    "attendance": "findings",
    "callbacks": "findings",
    "validate": "validate",
    "spotcheck": "done",
    "review": "done",
    "template": "template",
    "rules": "rules",
}

_current = {"lang": "zh"}


def current_lang() -> str:
    """The language picked for this run (help, usage errors)."""
    return _current["lang"]


def pick_lang(args: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """``--lang X`` / ``--lang=X`` on the command line (the last one wins), else
    ``PEIXUN_LANG``, else Chinese. An unknown value is left for the option's own
    check to refuse; the messages meanwhile stay Chinese."""
    environ = os.environ if environ is None else environ
    picked = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            picked = args[i + 1]
        elif arg.startswith("--lang="):
            picked = arg.split("=", 1)[1]
    if picked is None:
        picked = environ.get(ENV_LANG)
    return picked if picked in LANGS else "zh"


def _text(key: str, lang: str, **params: Any) -> str | None:
    return ui(key, lang, **params) if key in UI else None


def _console(file: io.StringIO) -> Console:
    width = Console().width  # the terminal's, or COLUMNS
    return Console(file=file, width=min(max(width, 40), 100), color_system=None, highlight=False)


def _param_key(command: str | None, param: Any, prefix: str) -> str | None:
    """The catalogue key of a parameter: command-specific first, then shared."""
    for key in (f"{prefix}_{command}_{param.name}", f"{prefix}_{param.name}"):
        if key in UI:
            return key
    return None


def _metavar(command: str | None, param: Any, lang: str) -> str:
    if getattr(param, "is_flag", False):
        return ""
    key = _param_key(command, param, "metavar")
    return ui(key if key else "metavar_value", lang)


def _default(param: Any, lang: str) -> str | None:
    if getattr(param, "is_flag", False) or param.name in ("help", "version"):
        return None
    value = param.default
    if isinstance(value, Enum):
        value = value.value
    if value is None or value == () or value == []:
        return None
    return ui("help_default", lang, value=value)


def _usage_pieces(command: Any, ctx: Any, lang: str) -> str:
    name = command.name if ctx.parent is not None else None
    parts = [ui("usage_options", lang)]
    if isinstance(command, typer_core.TyperGroup):
        parts.append(ui("usage_command", lang))
    for param in command.params:
        if param.param_type_name == "argument":
            shown = _metavar(name, param, lang) or param.name.upper()
            parts.append(shown if param.required else f"[{shown}]")
    return " ".join(parts)


def usage_line(command: Any, ctx: Any, lang: str) -> str:
    return f"{ui('usage', lang)}{ctx.command_path} {_usage_pieces(command, ctx, lang)}"


def _option_label(command: str | None, param: Any, lang: str) -> str:
    if param.param_type_name == "argument":
        return _metavar(command, param, lang) or param.name.upper()
    short = [o for o in param.opts if not o.startswith("--")]
    long = [o for o in param.opts if o.startswith("--")]
    label = ", ".join(short + long)
    metavar = _metavar(command, param, lang)
    return f"{label} {metavar}" if metavar else label


def _param_help(command: str | None, param: Any, lang: str) -> str:
    key = _param_key(command, param, "help_opt")
    text = ui(key, lang) if key else (param.help or "")
    default = _default(param, lang)
    return (
        f"{text}（{default}）"
        if default and lang == "zh"
        else (f"{text} ({default})" if default else text)
    )


def render_help(command: Any, ctx: Any) -> str:
    """The whole help of ``command`` in the current language, as plain text."""
    lang = current_lang()
    is_group = isinstance(command, typer_core.TyperGroup)
    name = None if is_group else command.name
    out = io.StringIO()
    console = _console(out)

    def section(title: str) -> None:
        console.print()
        console.print(Text(f"{title}：" if lang == "zh" else f"{title}:"))

    def grid(rows: list[tuple[str, str]]) -> None:
        table = Table.grid(padding=(0, 2), pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for left, right in rows:
            table.add_row(Text("  " + left), Text(right))
        console.print(table)

    console.print(Text(usage_line(command, ctx, lang)))
    console.print()
    console.print(Text(ui("help_app" if is_group else f"help_cmd_{name}", lang)))
    examples = _text("help_examples_" + ("app" if is_group else name), lang)
    if examples:
        section(ui("help_examples", lang))
        for line in examples.splitlines():
            console.print(Text("  " + line), soft_wrap=True)
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.get_params(ctx) if p.param_type_name == "option"]
    if arguments:
        section(ui("help_arguments", lang))
        grid([(_option_label(name, p, lang), _param_help(name, p, lang)) for p in arguments])
    if options:
        section(ui("help_options", lang))
        grid(
            [
                (_option_label(name, p, lang), _param_help(name, p, lang))
                for p in options
                if not p.hidden
            ]
        )
    if is_group:
        section(ui("help_commands", lang))
        grid(
            [
                (cmd_name, _text(f"help_short_{cmd_name}", lang) or "")
                for cmd_name in command.list_commands(ctx)
            ]
        )
        console.print()
        console.print(Text(ui("help_more", lang)))
    else:
        section(ui("help_exit", lang))
        for line in ui(f"help_exit_{EXIT_KIND.get(name, 'done')}", lang).splitlines():
            console.print(Text("  " + line))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def _localise_help_option(command: Any, ctx: Any) -> None:
    option = command.get_help_option(ctx)
    if option is not None:
        option.help = ui("help_opt_help", current_lang())


# --- usage errors ---------------------------------------------------------------------


def _option_name(param: Any) -> str:
    if param is None:
        return "?"
    if param.param_type_name == "argument":
        return (param.name or "?").upper()
    long = [o for o in param.opts if o.startswith("--")]
    return (long or list(param.opts) or [param.name])[0]


def _typed_value(param: Any, args: Sequence[str], message: str) -> tuple[str | None, str | None]:
    """The value the user gave ``param`` (and the environment variable it came from,
    if it did): the last ``--opt X`` / ``--opt=X`` on the command line, else the
    quoted value of the message, else the environment."""
    if param is not None and param.param_type_name == "option":
        value = None
        for i, arg in enumerate(args):
            for opt in param.opts:
                if arg == opt and i + 1 < len(args):
                    value = args[i + 1]
                elif opt.startswith("--") and arg.startswith(opt + "="):
                    value = arg.split("=", 1)[1]
        if value is not None:
            return value, None
    quoted = re.search(r"'([^']*)' is not one of", message)
    if quoted:
        value = quoted.group(1)
        envvar = getattr(param, "envvar", None)
        if isinstance(envvar, str) and os.environ.get(envvar) == value:
            return value, envvar
        return value, None
    envvar = getattr(param, "envvar", None)
    if isinstance(envvar, str) and envvar in os.environ:
        return os.environ[envvar], envvar
    return None, None


def _bad_parameter(exc: click_exc.BadParameter, args: Sequence[str], lang: str) -> str:
    param = exc.param
    option = _option_name(param)
    value, envvar = _typed_value(param, args, exc.message)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        joiner = "、" if lang == "zh" else ", "
        choices = joiner.join(str(m.value) for m in annotation)
        text = ui("err_bad_choice", lang, option=option, value=value or "", choices=choices)
    elif annotation is int and value is not None:
        minimum = getattr(param, "min", None)
        try:
            number = int(value)
        except ValueError:
            text = ui("err_bad_int", lang, option=option, value=value)
        else:
            if minimum is not None and number < minimum:
                text = ui("err_bad_min", lang, option=option, value=value, min=minimum)
            else:
                text = ui("err_bad_value", lang, option=option, detail=value)
    else:
        text = ui("err_bad_value", lang, option=option, detail=value or exc.message)
    if envvar:
        text += ui("err_from_envvar", lang, name=envvar)
    return text


def usage_error(exc: click_exc.ClickException, args: Sequence[str], lang: str) -> str:
    """The message of a click usage error in ``lang``, from the exception's data."""
    joiner = "、" if lang == "zh" else ", "
    if isinstance(exc, click_exc.NoSuchOption):
        text = ui("err_no_such_option", lang, option=exc.option_name)
        if exc.possibilities:
            text += ui("err_did_you_mean", lang, options=joiner.join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click_exc.MissingParameter):
        key = "err_missing_argument" if exc.param_type == "argument" else "err_missing_option"
        if exc.param is not None and exc.param.param_type_name == "argument":
            key = "err_missing_argument"
        return ui(key, lang, param=_option_name(exc.param))
    if isinstance(exc, click_exc.BadParameter):
        return _bad_parameter(exc, args, lang)
    if isinstance(exc, click_exc.BadOptionUsage):
        if "requires an argument" in exc.message:
            return ui("err_needs_value", lang, option=exc.option_name)
        return f"{exc.option_name}: {exc.message}"
    if isinstance(exc, click_exc.UsageError):
        command = re.match(r"No such command '(.*)'\.$", exc.message)
        if command:
            names = []
            if exc.ctx is not None and isinstance(exc.ctx.command, typer_core.TyperGroup):
                names = exc.ctx.command.list_commands(exc.ctx)
            return ui(
                "err_no_such_command", lang, name=command.group(1), commands=joiner.join(names)
            )
        extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", exc.message)
        if extra:
            return ui("err_extra_args", lang, args=extra.group(1))
    return exc.format_message()


def show_usage_error(exc: click_exc.ClickException, args: Sequence[str], lang: str) -> None:
    """Usage line, where to find help, and the error: on stderr, in ``lang``."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(usage_line(ctx.command, ctx, lang))
        lines.append(ui("help_try", lang, command=ctx.command_path))
    lines.append(ui("error_prefix", lang) + usage_error(exc, args, lang))
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()


class _Localized:
    """What a command and the app share: help written from the message catalogue, and
    values converted without pydantic where that changes nothing (cliparams.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        install(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            install([option])
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localise_help_option(self, ctx)
        formatter.write(render_help(self, ctx))

    def get_usage(self, ctx: Any) -> str:
        return usage_line(self, ctx, current_lang())


class LocalizedCommand(_Localized, typer_core.TyperCommand):
    """A command whose help is written from the message catalogue."""


class LocalizedGroup(_Localized, typer_core.TyperGroup):
    """The app: picks the language, writes help from the catalogue, and says click's
    usage errors in that language (exit status 2, as click does)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        lang = pick_lang(argv)
        _current["lang"] = lang
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click_exc.NoArgsIsHelpError as exc:
            sys.stdout.write(exc.format_message() + "\n")
            if not standalone_mode:
                raise
            sys.exit(exc.exit_code)
        except click_exc.ClickException as exc:
            if not standalone_mode:
                raise
            show_usage_error(exc, argv, lang)
            sys.exit(exc.exit_code)
        except typer_exc.Abort:
            if not standalone_mode:
                raise
            sys.stderr.write(ui("aborted", lang) + "\n")
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)
