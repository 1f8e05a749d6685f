"""Where outputs go and how they land on disk.

Every file is written to a temporary sibling and renamed into place, so a build that
is interrupted (Ctrl-C, a kill, a full disk) leaves either the old file or the new one,
never half of one.  Every output path is joined through :func:`output_path`, so that
no exercise id can make a file land outside the output folder.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from handouts.errors import OutputError, display_path


#: How the tool's temporary files end: a name only it uses, so that cleaning up after a killed
#: build never takes someone else's ``.something.tmp``.
TEMPORARY_SUFFIX = ".handouts.tmp"
#: How many bytes of the target's name a temporary file starts with: a 250-byte file name (legal) must
#: not make its temporary one too long for the file system (255 bytes).
TEMPORARY_NAME_KEEPS = 100


#: Where a user puts the tool's caches (prepared pictures, fonts' bold instances) instead of the usual folder.
CACHE_VARIABLE = "HANDOUTS_CACHE_DIR"


def user_cache(kind: str, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The folder of the tool's per-user cache of *kind* (``"pictures"``, ``"fonts"``), outside every
    project, so that deleting an output folder does not throw the work away; None when there is no
    home folder to put it in.  Nothing is made here.

    ``$HANDOUTS_CACHE_DIR/<kind>`` when that is set (relative: to the working folder); else
    ``$XDG_CACHE_HOME/handouts/<kind>`` when that is an absolute path (the XDG Base Directory spec
    ignores a relative one); else the system's usual per-user cache folder: ``~/Library/Caches``
    on macOS, ``%LOCALAPPDATA%\\handouts\\Cache`` on Windows, ``~/.cache`` elsewhere.
    """
    if own := environ.get(CACHE_VARIABLE, ""):
        return Path(os.path.abspath(own)) / kind
    base = environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "handouts" / kind
    if sys.platform == "win32" and os.path.isabs(local := environ.get("LOCALAPPDATA", "")):
        return Path(local) / "handouts" / "Cache" / kind
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no password entry
        return None
    return home / ("Library/Caches" if sys.platform == "darwin" else ".cache") / "handouts" / kind


def output_path(out_dir: Path, *parts: str) -> Path:
    """Join *parts* under *out_dir*, refusing anything that would leave it."""
    root = Path(out_dir).resolve()
    target = root.joinpath(*parts).resolve()
    if root != target and root not in target.parents:
        link = next((p for p in (root.joinpath(*parts[:i]) for i in range(len(parts), 0, -1)) if p.is_symlink()),
                    None)
        if link is not None:  # someone's link where an output goes: never written (or removed) through
            shown = Path(display_path(link.parent)) / link.name  # the link by its own name
            raise OutputError(shown, f"is a link to {display_path(target)}, outside {display_path(out_dir)}; "
                                     f"the build never writes through it: remove the link")
        raise OutputError("/".join(parts), f"refusing to write outside {out_dir}")
    return target


def file_mode(private: bool = False) -> int:
    """The permission bits of a file the tool writes: what the umask lets through of rw for
    everyone (0o644 under the usual 022, 0o600 under 077), or of rw for the owner alone when
    *private* (a client's program: health information, never readable by other accounts)."""
    umask = os.umask(0)  # reading the umask means setting it: put straight back
    os.umask(umask)
    return (0o600 if private else 0o666) & ~umask


def keep_private(out_dir: Path, *parts: str, parents: bool = True) -> Path:
    """Make the folders *parts* under *out_dir* (``"email", "programs"``) each readable by the owner
    alone (0700), whatever the umask, those that exist as well as those made now; return the last.
    *parents* False: only the last is made owner-only, those above it are made as any other folder
    (``previews`` is for a web page, ``previews/programs`` is not).

    For folders that hold only files written private (a client's programs): the files are 0600
    anyway, but a folder others can list still tells them whose programs there are.  A link among
    them is never followed out of *out_dir* (see :func:`output_path`).  Raises OutputError.
    """
    folder = Path(out_dir)
    for i in range(1, len(parts) + 1):
        folder = output_path(out_dir, *parts[:i])
        try:
            if folder.exists() and not folder.is_dir():
                raise OutputError(folder, "cannot write: it is a file, not a folder")
            if not parents and i < len(parts):
                folder.mkdir(exist_ok=True)
                continue
            folder.mkdir(mode=0o700, exist_ok=True)
            if stat.S_IMODE(folder.stat().st_mode) != 0o700:
                os.chmod(folder, 0o700)
        except OSError as exc:
            raise OutputError(folder, f"cannot write: {_why(exc, folder)}") from None
    return folder


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True, private: bool = False) -> None:
    """Write *data* to *path* through a temporary file and a rename.

    The rename alone makes the write atomic against an interrupted process.  *durable*
    also flushes the data to disk before the rename, which survives a power cut too:
    content files (someone's work) get it; build outputs, which the manifest checks and
    the next build remakes, skip it, because it costs more than the rest of the write.
    Raises OutputError saying why the file cannot be written.  The file's mode is
    :func:`file_mode` (*private*: the owner's alone).
    """
    atomic_write_all([(Path(path), data)], durable, private)


def atomic_write_all(files: list[tuple[Path, bytes]], durable: bool = False, private: bool = False,
                     keep_mode: bool = False) -> None:
    """Write every (path, bytes) of *files*, or none: all are staged as temporary files first,
    and renamed into place only when every one was staged (an exercise's handout and cards).
    *keep_mode*: a file that is there keeps its permission bits (a file someone wrote, saved
    again by the tool: a program of theirs made owner-only stays so, and a shared one shared).

    Raises OutputError for the first file that cannot be staged; nothing is replaced then.
    """
    staged: list[tuple[str, Path]] = []
    mode = file_mode(private)
    try:
        for path, data in files:
            staged.append((_stage(Path(path), data, durable, _mode_of(Path(path), mode) if keep_mode else mode),
                           Path(path)))
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(path, f"cannot write: {_why(exc, path)}") from None
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise


def _mode_of(path: Path, default: int) -> int:
    """The permission bits of the file at *path*, or *default* when there is none."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return default


def atomic_create_bytes(path: Path, data: bytes) -> bool:
    """Write *data* to *path* unless something is there; return whether it was written.

    Durable and atomic as :func:`atomic_write_bytes`, and never over a file that appears meanwhile
    (another window saving the same new exercise): the temporary file is linked into place, which
    fails when the name is taken, instead of renamed over it.  Raises OutputError saying why it
    cannot be written.
    """
    path = Path(path)
    if os.path.lexists(path):
        return False
    tmp = _stage(path, data, True, file_mode())
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:  # a file system without hard links (FAT, some shares): checked, then renamed
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
            raise OutputError(path, f"cannot write: {_why(exc, path)}") from None
        if os.path.lexists(path):
            return False
        try:
            os.replace(tmp, path)
        except OSError as again:
            raise OutputError(path, f"cannot write: {_why(again, path)}") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return True


def _stage(path: Path, data: bytes, durable: bool, mode: int) -> str:
    """*data* in a temporary file beside *path* (its folder made if need be); the temporary's path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        start = path.name.encode()[:TEMPORARY_NAME_KEEPS].decode(errors="ignore")  # bytes, as the file system counts
        fd, tmp = tempfile.mkstemp(prefix=f".{start}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {_why(exc, path)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(path, f"cannot write: {_why(exc, path)}") from None
        raise
    return tmp


def _why(exc: OSError, path: Path) -> str:
    """The reason in words, naming a file that stands where a folder should ("File exists" says nothing)."""
    for folder in (path, *path.parents):
        if folder != path and folder.exists() and not folder.is_dir():
            return f"{display_path(folder)} is a file, not a folder"
        if folder.exists():
            break
    if path.is_dir():
        return f"{display_path(path)} is a folder"
    return str(exc.strerror or exc)


def atomic_write_text(path: Path, text: str, durable: bool = True, private: bool = False) -> None:
    """Write UTF-8 *text* atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), durable, private)


def write_new_text(path: Path, text: str, force: bool = False) -> bool:
    """Write *text* unless the file exists and *force* is off; return whether it was written.

    Used by importers: a content file may have been edited by hand since it was imported.
    """
    if Path(path).exists() and not force:
        return False
    atomic_write_text(path, text)
    return True


def remove_output(path: Path) -> bool:
    """Delete an output file the build no longer makes (say, the cards of an exercise whose
    FAQ was removed), so that nobody prints a stale one; return whether there was one."""
    try:
        Path(path).unlink()
        return True
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(path, f"cannot remove: {exc.strerror or exc}") from None


def check_writable(folder: Path) -> None:
    """Make *folder* if need be and check a file can be written in it; OutputError saying why not.

    A build checks its output folder first, so that a read-only or mistyped folder is one
    line before any work, not one line per file after it.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, "cannot write: it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(folder, f"cannot write: {_why(exc, folder)}") from None


def remove_stale_temporaries(folder: Path, older_than: float = 600.0) -> int:
    """Delete the temporary files a killed build left behind (``.name.pdf.x1y2z3.handouts.tmp``).

    Only the tool's own (by :data:`TEMPORARY_SUFFIX`: a ``.draft.tmp`` of yours is never
    touched), only regular files (a link is not followed), and only those older than
    *older_than* seconds: a build running at the same time in the same folder is still
    writing its own.  Returns how many were removed.
    """
    removed = 0
    cutoff = time.time() - older_than
    try:
        candidates = list(Path(folder).glob(f".*{TEMPORARY_SUFFIX}"))
    except OSError:
        return 0
    for path in candidates:
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed
