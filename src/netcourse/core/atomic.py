"""The one way the kit writes a file: to a temporary file beside the target, flushed to disk, then renamed.

A reader (a trainer opening ``links.csv``, Voila serving a workbook) sees the old file or the new one,
never half of one. After a crash at most a hidden ``.<name>.part`` file is left (the next write replaces
it), never a torn target.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str = "", mode: int | None = None,
                overwrite: bool = True) -> Iterator[Path]:
    """Yield a fresh temporary path (``.<name>.part<suffix>``) in ``target``'s folder; fill it in the ``with`` block.

    On success the file is fsynced, given ``mode`` (else the umask's default) and moved onto ``target``:
    replacing it, or with ``overwrite=False`` only if ``target`` does not exist (:class:`FileExistsError`
    otherwise, even when another process creates it meanwhile). On any error the temporary file is removed.
    ``suffix`` ends the temporary name (tools such as papermill pick the format by it).
    """
    target = Path(target)
    part = target.with_name(f".{target.name}.part{suffix}")  # a fixed name: a re-run clears an interrupted one
    part.unlink(missing_ok=True)  # a leftover is never reused with its old permissions
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if mode is not None else 0o666)
    os.close(fd)
    try:
        yield part
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(part, mode)
        if overwrite:
            os.replace(part, target)
        else:
            _move_if_absent(part, target)
    finally:
        part.unlink(missing_ok=True)


def atomic_write(target: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8",
                 mode: int | None = None, overwrite: bool = True) -> Path:
    """Write ``data`` (text is encoded with ``encoding``) to ``target`` atomically; see :func:`atomic_path`."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(target, mode=mode, overwrite=overwrite) as part:
        part.write_bytes(raw)
    return Path(target)


def _move_if_absent(part: Path, target: Path) -> None:
    try:
        os.link(part, target)  # fails if target exists, also if it appeared a moment ago: never overwrites
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(part, target)
