"""What a run's inputs are, and their content hashes, with the standard library only.

An unchanged refresh (``python -m etl run`` when nothing changed) only needs to hash the files
and compare with the current snapshot's manifest. Keeping that here, away from the modules that
import pandas, pyarrow and DuckDB, lets it finish in a fraction of a second: those imports
alone take longer than the check (docs/operations.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DEFAULT_RAW = Path("data/raw")
DEFAULT_WAREHOUSE = Path("data/warehouse")
DEFAULT_REFERENCE = Path("data/reference")
#: A data file's sidecar is ``<file>.meta.yaml`` beside it (docs/sidecars.md).
SIDECAR_SUFFIX = ".meta.yaml"
#: The reference tables, in loading order (``etl.reference.TABLE_COLUMNS`` has their columns).
REFERENCE_TABLES = (
    "regions",
    "industries",
    "indicators",
    "indicator_aliases",
    "units",
    "qualifiers",
    "dimensions",
    "measures",
    "statuses",
    "products",
    "scopes",
    "series_breaks",
)
#: Files in ``data/raw`` that are not data: documentation and per-file metadata.
IGNORED_SUFFIXES: tuple[str, ...] = (".md", ".txt", ".yaml", ".yml", ".toml", ".json")


def is_data_file(path: Path) -> bool:
    """Whether a file under the raw directory is meant to be read (not docs or sidecars)."""
    name = path.name
    if name.startswith(".") or name.startswith("~$"):
        return False
    return path.suffix.lower() not in IGNORED_SUFFIXES


def sidecar_path(path: Path) -> Path:
    """``data.csv`` → ``data.csv.meta.yaml`` (beside it, full name kept so it is unambiguous)."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def discover(raw: Path) -> list[Path]:
    """Every data file under ``raw``, in a stable order."""
    return sorted(p for p in raw.rglob("*") if p.is_file() and is_data_file(p))


def hash_with_sidecar(path: Path, rel: str, hashes: dict[str, str]) -> None:
    """Record the hash of a data file and of its sidecar (``<file>.meta.yaml``), if any.

    A sidecar changes what a file means (its unit, region, source), so editing it must
    count as a change of input for an incremental refresh, like editing the file itself.
    """
    hashes[rel] = file_hash(path)
    side = sidecar_path(path)
    if side.is_file():
        hashes[rel + SIDECAR_SUFFIX] = file_hash(side)


def local_directory(directory: Path) -> Path:
    """Where a user keeps reference rows of their own: ``data/reference.local/`` beside ``data/reference/``."""
    return directory.with_name(directory.name + ".local")


def table_files(directory: Path, name: str) -> list[Path]:
    """The files that hold reference table ``name`` (``<name>*.csv``), in a stable order."""
    paths = sorted(directory.glob(f"{name}*.csv"))
    if name == "indicators":
        paths = [p for p in paths if not p.name.startswith("indicator_aliases")]
    return paths


def reference_files(directory: Path) -> list[Path]:
    """Every file the reference loader reads — hashed by incremental runs without parsing —
    the project's tables and the user's ``<directory>.local/`` ones."""
    local = local_directory(directory)
    return [path for root in (directory, local) if root.is_dir() for name in REFERENCE_TABLES for path in table_files(root, name)]


def file_key(path: Path, directory: Path) -> str:
    """A reference file's key in a snapshot manifest's ``inputs``: ``reference/units.csv``,
    ``reference.local/units.csv``."""
    return f"reference.local/{path.name}" if path.parent == local_directory(directory) else f"reference/{path.name}"


def input_hashes(raw: Path, reference_dir: Path) -> dict[str, str]:
    """The manifest's ``inputs`` (content hashes of raw and reference files), without parsing any.

    An incremental run compares this with the current snapshot's manifest to skip a rebuild.
    """
    hashes: dict[str, str] = {}
    for path in discover(raw) if raw.is_dir() else []:
        hash_with_sidecar(path, path.relative_to(raw).as_posix(), hashes)
    for path in reference_files(reference_dir):
        hashes[file_key(path, reference_dir)] = file_hash(path)
    return hashes


def code_version() -> str:
    """A hash of the ETL's own source: a change of code is a reason to rebuild."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
