"""Print a workbook as LibreOffice would, and read the PDF back: page sizes and the
text of each page (poppler's pdfinfo and pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MISSING = (
    "LibreOffice (soffice) or poppler (pdfinfo, pdftotext) is not installed: the print "
    "test needs them (apt-get install -y libreoffice-calc poppler-utils; .ci/run does it)"
)


def tools_missing() -> bool:
    return any(shutil.which(t) is None for t in ("soffice", "pdfinfo", "pdftotext"))


def to_pdf(workbook: Path, folder: Path, *more: Path) -> Path:
    """``soffice --headless --convert-to pdf`` with a profile of its own (another
    LibreOffice running on the machine cannot take the conversion over); ``more``
    workbooks are converted by the same start of LibreOffice. Returns the first PDF."""
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
            *map(str, more),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / (workbook.stem + ".pdf")


@dataclass
class Page:
    number: int
    width: float  # points
    height: float
    text: str  # pdftotext -layout

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]

    @property
    def sheet(self) -> str:
        """The sheet name the footer ends with (&A)."""
        return self.lines[-1].split()[-1] if self.lines else ""


def pages(pdf: Path) -> list[Page]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(count), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.findall(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", sizes, re.M)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    texts = text.split("\f")
    return [
        Page(int(n), float(w), float(h), texts[int(n) - 1] if int(n) - 1 < len(texts) else "")
        for n, w, h in found
    ]
