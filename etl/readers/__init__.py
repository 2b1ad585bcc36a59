"""One reader per source format; :func:`reader_for` picks the one that recognises a file.

To add a format: write ``etl/readers/<format>.py`` with ``can_read(path, head)`` and
``read(path, raw_root) -> ReadResult`` (see :mod:`etl.readers.base`) and list it in
:data:`READER_MODULES`. Order matters: the first reader that recognises a file reads it.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from etl.inputs import IGNORED_SUFFIXES, is_data_file

__all__ = ["IGNORED_SUFFIXES", "READER_MODULES", "declared_format", "is_data_file", "reader_for"]

#: Reader modules in the order they are asked.
READER_MODULES: tuple[str, ...] = (
    "etl.readers.figures",
    "etl.readers.nbs",
    "etl.readers.eurostat_tsv",
    "etl.readers.sdmx_csv",
    "etl.readers.bea",
)


HEAD_BYTES = 4096


def declared_format(path: Path) -> str:
    """The ``format:`` a file's sidecar declares ("" when none does, or the sidecar is unreadable)."""
    from etl.readers.sidecar import load_sidecar, sidecar_path

    if not sidecar_path(path).is_file():
        return ""
    sidecar, _ = load_sidecar(path, path.name)
    return sidecar.file.get("format", "")


def reader_for(path: Path) -> ModuleType | None:
    """Return the reader module that recognises ``path``, or None.

    A sidecar's ``format:`` (``nbs``, ``eurostat_tsv``, ...) decides, so a file whose
    recognisable lines were stripped (an NBS export without its ``数据库：`` line) is still read.
    """
    if declared := declared_format(path):
        return import_module(f"etl.readers.{declared}")
    head = path.read_bytes()[:HEAD_BYTES]
    for name in READER_MODULES:
        module = import_module(name)
        if module.can_read(path, head):
            return module
    return None
