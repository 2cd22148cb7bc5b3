"""Command-line values converted without importing pydantic, where the result is plain.

Typer (≥ 0.2x) converts every parameter's value through a pydantic ``TypeAdapter``,
built the first time a command runs: importing pydantic and building the adapters cost
about 0.1 s of CPU on every run, more than the rest of ``peixun-audit rules``. Most
values need no conversion at all — an option not given (None), a default that already
is an enum member, a choice typed exactly, a text, a path. For those this module gives
Typer's own result by Typer's own functions (``coerce_cli_choice``, ``coerce_cli_path``);
any other value (a number, a choice that does not match, anything unexpected) goes to
Typer's adapter as before, so every refusal and its message are Typer's
(docs/startup.md). With a Typer that has no such internals nothing is changed.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:  # Typer's internals: the parameter's resolved type, and its converters
    from typer import _param_types as typer_types
    from typer._coercion import build_runtime_param
except ImportError:  # pragma: no cover - an older Typer converts with click's types
    typer_types = None
    build_runtime_param = None

_DIGITS = re.compile(r"[1-9][0-9]{0,8}")
_UNSURE = object()  # the quick way does not decide: Typer's adapter does


class QuickCoercion:
    """Stands in for Typer's ``RuntimeParam`` of one parameter (``coerce`` only); the
    real one is built on the first value the quick way does not decide."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.full: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:  # as Typer's RuntimeParam.coerce
            return () if multi else None
        if not (multi and isinstance(value, str)):
            try:
                quick = _quick(self.descriptor, value, param, ctx)
            except Exception:  # a path Typer refuses: its adapter says so, as before
                quick = _UNSURE
            if quick is not _UNSURE:
                return quick
        if self.full is None:
            self.full = build_runtime_param(self.descriptor)
        return self.full.coerce(value, param=param, ctx=ctx)


def _quick(descriptor: Any, value: Any, param: Any, ctx: Any) -> Any:
    annotation = descriptor.annotation
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return _UNSURE
    if get_origin(annotation) is list:
        if not isinstance(value, (list, tuple)):
            return _UNSURE
        (item_type,) = get_args(annotation)
        items = [_leaf(item_type, info, item, param, ctx) for item in value]
        return _UNSURE if any(i is _UNSURE for i in items) else items
    return _leaf(annotation, info, value, param, ctx)


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        if not isinstance(value, (str, annotation)):
            return _UNSURE
        try:
            return typer_types.coerce_cli_choice(
                value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:  # not a choice: Typer's adapter refuses it, with its message
            return _UNSURE
    if annotation is str:
        return value if type(value) is str else _UNSURE
    if annotation is bool:
        return value if type(value) is bool else _UNSURE
    if annotation is int and info.clamp is not True:
        # plain decimal digits within the bounds; anything else is Typer's to judge
        if type(value) is not str or not _DIGITS.fullmatch(value):
            return _UNSURE
        number = int(value)
        low, high = info.min, info.max
        if (low is not None and number < low) or (high is not None and number > high):
            return _UNSURE
        return number
    if isinstance(annotation, type) and issubclass(annotation, Path) and info.path_type is None:
        if type(value) is not str and not isinstance(value, annotation):
            return _UNSURE
        # pydantic's Path(str) is Path(str); the checks after it are Typer's own
        path = value if isinstance(value, annotation) else annotation(value)
        return typer_types.coerce_cli_path(path, info, path_type=annotation, param=param, ctx=ctx)
    return _UNSURE


def install(params: list[Any]) -> None:
    """Give each Typer parameter the quick conversion (see the module's docstring)."""
    if build_runtime_param is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None:
            param._runtime_param = QuickCoercion(descriptor)
