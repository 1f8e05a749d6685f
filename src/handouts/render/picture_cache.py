"""The cache of prepared pictures: one per user, outside every project's output, shared by them all.

Preparing a picture (decoding a photo, downsampling it, encoding it again) is what a picture
costs a build: a 5184 x 3456 progressive JPEG takes 0.15-0.5 s of CPU and, while libjpeg holds
its coefficients, up to 108 MB (measured: see :func:`handouts.render.pictures._prepare`).  So
every prepared picture is kept, and made once per user rather than once per output folder:

* **Where:** in :func:`handouts.write.user_cache` ``("pictures")`` (``$HANDOUTS_CACHE_DIR/pictures``,
  else ``$XDG_CACHE_HOME/handouts/pictures``, else ``~/.cache/handouts/pictures``), so deleting
  ``output/``, cloning a project afresh or building a second project with the same photos keeps it.
* **Never stale:** an entry's name is a digest of everything its bytes depend on: the key
  :func:`handouts.render.pictures.prepare_picture` gives (the source's bytes, the target size, the
  version of its preparation) and :func:`recipe` (the versions of Pillow and of the codecs it
  links, which shape the bytes too).  Other inputs make another name, so an entry is right for
  whatever finds it, in any project, and ``--rebuild`` has no reason to drop it.
* **Never trusted blindly:** an entry is the prepared bytes followed by a seal (``handouts:`` and
  16 hex digits of their SHA-256), checked on every read; one emptied, cut short or overwritten
  is removed and the picture prepared again, never embedded broken.  It is opened without
  following a link and read only when it is a regular file (a pipe would hang the build).
* **Private:** the folder is made for its owner alone (0700) and each entry 0600, as a picture
  may show a client.
* **Bounded:** at the end of a build that added to it (its folder's modification time moved), the
  least recently used entries beyond :data:`BUDGET_BYTES` are removed; an entry read is marked
  used (its time set).  A build that prepared nothing pays two ``stat`` calls and no listing
  (measured: 52 us in all; listing 12,500 entries, a full cache, takes about 0.1 s).
* **Best effort:** a cache that cannot be made, read or written (a read-only home) costs time,
  never the build, and says nothing: every picture is then prepared as it is needed.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from handouts.errors import OutputError
from handouts.write import atomic_write_bytes, remove_stale_temporaries, user_cache

#: How much disk the cache may take.  A prepared photo is 20-60 KB and a catalogue thumbnail about
#: 5 KB (measured: free-exercise-db's 5184 x 3456 photos prepared for Letter, A4, large print and
#: email); a photo that is embedded as it is costs a 25-byte marker, one block on disk (4 KB).
#: So this keeps about 10,000 prepared photos: a clinic's library of 2,000 camera photos in
#: five editions, with room to spare, in less than 1 % of a small laptop's disk.
BUDGET_BYTES = 500 * 1024 * 1024
#: What ends every entry: this, then 16 hex digits of the SHA-256 of the bytes before it.
SEAL = b"handouts:"
#: The largest entry read: a prepared picture is far smaller than the largest source picture.
MAX_ENTRY_BYTES = 100 * 1024 * 1024
#: How an entry is named: 32 hex digits (see :func:`entry_name`).  Only these are read or removed.
ENTRY = re.compile(r"[0-9a-f]{32}\.picture")
#: How the cache under the output folder (before it moved here) named its files: removed once.
_LEGACY_ENTRY = re.compile(r"[0-9a-f]{32}(?:-[0-9a-f]{16}\.(?:jpg|png)|\.orig)")
_SEALED = len(SEAL) + 16


def picture_cache() -> Path | None:
    """The folder of prepared pictures (see the module's docstring); None when there is no home folder."""
    return user_cache("pictures")


@lru_cache(maxsize=1)
def recipe() -> str:
    """What besides the source and the target shapes a prepared picture's bytes: Pillow's version and
    those of libjpeg and zlib it encodes with (a new one may compress the same pixels otherwise)."""
    import PIL
    from PIL import features

    return f"Pillow {PIL.__version__}; jpeg {features.version('jpg')}; zlib {features.version('zlib')}"


def entry_name(key: str) -> str:
    """The file name of the entry for *key* (a :func:`handouts.render.pictures.prepare_picture` key)."""
    return hashlib.sha256(f"{key}|{recipe()}".encode()).hexdigest()[:32] + ".picture"


def sealed(body: bytes) -> bytes:
    """*body* as an entry holds it: followed by :data:`SEAL` and 16 hex digits of its SHA-256."""
    return body + SEAL + hashlib.sha256(body).hexdigest()[:16].encode()


def _unsealed(entry: bytes) -> bytes | None:
    body, seal, digest = entry[:-_SEALED], entry[-_SEALED:-16], entry[-16:]
    if len(entry) < _SEALED or seal != SEAL or hashlib.sha256(body).hexdigest()[:16].encode() != digest:
        return None
    return body


def lookup(folder: Path | None, key: str) -> bytes | None:
    """The prepared bytes cached for *key*, b"" when the original picture is used as it is, or None.

    None too when the entry is damaged (not as sealed, a link, a pipe, unreadable): it is then
    removed, as the cache is the tool's own, and the caller prepares the picture again.
    """
    if folder is None:
        return None
    path = Path(folder) / entry_name(key)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:  # the usual miss (the folder missing too): one failed open
        return None
    except OSError:  # a link (ELOOP), no permission: not to be read
        _discard(path)
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            st = os.fstat(fd)
            body = _unsealed(file.read(MAX_ENTRY_BYTES + 1)) if stat.S_ISREG(st.st_mode) else None
            if body is not None:
                _mark_used(fd, path)
    except OSError:
        body = None
    if body is None:
        _discard(path)
    return body


def _mark_used(fd: int, path: Path) -> None:
    """Set the entry's modification time to now: :func:`prune` removes the least recently used first."""
    try:
        os.utime(fd if os.utime in os.supports_fd else path)
    except OSError:
        pass  # a read-only cache: it is not pruned by this user either


def _discard(path: Path) -> None:
    try:
        os.unlink(path)  # a link: the link, never its target
    except OSError:
        pass


def store(folder: Path | None, key: str, body: bytes) -> None:
    """Keep *body* (b"": the original is used as it is) for *key*; silently nothing when the cache
    cannot be made or written (a read-only home costs time, not the build)."""
    if folder is None or not _private_folder(Path(folder)):
        return
    try:
        atomic_write_bytes(Path(folder) / entry_name(key), sealed(body), durable=False, private=True)
    except OutputError:
        pass


def _private_folder(folder: Path) -> bool:
    """Whether *folder* is (now) a folder, owner-only (0700) when it is this user's; never a link."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the parents as any folder, this one private
            st = os.lstat(folder)
        except OSError:
            return False
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):  # a link or a file in the way: not ours to replace
        return False
    if stat.S_IMODE(st.st_mode) != 0o700 and hasattr(os, "getuid") and st.st_uid == os.getuid():
        try:
            os.chmod(folder, 0o700)
        except OSError:
            pass
    return True


def prune(folder: Path, budget: int = BUDGET_BYTES) -> int:
    """Remove the least recently used entries of *folder* until the rest take at most *budget* bytes
    on disk (:func:`disk_usage`), and the temporary files a killed build left there; only files
    named as :data:`ENTRY` (a link: the link itself), never a folder or anything else put there.
    Returns how many entries went.

    The least recently used is the one with the oldest modification time (set when written and
    when read: see :func:`lookup`); ties go by name, so the choice does not depend on the listing.
    """
    entries: list[tuple[int, str, int]] = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                if ENTRY.fullmatch(entry.name):
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if not stat.S_ISDIR(st.st_mode):
                        entries.append((st.st_mtime_ns, entry.name, disk_usage(st)))
    except OSError:
        return 0
    total = sum(size for _, _, size in entries)
    removed = 0
    for _, name, size in sorted(entries):
        if total <= budget:
            break
        try:
            os.unlink(Path(folder) / name)
            removed += 1
        except FileNotFoundError:  # another build pruned it first
            pass
        except OSError:
            continue
        total -= size
    remove_stale_temporaries(folder)
    return removed


def disk_usage(st: os.stat_result) -> int:
    """The bytes a file takes on disk (whole blocks: a 25-byte marker takes 4 KB), else its size."""
    return getattr(st, "st_blocks", 0) * 512 or st.st_size


def folder_time(folder: Path | None) -> int | None:
    """The modification time (ns) of *folder*, which an entry added or removed moves; None if none."""
    try:
        return os.stat(folder).st_mtime_ns if folder is not None else None
    except OSError:
        return None


@contextmanager
def picture_cache_upkeep(out_dir: Path) -> Iterator[None]:
    """Around one build: afterwards, :func:`prune` the cache to :data:`BUDGET_BYTES` if the build added
    to it (a build that prepared nothing costs two ``stat`` calls and no listing), and remove what
    the cache left under *out_dir* before it moved out of it (``OUT/.cache/pictures``).  Nothing is
    done when the build raises."""
    folder = picture_cache()
    before = folder_time(folder)
    yield
    _drop_legacy(Path(out_dir) / ".cache" / "pictures")
    after = folder_time(folder)
    if folder is not None and after is not None and after != before:
        prune(folder, BUDGET_BYTES)


def _drop_legacy(folder: Path) -> None:
    """Remove the files the cache made in *folder* when it lived under the output folder, then the
    folder if nothing else is in it; one failed listing when it is gone (every build after the first)."""
    try:
        with os.scandir(folder) as listing:
            names = [entry.name for entry in listing if _LEGACY_ENTRY.fullmatch(entry.name)
                     and not entry.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for name in names:
        _discard(folder / name)
    remove_stale_temporaries(folder)
    try:
        folder.rmdir()
    except OSError:  # something of the user's in it: left alone
        pass
