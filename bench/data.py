"""Generated benchmark data, cached under bench/work keyed by (format, size, seed, generator version).

Generating 10 M observations takes a minute or two; a second run reuses them. A cache entry
is complete only once its ``.done`` marker exists, so an interrupted generation is redone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from etl import synth

WORK = Path(__file__).resolve().parent / "work"


def cached_dataset(fmt: str, observations: int, seed: int = 42) -> Path:
    """The directory of a generated dataset (``raw/`` + ``reference/`` or ``warehouse/`` + ``reference/``)."""
    key = f"synth-{fmt}-n{observations}-s{seed}-v{synth.GENERATOR_VERSION}"
    out = WORK / "data" / key
    if (out / ".done").exists():
        if fmt == "csv":  # the ETL reads the reference tables: take the repository's current ones
            synth.write_reference(out)
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    generated = synth.generate(observations, seed)
    reference = synth.write_reference(out)
    synth.write_readme(out, observations, seed, fmt)
    if fmt == "csv":
        synth.write_csv(generated, out / "raw")
    else:
        synth.write_warehouse(generated, out / "warehouse", reference)
    (out / ".done").write_text(key)
    return out
