"""Reproducible samples: phone callbacks per class (Article 12) and the city's spot
check of classes in the five urban districts (Article 13).

Algorithm (recorded in every output as ``ALGORITHM``): the frame is sorted (roster by
ID number, classes by class id) and hashed with SHA-256; a numpy ``PCG64`` generator
seeded with ``SeedSequence([seed, k])`` — ``k`` the first 8 bytes of SHA-256 of the
class id (callbacks) or of ``"spotcheck"`` — draws one permutation of the frame, and
the sample is its first n rows. The same seed always gives the same permutation, so a
larger ratio extends a sample instead of replacing it, and anyone holding the seed
and the frame can redraw and verify it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .rules.base import ceil_percent, person_key

ALGORITHM = "numpy PCG64, SeedSequence([seed, sha256(stream)[:8]]), permutation prefix"


@dataclass
class Draw:
    """One sample with everything needed to redraw and verify it."""

    stream: str  # the class id, or "spotcheck"
    ratio_percent: int
    frame_size: int
    frame_sha256: str
    sample_size: int
    sample: pd.DataFrame = field(repr=False)


def fresh_seed() -> int:
    return secrets.randbelow(2**32)


def _stream_key(stream: str) -> int:
    return int.from_bytes(hashlib.sha256(stream.encode("utf-8")).digest()[:8], "big")


def permutation(seed: int, stream: str, n: int) -> np.ndarray:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, _stream_key(stream)])))
    return rng.permutation(n)


def frame_hash(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def draw(frame: pd.DataFrame, keys: pd.Series, seed: int, stream: str, n: int, ratio: int) -> Draw:
    """Sort the frame by ``keys``, hash it, take the first ``n`` of a seeded permutation."""
    order = keys.sort_values(kind="stable").index
    frame = frame.loc[order].reset_index(drop=True)
    sorted_keys = keys.loc[order].astype(str).tolist()
    n = min(n, len(frame))
    picked = permutation(seed, stream, len(frame))[:n]
    return Draw(
        stream,
        ratio,
        len(frame),
        frame_hash(sorted_keys),
        n,
        frame.iloc[picked].reset_index(drop=True),
    )


def callback_sample(
    roster: pd.DataFrame, ratios: dict[str, int], default_ratio: int, minimum: int, seed: int
) -> list[Draw]:
    """Per class, ⌈ratio × roster⌉ students (at least ``minimum``), without replacement.
    ``ratios`` gives each class's percentage; a roster class missing from it (no 培训班
    row) takes ``default_ratio``."""
    people = roster.assign(_key=person_key(roster)).drop_duplicates(["class_id", "_key"])
    draws = []
    for cid, frame in people.groupby("class_id", sort=True):
        ratio = ratios.get(cid, default_ratio)
        n = max(ceil_percent(ratio, len(frame)), minimum)
        draws.append(draw(frame, frame["_key"], seed, str(cid), n, ratio))
    return draws


def urban(districts: pd.Series, urban_districts: list[str]) -> pd.Series:
    """A district matches with or without its suffix (象山 = 象山区)."""
    stems = {d.rstrip("区县市") for d in urban_districts}
    return districts.fillna("").astype(str).str.strip().str.rstrip("区县市").isin(stems)


def spotcheck_sample(
    classes: pd.DataFrame, urban_districts: list[str], share: int, minimum: int, seed: int
) -> Draw:
    frame = classes[urban(classes["district"], urban_districts)].drop_duplicates("class_id")
    n = max(ceil_percent(share, len(frame)), minimum) if len(frame) else 0
    return draw(frame, frame["class_id"].astype(str), seed, "spotcheck", n, share)
