"""Writing outputs without ever destroying data (SPEC §9).

Every file the tool writes goes through :func:`atomic_path`: the writer fills a
temporary file in the target's folder, which is renamed onto the target only once it
is complete (``os.replace`` is atomic on POSIX and Windows). A run killed, interrupted
or failing half-way leaves the previous file as it was; two runs writing the same
output leave one of the two complete files.

:func:`prepare_output` is the pre-flight check the CLI runs before any audit work: an
output that is one of the inputs is refused, a missing folder is created, and the
folder is proved writable. Every failure is an :class:`OutputError`, which the CLI
reports in one line and exits 2.

:func:`output_kind` tells the tool's own workbooks (marked with the custom document
property ``peixun-audit``) from the others.
"""

from __future__ import annotations

import errno
import io
import os
import re
import secrets
import shutil
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..messages import ui

PROPERTY = "peixun-audit"  # the custom document property marking the tool's workbooks
KIND_REPORT = "report"
KIND_CALL_SHEET = "call-sheet"
KIND_TEMPLATE = "template"
KIND_PAYMENTS = "payments"  # the disbursement list (report/payments.py)
KIND_NOTICE = "notice"  # a rectification notice (report/notices.py)
NOT_DATA = (KIND_REPORT, KIND_PAYMENTS, KIND_NOTICE)  # outputs never read as inputs

# ".~report.xlsx.1234.9f3a1c2b.tmp.xlsx": hidden on POSIX, sorted apart from real files,
# the same suffix as the target. A run killed mid-write can leave one behind.
_TEMP_NAME = re.compile(r"^\.~.+\.\d+\.[0-9a-f]{8}\.tmp(\.[^.]*)?$")

# errno → the UI key of the reason, in the report language
_REASONS = {
    errno.ENOTDIR: "out_reason_not_a_folder",
    errno.EISDIR: "out_reason_is_a_folder",
    errno.EACCES: "out_reason_permission",
    errno.EPERM: "out_reason_permission",
    errno.EROFS: "out_reason_read_only",
    errno.ENOSPC: "out_reason_disk_full",
    errno.ENAMETOOLONG: "out_reason_name_too_long",
    errno.ENOENT: "out_reason_not_found",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "out_reason_disk_full"


class OutputError(Exception):
    """An output that may not or cannot be written. ``key`` is a UI message key."""

    def __init__(self, key: str, path: Path, cause: OSError | None = None, **params: Any):
        super().__init__(key, str(path), cause)
        self.key = key
        self.path = Path(path)
        self.cause = cause
        self.params = params

    def message(self, lang: str) -> str:
        """One line in the report language naming the path and the reason."""
        return ui(self.key, lang, path=str(self.path), reason=self.reason(lang), **self.params)

    def reason(self, lang: str) -> str:
        exc = self.cause
        if exc is None:
            return ""
        key = _REASONS.get(exc.errno) if exc.errno is not None else None
        if key is None and getattr(exc, "winerror", None) in (32, 33):  # sharing violation
            key = "out_reason_permission"
        if key is not None:
            return ui(key, lang, name=exc.filename or self.path)
        return exc.strerror or str(exc) or type(exc).__name__


def is_temp_name(name: str) -> bool:
    """Whether a file name is one of :func:`atomic_path`'s temporary files."""
    return bool(_TEMP_NAME.match(name))


def _real_target(path: Path) -> Path:
    # Writing through a symlink used to update the file it points to; keep it so
    # rather than replacing the link with a regular file.
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _create_temp(folder: Path, name: str, suffix: str) -> Path:
    """A new empty file in ``folder`` that no other process uses, created with the
    ordinary permissions (the umask applies, unlike ``tempfile.mkstemp``'s 0600)."""
    name = name[:60]  # the temporary name must stay within the 255-byte limit
    for _ in range(100):
        temp = folder / f".~{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp{suffix}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return temp
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))


def _replace(temp: Path, target: Path) -> None:
    # On Windows a virus scanner may hold the new file for a moment.
    for attempt in range(20):
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == 19:
                raise
            time.sleep(0.05)


def _as_oserror(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``: itself, or the one xlsxwriter wraps in FileCreateError."""
    if isinstance(exc, OSError):
        return exc
    if type(exc).__name__ == "FileCreateError" and exc.args and isinstance(exc.args[0], OSError):
        return exc.args[0]
    return None


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Give a temporary path next to ``path`` (same suffix, unique to this process);
    when the block ends normally, fsync it and rename it onto ``path``; when it fails,
    remove it and leave ``path`` untouched. Operating-system errors become
    :class:`OutputError`; anything else (a bug, Ctrl-C) propagates after the clean-up."""
    shown = Path(path)
    target = _real_target(shown)
    try:
        temp = _create_temp(target.parent, target.name, target.suffix)
    except OSError as exc:
        raise OutputError("output_unwritable", shown, exc) from exc
    try:
        yield temp
        with open(temp, "rb+") as fh:  # on disk before it takes the old file's place
            os.fsync(fh.fileno())
        if target.exists():  # keep the permissions the old file had
            with suppress(OSError):
                shutil.copymode(target, temp)
        _replace(temp, target)
    except BaseException as exc:
        with suppress(OSError):
            temp.unlink()
        cause = _as_oserror(exc)
        if cause is not None:
            raise OutputError("output_unwritable", shown, cause) from exc
        raise


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Write a text file atomically."""
    with atomic_path(path) as temp, open(temp, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def _paths(found: Any) -> Iterator[Path]:
    """Every path in what ``find_workbooks`` returns: paths, groups of them, or items
    with a ``path`` attribute."""
    if isinstance(found, str | os.PathLike):
        yield Path(found)
    elif isinstance(getattr(found, "path", None), str | os.PathLike):
        yield Path(found.path)
    elif isinstance(found, Iterable) and not isinstance(found, bytes | bytearray):
        for item in found:
            yield from _paths(item)


def _same_file(a: Path, b: Path) -> bool:
    with suppress(OSError, ValueError):
        if os.path.samefile(a, b):  # hard links, case-insensitive file systems
            return True
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError, ValueError):
        return False


def _own_report(path: Path) -> bool:
    """Whether ``path`` is one of the tool's own reports, which the loader lists and
    does not read (SPEC §9): a workbook marked "report", or a CSV output as the loader
    recognises it (``sniff.is_output_csv``). Never raises."""
    if output_kind(path) in NOT_DATA:
        return True
    if path.suffix.lower() != ".csv":
        return False
    try:
        from ..load import sniff

        with open(path, "rb") as fh:
            head = fh.read(1 << 16).split(b"\n", 1)[0]
        return bool(sniff.is_output_csv(sniff.csv_rows(head)))
    except Exception:
        return False


def _probe(folder: Path) -> None:
    """Prove ``folder`` writable: create and delete a file there."""
    temp = _create_temp(folder, "peixun-audit-check", ".tmp")
    temp.unlink()


def prepare_output(path: Path | str, inputs: Any) -> Path:
    """The pre-flight check of an output, before any audit work. Refuses a path that is
    one of ``inputs`` (files, or whatever ``find_workbooks`` returns), unless it is the
    tool's own earlier report (:func:`_own_report`); refuses a folder;
    creates a missing parent folder; proves the folder writable. Raises
    :class:`OutputError`; returns the path."""
    shown = Path(path)
    for source in _paths(inputs):
        # The tool's own earlier report found among the inputs is not read (SPEC §9):
        # replacing it is the ordinary re-run. Anything else, a call sheet or a template
        # included (they are filled in by hand), is data.
        if _same_file(shown, source) and not _own_report(shown):
            raise OutputError("output_is_input", shown)
    target = _real_target(shown)
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(shown))
        folder = target.parent
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if existing.exists() and not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing))
        folder.mkdir(parents=True, exist_ok=True)
        _probe(folder)
    except OSError as exc:
        raise OutputError("output_unwritable", shown, exc) from exc
    return shown


_MAX_CUSTOM_XML = 256 * 1024


def output_kind(path: Any) -> str | None:
    """What the tool wrote this file as: the value of its ``peixun-audit`` custom
    document property (``"report"``, ``"call-sheet"``, ``"template"``), or None for
    anything else — a workbook without it, another format, a corrupt or missing file.
    ``path`` is a path, or the file's content as bytes. Never raises."""
    try:
        source = (
            io.BytesIO(bytes(path)) if isinstance(path, bytes | bytearray | memoryview) else path
        )
        with zipfile.ZipFile(source) as archive:
            info = archive.getinfo("docProps/custom.xml")
            if info.file_size > _MAX_CUSTOM_XML:
                return None
            with archive.open(info) as fh:
                xml = fh.read(_MAX_CUSTOM_XML + 1)
        if len(xml) > _MAX_CUSTOM_XML or b"<!DOCTYPE" in xml.upper() or b"<!ENTITY" in xml:
            return None
        from xml.etree import ElementTree

        root = ElementTree.fromstring(xml)
        for prop in root:
            if prop.get("name") == PROPERTY:
                values = [(child.text or "").strip() for child in prop]
                return next((v for v in values if v), None)
        return None
    except Exception:
        return None
