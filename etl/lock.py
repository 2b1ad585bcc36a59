"""One ETL run at a time per warehouse: an exclusive ``flock`` on ``<warehouse>/.etl.lock``.

``flock`` is released by the kernel when the holder exits, however it exits (SIGKILL
included), so a crashed run never leaves a stale lock behind — unlike a PID file. The lock
file itself stays; it holds no state.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".etl.lock"
#: How often a waiting run retries the lock.
POLL_SECONDS = 0.2


class LockBusyError(RuntimeError):
    """Another run holds the warehouse lock and did not release it within the wait."""


@contextmanager
def warehouse_lock(warehouse: Path, *, wait: float = 0.0) -> Iterator[Path]:
    """Hold the warehouse's run lock for the block; wait up to ``wait`` seconds for it."""
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusyError(
                        f"another ETL run holds {path} (waited {wait:g} s); try again later or pass --wait SECONDS"
                    ) from None
                time.sleep(POLL_SECONDS)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
