"""Whether two published snapshots hold the same tables: same files, schemas, rows (in order) and values.

A change to the ETL's speed must not change what it publishes; this is how that is checked
(``python -m bench.etl_compare WAREHOUSE_A WAREHOUSE_B``, each a warehouse directory or a
snapshot directory). Floats are compared exactly, NaN equal to NaN, null equal to null.
Exit code 0 when identical, 1 with the first differences printed otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def snapshot_dir(path: Path) -> Path:
    """A warehouse's current snapshot, or ``path`` itself when it is a snapshot."""
    current = path / "current"
    return current.resolve() if current.exists() else path


def column_differences(name: str, left: pa.ChunkedArray, right: pa.ChunkedArray) -> int:
    """Rows where the two columns differ (null = null, NaN = NaN)."""
    left, right = left.combine_chunks(), right.combine_chunks()
    both_null = pc.and_(pc.is_null(left), pc.is_null(right))
    if pa.types.is_floating(left.type):
        both_null = pc.or_(both_null, pc.and_(pc.fill_null(pc.is_nan(left), False), pc.fill_null(pc.is_nan(right), False)))
    equal = pc.fill_null(pc.equal(left, right), False)
    differ = pc.invert(pc.or_(equal, both_null))
    count = pc.sum(differ).as_py() or 0
    if count:
        first = pc.indices_nonzero(differ)[0].as_py()
        print(f"  {name}: {count} row(s) differ, first at row {first}: {left[first]!r} vs {right[first]!r}")
    return count


def compare(a: Path, b: Path) -> list[str]:
    """The differences between two snapshots' Parquet tables and manifests' row counts."""
    a, b = snapshot_dir(a), snapshot_dir(b)
    problems: list[str] = []
    files_a = sorted(p.name for p in a.glob("*.parquet"))
    files_b = sorted(p.name for p in b.glob("*.parquet"))
    if files_a != files_b:
        problems.append(f"tables differ: {files_a} vs {files_b}")
    for name in sorted(set(files_a) & set(files_b)):
        left, right = pq.read_table(a / name), pq.read_table(b / name)
        if left.schema != right.schema:
            problems.append(f"{name}: schema differs:\n{left.schema}\nvs\n{right.schema}")
            continue
        if left.num_rows != right.num_rows:
            problems.append(f"{name}: {left.num_rows} vs {right.num_rows} rows")
            continue
        print(f"{name}: {left.num_rows} rows, {left.num_columns} columns")
        for column in left.column_names:
            if column_differences(f"{name}.{column}", left[column], right[column]):
                problems.append(f"{name}.{column} differs")
    counts = [json.loads((d / "manifest.json").read_text())["row_counts"] for d in (a, b)]
    if counts[0] != counts[1]:
        problems.append(f"manifest row counts differ: {counts[0]} vs {counts[1]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.etl_compare", description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    problems = compare(args.a, args.b)
    for problem in problems:
        print("DIFFERENT:", problem)
    print("identical" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
