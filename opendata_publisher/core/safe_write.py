"""Files written whole or not at all: a temporary file beside the target, then one rename.

Every report and metadata file the plugin writes goes through :func:`write_text` (or :func:`write_bytes`):

- the new content is written to a temporary file with a unique name (created exclusively: a file or a
  symbolic link planted under that name is never opened, never followed) in the target's folder, flushed
  to the disk, then renamed over the target. A full disk, a killed run or a refused write leaves the
  previous version untouched and no partial file;
- a target that is a symbolic link is replaced by the new file (the file the link points to is not touched);
- a failure raises :class:`WriteError`, whose text is a French sentence naming the file and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Iterable, Union

PathLike = Union[str, os.PathLike]


class WriteError(Exception):
    """A file could not be written (French message: which file, why, what to do)."""

    def __init__(self, message: str, path: str = "", reason: str = "other", detail: str = ""):
        super().__init__(message)
        self.path = path
        #: "disk-full", "read-only", "is-directory", "other"
        self.reason = reason
        #: the system's own words (strerror)
        self.detail = detail or message


def write_problem(exc: OSError, path: PathLike, what: str = "Le fichier") -> WriteError:
    """The French explanation of an ``OSError`` met while writing ``path``."""
    error = _write_problem(exc, str(path), what)
    error.detail = getattr(exc, "strerror", None) or str(exc)
    return error


def _write_problem(exc: OSError, path: str, what: str) -> WriteError:
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        return WriteError(
            f"{what} « {path} » n'a pas pu être écrit : le disque est plein. L'ancienne version, s'il y en avait "
            "une, est intacte. Libérez de la place ou choisissez un autre emplacement, puis relancez.",
            path,
            "disk-full",
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteError(
            f"{what} « {path} » n'a pas pu être écrit : le dossier {os.path.dirname(path) or '.'} est en lecture "
            "seule ou vous n'avez pas le droit d'y écrire. Choisissez un autre emplacement.",
            path,
            "read-only",
        )
    if code == errno.EISDIR or os.path.isdir(path):
        return WriteError(
            f"{what} « {path} » n'a pas pu être écrit : c'est un dossier. Donnez un nom de fichier.",
            path,
            "is-directory",
        )
    reason = getattr(exc, "strerror", None) or str(exc)
    return WriteError(
        f"{what} « {path} » n'a pas pu être écrit ({reason}). Vérifiez l'emplacement, puis relancez.", path, "other"
    )


def _mode_for(path: str) -> int:
    try:
        info = os.lstat(path)
    except OSError:
        info = None
    if info is not None and not os.path.islink(path):
        return info.st_mode & 0o7777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes(path: PathLike, data: bytes, what: str = "Le fichier", make_folders: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring); ``make_folders``: create the
    missing folders above it. Returns the path."""
    return write_chunks(path, (data,), what, make_folders)


def write_text_chunks(
    path: PathLike, chunks: Iterable[str], what: str = "Le fichier", encoding: str = "utf-8", make_folders: bool = True
) -> Path:
    """:func:`write_text` of the text made of ``chunks``, written as they come (never the whole text in
    memory). Returns the path."""
    return write_chunks(path, (chunk.encode(encoding) for chunk in chunks), what, make_folders)


def write_chunks(path: PathLike, chunks: Iterable[bytes], what: str = "Le fichier", make_folders: bool = True) -> Path:
    """:func:`write_bytes` of the bytes made of ``chunks``, written as they come. Returns the path."""
    target = os.path.abspath(os.fspath(path))
    if os.path.isdir(target) and not os.path.islink(target):
        raise write_problem(OSError(errno.EISDIR, "Is a directory"), target, what)
    folder = os.path.dirname(target)
    temporary = None
    try:
        if make_folders:
            os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise write_problem(exc, target, what) from exc
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return Path(target)


def write_text(
    path: PathLike, text: str, what: str = "Le fichier", encoding: str = "utf-8", make_folders: bool = True
) -> Path:
    """Write ``text`` to ``path`` atomically (see the module docstring). Returns the path."""
    return write_bytes(path, text.encode(encoding), what, make_folders)
